"""Reads of the document register: the registers a user may see (their unit and the units
below it), one document with its history, the choices a form offers, and signature use per
unit and quarter for reporting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db.models import Count, F, Max, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, require, scope_filter
from hotich.accounts.selectors import users_allowed
from hotich.agencies.selectors import (
    acting_agency,
    organizations_of_province,
    primary_membership,
)
from hotich.audit.services import audit_record
from hotich.core.errors import NotFound, ValidationFailed
from hotich.core.text import fold
from hotich.documents.models import (
    Assignment,
    CalendarEntry,
    Comment,
    Document,
    Event,
    FileEvent,
    FileItem,
    Handover,
    Recipient,
    Task,
    Version,
    WorkFile,
)
from hotich.documents.services import (
    DOCUMENT_LIFECYCLE,
    FILE_LIFECYCLE,
    TASK_LIFECYCLE,
    file_in_reach,
    task_in_reach,
)
from hotich.documents.vocabulary import (
    FILE_OBJECT_TYPE,
    HANDOVER_OBJECT_TYPE,
    OBJECT_TYPE,
    OPEN_INCOMING,
    OPEN_TASKS,
    TASK_OBJECT_TYPE,
    Direction,
    FileStatus,
    Status,
    TaskStatus,
)
from hotich.geo.selectors import province_units, within_unit
from hotich.signing.selectors import quarter_bounds

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit

MAX_LIMIT = 500
#: the years the register can be filtered by, and the years of the quarterly statistics
REGISTER_YEARS = (1990, 2100)
STATS_YEARS = (2000, 2100)


def _check_year(year: int, years: tuple[int, int]) -> None:
    low, high = years
    if not low <= year <= high:
        raise ValidationFailed(
            format_lazy(_("Năm: từ {low} đến {high}."), low=low, high=high), field="year"
        )


#: what a list of documents shows of each beside the document itself
DOCUMENT_RELATED = ("unit", "handler", "recipient_unit", "sender_unit")


def documents_visible(actor: Actor) -> QuerySet[Document]:
    """Documents of the actor's unit and the units below it (all of them for the system)."""
    qs = Document.objects.select_related(*DOCUMENT_RELATED)
    if actor is None:
        return qs
    require(actor, "documents.view", message=_("Bạn không có quyền xem sổ văn bản."))
    qs = qs.filter(scope_filter(actor, "unit"))
    agency = acting_agency(actor)
    if agency is not None:
        # agencies sharing a unit (the province's departments) keep their registers apart
        qs = qs.filter(
            Q(organization__isnull=True)
            | Q(organization__path__startswith=agency.path)
            | ~Q(unit_id=agency.unit_id)
        )
    return qs


@dataclass(frozen=True)
class RegisterFilter:
    direction: str = Direction.OUTGOING
    status: str = ""
    doc_type: str = ""
    year: int | None = None
    query: str = ""
    overdue: bool = False


def document_register(*, actor: Actor, filters: RegisterFilter, limit: int = 200) -> list[Document]:
    """One register (outgoing or incoming), newest first, filtered."""
    if filters.year is not None:
        _check_year(filters.year, REGISTER_YEARS)
    qs = documents_visible(actor).filter(direction=filters.direction)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.year:
        qs = qs.filter(Q(year=filters.year) | Q(year__isnull=True, created_at__year=filters.year))
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_INCOMING, deadline__lt=timezone.localdate())
    for word in fold(filters.query).split()[:8]:
        qs = qs.filter(search_key__contains=word)
    return list(qs.order_by("-created_at", "-pk")[: min(limit, MAX_LIMIT)])


@dataclass
class DocumentDetail:
    document: Document
    events: list[Event]
    actions: list[str]
    overdue: bool
    deliveries: list[Document] = field(default_factory=list)
    route: list[Assignment] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    #: the work file holding the document, and the open files of its agency and year it may be
    #: put into (empty unless the actor keeps files in the document's agency)
    work_file: WorkFile | None = None
    open_files: list[WorkFile] = field(default_factory=list)


def document_get(*, actor: Actor, document_id: int) -> Document:
    document = documents_visible(actor).filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Không tìm thấy văn bản."), field="document_id")
    return document


def document_detail(*, actor: Actor, document_id: int) -> DocumentDetail:
    """One document in scope with its history and the actions the actor may take on it now
    (only in the actor's own unit). The read is audited."""
    document = document_get(actor=actor, document_id=document_id)
    own = actor is None or document.unit_id == getattr(actor, "unit_id", None)
    actions = [a.name for a in DOCUMENT_LIFECYCLE.allowed(actor, document)] if own else []
    audit_record(actor=actor, action="read", object_type=OBJECT_TYPE, object_id=document.pk)
    item = FileItem.objects.filter(document=document).select_related("work_file").first()
    return DocumentDetail(
        document=document,
        events=list(document.events.all()),
        actions=actions,
        overdue=document.is_overdue(timezone.localdate()),
        deliveries=list(document.deliveries.select_related("unit")),
        route=list(document.assignments.select_related("user", "assigned_by")),
        versions=list(document.versions.select_related("author")),
        comments=list(document.comments.select_related("author")),
        tasks=list(document.tasks.select_related("owner")),
        recipients=list(document.recipients.select_related("delivered")),
        work_file=item.work_file if item is not None else None,
        open_files=document_open_files(actor, document) if item is None else [],
    )


def document_open_files(actor: Actor, document: Document) -> list[WorkFile]:
    """The open work files of the document's agency and year the actor may put it into: only
    for those who keep files in that agency, and for an official document (incoming, or
    outgoing once signed)."""
    if actor is None or not can(actor, "documents.handle") or acting_agency(actor) is None:
        return []
    if document.direction == Direction.OUTGOING and document.status in (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.APPROVED,
    ):
        return []
    year = document.year or timezone.localtime(document.created_at).year
    files = files_visible(actor).filter(unit_id=document.unit_id, year=year, status=FileStatus.OPEN)
    owner = document.organization
    return [
        f
        for f in files.order_by("code", "pk")
        if owner is None or owner.path.startswith(f.organization.path)
    ]


def document_file(*, actor: Actor, document_id: int) -> tuple[Document, bytes]:
    """The stored PDF of a document in scope (the read is audited as an export)."""
    document = document_get(actor=actor, document_id=document_id)
    if not document.file_path:
        raise NotFound(_("Văn bản này không có tệp."), field="document_id")
    with default_storage.open(document.file_path, "rb") as handle:
        data = handle.read()
    audit_record(actor=actor, action="export", object_type=OBJECT_TYPE, object_id=document.pk)
    return document, data


def document_issued_file(*, actor: Actor, document_id: int) -> tuple[Document, bytes]:
    """An issued outgoing document in scope with its signed PDF, as sent to another agency
    (the read is audited as an export). Refused unless it was issued and signed digitally."""
    document = document_get(actor=actor, document_id=document_id)
    if (
        document.direction != Direction.OUTGOING
        or document.status != Status.ISSUED
        or not document.signed_digitally
        or not document.file_path
    ):
        raise ValidationFailed(
            _("Chỉ gửi được văn bản đi đã ký số và đã ban hành."), field="document_id"
        )
    return document_file(actor=actor, document_id=document_id)


#: the steps of an incoming document's route after which it is being handled (status 05 for an
#: interconnected sender)
HANDLING_ACTIONS = ("forward", "consult", "opinion", "report", "process")


def document_route_steps(document_ids: list[int]) -> dict[int, set[str]]:
    """For each of these documents, which of ``assigned`` (it was given to a handler) and
    ``handling`` (a handler acted on it) its history holds."""
    steps: dict[int, set[str]] = {}
    rows = Event.objects.filter(document_id__in=document_ids).filter(
        Q(to_status=Status.ASSIGNED) | Q(action__in=HANDLING_ACTIONS)
    )
    for document_id, action, to_status in rows.values_list("document_id", "action", "to_status"):
        seen = steps.setdefault(document_id, set())
        if to_status == Status.ASSIGNED:
            seen.add("assigned")
        if action in HANDLING_ACTIONS:
            seen.add("handling")
    return steps


def document_statuses(document_ids: list[int]) -> dict[int, str]:
    """The current status of each of these documents (by id)."""
    return dict(Document.objects.filter(pk__in=document_ids).values_list("pk", "status"))


def handlers_for(actor: Actor) -> QuerySet[User]:
    """Who may be given an incoming document of the actor's unit to handle."""
    return users_allowed(unit=getattr(actor, "unit", None), action="documents.handle")


def recipient_organizations(actor: Actor) -> QuerySet[Organization]:
    """The agencies of the actor's province an outgoing document may be issued to, other than
    the one the actor acts in."""
    agency = acting_agency(actor) if actor is not None else None
    organizations = organizations_of_province(getattr(actor, "unit", None))
    return organizations if agency is None else organizations.exclude(pk=agency.pk)


def recipient_units(actor: Actor) -> QuerySet[Unit]:
    """The units an outgoing document may be sent to inside the system: today's units of the
    actor's province (the province itself and its communes), other than the actor's own."""
    unit = getattr(actor, "unit", None)
    units = province_units(unit)
    return units if unit is None else units.exclude(pk=unit.pk)


# --- e-office: the day's work, tasks, calendars ------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """A document waiting for the user, and why."""

    document: Document
    reason: str
    deadline: dt.date | None
    overdue: bool


#: columns the day's lists do not show: long texts, read only when a document is opened
WAITING_DEFERRED = ("summary", "body", "text", "content_key", "search_key", "signature_report")


def documents_waiting_for(user: User, *, limit: int = 50) -> list[Waiting]:
    """What the user should act on now: their open assignments (lead, co-handling, opinions
    asked), and by role the documents waiting in their agency — to propose or issue (clerks),
    to instruct or approve (leaders), each list the oldest ``limit`` first. Two queries: the
    assignments, and the lists of every role the user has (numbered per list by a window)."""
    today = timezone.localdate()
    waiting: list[Waiting] = []
    assignments = (
        Assignment.objects.filter(
            user=user, active=True, answered_at=None, document__status=Status.ASSIGNED
        )
        .select_related("document")
        .defer(*(f"document__{name}" for name in WAITING_DEFERRED))
        .order_by("deadline", "pk")[:limit]
    )
    for a in assignments:
        overdue = a.deadline is not None and a.deadline < today
        waiting.append(Waiting(a.document, a.role_label, a.deadline, overdue))
    by_role = [
        ("documents.approve", Direction.INCOMING, Status.PROPOSED, _("Chờ bút phê")),
        ("documents.approve", Direction.OUTGOING, Status.SUBMITTED, _("Chờ duyệt")),
        ("documents.sign", Direction.OUTGOING, Status.APPROVED, _("Chờ ký")),
        ("documents.draft", Direction.INCOMING, Status.RECEIVED, _("Chờ đề xuất xử lý")),
        ("documents.issue", Direction.OUTGOING, Status.SIGNED, _("Chờ ban hành")),
    ]
    lists = [(d, s, reason) for permission, d, s, reason in by_role if can(user, permission)]
    if not lists:
        return waiting
    # the direction too, so that each list reads the (unit, direction, status) index
    in_lists = Q()
    for direction, status, _reason in lists:
        in_lists |= Q(direction=direction, status=status)
    place = Window(
        RowNumber(),
        partition_by=[F("direction"), F("status")],
        order_by=[F("created_at").asc(), F("pk").asc()],
    )
    rows = (
        documents_visible(user)
        .select_related(None)
        .defer(*WAITING_DEFERRED)
        .filter(in_lists, unit_id=user.unit_id or 0)
        .annotate(place=place)
        .filter(place__lte=limit)
        .order_by("created_at", "pk")
    )
    found: dict[tuple[str, str], list[Document]] = {}
    for row in rows:
        found.setdefault((row.direction, row.status), []).append(row)
    for direction, status, reason in lists:
        for document in found.get((direction, status), []):
            waiting.append(Waiting(document, str(reason), document.deadline, False))
    return waiting


def tasks_of(user: User, *, open_only: bool = True, limit: int = 100) -> list[Task]:
    """Tasks the user owns, works on or gave, soonest deadline first."""
    qs = Task.objects.filter(
        Q(owner=user) | Q(co_workers=user) | Q(created_by=user), unit_id=user.unit_id or 0
    )
    if open_only:
        qs = qs.filter(status__in=OPEN_TASKS)
    return list(
        qs.distinct().select_related("owner", "document").order_by("deadline", "pk")[:limit]
    )


@dataclass
class TaskDetail:
    task: Task
    events: list[Any]
    actions: list[str]
    co_workers: list[User]
    overdue: bool


def task_get(*, actor: Actor, task_id: int) -> Task:
    require(actor, "documents.view")
    qs = Task.objects.select_related("owner", "document", "result_document", "unit", "organization")
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("Không tìm thấy nhiệm vụ."), field="task_id")
    task_in_reach(actor, task)
    return task


def task_detail(*, actor: Actor, task_id: int) -> TaskDetail:
    task = task_get(actor=actor, task_id=task_id)
    audit_record(actor=actor, action="read", object_type=TASK_OBJECT_TYPE, object_id=task.pk)
    return TaskDetail(
        task=task,
        events=list(task.events.all()),
        actions=[a.name for a in TASK_LIFECYCLE.allowed(actor, task)],
        co_workers=list(task.co_workers.order_by("full_name")),
        overdue=task.is_overdue(timezone.localdate()),
    )


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def calendar_week(
    organization: Organization,
    monday: dt.date,
    *,
    published_only: bool = True,
    public_only: bool = False,
) -> list[CalendarEntry]:
    """The agency's entries (its own and its leaders') in the week starting ``monday``."""
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    qs = CalendarEntry.objects.filter(
        organization=organization,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=7),
    )
    if published_only:
        qs = qs.exclude(published_at=None)
    if public_only:
        qs = qs.filter(is_public=True)
    return list(qs.select_related("leader").order_by("starts_at", "pk"))


def calendar_today(user: User, organization: Organization | None) -> list[CalendarEntry]:
    """Today's published entries of the user's agency, and any entry naming the user."""
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    qs = CalendarEntry.objects.filter(
        starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
    )
    mine = Q(leader=user)
    if organization is not None:
        mine |= Q(organization=organization) & ~Q(published_at=None)
    return list(qs.filter(mine).select_related("leader").order_by("starts_at", "pk"))


@dataclass
class Today:
    day: dt.date
    organization: Organization | None
    documents: list[Waiting]
    tasks: list[tuple[Task, bool]]
    calendar: list[CalendarEntry]


def today_for(user: User) -> Today:
    """A user's day: documents waiting for them, their open tasks (overdue flagged), today's
    calendar of their agency."""
    day = timezone.localdate()
    organization = acting_agency(user)
    return Today(
        day=day,
        organization=organization,
        documents=documents_waiting_for(user),
        tasks=[(t, t.is_overdue(day)) for t in tasks_of(user, limit=50)],
        calendar=calendar_today(user, organization),
    )


# --- reporting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterUse:
    """One unit's outgoing documents in one quarter: how many were issued in all, how many
    of them were signed digitally (by type), and by how many distinct signers."""

    unit_id: int
    unit_name: str
    outgoing: int
    signed_digitally: int
    by_type: dict[str, int]
    signers: int

    @property
    def share(self) -> float:
        return self.signed_digitally / self.outgoing if self.outgoing else 0.0


def documents_signed_per_quarter(
    year: int,
    quarter: int,
    *,
    unit_ids: list[int] | None = None,
    unit_path: str | None = None,
) -> list[QuarterUse]:
    """Outgoing documents numbered in the quarter per unit (every signed document gets its
    number when it is signed, digitally or on paper), the digitally signed share, by type;
    sorted by the number signed digitally, most first (the quarterly ranking). ``unit_path``
    keeps one unit and the units below it."""
    _check_year(year, STATS_YEARS)
    if not 1 <= quarter <= 4:
        raise ValidationFailed(_("Quý: từ 1 đến 4."), field="quarter")
    start, end = quarter_bounds(year, quarter)
    qs = Document.objects.filter(
        direction=Direction.OUTGOING, signed_at__gte=start, signed_at__lt=end
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if unit_path is not None:
        qs = within_unit(qs, unit_path)
    totals: dict[int, dict[str, Any]] = {}
    for row in qs.values("unit_id", "unit__name", "doc_type", "signed_digitally").annotate(
        n=Count("id")
    ):
        entry = totals.setdefault(
            row["unit_id"],
            {"name": row["unit__name"], "outgoing": 0, "digital": 0, "by_type": {}},
        )
        entry["outgoing"] += row["n"]
        if row["signed_digitally"]:
            entry["digital"] += row["n"]
            entry["by_type"][row["doc_type"]] = entry["by_type"].get(row["doc_type"], 0) + row["n"]
    signers = dict(
        qs.filter(signed_digitally=True, signed__signed_by__isnull=False)
        .values("unit_id")
        .annotate(n=Count("signed__signed_by", distinct=True))
        .values_list("unit_id", "n")
    )
    rows = [
        QuarterUse(
            unit_id=unit_id,
            unit_name=entry["name"],
            outgoing=entry["outgoing"],
            signed_digitally=entry["digital"],
            by_type=entry["by_type"],
            signers=signers.get(unit_id, 0),
        )
        for unit_id, entry in totals.items()
    ]
    return sorted(rows, key=lambda r: (-r.signed_digitally, -r.share, r.unit_name))


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


# --- work files (hồ sơ công việc) and their handover ---------------------------------------


def files_visible(actor: Actor) -> QuerySet[WorkFile]:
    """Files of the actor's agency and its sections; without an agency, those of the actor's
    unit (all of them for the system)."""
    qs = WorkFile.objects.select_related("organization", "responsible", "handover")
    if actor is None:
        return qs
    require(actor, "documents.view", message=_("Bạn không có quyền xem hồ sơ công việc."))
    qs = qs.filter(unit_id=getattr(actor, "unit_id", None) or 0)
    agency = acting_agency(actor)
    if agency is not None:
        qs = qs.filter(organization__path__startswith=agency.path)
    return qs


def files_of_year(*, actor: Actor, year: int) -> list[WorkFile]:
    """The file list (danh mục hồ sơ) of ``year``, by code, each with its number of
    documents (``documents``)."""
    _check_year(year, REGISTER_YEARS)
    qs = files_visible(actor).filter(year=year).annotate(documents=Count("items"))
    return list(qs.order_by("code", "pk"))


def file_years(actor: Actor) -> list[int]:
    """The years that have a file list, newest first."""
    return sorted(set(files_visible(actor).values_list("year", flat=True)), reverse=True)


@dataclass
class FileDetail:
    work_file: WorkFile
    documents: list[Document]
    events: list[FileEvent]
    actions: list[str]
    candidates: list[Document]


def file_get(*, actor: Actor, file_id: int) -> WorkFile:
    work_file = files_visible(actor).filter(pk=file_id).first()
    if work_file is None:
        raise NotFound(_("Không tìm thấy hồ sơ."), field="file_id")
    file_in_reach(actor, work_file)
    return work_file


def file_candidates(actor: Actor, work_file: WorkFile, *, limit: int = 200) -> list[Document]:
    """The documents the actor may put into the open file: official documents of its agency
    and year that are in no file yet, newest first."""
    if work_file.status != FileStatus.OPEN:
        return []
    qs = documents_visible(actor).filter(unit_id=work_file.unit_id, file_item__isnull=True)
    qs = qs.filter(
        Q(organization__isnull=True) | Q(organization__path__startswith=work_file.organization.path)
    ).exclude(
        direction=Direction.OUTGOING,
        status__in=(Status.DRAFT, Status.SUBMITTED, Status.APPROVED),
    )
    qs = qs.filter(Q(year=work_file.year) | Q(year__isnull=True, created_at__year=work_file.year))
    return list(qs.order_by("-created_at", "-pk")[:limit])


def file_detail(*, actor: Actor, file_id: int) -> FileDetail:
    """One file with its documents, history, the actions the actor may take and the documents
    they may put into it. The read is audited."""
    work_file = file_get(actor=actor, file_id=file_id)
    audit_record(actor=actor, action="read", object_type=FILE_OBJECT_TYPE, object_id=work_file.pk)
    items = FileItem.objects.filter(work_file=work_file).select_related("document")
    return FileDetail(
        work_file=work_file,
        documents=[i.document for i in items],
        events=list(work_file.events.all()),
        actions=[a.name for a in FILE_LIFECYCLE.allowed(actor, work_file) if a.name != "hand_over"],
        candidates=file_candidates(actor, work_file),
    )


def _handovers_visible(actor: Actor) -> QuerySet[Handover]:
    qs = Handover.objects.select_related("organization", "created_by")
    if actor is None:
        return qs
    require(actor, "documents.view")
    agency = acting_agency(actor)
    if agency is None:
        return qs.none()
    return qs.filter(organization__path__startswith=agency.path)


def handovers_of(*, actor: Actor, year: int | None = None) -> list[Handover]:
    """The handovers of the actor's agency (all for the system), newest first."""
    qs = _handovers_visible(actor)
    return list(qs if year is None else qs.filter(year=year))


def handover_file(*, actor: Actor, handover_id: int, kind: str) -> tuple[Handover, bytes]:
    """The stored handover list (``pdf`` or ``xlsx``) of a handover in scope; the read is
    audited as an export."""
    handover = _handovers_visible(actor).filter(pk=handover_id).first()
    if handover is None or kind not in ("pdf", "xlsx"):
        raise NotFound(_("Không tìm thấy mục lục hồ sơ nộp lưu."), field="handover_id")
    path = handover.pdf_path if kind == "pdf" else handover.xlsx_path
    if not path:
        raise NotFound(_("Không tìm thấy mục lục hồ sơ nộp lưu."), field="handover_id")
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    audit_record(
        actor=actor, action="export", object_type=HANDOVER_OBJECT_TYPE, object_id=handover.pk
    )
    return handover, data


@dataclass
class FileList:
    """The file list page: the year's files, the years kept, the agency's handovers."""

    year: int
    organization: Organization | None
    files: list[WorkFile]
    years: list[int]
    handovers: list[Handover]
    open_files: int
    closed_files: int


def file_list(*, actor: Actor, year: int) -> FileList:
    files = files_of_year(actor=actor, year=year)
    return FileList(
        year=year,
        organization=acting_agency(actor) if actor is not None else None,
        files=files,
        years=sorted({*file_years(actor), year, timezone.localdate().year}, reverse=True),
        handovers=handovers_of(actor=actor),
        open_files=sum(1 for f in files if f.status == FileStatus.OPEN),
        closed_files=sum(1 for f in files if f.status == FileStatus.CLOSED),
    )


# --- office statistics (thống kê văn phòng) ------------------------------------------------


@dataclass
class Handling:
    """Incoming documents with a deadline, by how their handling went."""

    name: str
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.open


@dataclass
class OfficeStats:
    start: dt.date
    end: dt.date
    scope: str
    incoming: int
    outgoing: int
    per_month: list[tuple[str, int, int]]
    handling: Handling
    by_handler: list[Handling]
    by_section: list[Handling]
    tasks: Handling
    #: mean days from receiving an incoming document to its last report (documents processed)
    average_days: float | None = None
    #: outgoing documents issued with a digital signature, of those issued
    signed_share: float | None = None
    #: recipients on the platform that received the document electronically, of all recipients
    electronic_share: float | None = None


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _office_documents(actor: Actor) -> tuple[QuerySet[Document], str]:
    """The documents the statistics count: the actor's agency and its sections (the province's
    People's Committee, at the root, sees every agency), else the actor's unit and those below."""
    qs = Document.objects.all()
    if actor is None:
        return qs, str(_("Toàn tỉnh"))
    require(actor, "documents.view", message=_("Bạn không có quyền xem sổ văn bản."))
    qs = qs.filter(scope_filter(actor, "unit"))
    agency = acting_agency(actor)
    if agency is None or agency.parent_id is None:
        unit = getattr(actor, "unit", None)
        return qs, agency.name if agency is not None else str(unit or "")
    return _of_agency(qs, agency), agency.name


def _of_agency(qs: QuerySet[Document], agency: Organization) -> QuerySet[Document]:
    """The documents of an agency and its sections (those of no agency: its unit's)."""
    return qs.filter(
        Q(organization__path__startswith=agency.path)
        | Q(organization__isnull=True, unit_id=agency.unit_id)
    )


def _in_period(
    qs: QuerySet[Document], start: dt.date, end: dt.date
) -> tuple[QuerySet[Document], QuerySet[Document]]:
    """The incoming documents received and the outgoing ones issued from ``start`` to ``end``."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return (
        qs.filter(direction=Direction.INCOMING, created_at__gte=lo, created_at__lt=hi),
        qs.filter(direction=Direction.OUTGOING, issued_at__gte=lo, issued_at__lt=hi),
    )


def _timed(incoming: QuerySet[Document]) -> QuerySet[Document]:
    """The incoming documents with a deadline (not rejected): those handled on time or not."""
    return incoming.exclude(deadline=None).exclude(status=Status.REJECTED)


@dataclass(frozen=True)
class DocumentFigures:
    incoming: int
    outgoing: int
    handling: Handling


def organization_document_figures(
    *, organization: Organization, start: dt.date, end: dt.date
) -> DocumentFigures:
    """What :func:`office_stats` counts for ``organization`` (a root agency: every document of
    its unit and the units below; another: its own and its sections'): incoming documents
    received and outgoing ones issued from ``start`` to ``end``, and the incoming ones with a
    deadline by how their handling went, as of today (reporting's computed indicators)."""
    qs = Document.objects.all()
    qs = (
        within_unit(qs, organization.unit)
        if organization.parent_id is None
        else _of_agency(qs, organization)
    )
    incoming, outgoing = _in_period(qs, start, end)
    timed = list(_timed(incoming).only("pk", "deadline", "status"))
    done = _handled_at(timed)
    today = timezone.localdate()
    handling = Handling(organization.name)
    for document in timed:
        _count(handling, document, done.get(document.pk), today)
    return DocumentFigures(incoming.count(), outgoing.count(), handling)


def _handled_at(documents: list[Document]) -> dict[int, dt.date]:
    """When each document was last reported or marked processed."""
    rows = (
        Event.objects.filter(document__in=documents, to_status=Status.PROCESSED)
        .values("document_id")
        .annotate(at=Max("at"))
    )
    return {r["document_id"]: timezone.localtime(r["at"]).date() for r in rows}


def _count(bucket: Handling, document: Document, done: dt.date | None, today: dt.date) -> None:
    deadline = document.deadline
    assert deadline is not None
    if done is not None or document.status == Status.CLOSED:
        if done is None or done <= deadline:
            bucket.on_time += 1
        else:
            bucket.late += 1
    elif deadline < today:
        bucket.overdue += 1
    else:
        bucket.open += 1


def office_stats(*, actor: Actor, start: dt.date, end: dt.date) -> OfficeStats:
    """Incoming documents received and outgoing documents issued between ``start`` and ``end``
    (inclusive) per month; incoming documents with a deadline processed on time, late, overdue
    or still open, in all, per lead handler and per section; tasks due in the period likewise."""
    if end < start:
        raise ValidationFailed(_("Ngày kết thúc phải sau ngày bắt đầu."), field="end")
    qs, scope = _office_documents(actor)
    tz = timezone.get_current_timezone()
    incoming, outgoing = _in_period(qs, start, end)
    # counted by the database, one row a month (the local month of receiving, of issuing)
    months: dict[dt.date, list[int]] = {}
    for column, documents, slot in (("created_at", incoming, 0), ("issued_at", outgoing, 1)):
        rows = (
            documents.annotate(month=TruncMonth(column, tzinfo=tz))
            .values("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
        )
        for month, n in rows:
            if month is not None:
                day = month.date() if isinstance(month, dt.datetime) else month
                months.setdefault(day, [0, 0])[slot] += n
    per_month = [(m.strftime("%m/%Y"), a, b) for m, (a, b) in sorted(months.items())]
    today = timezone.localdate()
    timed = list(_timed(incoming).select_related("handler"))
    done = _handled_at(timed)
    total = Handling(str(_("Tất cả")))
    handlers: dict[int, Handling] = {}
    sections: dict[str, Handling] = {}
    for document in timed:
        _count(total, document, done.get(document.pk), today)
        if document.handler is None:
            continue
        person = handlers.get(document.handler.pk)
        if person is None:
            person = handlers[document.handler.pk] = Handling(
                document.handler.full_name or document.handler.username
            )
        _count(person, document, done.get(document.pk), today)
        membership = primary_membership(document.handler)
        section = membership.organization.name if membership is not None else "—"
        _count(
            sections.setdefault(section, Handling(section)), document, done.get(document.pk), today
        )
    spans = [
        (done[d.pk] - timezone.localtime(d.received_at or d.created_at).date()).days
        for d in timed
        if d.pk in done
    ]
    issued_count = outgoing.count()
    recipients = Recipient.objects.filter(document__in=outgoing)
    return OfficeStats(
        start=start,
        end=end,
        scope=scope,
        incoming=incoming.count(),
        outgoing=issued_count,
        average_days=round(sum(spans) / len(spans), 1) if spans else None,
        signed_share=_share(outgoing.exclude(signed=None).count(), issued_count),
        electronic_share=_share(recipients.exclude(delivered=None).count(), recipients.count()),
        per_month=per_month,
        handling=total,
        by_handler=sorted(handlers.values(), key=lambda h: (-h.total, h.name)),
        by_section=sorted(sections.values(), key=lambda h: (-h.total, h.name)),
        tasks=_task_stats(actor, qs, start, end, today),
    )


def _task_stats(
    actor: Actor, documents: QuerySet[Document], start: dt.date, end: dt.date, today: dt.date
) -> Handling:
    tasks = Task.objects.filter(deadline__gte=start, deadline__lte=end).exclude(
        status=TaskStatus.CANCELLED
    )
    if actor is not None:
        tasks = tasks.filter(scope_filter(actor, "unit"))
        agency = acting_agency(actor)
        if agency is not None and agency.parent_id is not None:
            tasks = tasks.filter(organization__path__startswith=agency.path)
    counted = Handling(str(_("Nhiệm vụ")))
    for task in tasks.only("status", "deadline", "completed_at"):
        if task.status == TaskStatus.DONE:
            finished = timezone.localtime(task.completed_at).date() if task.completed_at else today
            if finished <= task.deadline:
                counted.on_time += 1
            else:
                counted.late += 1
        elif task.deadline < today:
            counted.overdue += 1
        else:
            counted.open += 1
    return counted
