from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "hotich.offline"
    label = "offline"
    verbose_name = "Làm việc không có mạng / Offline work"
