from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "hotich.reporting"
    label = "reporting"
    verbose_name = "Báo cáo thống kê / Reporting"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from hotich.core.words import words_register

        # the kind of paper the signing context counts (hotich.reporting.services)
        words_register("signed_kind", {"report": _("Báo cáo")})
