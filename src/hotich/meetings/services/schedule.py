"""The party cells' schedule: every cell's monthly regular meeting and quarterly thematic
meeting, drafted from the working-day calendar and shown in the agency's work calendar.

Scheduling is idempotent: a cell's meeting of a period is made once (the ``period`` field under
the ``meetings_one_scheduled_per_period`` constraint); running the schedule again makes only what
is missing. A cancelled scheduled meeting frees its period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.agencies.selectors import acting_agency, members_of, organizations_visible
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.core.errors import Conflict, DomainError, ValidationFailed
from hotich.core.workdays import is_working_day
from hotich.documents.services import calendar_entry_create
from hotich.meetings.models import Meeting
from hotich.meetings.rules import (
    first_working_day_from,
    quarter_of,
    regular_period,
    thematic_period,
)
from hotich.meetings.services.meetings import item_add, meeting_create
from hotich.meetings.vocabulary import (
    DEFAULT_MEETING_DAY,
    DEFAULT_MEETING_HOUR,
    THEMATIC_MEETING_DAY,
    Kind,
    Status,
)

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass
class ScheduleResult:
    created: list[Meeting] = field(default_factory=list)
    #: meetings of the periods already scheduled (left as they are)
    existing: int = 0
    #: cells that could not be scheduled, with the reason
    skipped: list[tuple[Organization, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Slot:
    kind: str
    period: str
    day: dt.date
    title: str
    agenda: str


def slots(year: int, month: int | None = None) -> list[Slot]:
    """The meetings a cell holds in ``year`` (or in ``month`` of it): the regular meeting of every
    month on the first working day from the 5th, the thematic meeting of every quarter on the
    first working day from the 20th of its middle month."""
    months = [month] if month else list(range(1, 13))
    out: list[Slot] = []
    for m in months:
        out.append(
            Slot(
                kind=Kind.REGULAR,
                period=regular_period(year, m),
                day=first_working_day_from(dt.date(year, m, DEFAULT_MEETING_DAY), is_working_day),
                title=str(_("Sinh hoạt chi bộ thường kỳ tháng {month}/{year}")).format(
                    month=m, year=year
                ),
                agenda=str(_("Đánh giá kết quả tháng {month}, nhiệm vụ tháng tới")).format(month=m),
            )
        )
        if m % 3 == 2:
            quarter = quarter_of(m)
            out.append(
                Slot(
                    kind=Kind.THEMATIC,
                    period=thematic_period(year, quarter),
                    day=first_working_day_from(
                        dt.date(year, m, THEMATIC_MEETING_DAY), is_working_day
                    ),
                    title=str(_("Sinh hoạt chuyên đề quý {quarter}/{year}")).format(
                        quarter=ROMAN[quarter], year=year
                    ),
                    agenda=str(_("Chuyên đề của quý")),
                )
            )
    return out


def party_cells() -> list[Organization]:
    return list(
        organizations_visible(None, everything=True).filter(kind=OrganizationKind.PARTY_CELL)
    )


def _chair_and_secretary(cell: Organization) -> tuple[int, int]:
    """The cell's secretary chairs; its deputy secretary (or the next member) takes the minutes."""
    members = list(members_of(cell))
    ids: list[int] = []
    for m in members:
        if m.user_id not in ids:
            ids.append(m.user_id)
    if len(ids) < 2:
        raise ValidationFailed(
            _("Chi bộ chưa có đủ hai đảng viên để chủ trì và làm thư ký."), field="organization"
        )
    by_position = {m.position: m.user_id for m in reversed(members)}
    chair = by_position.get(Position.SECRETARY, ids[0])
    secretary = by_position.get(Position.DEPUTY_SECRETARY) or next(i for i in ids if i != chair)
    if secretary == chair:
        secretary = next(i for i in ids if i != chair)
    return chair, secretary


def _place(cell: Organization) -> str:
    """Where the cell met last time, else its agency's seat."""
    last = (
        Meeting.objects.filter(organization=cell)
        .exclude(place="")
        .order_by("-starts_at")
        .values_list("place", flat=True)
        .first()
    )
    return last or str(_("Phòng họp {name}")).format(name=cell.name)


@transaction.atomic
def _schedule_one(cell: Organization, slot: Slot, chair_id: int, secretary_id: int) -> Meeting:
    starts_at = timezone.make_aware(dt.datetime.combine(slot.day, dt.time(DEFAULT_MEETING_HOUR, 0)))
    meeting = meeting_create(
        actor=None,
        organization=cell,
        kind=slot.kind,
        title=slot.title,
        starts_at=starts_at,
        place=_place(cell),
        chair_id=chair_id,
        secretary_id=secretary_id,
        period=slot.period,
    )
    item_add(actor=None, meeting=meeting, title=slot.agenda)
    agency = acting_agency(meeting.chair) or cell
    meeting.calendar_entry = calendar_entry_create(
        actor=None,
        organization=agency,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        title=f"{slot.title} — {cell.name}",
        location=meeting.place,
        participants=str(_("Đảng viên {name}")).format(name=cell.name),
        published=True,
    )
    meeting.save(update_fields=["calendar_entry"])
    return meeting


def cells_schedule(
    *, actor: Actor, year: int, month: int | None = None, cells: list[Organization] | None = None
) -> ScheduleResult:
    """Draft the regular and thematic meetings of every party cell (or of ``cells``) in ``year``
    (or ``month``); periods already scheduled are left alone. Only the system schedules
    (``hotich meetings schedule``)."""
    if actor is not None:
        raise Conflict(_("Lịch sinh hoạt chi bộ do hệ thống lập."), field="actor")
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise ValidationFailed(_("Năm hoặc tháng không hợp lệ."), field="year")
    result = ScheduleResult()
    wanted = slots(year, month)
    for cell in party_cells() if cells is None else cells:
        taken = set(
            Meeting.objects.filter(organization=cell, period__in=[s.period for s in wanted])
            .exclude(status=Status.CANCELLED)
            .values_list("kind", "period")
        )
        todo = [s for s in wanted if (s.kind, s.period) not in taken]
        result.existing += len(wanted) - len(todo)
        if not todo:
            continue
        try:
            chair_id, secretary_id = _chair_and_secretary(cell)
        except ValidationFailed as exc:
            result.skipped.append((cell, str(exc.message)))
            continue
        for slot in todo:
            try:
                result.created.append(_schedule_one(cell, slot, chair_id, secretary_id))
            except Conflict:
                result.existing += 1
            except DomainError as exc:
                result.skipped.append((cell, str(exc.message)))
                break
    return result
