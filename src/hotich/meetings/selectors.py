"""Reading meetings, always within the actor's reach (``meetings.scope``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from hotich.accounts.actors import Actor
from hotich.core.errors import NotFound
from hotich.meetings.models import AgendaItem, Meeting, MeetingTask, Paper, Participant
from hotich.meetings.rules import quorate, quorum
from hotich.meetings.scope import meeting_in_reach, reach_q, runs

if TYPE_CHECKING:
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


def meeting_tasks(meeting: Meeting) -> list[tuple[AgendaItem, Task]]:
    rows = MeetingTask.objects.filter(item__meeting=meeting).select_related("item", "task__owner")
    return [(row.item, row.task) for row in rows]


def may_run(actor: Actor, meeting: Meeting) -> bool:
    return runs(actor, meeting)
