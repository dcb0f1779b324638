"""Reading meetings, always within the actor's reach (``meetings.scope``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import is_staff_user
from hotich.agencies.selectors import organization_find, organizations_below, user_memberships
from hotich.agencies.vocabulary import OrganizationKind
from hotich.core.errors import NotFound
from hotich.meetings.models import AgendaItem, Meeting, MeetingTask, Paper, Participant
from hotich.meetings.rules import (
    month_end,
    period_state,
    quarter_end,
    quarter_of,
    quorate,
    quorum,
)
from hotich.meetings.scope import in_organization, meeting_in_reach, reach_q, runs
from hotich.meetings.vocabulary import (
    GUEST_LINK_AGE,
    GUEST_SALT,
    HELD_STATUSES,
    Kind,
    PeriodState,
    Status,
)

if TYPE_CHECKING:
    from hotich.agencies.models import Organization
    from hotich.documents.models import Task


def meetings_visible(actor: Actor) -> QuerySet[Meeting]:
    """The meetings the actor reaches, newest first."""
    ids = Meeting.objects.filter(reach_q(actor)).values("pk")
    return Meeting.objects.filter(pk__in=ids).select_related("organization", "chair", "secretary")


def meetings_mine(actor: Actor) -> QuerySet[Meeting]:
    """The meetings the actor is invited to, newest first."""
    return meetings_visible(actor).filter(participants__user_id=getattr(actor, "pk", 0) or 0)


def meeting_get(actor: Actor, meeting_id: object) -> Meeting:
    try:
        meeting = Meeting.objects.select_related(
            "organization", "organization__unit", "chair", "secretary", "minutes_signed"
        ).get(pk=int(str(meeting_id)))
    except (Meeting.DoesNotExist, ValueError):
        raise NotFound("") from None
    meeting_in_reach(actor, meeting)
    return meeting


def item_get(actor: Actor, item_id: object) -> AgendaItem:
    try:
        item = AgendaItem.objects.select_related("meeting", "meeting__organization").get(
            pk=int(str(item_id))
        )
    except (AgendaItem.DoesNotExist, ValueError):
        raise NotFound("") from None
    meeting_in_reach(actor, item.meeting)
    return item


def paper_get(actor: Actor, paper_id: object) -> Paper:
    try:
        paper = Paper.objects.select_related("item__meeting__organization").get(
            pk=int(str(paper_id))
        )
    except (Paper.DoesNotExist, ValueError):
        raise NotFound("") from None
    meeting_in_reach(actor, paper.item.meeting)
    return paper


def participant_get(actor: Actor, participant_id: object) -> Participant:
    try:
        participant = Participant.objects.select_related("meeting__organization").get(
            pk=int(str(participant_id))
        )
    except (Participant.DoesNotExist, ValueError):
        raise NotFound("") from None
    meeting_in_reach(actor, participant.meeting)
    return participant


@dataclass(frozen=True)
class Attendance:
    members: int
    present: int
    needed: int
    quorate: bool
    accepted: int
    excused: int


def attendance(meeting: Meeting) -> Attendance:
    """Members invited, present, how many make the quorum, answers to the invitation."""
    members = meeting.participants.filter(is_member=True)
    total = members.count()
    present = members.exclude(checked_in_at=None).count()
    return Attendance(
        members=total,
        present=present,
        needed=quorum(present=present, members=total),
        quorate=quorate(present=present, members=total),
        accepted=members.filter(response="accepted").count(),
        excused=members.filter(response="excused").count(),
    )


def guest_by_token(token: str) -> Participant:
    """The outside guest a link was made for; a bad or expired link is not found."""
    try:
        value = signing.loads(token, salt=GUEST_SALT, max_age=GUEST_LINK_AGE)
    except signing.BadSignature:
        raise NotFound(_("Đường dẫn mời không hợp lệ hoặc đã hết hạn."), field="token") from None
    guest = (
        Participant.objects.select_related("meeting", "meeting__organization")
        .filter(pk=value.get("p"), meeting_id=value.get("m"), is_member=False, user=None)
        .first()
    )
    if guest is None or guest.meeting.status == Status.CANCELLED:
        raise NotFound(_("Đường dẫn mời không hợp lệ hoặc đã hết hạn."), field="token")
    return guest


def guest_paper_get(guest: Participant, paper_id: object) -> Paper | None:
    """A paper of the guest's meeting, or None."""
    try:
        return Paper.objects.filter(
            item__meeting_id=guest.meeting_id, pk=int(str(paper_id))
        ).first()
    except ValueError:
        return None


def meeting_tasks(meeting: Meeting) -> list[tuple[AgendaItem, Task]]:
    rows = MeetingTask.objects.filter(item__meeting=meeting).select_related("item", "task__owner")
    return [(row.item, row.task) for row in rows]


def may_run(actor: Actor, meeting: Meeting) -> bool:
    return runs(actor, meeting)


# --- the party committee's page: its cells' meetings of a year ---------------------------------


@dataclass(frozen=True)
class CellYear:
    cell: Organization
    #: the state of each month (its regular meeting), January first
    months: list[str]
    #: the state of each quarter (its thematic meeting)
    quarters: list[str]

    @property
    def missed(self) -> int:
        return sum(1 for s in [*self.months, *self.quarters] if s == PeriodState.MISSED)


def committees_of(actor: Actor) -> list[Organization]:
    """The party committees the actor holds a position in."""
    if not is_staff_user(actor):
        return []
    return [
        m.organization
        for m in user_memberships(actor)
        if m.organization.kind == OrganizationKind.PARTY_COMMITTEE
    ]


def committee_get(actor: Actor, organization_id: object) -> Organization:
    """A party committee the actor belongs to (or to one above it); anyone else gets 404."""
    organization = organization_find(organization_id)
    if (
        organization is None
        or organization.kind != OrganizationKind.PARTY_COMMITTEE
        or not in_organization(actor, organization)
    ):
        raise NotFound(_("Không tìm thấy cấp ủy."), field="organization")
    return organization


def held_periods(
    cells: list[Organization], year: int
) -> tuple[dict[int, set[tuple[str, int]]], dict[int, dt.date]]:
    """By cell: the months (``("regular", m)``) and quarters (``("thematic", q)``) of ``year``
    in which it held a meeting of that kind with minutes, closed by the period's end; and the
    day of its first regular or thematic meeting on the platform (held or not), from which its
    periods are tracked."""
    held: dict[int, set[tuple[str, int]]] = {cell.pk: set() for cell in cells}
    ours = Meeting.objects.filter(
        organization__in=cells, kind__in=(Kind.REGULAR, Kind.THEMATIC)
    ).exclude(status=Status.CANCELLED)
    first = {
        row["organization_id"]: timezone.localtime(row["first"]).date()
        for row in ours.values("organization_id").annotate(first=Min("starts_at"))
    }
    rows = ours.filter(
        status__in=HELD_STATUSES,
        starts_at__gte=timezone.make_aware(
            dt.datetime.combine(dt.date(year - 1, 12, 31), dt.time())
        ),
        starts_at__lt=timezone.make_aware(dt.datetime.combine(dt.date(year + 1, 1, 2), dt.time())),
    ).exclude(minutes="")
    for meeting in rows.values("organization_id", "kind", "starts_at", "closed_at"):
        start = timezone.localtime(meeting["starts_at"]).date()
        closed = meeting["closed_at"]
        if start.year != year or closed is None:
            continue
        closed_on = timezone.localtime(closed).date()
        if meeting["kind"] == Kind.REGULAR and closed_on <= month_end(year, start.month):
            held[meeting["organization_id"]].add((Kind.REGULAR, start.month))
        quarter = quarter_of(start.month)
        if meeting["kind"] == Kind.THEMATIC and closed_on <= quarter_end(year, quarter):
            held[meeting["organization_id"]].add((Kind.THEMATIC, quarter))
    return held, first


def cells_year(committee: Organization, year: int, today: dt.date | None = None) -> list[CellYear]:
    """Every party cell under ``committee`` with each month and quarter of ``year``: held,
    missed (over without a meeting held with minutes), due, or untracked (before the cell's
    first meeting on the platform)."""
    today = today or timezone.localdate()
    cells = list(organizations_below(committee).filter(kind=OrganizationKind.PARTY_CELL))
    held, first = held_periods(cells, year)
    return [
        CellYear(
            cell=cell,
            months=[
                period_state(
                    held=(Kind.REGULAR, m) in held[cell.pk],
                    ends=month_end(year, m),
                    today=today,
                    tracked_from=first.get(cell.pk),
                )
                for m in range(1, 13)
            ],
            quarters=[
                period_state(
                    held=(Kind.THEMATIC, q) in held[cell.pk],
                    ends=quarter_end(year, q),
                    today=today,
                    tracked_from=first.get(cell.pk),
                )
                for q in range(1, 5)
            ],
        )
        for cell in cells
    ]


@dataclass(frozen=True)
class CommitteeYear:
    committee: Organization
    year: int
    cells: list[CellYear]

    @property
    def missed(self) -> int:
        return sum(c.missed for c in self.cells)


def committee_year(actor: Actor, organization_id: object, year: int) -> CommitteeYear:
    """The committee's page: its cells with held/missed months and quarters of ``year``."""
    committee = committee_get(actor, organization_id)
    return CommitteeYear(committee=committee, year=year, cells=cells_year(committee, year))
