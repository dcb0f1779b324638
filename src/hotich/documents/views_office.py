"""The e-office pages: the day's page (Hôm nay, the home of those who act in an agency), tasks,
the agency's weekly work calendar and its public page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import Caller, can, is_staff_user
from hotich.accounts.web import DomainErrors, StaffRequest, home_page_install, staff_required
from hotich.agencies.selectors import (
    acting_agency,
    members_of,
    organization_by_code,
    primary_membership,
)
from hotich.agencies.vocabulary import CLERKS, LEADERS
from hotich.core.errors import NotFound
from hotich.documents.forms_office import CalendarEntryForm, TaskActionForm, TaskForm
from hotich.documents.models import CalendarEntry
from hotich.documents.selectors import (
    calendar_week,
    document_get,
    task_detail,
    task_get,
    tasks_of,
    today_for,
    week_of,
)
from hotich.documents.services import (
    TASK_LIFECYCLE,
    calendar_entry_create,
    calendar_week_publish,
    task_create,
    task_people,
    task_transition,
)


def today_home(user: Caller) -> str | None:
    """The day's page is the home of a user who acts in an agency and sees documents."""
    if is_staff_user(user) and can(user, "documents.view") and acting_agency(user) is not None:
        return reverse("office:today")
    return None


home_page_install(today_home)


@staff_required("documents.view")
def today(request: StaffRequest) -> HttpResponse:
    return render(request, "documents/today.html", {"t": today_for(request.user)})


@staff_required("documents.view")
def task_list(request: StaffRequest) -> HttpResponse:
    show_all = request.GET.get("tat-ca") == "1"
    day = timezone.localdate()
    tasks = tasks_of(request.user, open_only=not show_all)
    return render(
        request,
        "documents/tasks.html",
        {"rows": [(t, t.is_overdue(day)) for t in tasks], "show_all": show_all},
    )


@staff_required("documents.view")
def task_new(request: StaffRequest) -> HttpResponse:
    source = request.GET.get("van-ban") or request.POST.get("document")
    document = document_get(actor=request.user, document_id=int(source)) if source else None
    form = TaskForm(request.POST or None, people=task_people(request.user))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        with DomainErrors(form=form, passing=(NotFound,)):
            task = task_create(
                actor=request.user,
                title=cd["title"],
                description=cd["description"],
                owner_id=cd["owner"],
                co_worker_ids=cd["co_workers"],
                deadline=cd["deadline"],
                document=document,
            )
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect("office:task", task_id=task.pk)
    return render(request, "documents/task_form.html", {"form": form, "document": document})


@staff_required("documents.view")
def task(request: StaffRequest, task_id: int) -> HttpResponse:
    detail = task_detail(actor=request.user, task_id=task_id)
    actions = [(a, TASK_LIFECYCLE.label(a)) for a in detail.actions]
    return render(request, "documents/task.html", {"d": detail, "actions": actions})


@require_POST
@staff_required("documents.view")
def task_action(request: StaffRequest, task_id: int) -> HttpResponse:
    target = task_get(actor=request.user, task_id=task_id)
    form = TaskActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dữ liệu không hợp lệ."))
        return redirect("office:task", task_id=target.pk)
    cd = form.cleaned_data
    with DomainErrors(request, passing=(NotFound,)):
        task_transition(
            actor=request.user,
            task=target,
            action=cd["action"],
            note=cd["note"],
            progress=cd["progress"],
            result_document_id=cd["result_document"],
        )
        messages.success(request, _("Đã cập nhật nhiệm vụ."))
    return redirect("office:task", task_id=target.pk)


def _monday(request: HttpRequest) -> dt.date:
    try:
        return week_of(dt.date.fromisoformat(request.GET.get("tuan", "")))
    except ValueError:
        return week_of(timezone.localdate())


def _days(
    monday: dt.date, entries: list[CalendarEntry]
) -> list[tuple[dt.date, list[CalendarEntry]]]:
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    return [(d, [e for e in entries if timezone.localdate(e.starts_at) == d]) for d in days]


def _keeper(user: Caller) -> bool:
    """Clerks and leaders keep the calendar and see it before it is published."""
    membership = primary_membership(user)
    return membership is not None and membership.position in (CLERKS | LEADERS)


@staff_required("documents.view")
def calendar(request: StaffRequest) -> HttpResponse:
    organization = acting_agency(request.user)
    monday = _monday(request)
    keeper = _keeper(request.user)
    entries = (
        calendar_week(organization, monday, published_only=not keeper)
        if organization is not None
        else []
    )
    return render(
        request,
        "documents/calendar.html",
        {
            "organization": organization,
            "monday": monday,
            "days": _days(monday, entries),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "keeper": keeper,
            "can_publish": can(request.user, "documents.approve") and organization is not None,
        },
    )


@staff_required("documents.view")
def calendar_new(request: StaffRequest) -> HttpResponse:
    organization = acting_agency(request.user)
    leaders = (
        [m.user for m in members_of(organization, positions=LEADERS, below=True)]
        if organization is not None
        else []
    )
    form = CalendarEntryForm(request.POST or None, leaders=leaders)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        starts = timezone.make_aware(dt.datetime.combine(cd["day"], cd["start"]))
        ends = timezone.make_aware(dt.datetime.combine(cd["day"], cd["end"])) if cd["end"] else None
        with DomainErrors(form=form):
            calendar_entry_create(
                actor=request.user,
                starts_at=starts,
                ends_at=ends,
                title=cd["title"],
                location=cd["location"],
                participants=cd["participants"],
                leader_id=cd["leader"],
                is_public=cd["is_public"],
            )
            messages.success(request, _("Đã thêm vào lịch công tác (chưa công bố)."))
            return redirect(f"{reverse('office:calendar')}?tuan={cd['day'].isoformat()}")
    return render(request, "documents/calendar_form.html", {"form": form})


@require_POST
@staff_required("documents.approve")
def calendar_publish(request: StaffRequest) -> HttpResponse:
    monday = _monday(request)
    with DomainErrors(request):
        count = calendar_week_publish(actor=request.user, monday=monday)
        messages.success(request, _("Đã công bố %(n)s mục lịch công tác.") % {"n": count})
    return redirect(f"{reverse('office:calendar')}?tuan={monday.isoformat()}")


def calendar_public(request: HttpRequest, code: str) -> HttpResponse:
    """The public entries of an agency's published calendar; no login needed."""
    organization = organization_by_code(code)
    if organization is None or not organization.is_active:
        raise Http404
    monday = _monday(request)
    entries = calendar_week(organization, monday, public_only=True)
    return render(
        request,
        "documents/calendar_public.html",
        {
            "organization": organization,
            "monday": monday,
            "days": _days(monday, entries),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
        },
    )
