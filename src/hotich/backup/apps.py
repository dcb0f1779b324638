from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "hotich.backup"
    label = "backup"
    verbose_name = "Sao lưu / Backups"
