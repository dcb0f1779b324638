"""Meetings of an organization: the agenda with its papers, who is invited and who came, the
speaking list, the votes, the minutes and what the meeting decided."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hotich.meetings.vocabulary import (
    Ballot,
    CheckIn,
    Choice,
    Kind,
    Response,
    Rule,
    Speaking,
    Status,
    VoteState,
)


class Meeting(models.Model):
    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    starts_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    online_link = models.URLField(_("đường dẫn họp trực tuyến"), max_length=500, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    #: ``2026-11`` for a cell's scheduled regular meeting, ``2026-Q4`` for its thematic one
    period = models.CharField(max_length=10, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    #: the minutes signed by the secretary, waiting for the chair (a stored file)
    minutes_draft_path = models.CharField(max_length=300, blank=True)
    verify_code = models.CharField(max_length=40, blank=True)
    minutes_signed = models.ForeignKey(
        "signing.SignedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: the entry of the agency's work calendar showing a scheduled meeting
    calendar_entry = models.ForeignKey(
        "documents.CalendarEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["organization", "starts_at"], name="meetings_org_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "period"],
                condition=~Q(period="") & ~Q(status="cancelled"),
                name="meetings_one_scheduled_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def state(self) -> dict[str, Any]:
        return {"status": self.status, "organization": self.organization_id, "kind": self.kind}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("nội dung"), max_length=300)
    #: a resolution to be passed (issued as a document when it passes)
    is_resolution = models.BooleanField(_("dự thảo nghị quyết"), default=False)
    vote = models.CharField(max_length=10, choices=VoteState.choices, default=VoteState.NONE)
    ballot = models.CharField(max_length=10, choices=Ballot.choices, default=Ballot.OPEN)
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.BODY)
    #: counted as ballots arrive (a secret ballot keeps only these, never who chose what)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    #: fixed when the vote closes
    present = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    applied_rule = models.CharField(max_length=20, blank=True)
    passed = models.BooleanField(null=True)
    vote_closed_at = models.DateTimeField(null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    resolution = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="meetings_item_order")
        ]

    def __str__(self) -> str:
        return self.title

    def state(self) -> dict[str, Any]:
        return {
            "vote": self.vote,
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "passed": self.passed,
        }


class Paper(models.Model):
    """A PDF on an agenda item (a draft, a report), read by the members before and during."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    name = models.CharField(max_length=200)
    file_path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """One person invited: a member of the organization (who counts for the quorum and votes)
    or a guest (a user of the platform, or only a name)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=100, blank=True)
    is_member = models.BooleanField(default=True)
    #: how to reach a guest who is not a user of the platform
    email = models.EmailField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    excuse = models.CharField(max_length=500, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.CharField(max_length=10, choices=CheckIn.choices, blank=True)
    #: when an outside guest's invitation was sent by e-mail or SMS
    invited_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "-is_member", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="meetings_participant_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Vote(models.Model):
    """That a member voted on an item: once per item (the constraint). ``choice`` is kept for an
    open ballot and left empty for a secret one (ADR 18)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "participant"], name="meetings_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.participant_id}"


class SpeakingRequest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Speaking.choices, default=Speaking.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.participant_id}"


class Event(models.Model):
    """The meeting's history (the life cycle's steps)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor_name = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "at", "pk"]

    def __str__(self) -> str:
        return self.action


class MeetingTask(models.Model):
    """A task given from an item's conclusion (an e-office task, tracked there)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="tasks")
    task = models.ForeignKey("documents.Task", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.task_id}"
