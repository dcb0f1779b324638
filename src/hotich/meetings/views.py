"""Pages of meetings: my meetings, a new meeting, one meeting (before, during, after) with its
live attendance and votes, a paper read in the browser, the signed minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.agencies.selectors import members_of, organization_find
from hotich.core import dates
from hotich.core.errors import NotFound, ValidationFailed
from hotich.core.qr import qr_data_uri
from hotich.meetings import services
from hotich.meetings.models import Participant
from hotich.meetings.scope import leads
from hotich.meetings.selectors import (
    attendance,
    committee_year,
    committees_of,
    guest_by_token,
    guest_paper_get,
    item_get,
    may_run,
    meeting_get,
    meeting_tasks,
    meetings_visible,
    paper_get,
    participant_get,
)
from hotich.meetings.vocabulary import (
    Ballot,
    Choice,
    Kind,
    PeriodState,
    Rule,
    Status,
    VoteState,
)

View = Callable[..., HttpResponse]


def _found(view: View) -> View:
    """A ``NotFound`` from the one call is the 404 page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapped


def _back(meeting_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("meetings:detail", args=[meeting_id]) + anchor)


def _when(day: str, time: str) -> dt.datetime:
    date = dates.to_date(day)
    if date is None:
        raise ValidationFailed(_("Ngày họp: nhập dạng dd/mm/yyyy."), field="day")
    try:
        hour, minute = (int(part) for part in (time or "").strip().split(":"))
        moment = dt.time(hour, minute)
    except ValueError:
        raise ValidationFailed(_("Giờ họp: nhập dạng hh:mm."), field="time") from None
    return timezone.make_aware(dt.datetime.combine(date, moment))


@staff_required()
def meeting_list(request: StaffRequest) -> HttpResponse:
    meetings = list(meetings_visible(request.user)[:200])
    return render(
        request,
        "meetings/list.html",
        {"meetings": meetings, "committees": committees_of(request.user)},
    )


@staff_required()
@_found
def committee_page(request: StaffRequest, organization_id: int) -> HttpResponse:
    """The party committee's page: its cells' regular and thematic meetings of a year."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    page = committee_year(request.user, organization_id, year)
    return render(
        request,
        "meetings/committee.html",
        {
            "page": page,
            "months": range(1, 13),
            "quarters": ["I", "II", "III", "IV"],
            "MISSED": PeriodState.MISSED,
            "HELD": PeriodState.HELD,
            "DUE": PeriodState.DUE,
            "UNTRACKED": PeriodState.UNTRACKED,
        },
    )


@staff_required()
@_found
def meeting_new(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = organization_find(organization_id)
    if organization is None or not leads(request.user, organization):
        raise Http404
    members = list(members_of(organization))
    context: dict[str, Any] = {
        "organization": organization,
        "members": members,
        "kinds": Kind.choices,
        "values": request.POST,
    }
    if request.method == "POST":
        errors = DomainErrors(context=context)
        with errors:
            when = _when(request.POST.get("day", ""), request.POST.get("time", ""))
            meeting = services.meeting_create(
                actor=request.user,
                organization=organization,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                starts_at=when,
                place=request.POST.get("place", ""),
                online_link=request.POST.get("online_link", ""),
                chair_id=int(request.POST.get("chair") or 0),
                secretary_id=int(request.POST.get("secretary") or 0),
            )
        if errors.error is None:
            return _back(meeting.pk)
        return render(request, "meetings/new.html", context, status=errors.status)
    return render(request, "meetings/new.html", context)


@staff_required()
@_found
def meeting_detail(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    me = meeting.participants.filter(user=request.user).first()
    running = may_run(request.user, meeting)
    items = list(meeting.items.prefetch_related("papers"))
    voted = set(me.votes.values_list("item_id", flat=True)) if me else set()
    participants = list(meeting.participants.select_related("user"))
    if running:
        for p in participants:
            if not p.is_member and p.user_id is None:
                p.guest_url = request.build_absolute_uri(  # type: ignore[attr-defined]
                    reverse("meetings:guest", args=[services.guest_link_token(p)])
                )
    context: dict[str, Any] = {
        "meeting": meeting,
        "me": me,
        "running": running,
        "items": items,
        "voted": voted,
        "participants": participants,
        "attendance": attendance(meeting),
        "speakers": list(meeting.speakers.select_related("participant").exclude(status="done")),
        "actions": services.MEETING_LIFECYCLE.allowed(request.user, meeting) if running else [],
        "events": services.MEETING_LIFECYCLE.history_words(list(meeting.events.all()), {}),
        "tasks": meeting_tasks(meeting),
        "choices": Choice.choices,
        "ballots": Ballot.choices,
        "rules": Rule.choices,
        "editable": meeting.status in (Status.DRAFT, Status.INVITED, Status.IN_PROGRESS),
        "people": list(members_of(meeting.organization)),
        "VoteState": VoteState,
    }
    if running and meeting.status in (Status.INVITED, Status.IN_PROGRESS):
        url = request.build_absolute_uri(
            reverse("meetings:checkin", args=[meeting.pk, services.checkin_token(meeting)])
        )
        context["qr"] = qr_data_uri(url)
        context["checkin_url"] = url
    return render(request, "meetings/detail.html", context)


@staff_required()
@_found
def meeting_live(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    return render(
        request,
        "meetings/_live.html",
        {
            "meeting": meeting,
            "attendance": attendance(meeting),
            "items": list(meeting.items.exclude(vote=VoteState.NONE)),
            "speakers": list(meeting.speakers.select_related("participant").exclude(status="done")),
        },
    )


def _post(view: View) -> View:
    return require_POST(staff_required()(_found(view)))


@_post
def meeting_action(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    action = request.POST.get("action", "")
    with DomainErrors(request):
        services.meeting_transition(
            actor=request.user, meeting=meeting, action=action, note=request.POST.get("note", "")
        )
        messages.success(
            request, services.MEETING_LIFECYCLE.done(action, meeting_get(request.user, meeting_id))
        )
    return _back(meeting.pk)


@_post
def item_new(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        services.item_add(
            actor=request.user,
            meeting=meeting,
            title=request.POST.get("title", ""),
            vote=bool(request.POST.get("vote")),
            is_resolution=bool(request.POST.get("is_resolution")),
            ballot=request.POST.get("ballot", Ballot.OPEN),
            rule=request.POST.get("rule", Rule.BODY),
        )
    return _back(meeting.pk, "#chuong-trinh")


@_post
def paper_new(request: StaffRequest, item_id: int) -> HttpResponse:
    item = item_get(request.user, item_id)
    upload = request.FILES.get("file")
    with DomainErrors(request):
        if upload is None:
            raise ValidationFailed(_("Hãy chọn tệp PDF."), field="file")
        services.paper_add(
            actor=request.user, item=item, name=upload.name or "", data=upload.read()
        )
    return _back(item.meeting_id, "#chuong-trinh")


@staff_required()
@_found
def paper_view(request: StaffRequest, paper_id: int) -> HttpResponse:
    paper = paper_get(request.user, paper_id)
    with default_storage.open(paper.file_path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = "inline"
    return response


@_post
def meeting_respond(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        services.respond(
            actor=request.user,
            meeting=meeting,
            attend=request.POST.get("attend") == "1",
            excuse=request.POST.get("excuse", ""),
        )
        messages.success(request, _("Đã gửi trả lời giấy mời."))
    return _back(meeting.pk)


@_post
def meeting_notes(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        services.note_save(actor=request.user, meeting=meeting, text=request.POST.get("notes", ""))
        messages.success(request, _("Đã lưu ghi chú của bạn."))
    return _back(meeting.pk, "#ghi-chu")


@staff_required()
@_found
def checkin(request: StaffRequest, meeting_id: int, token: str) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    if request.method == "POST":
        with DomainErrors(request):
            services.checkin_qr(actor=request.user, meeting=meeting, token=token)
            messages.success(request, _("Đã điểm danh."))
        return _back(meeting.pk)
    return render(request, "meetings/checkin.html", {"meeting": meeting})


@_post
def guest_new(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        guest = services.guest_invite(
            actor=request.user,
            meeting=meeting,
            username=request.POST.get("username", ""),
            name=request.POST.get("name", ""),
            position=request.POST.get("position", ""),
            email=request.POST.get("email", ""),
            phone=request.POST.get("phone", ""),
        )
        messages.success(request, _("Đã mời khách: {name}.").format(name=guest.name))
    return _back(meeting.pk, "#nguoi-du")


def _guest(view: View) -> View:
    """A page of an outside guest's link: a bad or expired link is the 404 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        try:
            guest = guest_by_token(token)
        except NotFound:
            raise Http404 from None
        return view(request, guest, token, **kwargs)

    return wrapped


@_guest
def guest_page(request: HttpRequest, guest: Participant, token: str) -> HttpResponse:
    """An outside guest's invitation: the meeting, its agenda and papers, the check-in."""
    return render(
        request,
        "meetings/guest.html",
        {
            "guest": guest,
            "meeting": guest.meeting,
            "items": list(guest.meeting.items.prefetch_related("papers")),
            "token": token,
            "can_check_in": guest.meeting.status in (Status.INVITED, Status.IN_PROGRESS),
        },
    )


@require_POST
@_guest
def guest_checkin(request: HttpRequest, guest: Participant, token: str) -> HttpResponse:
    with DomainErrors(request):
        services.guest_checkin(token=token)
        messages.success(request, _("Đã điểm danh."))
    return redirect("meetings:guest", token=token)


@_guest
def guest_paper(
    request: HttpRequest, guest: Participant, token: str, paper_id: int
) -> HttpResponse:
    paper = guest_paper_get(guest, paper_id)
    if paper is None:
        raise Http404
    with default_storage.open(paper.file_path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = "inline"
    return response


@_post
def checkin_by_secretary(request: StaffRequest, participant_id: int) -> HttpResponse:
    participant = participant_get(request.user, participant_id)
    with DomainErrors(request):
        services.checkin_secretary(actor=request.user, participant=participant)
    return _back(participant.meeting_id, "#nguoi-du")


@_post
def speak(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        services.speaking_request(
            actor=request.user, meeting=meeting, topic=request.POST.get("topic", "")
        )
        messages.success(request, _("Đã đăng ký phát biểu."))
    return _back(meeting.pk)


@_post
def speak_next(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        services.speaker_next(actor=request.user, meeting=meeting)
    return _back(meeting.pk)


@_post
def item_vote(request: StaffRequest, item_id: int) -> HttpResponse:
    item = item_get(request.user, item_id)
    op = request.POST.get("op", "")
    with DomainErrors(request):
        if op == "open":
            services.vote_open(actor=request.user, item=item)
        elif op == "close":
            services.vote_close(actor=request.user, item=item)
        else:
            services.vote_cast(actor=request.user, item=item, choice=request.POST.get("choice", ""))
            messages.success(request, _("Đã ghi nhận biểu quyết của bạn."))
    return _back(item.meeting_id, f"#noi-dung-{item.pk}")


@_post
def minutes_edit(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    with DomainErrors(request):
        services.minutes_update(
            actor=request.user, meeting=meeting, text=request.POST.get("minutes", "")
        )
        messages.success(request, _("Đã lưu biên bản."))
    return _back(meeting.pk, "#bien-ban")


@_post
def item_conclusion(request: StaffRequest, item_id: int) -> HttpResponse:
    item = item_get(request.user, item_id)
    with DomainErrors(request):
        services.conclusion_set(
            actor=request.user, item=item, text=request.POST.get("conclusion", "")
        )
    return _back(item.meeting_id, f"#noi-dung-{item.pk}")


@_post
def item_resolution(request: StaffRequest, item_id: int) -> HttpResponse:
    item = item_get(request.user, item_id)
    with DomainErrors(request):
        services.resolution_issue(actor=request.user, item=item)
        messages.success(request, _("Đã ban hành nghị quyết qua văn phòng điện tử."))
    return _back(item.meeting_id, f"#noi-dung-{item.pk}")


@_post
def item_task(request: StaffRequest, item_id: int) -> HttpResponse:
    item = item_get(request.user, item_id)
    with DomainErrors(request):
        deadline = dates.to_date(request.POST.get("deadline", ""))
        if deadline is None:
            raise ValidationFailed(
                _("Hạn hoàn thành: nhập ngày dạng dd/mm/yyyy."), field="deadline"
            )
        services.task_from_item(
            actor=request.user,
            item=item,
            title=request.POST.get("title", ""),
            owner_id=int(request.POST.get("owner") or 0),
            deadline=deadline,
        )
        messages.success(request, _("Đã giao nhiệm vụ."))
    return _back(item.meeting_id, "#nhiem-vu")


@staff_required()
@_found
def minutes_pdf(request: StaffRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_get(request.user, meeting_id)
    if meeting.minutes_signed is None or not meeting.minutes_signed.file_path:
        raise Http404
    with default_storage.open(meeting.minutes_signed.file_path, "rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-{meeting.pk}.pdf"'
    return response
