"""Reads of the portal: the public catalogue, dossiers in an officer's scope, the public status
of a dossier by its code, the outbox and the calendar."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, get_in_scope, scope_filter, scoped
from hotich.accounts.selectors import users_over
from hotich.core.workdays import working_days_between
from hotich.geo.selectors import unit_children, unit_find, units_at_level
from hotich.geo.vocabulary import Level
from hotich.portal.models import (
    CalendarDay,
    Citizen,
    Dossier,
    Notification,
    Procedure,
    Status,
)

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.geo.models import Unit

#: statuses in which the clock runs towards the due date
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.APPROVED)
CODE_RE = re.compile(r"^HS-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$")
NEAR_DAYS = 1  # a dossier is flagged "near" when at most this many working days remain


def calendar_overrides() -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.values_list("date", "is_working"))


def procedures_public(*, query: str = "", online_only: bool = False) -> QuerySet[Procedure]:
    qs = Procedure.objects.filter(is_active=True).order_by("code")
    if query:
        qs = qs.filter(name__icontains=query.strip()[:100])
    if online_only:
        qs = qs.filter(old_level__gte=3).exclude(form_schema={})
    return qs


def procedure_public(*, code: str) -> Procedure:
    procedure = Procedure.objects.filter(is_active=True, code=code).first()
    if procedure is None:
        raise Http404
    return procedure


def dossiers_visible(actor: Actor) -> QuerySet[Dossier]:
    if not can(actor, "portal.view"):
        return Dossier.objects.none()
    return scoped(actor, Dossier.objects.select_related("procedure", "unit", "assigned_to"))


def dossier_get(*, actor: Actor, dossier_id: int) -> Dossier:
    if not can(actor, "portal.view"):
        raise Http404
    return get_in_scope(
        actor,
        Dossier.objects.select_related("procedure", "unit", "assigned_to", "citizen"),
        pk=dossier_id,
    )


def citizen_dossiers(citizen: Citizen) -> QuerySet[Dossier]:
    return citizen.dossiers.select_related("procedure", "unit").order_by("-submitted_at")


def citizen_dossier(*, citizen: Citizen | None, dossier_id: int) -> Dossier:
    if citizen is None:
        raise Http404
    dossier = (
        Dossier.objects.select_related("procedure", "unit")
        .filter(pk=dossier_id, citizen=citizen)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the dossier's code may see: no names, no form content."""

    code: str
    procedure: str
    unit: str
    status: str
    status_label: str
    submitted_on: dt.date
    due_date: dt.date | None
    history: list[tuple[str, str]]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "procedure": self.procedure,
            "unit": self.unit,
            "status": self.status,
            "status_label": self.status_label,
            "submitted_on": self.submitted_on.isoformat(),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "history": [{"at": at, "status": s} for at, s in self.history],
        }


def normalize_code(code: str) -> str:
    text = re.sub(r"[\s\-]", "", (code or "").upper())
    if text.startswith("HS"):
        text = text[2:]
    if len(text) != 16:
        return ""
    return "HS-" + "-".join(text[i : i + 4] for i in range(0, 16, 4))


def dossier_public_status(*, code: str) -> PublicStatus | None:
    """The public status of the dossier with this code, or None for any code that is not one
    (malformed, guessed or unknown: the same answer, and nothing else)."""
    code = normalize_code(code)
    if not CODE_RE.match(code):
        return None
    row = _public_row(code)
    if row is None:
        return None
    code, status, submitted_at, due_date, history, procedure, unit = row
    if isinstance(history, str):  # SQLite returns the JSON text
        history = json.loads(history)
    if isinstance(submitted_at, str):
        submitted_at = dt.datetime.fromisoformat(submitted_at)
    if isinstance(due_date, str):
        due_date = dt.date.fromisoformat(due_date)
    if timezone.is_naive(submitted_at):
        submitted_at = timezone.make_aware(submitted_at, dt.UTC)
    return PublicStatus(
        code=code,
        procedure=procedure,
        unit=unit,
        status=status,
        status_label=str(Status(status).label),
        submitted_on=timezone.localtime(submitted_at).date(),
        due_date=due_date,
        history=[(at, str(Status(s).label)) for at, s in history],
    )


PUBLIC_STATUS_SQL = (
    "SELECT d.code, d.status, d.submitted_at, d.due_date, d.public_history, p.name, u.name "
    "FROM portal_dossier d "
    "JOIN portal_procedure p ON p.id = d.procedure_id "
    "JOIN geo_unit u ON u.id = d.unit_id "
    "WHERE d.code = %s"
)


def _public_row(code: str) -> tuple[Any, ...] | None:
    """One indexed query, written out: this is the hottest public path (the ORM's query
    compilation costs more than the query itself). Parameterized; same SQL on both databases."""
    sql = PUBLIC_STATUS_SQL
    with connection.cursor() as cursor:
        cursor.execute(sql, [code])
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def dossier_assignees(dossier: Dossier) -> list[User]:
    """The officers who may be given ``dossier`` to process (see ``users_over``)."""
    return users_over(unit=dossier.unit, action="portal.process")


def deadline_flag(dossier: Dossier, *, today: dt.date | None = None) -> str:
    """``"overdue"``, ``"near"`` or ``""`` for an open dossier."""
    if dossier.status not in OPEN_STATUSES or dossier.due_date is None:
        return ""
    today = today or timezone.localdate()
    if dossier.due_date < today:
        return "overdue"
    if working_days_between(today, dossier.due_date, calendar_overrides()) <= NEAR_DAYS:
        return "near"
    return ""


def outbox(*, actor: Actor, limit: int = 100) -> QuerySet[Notification]:
    """Messages about dossiers in the actor's scope; an administrator also sees the one-time-code
    messages (the default adapter delivers nothing, so the outbox is where a demo reads them)."""
    qs = Notification.objects.select_related("dossier")
    if getattr(actor, "role", "") == "admin" and can(actor, "portal.outbox_all"):
        return qs.filter(scope_filter(actor, "dossier__unit") | Q(dossier=None))[:limit]
    if not can(actor, "portal.view"):
        return Notification.objects.none()
    return scoped(actor, qs, "dossier__unit")[:limit]


def latest_code_for(contact: str) -> Notification | None:
    """The last one-time-code message sent to ``contact`` (tests and the demo read it)."""
    return Notification.objects.filter(recipient=contact, dossier=None).order_by("-pk").first()


def receiving_units() -> QuerySet[Unit]:
    """The communes and wards of today a citizen may file at."""
    return units_at_level(Level.COMMUNE)


def receiving_unit(unit_id: Any) -> Any:
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        return None
    return receiving_units().filter(pk=pk).first()


def units_for_metrics(user: User, unit_id: Any = None) -> tuple[Unit, QuerySet[Unit]]:
    """The unit a dashboard shows (the user's own, or one below it) and its child units; 404
    for a user without a unit."""
    base = user.unit
    if base is None:
        raise Http404
    unit = base
    if unit_id:
        found = unit_find(unit_id)
        if found is None or not base.contains(found):
            raise Http404
        unit = found
    return unit, unit_children(unit)


def service_metrics(*, unit: Any, start: dt.date, end: dt.date) -> list[Any]:
    """Decision 766 indicators of ``unit`` and the units below it for the days ``start`` to
    ``end`` (for reporting)."""
    from hotich.portal.metrics import unit_metrics

    return unit_metrics(unit=unit, start=start, end=end)
