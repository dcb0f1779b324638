from django.apps import AppConfig

from hotich.core.words import words_register


class ReportingConfig(AppConfig):
    name = "hotich.reporting"
    label = "reporting"
    verbose_name = "Báo cáo thống kê / Reporting"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from hotich.reporting import tasks  # noqa: F401  (binds the services' deferred work)
        from hotich.reporting.models import FormReportStatus
        from hotich.reporting.periods import Regime

        # the kind of paper the signing context counts (hotich.reporting.services)
        words_register("signed_kind", {"report": _("Báo cáo")})
        words_register("regime", Regime)
        words_register("form_report_status", FormReportStatus)
