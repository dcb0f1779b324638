"""Reads of the reporting context: units a user may report on, reports, submissions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import permits, scope_filter
from hotich.core.errors import NotFound, PermissionDenied
from hotich.core.text import fold
from hotich.geo.selectors import unit_by_code, unit_get, units_below
from hotich.geo.vocabulary import Level
from hotich.reporting.civil_status import (
    CivilStatusReport,
    check_report_access,
    civil_status_report,
)
from hotich.reporting.definitions import get_definition
from hotich.reporting.models import DataForm, Indicator, Submission
from hotich.reporting.periods import Period

if TYPE_CHECKING:
    from hotich.geo.models import Unit


def report_unit(*, actor: Actor, code: str | None) -> Unit:
    """The current unit with ``code`` (a province or a commune), or the actor's own unit when
    no code is given; NotFound for an unknown code, PermissionDenied outside the scope."""
    if not code:
        unit = getattr(actor, "unit", None)
        if unit is None:
            raise PermissionDenied(_("Tài khoản chưa được gán đơn vị."), field="unit")
    else:
        unit = unit_by_code(code, levels=[Level.PROVINCE, Level.COMMUNE])
        if unit is None:
            raise NotFound(_("Không có đơn vị hành chính với mã này."), field="unit")
    check_report_access(actor, unit)
    return unit


def report_unit_options(*, actor: Actor) -> list[tuple[object, object]]:
    """The units ``actor`` may report on, as the choices of a select: their own unit, then (for a
    province) its communes in alphabetical order, grouped under one heading."""
    unit = getattr(actor, "unit", None)
    if unit is None:
        return []
    if unit.level == Level.COMMUNE:
        return [(unit.code, unit.name)]
    communes = sorted(
        units_below(unit)
        .filter(level=Level.COMMUNE, era=unit.era)
        .only("code", "name", "short_name"),
        key=lambda c: fold(c.short_name or c.name),
    )
    return [
        (unit.code, _("{name} (toàn tỉnh)").format(name=unit.name)),
        (_("Xã, phường"), [(c.code, c.name) for c in communes]),
    ]


def province_by_code(code: str) -> Unit:
    try:
        return unit_get(level=Level.PROVINCE, code=str(code).strip().lstrip("0").zfill(2))
    except ObjectDoesNotExist:
        raise NotFound(_("Không có tỉnh/thành phố với mã này."), field="province") from None


def civil_status(
    *, actor: Actor, unit: Unit, period: Period, today: dt.date | None = None
) -> CivilStatusReport:
    return civil_status_report(
        actor=actor,
        unit=unit,
        period=period,
        today=today,
        definition=get_definition("civil_status"),
    )


def submissions_visible(actor: Actor) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("unit", "form_report__organization").order_by(
        "-created_at", "-pk"
    )
    if actor is None:
        return qs
    return qs.filter(scope_filter(actor, "unit"))


def submission_get(*, actor: Actor, submission_id: int) -> Submission:
    found = submissions_visible(actor).filter(pk=submission_id).first()
    if found is None:
        raise NotFound(_("Không tìm thấy lần gửi báo cáo."), field="submission_id")
    return found


def sees_secret(actor: Actor) -> bool:
    """Whether ``actor`` may see secret indicators and forms (the system may)."""
    return permits(actor, "reporting.secret")


def data_form_get(code: str, actor: Actor = None) -> DataForm:
    """The form (data set) with this code, or NotFound (also for a secret form the actor may
    not see)."""
    form = data_forms(actor).filter(code=code).first()
    if form is None:
        raise NotFound(_("Không có biểu báo cáo này."))
    return form


def data_forms(actor: Actor = None) -> QuerySet[DataForm]:
    forms = DataForm.objects.prefetch_related("organizations").order_by("code")
    return forms if sees_secret(actor) else forms.filter(is_secret=False)


def indicators_all(actor: Actor = None) -> QuerySet[Indicator]:
    found = Indicator.objects.select_related("owner").prefetch_related("categories")
    found = found if sees_secret(actor) else found.filter(is_secret=False)
    return found.order_by("code")
