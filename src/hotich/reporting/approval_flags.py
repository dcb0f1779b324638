"""The ``approved`` flag of indicator values (ADR 0027).

A value counts as approved when a form report of its organization and period is approved for a
form that holds its indicator (an indicator kept in two forms counts when either is approved).
The flag is kept on :class:`~hotich.reporting.models.DataValue` so that the analytics read the
approved values without joining the form reports: the approval steps (approve, reopen), every
write of values into an open form and every change of a form's rows call :func:`approved_refresh`
for the values they touch, which also refreshes the yearly summary of the approved values that
the analytics read (ADR 0034).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from hotich.reporting.models import DataValue, FormReport, FormReportStatus
from hotich.reporting.summaries import summary_refresh


def approved_refresh(
    *,
    indicator_ids: Iterable[int],
    organization_id: int | None = None,
    period_code: str | None = None,
) -> int:
    """Set the flag of the values of ``indicator_ids`` (of one organization and period when
    given) from the form reports as they stand, and refresh their summary. Returns the values
    updated."""
    ids = list(indicator_ids)
    if not ids:
        return 0
    approved = FormReport.objects.filter(
        status=FormReportStatus.APPROVED,
        organization_id=OuterRef("organization_id"),
        period_code=OuterRef("period_code"),
        form__rows__indicator_id=OuterRef("indicator_id"),
    )
    values = DataValue.objects.filter(indicator_id__in=ids)
    if organization_id is not None:
        values = values.filter(organization_id=organization_id)
    if period_code is not None:
        values = values.filter(period_code=period_code)
    updated = values.update(approved=Exists(approved))
    summary_refresh(indicator_ids=ids, organization_id=organization_id, period_code=period_code)
    return updated


def approved_elsewhere(*, indicator_id: int, organization_id: int, period_code: str) -> bool:
    """Whether a value of ``indicator_id`` written now (into an open form) counts as approved
    through another form holding the same indicator."""
    return FormReport.objects.filter(
        status=FormReportStatus.APPROVED,
        organization_id=organization_id,
        period_code=period_code,
        form__rows__indicator_id=indicator_id,
    ).exists()
