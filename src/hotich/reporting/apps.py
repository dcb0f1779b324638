from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "hotich.reporting"
    label = "reporting"
    verbose_name = "Báo cáo thống kê / Reporting"
