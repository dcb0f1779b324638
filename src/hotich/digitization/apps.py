from django.apps import AppConfig


class DigitizationConfig(AppConfig):
    name = "hotich.digitization"
    label = "digitization"
    verbose_name = "Số hóa sổ hộ tịch / Digitization"

    def ready(self) -> None:
        from hotich.digitization import (
            export,  # noqa: F401  (registers the book exporter)
            tasks,  # noqa: F401  (binds the services' deferred work)
        )
