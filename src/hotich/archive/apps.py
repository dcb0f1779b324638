from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "hotich.archive"
    label = "archive"
    verbose_name = "Lưu trữ và kiểm tra toàn vẹn / Archive and fixity"
