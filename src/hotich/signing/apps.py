from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "hotich.signing"
    label = "signing"
    verbose_name = "Chữ ký số / Digital signatures"

    def ready(self) -> None:
        from django.conf import settings

        from hotich.signing import speedups

        speedups.install()
        if settings.HOTICH_SIGNING_DEMO:
            from hotich.signing.services import demo_signing_register
            from hotich.signing.standin import DemoSigning

            demo_signing_register(DemoSigning())
