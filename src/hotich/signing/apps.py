from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "hotich.signing"
    label = "signing"
    verbose_name = "Chữ ký số / Digital signatures"

    def ready(self) -> None:
        from hotich.signing import speedups

        speedups.install()
