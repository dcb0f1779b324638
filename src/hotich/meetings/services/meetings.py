"""A meeting from its creation to its signed minutes: the agenda and papers, the invitations and
answers, check-in, the speaking list, votes, the minutes signed by the secretary then the chair,
resolutions issued through the e-office and tasks given from conclusions."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, actor_name
from hotich.accounts.authz import is_staff_user
from hotich.agencies.selectors import members_of
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core import dates
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.middleware import public_base_url
from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.core.text import nfc
from hotich.documents.services import check_pdf, document_create, document_transition, task_create
from hotich.documents.vocabulary import DocType
from hotich.meetings.messaging import guest_messenger
from hotich.meetings.models import (
    AgendaItem,
    Event,
    Meeting,
    MeetingTask,
    Paper,
    Participant,
    SpeakingRequest,
    Vote,
)
from hotich.meetings.rules import Tally, effective_rule, passes
from hotich.meetings.scope import leads, meeting_in_reach, runs
from hotich.meetings.vocabulary import (
    GUEST_SALT,
    ITEM_OBJECT_TYPE,
    MAX_AGENDA_ITEMS,
    OBJECT_TYPE,
    PARTICIPANT_OBJECT_TYPE,
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
from hotich.meetings.vocabulary import Action as A
from hotich.signing.services import (
    document_sign,
    new_verify_code,
    pdf_sign,
    signers_for,
    unit_label,
    verify_url,
)

if TYPE_CHECKING:
    from hotich.agencies.models import Organization
    from hotich.documents.models import Task

CHECKIN_SALT = "hotich.meetings.checkin"


def _text(value: str, *, field: str, label: Any, max_length: int, required: bool = True) -> str:
    text = nfc(" ".join((value or "").split()))
    if required and not text:
        raise ValidationFailed(
            format_lazy(_("{label}: chưa nhập (bắt buộc)."), label=label), field=field
        )
    if len(text) > max_length:
        raise ValidationFailed(
            format_lazy(_("{label}: dài quá {n} ký tự."), label=label, n=max_length), field=field
        )
    return text


def _audit(actor: Actor, object_type: str, object_id: int, action: str, **detail: Any) -> None:
    audit_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id, detail=detail
    )


def _must_run(actor: Actor, meeting: Meeting) -> None:
    meeting_in_reach(actor, meeting)
    if not runs(actor, meeting):
        raise PermissionDenied(
            _("Chỉ người chủ trì, thư ký hoặc lãnh đạo tổ chức làm được việc này.")
        )


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)


# --- before ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    chair_id: int,
    secretary_id: int,
    place: str = "",
    online_link: str = "",
    period: str = "",
) -> Meeting:
    """A draft meeting of ``organization`` (the actor leads it or an organization above it); every
    current member is invited as a member, the chair and the secretary among them."""
    if not leads(actor, organization):
        raise NotFound(_("Không tìm thấy tổ chức."), field="organization")
    if kind not in Kind.values:
        raise ValidationFailed(_("Loại cuộc họp không hợp lệ."), field="kind")
    title = _text(title, field="title", label=_("Tên cuộc họp"), max_length=300)
    place = _text(place, field="place", label=_("Địa điểm"), max_length=300, required=False)
    online_link = (online_link or "").strip()
    if online_link and not online_link.startswith("https://"):
        raise ValidationFailed(
            _("Đường dẫn họp trực tuyến phải bắt đầu bằng https://."), field="online_link"
        )
    if not place and not online_link:
        raise ValidationFailed(_("Cần ghi địa điểm hoặc đường dẫn họp trực tuyến."), field="place")
    members: dict[int, Any] = {}
    for membership in members_of(organization):
        members.setdefault(membership.user_id, membership)
    if chair_id not in members:
        raise ValidationFailed(_("Người chủ trì: chọn một thành viên của tổ chức."), field="chair")
    if secretary_id not in members or secretary_id == chair_id:
        raise ValidationFailed(
            _("Thư ký: chọn một thành viên của tổ chức, khác người chủ trì."), field="secretary"
        )
    meeting = Meeting(
        organization=organization,
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=place,
        online_link=online_link,
        chair=members[chair_id].user,
        secretary=members[secretary_id].user,
        period=period,
        created_by=actor if is_staff_user(actor) else None,
    )
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as exc:
        raise Conflict(_("Tổ chức đã có cuộc họp này trong kỳ."), field="period") from exc
    Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            user=m.user,
            name=m.user.full_name or m.user.username,
            position=m.position_label,
            is_member=True,
        )
        for m in members.values()
    )
    Event.objects.create(
        meeting=meeting,
        action="create",
        to_status=meeting.status,
        actor_name=actor_name(actor, full=True),
    )
    _audit(actor, OBJECT_TYPE, meeting.pk, "create", organization=organization.pk, kind=kind)
    return meeting


@transaction.atomic
def item_add(
    *,
    actor: Actor,
    meeting: Meeting,
    title: str,
    vote: bool = False,
    is_resolution: bool = False,
    ballot: str = Ballot.OPEN,
    rule: str = Rule.BODY,
) -> AgendaItem:
    """An agenda item, last in order; one to be voted on (``vote``) by an open or secret ballot
    and ``rule`` (the body's own by default)."""
    meeting = _locked(meeting)
    _must_run(actor, meeting)
    if meeting.status not in (Status.DRAFT, Status.INVITED, Status.IN_PROGRESS):
        raise Conflict(_("Cuộc họp đã kết thúc: không thêm nội dung được."), field="status")
    if ballot not in Ballot.values or rule not in Rule.values:
        raise ValidationFailed(_("Hình thức biểu quyết không hợp lệ."), field="ballot")
    count = meeting.items.count()
    if count >= MAX_AGENDA_ITEMS:
        raise ValidationFailed(
            format_lazy(_("Chương trình họp: tối đa {n} nội dung."), n=MAX_AGENDA_ITEMS),
            field="title",
        )
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=count + 1,
        title=_text(title, field="title", label=_("Nội dung"), max_length=300),
        vote=VoteState.WAITING if vote or is_resolution else VoteState.NONE,
        is_resolution=is_resolution,
        ballot=ballot,
        rule=rule,
    )
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "create", meeting=meeting.pk, ballot=ballot)
    return item


@transaction.atomic
def paper_add(*, actor: Actor, item: AgendaItem, name: str, data: bytes) -> Paper:
    """A PDF on an agenda item (checked as the e-office checks its files), kept in the archive."""
    item = _item_locked(item)
    _must_run(actor, item.meeting)
    check_pdf(name, data)
    stored = archive_store(
        path=f"meetings/{timezone.now().year}/{uuid.uuid4().hex}.pdf",
        content=data,
        source="meetings",
        actor=actor,
    )
    label = (name or "tai-lieu.pdf").replace("\\", "/").rsplit("/", 1)[-1][:200]
    paper = Paper.objects.create(
        item=item,
        name=nfc(label),
        file_path=stored.path,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "update", paper=paper.pk, sha256=paper.sha256)
    return paper


def _own_participant(actor: Actor, meeting: Meeting) -> Participant:
    meeting_in_reach(actor, meeting)
    participant = meeting.participants.filter(user_id=getattr(actor, "pk", None) or 0).first()
    if participant is None:
        raise PermissionDenied(_("Bạn không có tên trong danh sách mời họp."))
    return participant


@transaction.atomic
def respond(*, actor: Actor, meeting: Meeting, attend: bool, excuse: str = "") -> Participant:
    """The invited person's answer: will attend, or excused with a reason."""
    participant = _own_participant(actor, meeting)
    if meeting.status != Status.INVITED:
        raise Conflict(_("Chỉ trả lời được giấy mời trước khi cuộc họp khai mạc."), field="status")
    excuse = _text(
        excuse, field="excuse", label=_("Lý do vắng mặt"), max_length=500, required=not attend
    )
    participant.response = Response.ACCEPTED if attend else Response.EXCUSED
    participant.excuse = "" if attend else excuse
    participant.save(update_fields=["response", "excuse"])
    _audit(actor, PARTICIPANT_OBJECT_TYPE, participant.pk, "update", response=participant.response)
    return participant


def note_save(*, actor: Actor, meeting: Meeting, text: str) -> Participant:
    """The participant's own notes on the meeting's papers (nobody else reads them)."""
    participant = _own_participant(actor, meeting)
    participant.notes = nfc((text or "").strip())[:20_000]
    participant.save(update_fields=["notes"])
    return participant


# --- during ------------------------------------------------------------------------------------


def checkin_token(meeting: Meeting) -> str:
    """The signed token of the meeting's check-in QR code (valid for this meeting only)."""
    return signing.dumps({"m": meeting.pk}, salt=CHECKIN_SALT)


def _check_in(actor: Actor, participant: Participant, how: str) -> Participant:
    meeting = participant.meeting
    if meeting.status not in (Status.INVITED, Status.IN_PROGRESS):
        raise Conflict(_("Chỉ điểm danh khi cuộc họp sắp hoặc đang diễn ra."), field="status")
    if participant.checked_in_at is None:
        participant.checked_in_at = timezone.now()
        participant.checked_in_by = how
        participant.save(update_fields=["checked_in_at", "checked_in_by"])
        _audit(actor, PARTICIPANT_OBJECT_TYPE, participant.pk, "update", checked_in=how)
    return participant


@transaction.atomic
def checkin_qr(*, actor: Actor, meeting: Meeting, token: str) -> Participant:
    """A participant checks themself in by scanning the meeting's QR code."""
    participant = _own_participant(actor, meeting)
    try:
        value = signing.loads(token, salt=CHECKIN_SALT, max_age=60 * 60 * 24 * 2)
    except signing.BadSignature as exc:
        raise ValidationFailed(
            _("Mã điểm danh không hợp lệ hoặc đã hết hạn."), field="token"
        ) from exc
    if value.get("m") != meeting.pk:
        raise ValidationFailed(_("Mã điểm danh không phải của cuộc họp này."), field="token")
    return _check_in(actor, participant, CheckIn.QR)


@transaction.atomic
def checkin_secretary(*, actor: Actor, participant: Participant) -> Participant:
    """The secretary (or the chair) checks a participant in."""
    _must_run(actor, participant.meeting)
    return _check_in(actor, participant, CheckIn.SECRETARY)


@transaction.atomic
def speaking_request(*, actor: Actor, meeting: Meeting, topic: str = "") -> SpeakingRequest:
    """Ask for the floor; requests are heard in the order they came."""
    participant = _own_participant(actor, meeting)
    if meeting.status != Status.IN_PROGRESS:
        raise Conflict(_("Chỉ đăng ký phát biểu khi cuộc họp đang diễn ra."), field="status")
    waiting = meeting.speakers.filter(participant=participant, status=Speaking.WAITING)
    if waiting.exists():
        raise Conflict(_("Bạn đã đăng ký phát biểu, đang chờ đến lượt."), field="topic")
    return SpeakingRequest.objects.create(
        meeting=meeting,
        participant=participant,
        topic=_text(
            topic, field="topic", label=_("Nội dung phát biểu"), max_length=200, required=False
        ),
    )


@transaction.atomic
def speaker_next(*, actor: Actor, meeting: Meeting) -> SpeakingRequest | None:
    """The chair gives the floor to the next one waiting (the one speaking is done)."""
    _must_run(actor, meeting)
    meeting.speakers.filter(status=Speaking.SPEAKING).update(status=Speaking.DONE)
    following = (
        meeting.speakers.filter(status=Speaking.WAITING).order_by("requested_at", "pk").first()
    )
    if following is not None:
        following.status = Speaking.SPEAKING
        following.save(update_fields=["status"])
    return following


def _item_locked(item: AgendaItem) -> AgendaItem:
    return (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__organization")
        .get(pk=item.pk)
    )


@transaction.atomic
def vote_open(*, actor: Actor, item: AgendaItem) -> AgendaItem:
    item = _item_locked(item)
    _must_run(actor, item.meeting)
    if item.meeting.status != Status.IN_PROGRESS:
        raise Conflict(_("Chỉ biểu quyết khi cuộc họp đang diễn ra."), field="status")
    if item.vote != VoteState.WAITING:
        raise Conflict(_("Nội dung này không chờ biểu quyết."), field="vote")
    if item.meeting.items.filter(vote=VoteState.OPEN).exists():
        raise Conflict(_("Đang biểu quyết một nội dung khác."), field="vote")
    item.vote = VoteState.OPEN
    item.save(update_fields=["vote"])
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "update", vote="open", ballot=item.ballot)
    return item


@transaction.atomic
def vote_cast(*, actor: Actor, item: AgendaItem, choice: str) -> None:
    """A member present casts their vote, once. A secret ballot keeps that they voted, never how
    (ADR 18): the choice goes only into the item's counters."""
    if choice not in Choice.values:
        raise ValidationFailed(
            _("Hãy chọn tán thành, không tán thành hoặc không biểu quyết."), field="choice"
        )
    participant = _own_participant(actor, item.meeting)
    if not participant.is_member:
        raise PermissionDenied(_("Khách mời không biểu quyết."))
    if participant.checked_in_at is None:
        raise PermissionDenied(_("Bạn chưa điểm danh: chưa biểu quyết được."))
    secret = item.ballot == Ballot.SECRET
    try:
        with transaction.atomic():
            Vote.objects.create(item=item, participant=participant, choice="" if secret else choice)
    except IntegrityError as exc:
        raise Conflict(_("Bạn đã biểu quyết nội dung này."), field="choice") from exc
    counter = {Choice.FOR: "yes", Choice.AGAINST: "no", Choice.ABSTAIN: "abstain"}[Choice(choice)]
    counted = AgendaItem.objects.filter(pk=item.pk, vote=VoteState.OPEN).update(
        **{counter: F(counter) + 1}
    )
    if not counted:
        raise Conflict(_("Biểu quyết nội dung này chưa mở hoặc đã kết thúc."), field="choice")
    _audit(
        actor,
        ITEM_OBJECT_TYPE,
        item.pk,
        "update",
        vote="cast",
        **({} if secret else {"choice": choice}),
    )


@transaction.atomic
def vote_close(*, actor: Actor, item: AgendaItem) -> AgendaItem:
    """Close the vote: the result by the item's rule, fixed and kept."""
    item = _item_locked(item)
    _must_run(actor, item.meeting)
    if item.vote != VoteState.OPEN:
        raise Conflict(_("Nội dung này không đang biểu quyết."), field="vote")
    participants = item.meeting.participants.filter(is_member=True)
    item.members = participants.count()
    item.present = participants.exclude(checked_in_at=None).count()
    if item.votes.count() != item.yes + item.no + item.abstain:
        raise Conflict(_("Số phiếu không khớp số người đã biểu quyết."), field="vote")
    item.applied_rule = effective_rule(
        rule=item.rule,
        organization_kind=item.meeting.organization.kind,
        is_resolution=item.is_resolution,
    )
    tally = Tally(item.yes, item.no, item.abstain, item.present, item.members)
    item.passed = passes(tally, item.applied_rule)
    item.vote = VoteState.CLOSED
    item.vote_closed_at = timezone.now()
    item.save()
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "update", **item.state())
    return item


# --- after -------------------------------------------------------------------------------------


def minutes_text(meeting: Meeting) -> str:
    """The minutes drafted from the agenda, the attendance and the votes."""
    participants = list(meeting.participants.all())
    members = [p for p in participants if p.is_member]
    present = [p for p in members if p.checked_in_at]
    absent = [p for p in members if not p.checked_in_at]
    lines = [
        str(_("Thời gian: {at}. Địa điểm: {place}.")).format(
            at=dates.display(timezone.localtime(meeting.starts_at)),
            place=meeting.place or meeting.online_link,
        ),
        str(_("Chủ trì: {chair}. Thư ký: {secretary}.")).format(
            chair=actor_name(meeting.chair, full=True),
            secretary=actor_name(meeting.secretary, full=True),
        ),
        str(_("Thành viên: {total}; có mặt: {present}; vắng mặt: {absent}.")).format(
            total=len(members), present=len(present), absent=len(absent)
        ),
    ]
    for p in absent:
        reason = p.excuse or str(_("không có lý do"))
        lines.append(f"  - {p.name}: {reason}")
    guests = [p.name for p in participants if not p.is_member]
    if guests:
        lines.append(str(_("Khách mời: {names}.")).format(names=", ".join(guests)))
    lines.append(str(_("Nội dung:")))
    for item in meeting.items.all():
        lines.append(f"{item.order}. {item.title}")
        if item.vote == VoteState.CLOSED:
            lines.append(
                "   "
                + str(
                    _(
                        "Biểu quyết ({ballot}): tán thành {yes}, không tán thành {no}, "
                        "không biểu quyết {abstain} / {present} có mặt / {members} thành viên: "
                        "{result}."
                    )
                ).format(
                    ballot=Ballot(item.ballot).label,
                    yes=item.yes,
                    no=item.no,
                    abstain=item.abstain,
                    present=item.present,
                    members=item.members,
                    result=_("thông qua") if item.passed else _("không thông qua"),
                )
            )
        if item.conclusion:
            lines.append("   " + str(_("Kết luận: {text}")).format(text=item.conclusion))
    return "\n".join(lines)


@transaction.atomic
def minutes_update(*, actor: Actor, meeting: Meeting, text: str) -> Meeting:
    """The secretary edits the drafted minutes before signing them."""
    meeting = _locked(meeting)
    _must_run(actor, meeting)
    if meeting.status != Status.CLOSED or meeting.minutes_draft_path:
        raise Conflict(_("Chỉ sửa biên bản khi cuộc họp đã kết thúc và chưa ký."), field="minutes")
    meeting.minutes = nfc((text or "").strip())[:50_000]
    if not meeting.minutes:
        raise ValidationFailed(_("Biên bản: chưa có nội dung."), field="minutes")
    meeting.save(update_fields=["minutes"])
    _audit(actor, OBJECT_TYPE, meeting.pk, "update", minutes=len(meeting.minutes))
    return meeting


@transaction.atomic
def conclusion_set(*, actor: Actor, item: AgendaItem, text: str) -> AgendaItem:
    item = _item_locked(item)
    _must_run(actor, item.meeting)
    if (
        item.meeting.status not in (Status.IN_PROGRESS, Status.CLOSED)
        or item.meeting.minutes_draft_path
    ):
        raise Conflict(
            _("Chỉ ghi kết luận trong và sau cuộc họp, trước khi ký biên bản."), field="status"
        )
    item.conclusion = _text(text, field="conclusion", label=_("Kết luận"), max_length=4000)
    item.save(update_fields=["conclusion"])
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "update", conclusion=len(item.conclusion))
    return item


def _minutes_pdf(meeting: Meeting, code: str) -> bytes:
    url = verify_url(code)
    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "meeting": meeting,
            "lines": meeting.minutes.splitlines(),
            "qr": qr_data_uri(url),
            "verify_url": url,
        },
    )
    return html_to_pdf(html)


@transaction.atomic
def resolution_issue(*, actor: Actor, item: AgendaItem) -> AgendaItem:
    """A passed resolution issued as a document (Nghị quyết) through the e-office: drafted,
    approved, signed and issued by the chair."""
    item = _item_locked(item)
    meeting = item.meeting
    meeting_in_reach(actor, meeting)
    if actor is None or getattr(actor, "pk", None) != meeting.chair_id:
        raise PermissionDenied(_("Chỉ người chủ trì ký ban hành nghị quyết."))
    if not item.is_resolution or item.passed is not True:
        raise Conflict(_("Chỉ ban hành nghị quyết đã được thông qua."), field="resolution")
    if item.resolution_id is not None:
        raise Conflict(_("Nghị quyết đã được ban hành."), field="resolution")
    body = "\n".join(
        [
            item.conclusion or item.title,
            str(
                _(
                    "Nghị quyết được {organization} thông qua tại {meeting}: "
                    "tán thành {yes}/{members} thành viên."
                )
            ).format(
                organization=meeting.organization.name,
                meeting=meeting.title,
                yes=item.yes,
                members=item.members,
            ),
        ]
    )
    document = document_create(
        actor=actor,
        doc_type=DocType.RESOLUTION,
        title=item.title,
        body=body,
        recipient_name=str(_("Các cơ quan, tổ chức có liên quan")),
        section_abbrev="NQ",
    )
    for step in ("submit", "approve", "sign", "issue"):
        document = document_transition(actor=actor, document=document, action=step)
    item.resolution = document
    item.save(update_fields=["resolution"])
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "update", resolution=document.pk)
    return item


@transaction.atomic
def task_from_item(
    *, actor: Actor, item: AgendaItem, title: str, owner_id: int, deadline: dt.date
) -> Task:
    """A task given from an item's conclusion (the e-office's tasks track it to completion)."""
    meeting = _locked(item.meeting)
    _must_run(actor, meeting)
    if meeting.status not in (Status.CLOSED, Status.MINUTES_SIGNED):
        raise Conflict(_("Giao việc từ kết luận sau khi cuộc họp kết thúc."), field="status")
    task = task_create(
        actor=actor,
        title=title,
        owner_id=owner_id,
        deadline=deadline,
        description=f"{meeting.title} · {item.order}. {item.title}\n{item.conclusion}",
        document=item.resolution,
    )
    MeetingTask.objects.create(item=item, task=task)
    _audit(actor, ITEM_OBJECT_TYPE, item.pk, "update", task=task.pk)
    return task


# --- the life cycle ----------------------------------------------------------------------------


def _scope(actor: Actor, meeting: Meeting) -> None:
    meeting_in_reach(actor, meeting)


def _permits(actor: Actor, permission: str) -> bool:
    return actor is None or is_staff_user(actor)


def _run_manage(step: Step[Meeting]) -> None:
    if not runs(step.actor, step.obj):
        raise PermissionDenied(
            _("Chỉ người chủ trì, thư ký hoặc lãnh đạo tổ chức làm được việc này.")
        )


def _run_invite(step: Step[Meeting]) -> None:
    _run_manage(step)
    if not step.obj.items.exists():
        raise ValidationFailed(_("Chưa có nội dung nào trong chương trình họp."), field="items")
    step.detail["guests_sent"] = guest_invitations_send(actor=step.actor, meeting=step.obj)


def _run_open(step: Step[Meeting]) -> None:
    _run_manage(step)
    step.obj.opened_at = timezone.now()


def _run_close(step: Step[Meeting]) -> None:
    _run_manage(step)
    meeting = step.obj
    if meeting.items.filter(vote=VoteState.OPEN).exists():
        raise Conflict(_("Còn nội dung đang biểu quyết: kết thúc biểu quyết trước."), field="vote")
    meeting.closed_at = timezone.now()
    meeting.minutes = minutes_text(meeting)


def _person(actor: Actor, user_id: int, message: Any) -> None:
    if actor is None or getattr(actor, "pk", None) != user_id:
        raise PermissionDenied(message)


def _run_sign_secretary(step: Step[Meeting]) -> None:
    meeting = step.obj
    _person(step.actor, meeting.secretary_id, _("Chỉ thư ký cuộc họp ký biên bản ở bước này."))
    if meeting.minutes_draft_path:
        raise Conflict(_("Thư ký đã ký biên bản."), field="minutes")
    if not meeting.minutes.strip():
        raise ValidationFailed(_("Biên bản: chưa có nội dung."), field="minutes")
    unit = meeting.organization.unit
    official = [i for i in signers_for(unit, step.actor) if i.usage == "official"]
    if not official:
        raise Conflict(
            _("Thư ký chưa có chứng thư số cá nhân; không thể ký."), code="no_certificate"
        )
    meeting.verify_code = new_verify_code()
    signed = pdf_sign(
        _minutes_pdf(meeting, meeting.verify_code),
        official,
        reason=str(_("Biên bản: {title}")).format(title=meeting.title),
        location=unit_label(unit),
    )
    stored = archive_store(
        path=f"meetings/{timezone.now().year}/{uuid.uuid4().hex}.pdf",
        content=signed,
        source="meetings",
        actor=step.actor,
    )
    meeting.minutes_draft_path = stored.path


def _run_sign_chair(step: Step[Meeting]) -> None:
    meeting = step.obj
    _person(step.actor, meeting.chair_id, _("Chỉ người chủ trì ký biên bản ở bước này."))
    if not meeting.minutes_draft_path:
        raise Conflict(_("Thư ký chưa ký biên bản."), field="minutes")
    with default_storage.open(meeting.minutes_draft_path, "rb") as handle:
        draft = handle.read()
    signed = document_sign(
        pdf=draft,
        actor=step.actor,
        unit=meeting.organization.unit,
        kind="meetings.minutes",
        title=str(_("Biên bản: {title}")).format(title=meeting.title),
        source_type=OBJECT_TYPE,
        source_id=meeting.pk,
        verify_code=meeting.verify_code,
        public={"organization": meeting.organization.name, "meeting": meeting.title},
        first_field=2,
    )
    meeting.minutes_signed = signed


def _history(step: Step[Meeting]) -> None:
    Event.objects.create(
        meeting=step.obj,
        action=step.action.name,
        from_status=step.from_status,
        to_status=step.obj.status,
        actor_name=actor_name(step.actor, full=True),
        note=step.note[:500],
    )


MEETING_LIFECYCLE = Lifecycle(
    model=Meeting,
    object_type=OBJECT_TYPE,
    noun=_("cuộc họp"),
    statuses=Status,
    actions=[
        Action(A.INVITE, A.INVITE.label, "meetings.run", Status.INVITED, _run_invite),
        Action(A.OPEN, A.OPEN.label, "meetings.run", Status.IN_PROGRESS, _run_open),
        Action(A.CLOSE, A.CLOSE.label, "meetings.run", Status.CLOSED, _run_close),
        Action(A.SIGN_SECRETARY, A.SIGN_SECRETARY.label, "meetings.run", None, _run_sign_secretary),
        Action(
            A.SIGN_CHAIR, A.SIGN_CHAIR.label, "meetings.run", Status.MINUTES_SIGNED, _run_sign_chair
        ),
        Action(
            A.CANCEL,
            A.CANCEL.label,
            "meetings.run",
            Status.CANCELLED,
            _run_manage,
            note_required=_("Hủy cuộc họp: cần ghi lý do."),
        ),
    ],
    table={
        Status.DRAFT: (A.INVITE, A.CANCEL),
        Status.INVITED: (A.OPEN, A.CANCEL),
        Status.IN_PROGRESS: (A.CLOSE,),
        Status.CLOSED: (A.SIGN_SECRETARY, A.SIGN_CHAIR),
        Status.MINUTES_SIGNED: (),
        Status.CANCELLED: (),
    },
    initial=(Status.DRAFT,),
    other_steps={"create": _("Tạo cuộc họp")},
    scope=_scope,
    permits=_permits,
    history=_history,
    audit=audit_record,
    select_related=("organization", "organization__unit"),
)


def meeting_transition(*, actor: Actor, meeting: Meeting, action: str, note: str = "") -> Meeting:
    """``invite``, ``open``, ``close`` (drafts the minutes), ``sign_secretary``, ``sign_chair``,
    ``cancel`` (a reason)."""
    MEETING_LIFECYCLE.transition(actor=actor, obj=meeting, action=action, note=nfc(note or ""))
    meeting.refresh_from_db()
    return meeting


def guest_link_token(guest: Participant) -> str:
    """The signed token of an outside guest's link (that guest of that meeting only)."""
    return signing.dumps({"p": guest.pk, "m": guest.meeting_id}, salt=GUEST_SALT)


def guest_invitations_send(*, actor: Actor, meeting: Meeting) -> int:
    """Send each outside guest not yet sent one their invitation with their link, by e-mail
    and by SMS as they gave (through the installed messenger; none: nothing is sent). Returns
    the number of guests sent to. Called when the invitations go out and for a guest added
    afterwards."""
    send = guest_messenger()
    if send is None:
        return 0
    guests = list(
        meeting.participants.filter(is_member=False, user=None, invited_at=None).exclude(
            email="", phone=""
        )
    )
    when = timezone.localtime(meeting.starts_at).strftime("%H:%M %d/%m/%Y")
    place = meeting.place or meeting.online_link
    for guest in guests:
        url = public_base_url() + reverse("meetings:guest", args=[guest_link_token(guest)])
        subject = str(format_lazy(_("Giấy mời họp: {title}"), title=meeting.title))[:200]
        if guest.email:
            body = str(
                format_lazy(
                    _(
                        "Kính mời {name} dự {title}, {org}, lúc {when} tại {place}.\n"
                        "Chương trình, tài liệu và xác nhận có mặt: {url}"
                    ),
                    name=guest.name,
                    title=meeting.title,
                    org=meeting.organization.name,
                    when=when,
                    place=place,
                    url=url,
                )
            )
            send(recipient=guest.email, subject=subject, body=body)
        if guest.phone:  # one SMS: the link first, so that cutting the text keeps it
            text = str(format_lazy(_("{url} Mời họp {when}: {title}"), url=url, when=when,
                                   title=meeting.title))  # fmt: skip
            send(recipient=guest.phone, subject=subject, body=text)
        guest.invited_at = timezone.now()
        guest.save(update_fields=["invited_at"])
        _audit(actor, PARTICIPANT_OBJECT_TYPE, guest.pk, "invite", meeting=meeting.pk)
    return len(guests)
