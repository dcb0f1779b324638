from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "hotich.registry"
    label = "registry"
    verbose_name = "Sổ hộ tịch / Civil-status register"
