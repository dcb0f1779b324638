"""Values in and out as DHIS2 ``dataValueSets`` JSON.

``{"dataValues": [{"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}]}`` with
codes as identifiers (DHIS2's ``idScheme=CODE``): the indicator code, the organization's
electronic identifier and the option combination (``F``, ``F.urban``; ``default`` when the
indicator has no disaggregation). Periods are DHIS2 period ids: ``2025``, ``2025S1``,
``2025Q1``, ``202503``. Only values of approved forms leave, and never a secret indicator's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require, scope_filter, unit_in_scope
from hotich.agencies.selectors import organization_by_code
from hotich.audit.services import audit_record
from hotich.core.errors import ValidationFailed
from hotich.reporting.datasets import value_of
from hotich.reporting.indicators import combos, joined, parse_value
from hotich.reporting.models import DataValue, FormReport, FormReportStatus, Indicator
from hotich.reporting.periods import Period, Regime

DEFAULT_COMBO = "default"
MAX_VALUES = 500_000
_DHIS2 = re.compile(r"^(\d{4})(?:(\d{2})|Q([1-4])|S([12]))?$")


def to_dhis2_period(code: str) -> str:
    """``2025-Y`` → ``2025``, ``2025-H1`` → ``2025S1``, ``2025-Q1`` → ``2025Q1``,
    ``2025-M03`` → ``202503``."""
    period = Period.parse(code)
    suffix = {
        Regime.YEARLY: "",
        Regime.HALF_YEARLY: f"S{period.index}",
        Regime.QUARTERLY: f"Q{period.index}",
        Regime.MONTHLY: f"{period.index:02d}",
    }[Regime(period.regime)]
    return f"{period.year}{suffix}"


def from_dhis2_period(text: str) -> str:
    """The inverse of :func:`to_dhis2_period`, or ValidationFailed."""
    match = _DHIS2.match(text.strip())
    if not match:
        raise ValidationFailed(
            format_lazy(
                _("kỳ “{period}” không phải mã kỳ DHIS2 (2025, 2025Q1, 202503)"), period=text
            )
        )
    year, month, quarter, half = match.groups()
    if month:
        code = f"{year}-M{month}"
    elif quarter:
        code = f"{year}-Q{quarter}"
    elif half:
        code = f"{year}-H{half}"
    else:
        code = f"{year}-Y"
    return Period.parse(code).code


def _period_filter(year: int, period: str | None) -> list[str] | str:
    """The period codes asked for: one period (a DHIS2 id or ``2025-Q1``) or the whole year."""
    if not period:
        return f"{year}-"
    text = period.strip()
    return [Period.parse(text).code if "-" in text else from_dhis2_period(text)]


def export_values(*, actor: Actor, year: int, period: str | None = None) -> dict[str, Any]:
    """The approved values of ``year`` (or of one period of it) as a dataValueSets document;
    secret indicators are left out."""
    require(actor, "reporting.view", message=_("Bạn không có quyền xem báo cáo."))
    wanted = _period_filter(year, period)
    approved = FormReport.objects.filter(status=FormReportStatus.APPROVED)
    values = DataValue.objects.filter(indicator__is_secret=False)
    if actor is not None:  # a user exports the organizations of their unit and below
        values = values.filter(scope_filter(actor, "organization__unit"))
    if isinstance(wanted, list):
        if not all(code.startswith(f"{year}-") for code in wanted):
            raise ValidationFailed(_("Kỳ báo cáo không thuộc năm đã chọn."), field="period")
        approved = approved.filter(period_code__in=wanted)
        values = values.filter(period_code__in=wanted)
    else:
        approved = approved.filter(period_code__startswith=wanted)
        values = values.filter(period_code__startswith=wanted)
    keys = {
        (indicator_id, org_id, code)
        for indicator_id, org_id, code in approved.values_list(
            "form__rows__indicator_id", "organization_id", "period_code"
        )
    }
    rows = []
    for value in values.select_related("indicator", "organization").order_by(
        "period_code", "organization__code", "indicator__code", "combo"
    ):
        if (value.indicator_id, value.organization_id, value.period_code) not in keys:
            continue
        rows.append(
            {
                "dataElement": value.indicator.code,
                "period": to_dhis2_period(value.period_code),
                "orgUnit": value.organization.code,
                "categoryOptionCombo": value.combo or DEFAULT_COMBO,
                "value": value_of(value.value),
            }
        )
    audit_record(
        actor=actor,
        action="export",
        object_type="reporting.data_values",
        object_id=str(period or year),
        detail={"format": "dhis2", "values": len(rows)},
    )
    return {"dataValues": rows}


def _one(
    actor: Actor, item: Any, indicators: dict[str, Indicator], orgs: dict[str, Any]
) -> DataValue:
    if not isinstance(item, dict):
        raise ValidationFailed(_("mỗi phần tử của dataValues phải là một đối tượng"))
    missing = [
        k for k in ("dataElement", "period", "orgUnit", "value") if item.get(k) in (None, "")
    ]
    if missing:
        raise ValidationFailed(format_lazy(_("thiếu trường {fields}"), fields=", ".join(missing)))
    code = str(item["dataElement"])
    indicator = indicators.get(code)
    if indicator is None:
        raise ValidationFailed(format_lazy(_("không có chỉ tiêu mã {code}"), code=code))
    org_code = str(item["orgUnit"])
    if org_code not in orgs:
        orgs[org_code] = organization_by_code(org_code)
    if orgs[org_code] is None or (
        actor is not None and not unit_in_scope(actor, orgs[org_code].unit)
    ):
        raise ValidationFailed(format_lazy(_("không có cơ quan, đơn vị mã {code}"), code=org_code))
    combo = str(item.get("categoryOptionCombo") or DEFAULT_COMBO)
    combo = "" if combo == DEFAULT_COMBO else combo
    if combo not in {key for key, _label in combos(indicator)}:
        raise ValidationFailed(
            format_lazy(
                _("phân tổ “{combo}” không đúng với chỉ tiêu {code}"), combo=combo, code=code
            )
        )
    return DataValue(
        indicator=indicator,
        organization=orgs[org_code],
        period_code=from_dhis2_period(str(item["period"])),
        combo=combo,
        value=parse_value(indicator, item["value"]),
    )


def import_values(*, actor: Actor, document: Any) -> int:
    """Store the values of a dataValueSets document: all of them or none, each bad one named
    by its position. A value already stored is replaced; a value of a form already submitted
    or approved is refused."""
    require(actor, "reporting.indicators", message=_("Bạn không có quyền nhập số liệu."))
    items = document.get("dataValues") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ValidationFailed(_("Tệp không phải dataValueSets: thiếu danh sách “dataValues”."))
    if len(items) > MAX_VALUES:
        raise ValidationFailed(_("Tệp có quá nhiều giá trị; hãy chia thành nhiều tệp."))
    indicators = {i.code: i for i in Indicator.objects.prefetch_related("categories__options")}
    orgs: dict[str, Any] = {}
    values: list[DataValue] = []
    errors: list[str | Promise] = []
    for number, item in enumerate(items, start=1):
        try:
            values.append(_one(actor, item, indicators, orgs))
        except ValidationFailed as exc:
            errors.append(format_lazy(_("Giá trị {n}: {error}"), n=number, error=exc.message))
    errors += _locked(values)
    if errors:
        raise ValidationFailed(joined(errors, limit=10))
    user = acting_user(actor)
    with transaction.atomic():
        for value in values:
            DataValue.objects.update_or_create(
                indicator=value.indicator,
                organization=value.organization,
                period_code=value.period_code,
                combo=value.combo,
                defaults={"value": value.value, "updated_by": user},
            )
        audit_record(
            actor=actor,
            action="import",
            object_type="reporting.data_values",
            object_id="dhis2",
            detail={"values": len(values)},
        )
    return len(values)


def _locked(values: Iterable[DataValue]) -> list[str | Promise]:
    wanted = {(v.organization.pk, v.period_code) for v in values}
    locked = FormReport.objects.filter(
        organization_id__in={o for o, _p in wanted},
        period_code__in={p for _o, p in wanted},
    ).exclude(status__in=(FormReportStatus.OPEN, FormReportStatus.RETURNED))
    return [
        format_lazy(
            _("biểu {form} của {org} kỳ {period} đã nộp hoặc đã duyệt; không ghi đè"),
            form=r.form.code,
            org=r.organization.code,
            period=r.period_code,
        )
        for r in locked.select_related("form", "organization")
        if (r.organization_id, r.period_code) in wanted
    ]
