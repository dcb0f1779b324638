from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "hotich.registry"
    label = "registry"
    verbose_name = "Sổ hộ tịch / Civil-status register"

    def ready(self) -> None:
        from hotich.registry.selectors import record_paper_status
        from hotich.signing.services import status_provider_register

        status_provider_register("registry.record", record_paper_status)
