from django.apps import AppConfig

from hotich.core.words import words_register


class ReportingConfig(AppConfig):
    name = "hotich.reporting"
    label = "reporting"
    verbose_name = "Báo cáo thống kê / Reporting"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.translation import gettext_lazy as _

        from hotich.reporting import tasks  # noqa: F401  (binds the services' deferred work)
        from hotich.reporting.civil_status_form import civil_status_form_ensure
        from hotich.reporting.models import FormReportStatus
        from hotich.reporting.periods import Regime

        # the kind of paper the signing context counts (hotich.reporting.services)
        words_register("signed_kind", {"report": _("Báo cáo")})
        words_register("regime", Regime)
        words_register("form_report_status", FormReportStatus)
        # the civil-status report's form, after every migrate and flush (ADR 0030)
        post_migrate.connect(
            civil_status_form_ensure, sender=self, dispatch_uid="hotich.reporting.civil_status"
        )
