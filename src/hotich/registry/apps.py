from django.apps import AppConfig

from hotich.core.words import words_register


class RegistryConfig(AppConfig):
    name = "hotich.registry"
    label = "registry"
    verbose_name = "Sổ hộ tịch / Civil-status register"

    def ready(self) -> None:
        # the tasks bind the services' deferred work; the selectors give signing the paper status
        from hotich.registry import selectors, tasks  # noqa: F401
        from hotich.registry.vocabulary import SIGNED_KINDS, EventType, Sex, Status

        words_register("event_type", EventType)
        words_register("sex", Sex)
        words_register("record_status", Status)
        words_register("signed_kind", SIGNED_KINDS)
