"""Work calendars (lịch công tác) of an agency and its leaders, by week: entries are drafted,
published to the agency, and shown on the public page when marked public."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.errors import NotFound, ValidationFailed
from hotich.documents.models import CalendarEntry
from hotich.documents.services.common import clean_text
from hotich.documents.services.routing import own_organization
from hotich.documents.vocabulary import CALENDAR_OBJECT_TYPE

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: who keeps the calendar: the office (clerks, officers) and the leaders
KEEP = ("documents.draft", "documents.approve")


def _organization(actor: Actor, organization: Organization | None) -> Organization:
    if organization is None:
        organization = own_organization(actor)
    if organization is None:
        raise ValidationFailed(
            _("Bạn chưa giữ chức vụ trong cơ quan nào nên chưa có lịch công tác."),
            field="organization",
        )
    if actor is not None and organization.unit_id != getattr(actor, "unit_id", None):
        raise NotFound(_("Không tìm thấy cơ quan."), field="organization")
    return organization


@transaction.atomic
def calendar_entry_create(
    *,
    actor: Actor,
    starts_at: dt.datetime,
    title: str,
    ends_at: dt.datetime | None = None,
    location: str = "",
    participants: str = "",
    leader_id: int | None = None,
    is_public: bool = False,
    organization: Organization | None = None,
    published: bool = False,
) -> CalendarEntry:
    """A new entry of the actor's agency (a leader's when ``leader_id``), unpublished unless
    ``published`` (an event another context already decided, such as a scheduled meeting)."""
    require(actor, KEEP)
    organization = _organization(actor, organization)
    title = clean_text(title, field="title", label=_("Nội dung"), max_length=300, required=True)
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationFailed(_("Giờ kết thúc phải sau giờ bắt đầu."), field="ends_at")
    entry = CalendarEntry.objects.create(
        organization=organization,
        leader_id=leader_id or None,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        location=clean_text(
            location, field="location", label=_("Địa điểm"), max_length=200, required=False
        ),
        participants=clean_text(
            participants,
            field="participants",
            label=_("Thành phần"),
            max_length=500,
            required=False,
        ),
        is_public=is_public,
        published_at=timezone.now() if published else None,
        created_by=acting_user(actor),
    )
    audit_record(
        actor=actor,
        action="create",
        object_type=CALENDAR_OBJECT_TYPE,
        object_id=entry.pk,
        detail={"organization": organization.pk, "public": is_public},
    )
    return entry


@transaction.atomic
def calendar_week_publish(
    *, actor: Actor, monday: dt.date, organization: Organization | None = None
) -> int:
    """Publish the week's entries of the agency (a leader approves the calendar); returns how
    many were published."""
    require(actor, "documents.approve")
    organization = _organization(actor, organization)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    count = CalendarEntry.objects.filter(
        organization=organization,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=7),
        published_at=None,
    ).update(published_at=timezone.now())
    audit_record(
        actor=actor,
        action="update",
        object_type=CALENDAR_OBJECT_TYPE,
        detail={"publish": monday.isoformat(), "organization": organization.pk, "count": count},
    )
    return count
