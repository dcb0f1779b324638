"""Background tasks of reporting: the push of an approved form report to the national system
(queued by the approval, :data:`hotich.reporting.datasets.FORM_PUSH`)."""

from __future__ import annotations

from django_tasks import task

from hotich.reporting.datasets import FORM_PUSH
from hotich.reporting.models import FormReport
from hotich.reporting.services import form_report_push


@FORM_PUSH.bind
@task()
def form_report_push_task(report_id: int) -> str:
    report = FormReport.objects.filter(pk=report_id).first()
    if report is None:
        return "gone"
    submission = form_report_push(actor=None, report=report)
    return "skipped" if submission is None else submission.status
