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
        from hotich.reporting.models import FormReportStatus
        from hotich.reporting.periods import Regime
        from hotich.reporting.report_forms import report_forms_ensure

        # the kind of paper the signing context counts (hotich.reporting.services)
        words_register("signed_kind", {"report": _("Báo cáo")})
        words_register("regime", Regime)
        words_register("form_report_status", FormReportStatus)
        # the platform's report forms, after every migrate and flush (ADR 0030, ADR 0035)
        post_migrate.connect(
            report_forms_ensure, sender=self, dispatch_uid="hotich.reporting.report_forms"
        )
