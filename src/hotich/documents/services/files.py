"""Work files (hồ sơ công việc, Decree 30/2020/NĐ-CP chapter IV; Circular 10/2022/TT-BNV for the
retention periods): the agency's file list (danh mục hồ sơ) of a year, documents put into its
files, files closed at the end of the year and handed to the agency archive with a handover list
(mục lục hồ sơ nộp lưu). Status changes go through ``FILE_LIFECYCLE`` (ADR 9)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from hotich.accounts.actors import Actor, acting_user, actor_name
from hotich.accounts.authz import permits, require
from hotich.accounts.selectors import users_allowed
from hotich.agencies.selectors import organization_by_code, user_ids_in
from hotich.archive.services import archive_store, sha256_of
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, NotFound, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.pdf import html_to_pdf
from hotich.documents.models import Document, FileEvent, FileItem, Handover, WorkFile
from hotich.documents.services.common import clean_text, lazy_format
from hotich.documents.services.routing import own_organization
from hotich.documents.services.tasks import task_people
from hotich.documents.vocabulary import (
    FILE_CODE_MAX,
    FILE_OBJECT_TYPE,
    FILE_YEARS,
    HANDOVER_OBJECT_TYPE,
    MAX_RETENTION_YEARS,
    Direction,
    FileAction,
    FileStatus,
    Status,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from hotich.accounts.models import User
    from hotich.agencies.models import Organization

#: who keeps the file list and files documents: the office and the handlers
KEEP = "documents.handle"
#: who closes files and hands them over: the clerks (and leaders)
CLOSE = "documents.issue"
#: documents not yet official cannot be filed
NOT_FILED = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED)


def _check_year(year: int) -> None:
    low, high = FILE_YEARS
    if not low <= year <= high:
        raise ValidationFailed(
            lazy_format(_("Năm: từ %(low)s đến %(high)s."), low=low, high=high), field="year"
        )


def file_people(actor: Actor) -> QuerySet[User]:
    """Who may be responsible for a file: the people of the actor's agency who handle
    documents."""
    return task_people(actor)


def file_in_reach(actor: Actor, work_file: WorkFile) -> None:
    """A file of the actor's unit and, when they act in an agency, of that agency or a section
    of it; else it does not exist for them (``NotFound``)."""
    if actor is None:
        return
    agency = own_organization(actor)
    outside = agency is not None and not work_file.organization.path.startswith(agency.path)
    if work_file.unit_id != getattr(actor, "unit_id", None) or outside:
        raise NotFound(_("Không tìm thấy hồ sơ."), field="work_file")


def _agency(actor: Actor, organization: Organization | None) -> Organization:
    if organization is None:
        organization = own_organization(actor)
    if organization is None:
        raise ValidationFailed(
            _("Bạn chưa giữ chức vụ trong cơ quan nào nên chưa có danh mục hồ sơ."),
            field="organization",
        )
    if actor is not None:
        agency = own_organization(actor)
        if agency is None or not organization.path.startswith(agency.path):
            raise NotFound(_("Không tìm thấy cơ quan."), field="organization")
    return organization


def _event(work_file: WorkFile, actor: Actor, action: str, from_status: str, note: str) -> None:
    FileEvent.objects.create(
        work_file=work_file,
        action=action,
        from_status=from_status,
        to_status=work_file.status,
        actor=acting_user(actor),
        actor_name=actor_name(actor, full=True),
        note=note[:500],
    )


def _history(step: Step[WorkFile]) -> None:
    _event(step.obj, step.actor, step.action.name, step.from_status, step.note)


def _run_close(step: Step[WorkFile]) -> None:
    step.obj.closed_at = timezone.now()


def _run_reopen(step: Step[WorkFile]) -> None:
    step.obj.closed_at = None


def _run_hand_over(step: Step[WorkFile]) -> None:
    handover = step.params.get("handover")
    if handover is None:
        raise ValidationFailed(_("Nộp lưu cả năm từ trang danh mục hồ sơ."), field="action")
    step.obj.handover = handover
    step.detail["handover"] = handover.pk


FILE_LIFECYCLE = Lifecycle(
    model=WorkFile,
    object_type=FILE_OBJECT_TYPE,
    noun=_("hồ sơ"),
    statuses=FileStatus,
    actions=[
        Action(FileAction.CLOSE, FileAction.CLOSE.label, CLOSE, FileStatus.CLOSED, _run_close),
        Action(
            FileAction.REOPEN,
            FileAction.REOPEN.label,
            CLOSE,
            FileStatus.OPEN,
            _run_reopen,
            note_required=_("Mở lại hồ sơ: cần ghi lý do."),
        ),
        Action(
            FileAction.HAND_OVER,
            FileAction.HAND_OVER.label,
            CLOSE,
            FileStatus.HANDED_OVER,
            _run_hand_over,
        ),
    ],
    table={
        FileStatus.OPEN: (FileAction.CLOSE,),
        FileStatus.CLOSED: (FileAction.REOPEN, FileAction.HAND_OVER),
        FileStatus.HANDED_OVER: (),
    },
    initial=(FileStatus.OPEN,),
    other_steps={
        "create": _("Lập hồ sơ"),
        "add": _("Đưa văn bản vào hồ sơ"),
        "remove": _("Rút văn bản khỏi hồ sơ"),
    },
    scope=file_in_reach,
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("organization", "unit", "responsible"),
)


def _retention(value: int | None) -> int | None:
    if value is None:
        return None
    if not 1 <= int(value) <= MAX_RETENTION_YEARS:
        raise ValidationFailed(
            lazy_format(
                _("Thời hạn bảo quản: vĩnh viễn hoặc từ 1 đến %(n)s năm."), n=MAX_RETENTION_YEARS
            ),
            field="retention_years",
        )
    return int(value)


@transaction.atomic
def file_create(
    *,
    actor: Actor,
    year: int,
    code: str,
    title: str,
    retention_years: int | None,
    responsible_id: int,
    organization: Organization | None = None,
) -> WorkFile:
    """A new, open file of the agency's list for ``year``: its code (unique in the agency and
    year), title, retention (``None`` is permanent) and the person who keeps it."""
    require(actor, KEEP)
    organization = _agency(actor, organization)
    _check_year(year)
    code = clean_text(
        code, field="code", label=_("Số, ký hiệu hồ sơ"), max_length=FILE_CODE_MAX, required=True
    )
    title = clean_text(
        title, field="title", label=_("Tiêu đề hồ sơ"), max_length=300, required=True
    )
    people = (
        file_people(actor)
        if actor is not None
        else users_allowed(unit=organization.unit, action=KEEP).filter(
            pk__in=user_ids_in(organization)
        )
    )
    responsible = people.filter(pk=responsible_id).first()
    if responsible is None:
        raise ValidationFailed(
            _("Người lập hồ sơ: chọn một cán bộ của cơ quan."), field="responsible"
        )
    try:
        with transaction.atomic():
            work_file = WorkFile.objects.create(
                organization=organization,
                unit_id=organization.unit_id,
                year=year,
                code=code,
                title=title,
                retention_years=_retention(retention_years),
                responsible=responsible,
                created_by=acting_user(actor),
            )
    except IntegrityError:
        raise ValidationFailed(
            lazy_format(_("Số, ký hiệu hồ sơ %(code)s đã có trong danh mục năm nay."), code=code),
            field="code",
        ) from None
    _event(work_file, actor, "create", "", f"{code} · {work_file.retention_label}")
    audit_record(
        actor=actor,
        action="create",
        object_type=FILE_OBJECT_TYPE,
        object_id=work_file.pk,
        after=work_file.state(),
    )
    return work_file


def _locked(work_file: WorkFile) -> WorkFile:
    return (
        WorkFile.objects.select_for_update(of=("self",))
        .select_related("organization", "unit")
        .get(pk=work_file.pk)
    )


def _document_year(document: Document) -> int:
    return document.year or timezone.localtime(document.created_at).year


@transaction.atomic
def file_add_document(*, actor: Actor, work_file: WorkFile, document_id: int) -> FileItem:
    """Put an official document (incoming, or outgoing once signed) of the file's agency and
    year into an open file; a document is in one file at most."""
    require(actor, KEEP)
    work_file = _locked(work_file)
    file_in_reach(actor, work_file)
    if work_file.status != FileStatus.OPEN:
        raise Conflict(_("Hồ sơ đã kết thúc, không đưa thêm văn bản được."), field="work_file")
    document = Document.objects.select_related("organization").filter(pk=document_id).first()
    owner = document.organization if document is not None else None
    if (
        document is None
        or document.unit_id != work_file.unit_id
        or (owner is not None and not owner.path.startswith(work_file.organization.path))
    ):
        raise NotFound(_("Không tìm thấy văn bản."), field="document")
    if document.direction == Direction.OUTGOING and document.status in NOT_FILED:
        raise ValidationFailed(
            _("Văn bản đi chưa ký, ban hành thì chưa đưa vào hồ sơ được."), field="document"
        )
    if _document_year(document) != work_file.year:
        raise ValidationFailed(
            lazy_format(_("Văn bản không thuộc năm %(year)s của hồ sơ."), year=work_file.year),
            field="document",
        )
    current = FileItem.objects.filter(document=document).select_related("work_file").first()
    if current is not None:
        raise Conflict(
            lazy_format(_("Văn bản đã ở trong hồ sơ %(code)s."), code=current.work_file.code),
            field="document",
        )
    item = FileItem.objects.create(
        work_file=work_file, document=document, added_by=acting_user(actor)
    )
    _event(work_file, actor, "add", work_file.status, str(document))
    audit_record(
        actor=actor,
        action="update",
        object_type=FILE_OBJECT_TYPE,
        object_id=work_file.pk,
        detail={"add": document.pk},
    )
    return item


@transaction.atomic
def file_remove_document(*, actor: Actor, work_file: WorkFile, document_id: int) -> None:
    """Take a document out of an open file."""
    require(actor, KEEP)
    work_file = _locked(work_file)
    file_in_reach(actor, work_file)
    if work_file.status != FileStatus.OPEN:
        raise Conflict(_("Hồ sơ đã kết thúc, không rút văn bản được."), field="work_file")
    item = work_file.items.select_related("document").filter(document_id=document_id).first()
    if item is None:
        raise NotFound(_("Văn bản không có trong hồ sơ."), field="document")
    note = str(item.document)
    item.delete()
    _event(work_file, actor, "remove", work_file.status, note)
    audit_record(
        actor=actor,
        action="update",
        object_type=FILE_OBJECT_TYPE,
        object_id=work_file.pk,
        detail={"remove": document_id},
    )


def file_transition(*, actor: Actor, work_file: WorkFile, action: str, note: str = "") -> WorkFile:
    """``close`` an open file, ``reopen`` a closed one (a reason); handing over is done for the
    whole year by :func:`files_hand_over`."""
    if action == FileAction.HAND_OVER:
        raise ValidationFailed(_("Nộp lưu cả năm từ trang danh mục hồ sơ."), field="action")
    FILE_LIFECYCLE.transition(actor=actor, obj=work_file, action=action, note=note)
    work_file.refresh_from_db()
    return work_file


def _organizations(actor: Actor, code: str | None) -> Organization | None:
    if not code:
        return None
    organization = organization_by_code(code)
    if organization is None:
        raise NotFound(
            lazy_format(_("Không có cơ quan mã %(code)s."), code=code), field="organization"
        )
    return organization


def _year_files(actor: Actor, year: int, organization: Organization | None) -> QuerySet[WorkFile]:
    _check_year(year)
    if actor is not None or organization is not None:
        organization = _agency(actor, organization)
    qs = WorkFile.objects.filter(year=year)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs


def files_close_year(
    *, actor: Actor, year: int, organization: Organization | None = None, code: str | None = None
) -> int:
    """Close every open file of ``year`` of the agency (the actor's, or ``organization`` /
    ``code``; every agency when the system closes without one); returns how many. A year is
    closed once it has ended, or in its last month."""
    require(actor, CLOSE)
    organization = organization or _organizations(actor, code)
    today = timezone.localdate()
    if year > today.year or (year == today.year and today.month < 12):
        raise ValidationFailed(
            lazy_format(_("Năm %(year)s chưa kết thúc, chưa đóng hồ sơ được."), year=year),
            field="year",
        )
    closed = 0
    with transaction.atomic():
        for work_file in _year_files(actor, year, organization).filter(status=FileStatus.OPEN):
            FILE_LIFECYCLE.transition(
                actor=actor,
                obj=work_file,
                action=FileAction.CLOSE,
                note=str(_("Kết thúc hồ sơ cuối năm")),
            )
            closed += 1
    return closed


@dataclass(frozen=True)
class HandoverRow:
    """One line of the handover list (mục lục hồ sơ nộp lưu)."""

    number: int
    code: str
    title: str
    first: dt.date | None
    last: dt.date | None
    retention: str
    documents: int
    responsible: str


def handover_rows(handover: Handover) -> list[HandoverRow]:
    rows = []
    files = handover.work_files.select_related("responsible").order_by("code", "pk")
    for number, work_file in enumerate(files, start=1):
        dates = [
            d.dated or timezone.localtime(d.created_at).date()
            for d in Document.objects.filter(file_item__work_file=work_file)
        ]
        rows.append(
            HandoverRow(
                number=number,
                code=work_file.code,
                title=work_file.title,
                first=min(dates) if dates else None,
                last=max(dates) if dates else None,
                retention=work_file.retention_label,
                documents=len(dates),
                responsible=actor_name(work_file.responsible, full=True),
            )
        )
    return rows


def _fingerprint(item: FileItem) -> str:
    """The SHA-256 of the document's stored file, checked against the one recorded when it was
    stored: a changed or missing file stops the handover."""
    document = item.document
    if not document.file_path:
        return ""
    try:
        digest, _size = sha256_of(default_storage, document.file_path)
    except FileNotFoundError:
        digest = ""
    if not digest or (document.file_sha256 and digest != document.file_sha256):
        raise Conflict(
            lazy_format(
                _(
                    "Tệp của văn bản %(doc)s đã bị thay đổi hoặc mất; kiểm tra toàn vẹn trước "
                    "khi nộp lưu."
                ),
                doc=str(document),
            ),
            field="work_file",
        )
    return digest


def handover_xlsx(handover: Handover, rows: list[HandoverRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Mục lục hồ sơ"
    sheet.append([f"MỤC LỤC HỒ SƠ NỘP LƯU NĂM {handover.year}"])
    sheet.append([handover.organization.name])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Số, ký hiệu hồ sơ",
            "Tiêu đề hồ sơ",
            "Thời gian bắt đầu",
            "Thời gian kết thúc",
            "Thời hạn bảo quản",
            "Số lượng văn bản",
            "Người lập hồ sơ",
        ]
    )
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.number,
                row.code,
                row.title,
                row.first.strftime("%d/%m/%Y") if row.first else "",
                row.last.strftime("%d/%m/%Y") if row.last else "",
                row.retention,
                row.documents,
                row.responsible,
            ]
        )
    sheet["A1"].font = Font(bold=True, size=13)
    for column, width in zip("ABCDEFGH", (6, 16, 60, 14, 14, 16, 12, 28), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def handover_pdf(handover: Handover, rows: list[HandoverRow]) -> bytes:
    html = render_to_string(
        "documents/pdf/handover.html",
        {"handover": handover, "rows": rows, "total": sum(r.documents for r in rows)},
    )
    return html_to_pdf(html)


@transaction.atomic
def files_hand_over(
    *, actor: Actor, year: int, organization: Organization | None = None, code: str | None = None
) -> Handover:
    """Hand the agency's closed files of ``year`` to its archive: each document's stored file is
    checked and fingerprinted (SHA-256), the files become ``handed``, and the handover list is
    stored as PDF and XLSX through ``archive`` (so ``hotich archive fixity`` checks them)."""
    require(actor, CLOSE)
    organization = _agency(actor, organization or _organizations(actor, code))
    files = list(
        _year_files(actor, year, organization)
        .filter(status=FileStatus.CLOSED)
        .select_for_update(of=("self",))
    )
    if not files:
        raise ValidationFailed(
            lazy_format(_("Năm %(year)s không có hồ sơ đã kết thúc chờ nộp lưu."), year=year),
            field="year",
        )
    handover = Handover.objects.create(
        organization=organization, year=year, created_by=acting_user(actor)
    )
    count = 0
    for work_file in files:
        for item in work_file.items.select_related("document"):
            item.sha256 = _fingerprint(item)
            item.save(update_fields=["sha256"])
            count += 1
        FILE_LIFECYCLE.transition(
            actor=actor, obj=work_file, action=FileAction.HAND_OVER, handover=handover
        )
    handover.files, handover.documents = len(files), count
    rows = handover_rows(handover)
    folder = f"documents/nop-luu/{organization.code}/{year}/{handover.pk}"
    pdf = archive_store(
        path=f"{folder}/muc-luc.pdf", content=handover_pdf(handover, rows), source="documents"
    )
    xlsx = archive_store(
        path=f"{folder}/muc-luc.xlsx", content=handover_xlsx(handover, rows), source="documents"
    )
    handover.pdf_path, handover.pdf_sha256 = pdf.path, pdf.sha256
    handover.xlsx_path, handover.xlsx_sha256 = xlsx.path, xlsx.sha256
    handover.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=HANDOVER_OBJECT_TYPE,
        object_id=handover.pk,
        detail={"organization": organization.pk, "year": year, "files": len(files)},
    )
    return handover
