from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "hotich.legacy"
    label = "legacy"
    verbose_name = "Nhập dữ liệu phần mềm cũ / Legacy data import"

    def ready(self) -> None:
        from hotich.legacy import tasks  # noqa: F401  (binds the services' deferred work)
