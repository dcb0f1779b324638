from django.apps import AppConfig

from hotich.core.words import words_register


class PortalConfig(AppConfig):
    name = "hotich.portal"
    label = "portal"
    verbose_name = "Dịch vụ công trực tuyến / Online public services"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        # the kind of paper the signing context counts (hotich.portal.services.dossiers._sign)
        words_register("signed_kind", {"portal_result": _("Kết quả thủ tục")})

        # outside guests of a meeting are invited through the notifier (e-mail, SMS)
        from hotich.portal import messaging  # noqa: F401 - installs the meetings' messenger
