"""Decision 766/QĐ-TTg service indicators per unit and period.

Counters are computed from the dossiers; each indicator is a formula over counters, given as
configuration: ``METRICS`` below, replaced key by key by the ``HOTICH_PORTAL_METRICS`` setting
(``{"on_time_rate": {"numerator": [...], "denominator": [...], "scale": 100}}``). A numerator or
denominator is a list of counter names that are added up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import ValidationFailed
from hotich.core.workdays import working_days_between
from hotich.geo.selectors import within_unit
from hotich.portal.models import Channel, Dossier, PaymentStatus, Rating, Status
from hotich.portal.selectors import calendar_overrides

RESOLVED = (Status.SIGNED, Status.RETURNED, Status.REJECTED)
#: the first and last day a period of the indicators may cover
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)

METRICS: dict[str, dict[str, Any]] = {
    "on_time_rate": {
        "label": _("Tỷ lệ giải quyết đúng hạn"),
        "numerator": ["resolved_on_time"],
        "denominator": ["resolved"],
        "scale": 100,
        "unit": "%",
    },
    "avg_processing_days": {
        "label": _("Thời gian giải quyết trung bình (ngày làm việc)"),
        "numerator": ["processing_days"],
        "denominator": ["resolved"],
        "scale": 1,
        "unit": "",
    },
    "online_rate": {
        "label": _("Tỷ lệ hồ sơ trực tuyến"),
        "numerator": ["received_online"],
        "denominator": ["received"],
        "scale": 100,
        "unit": "%",
    },
    "online_payment_rate": {
        "label": _("Tỷ lệ thanh toán trực tuyến"),
        "numerator": ["paid_online"],
        "denominator": ["with_fee"],
        "scale": 100,
        "unit": "%",
    },
    "dossier_digitization_rate": {
        "label": _("Tỷ lệ số hóa hồ sơ"),
        "numerator": ["digitized"],
        "denominator": ["received"],
        "scale": 100,
        "unit": "%",
    },
    "result_digitization_rate": {
        "label": _("Tỷ lệ số hóa kết quả"),
        "numerator": ["results_digitized"],
        "denominator": ["resolved_with_result"],
        "scale": 100,
        "unit": "%",
    },
    "satisfaction_rate": {
        "label": _("Mức độ hài lòng"),
        "numerator": ["satisfied"],
        "denominator": ["rated"],
        "scale": 100,
        "unit": "%",
    },
}


def metric_formulas() -> dict[str, dict[str, Any]]:
    formulas = {k: dict(v) for k, v in METRICS.items()}
    for key, override in (getattr(settings, "HOTICH_PORTAL_METRICS", None) or {}).items():
        formulas[key] = {**formulas.get(key, {"label": key, "scale": 1, "unit": ""}), **override}
    return formulas


def _day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return low, high


def counters(dossiers: QuerySet[Dossier], start: dt.date, end: dt.date) -> dict[str, float]:
    """The counters of the dossiers received (or resolved) between start and end inclusive."""
    low, high = _day_range(start, end)
    received = dossiers.filter(received_at__gte=low, received_at__lt=high)
    agg = received.aggregate(
        received=Count("pk"),
        received_online=Count("pk", filter=Q(channel=Channel.ONLINE)),
        with_fee=Count("pk", filter=Q(fee__gt=0)),
        digitized=Count("pk", filter=Q(files__isnull=False), distinct=True),
    )
    paid_online = (
        received.filter(fee__gt=0, payments__status=PaymentStatus.PAID)
        .exclude(payments__provider="cash")
        .values("pk")
        .distinct()
        .count()
    )
    resolved = dossiers.filter(resolved_at__gte=low, resolved_at__lt=high, status__in=RESOLVED)
    overrides = calendar_overrides()
    on_time = 0
    days = 0
    count = 0
    with_result = 0
    results = 0
    for received_at, resolved_at, due, status, path in resolved.values_list(
        "received_at", "resolved_at", "due_date", "status", "result_path"
    ):
        count += 1
        done = timezone.localtime(resolved_at).date()
        if due is None or done <= due:
            on_time += 1
        if received_at is not None:
            days += working_days_between(timezone.localtime(received_at).date(), done, overrides)
        if status != Status.REJECTED:
            with_result += 1
            results += bool(path)
    ratings = Rating.objects.filter(
        dossier__in=dossiers, created_at__gte=low, created_at__lt=high
    ).aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=4)), score_total=Sum("score")
    )
    return {
        "received": agg["received"],
        "received_online": agg["received_online"],
        "with_fee": agg["with_fee"],
        "paid_online": paid_online,
        "digitized": agg["digitized"],
        "resolved": count,
        "resolved_on_time": on_time,
        "processing_days": days,
        "resolved_with_result": with_result,
        "results_digitized": results,
        "rated": ratings["rated"],
        "satisfied": ratings["satisfied"],
        "score_total": ratings["score_total"] or 0,
    }


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    value: float | None
    unit: str
    numerator: float
    denominator: float


def indicators(values: Mapping[str, float]) -> list[Indicator]:
    out = []
    for key, formula in metric_formulas().items():
        num = sum(values.get(n, 0) for n in formula["numerator"])
        den = sum(values.get(n, 0) for n in formula["denominator"])
        value = round(num * formula.get("scale", 1) / den, 1) if den else None
        out.append(Indicator(key, str(formula["label"]), value, formula.get("unit", ""), num, den))
    return out


def unit_metrics(*, unit: Any, start: dt.date, end: dt.date) -> list[Indicator]:
    """The indicators of ``unit`` and every unit below it."""
    for name, day in (("start", start), ("end", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationFailed(
                format_lazy(
                    _("Ngày phải từ {first} đến {last}."),
                    first=FIRST_DAY.strftime("%d/%m/%Y"),
                    last=LAST_DAY.strftime("%d/%m/%Y"),
                ),
                field=name,
            )
    qs = within_unit(Dossier.objects.all(), unit)
    return indicators(counters(qs, start, end))
