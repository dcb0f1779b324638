from django.apps import AppConfig


class InterconnectConfig(AppConfig):
    name = "hotich.interconnect"
    label = "interconnect"
    verbose_name = "Liên thông văn bản / Document interconnection"

    def ready(self) -> None:
        from hotich.interconnect import tasks  # noqa: F401 - binds the deferred work
