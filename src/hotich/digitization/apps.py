from django.apps import AppConfig


class DigitizationConfig(AppConfig):
    name = "hotich.digitization"
    label = "digitization"
    verbose_name = "Số hóa sổ hộ tịch / Digitization"

    def ready(self) -> None:
        from hotich.archive.services import register_book_exporter
        from hotich.digitization.export import book_export

        register_book_exporter(book_export)
