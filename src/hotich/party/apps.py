from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "hotich.party"
    label = "party"
    verbose_name = "Đảng viên / Party members"

    def ready(self) -> None:
        from hotich.party import web  # noqa: F401 - registers the words and the sidebar condition
