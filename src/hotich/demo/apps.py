from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hotich.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu / Demo data"
