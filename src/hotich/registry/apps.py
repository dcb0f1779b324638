from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "hotich.registry"
    label = "registry"
    verbose_name = "Sổ hộ tịch / Civil-status register"

    def ready(self) -> None:
        # the tasks bind the services' deferred work; the selectors give signing the paper status
        from hotich.registry import selectors, tasks  # noqa: F401
