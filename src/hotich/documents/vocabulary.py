"""The words of the document register: directions, document types with their abbreviations
(Decree 30/2020/NĐ-CP, appendix III), statuses and the status → allowed actions table.

Outgoing (văn bản đi): draft → submitted → approved → signed → issued; the approver may return
a submitted draft; a signer may withdraw a signed or issued document (its verify page then says
it is no longer valid). A document signed by hand on paper is numbered with its scan instead
(``sign_paper``), so that reporting can compare digital signing with all outgoing documents.
Incoming (văn bản đến): received → assigned → processed → closed; a document sent
electronically whose signature fails verification is received as ``rejected``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

OBJECT_TYPE = "documents.document"


class Direction(models.TextChoices):
    OUTGOING = "out", _("Văn bản đi")
    INCOMING = "in", _("Văn bản đến")


class DocType(models.TextChoices):
    """Types of administrative documents; the value is the abbreviation used in the number."""

    DECISION = "QĐ", _("Quyết định")
    OFFICIAL_LETTER = "CV", _("Công văn")
    SUBMISSION = "TTr", _("Tờ trình")
    REPORT = "BC", _("Báo cáo")
    NOTICE = "TB", _("Thông báo")
    PLAN = "KH", _("Kế hoạch")
    RESOLUTION = "NQ", _("Nghị quyết")


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    SIGNED = "signed", _("Đã ký")
    ISSUED = "issued", _("Đã ban hành")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROPOSED = "proposed", _("Chờ ý kiến chỉ đạo")
    ASSIGNED = "assigned", _("Đang xử lý")
    PROCESSED = "processed", _("Đã xử lý")
    CLOSED = "closed", _("Đã kết thúc")
    REJECTED = "rejected", _("Từ chối: chữ ký không hợp lệ")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Trình duyệt")
    APPROVE = "approve", _("Duyệt")
    RETURN = "return", _("Trả lại")
    SIGN = "sign", _("Ký số")
    SIGN_PAPER = "sign_paper", _("Vào số văn bản ký giấy")
    ISSUE = "issue", _("Ban hành")
    WITHDRAW = "withdraw", _("Thu hồi")
    ASSIGN = "assign", _("Giao xử lý")
    PROCESS = "process", _("Hoàn thành xử lý")
    CLOSE = "close", _("Kết thúc")
    PROPOSE = "propose", _("Đề xuất xử lý")
    INSTRUCT = "instruct", _("Bút phê, giao xử lý")
    FORWARD = "forward", _("Chuyển xử lý")
    CONSULT = "consult", _("Xin ý kiến")
    OPINION = "opinion", _("Cho ý kiến")
    REPORT = "report", _("Báo cáo kết quả")


#: statuses in which an incoming document still waits for its handler (overdue when late)
OPEN_INCOMING = (Status.RECEIVED, Status.PROPOSED, Status.ASSIGNED)


class AssignmentRole(models.TextChoices):
    """A person's part on an incoming document's route."""

    LEAD = "lead", _("Chủ trì xử lý")
    CO = "co", _("Phối hợp")
    OPINION = "opinion", _("Được xin ý kiến")


class TaskStatus(models.TextChoices):
    TODO = "todo", _("Chưa thực hiện")
    DOING = "doing", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


class TaskAction(models.TextChoices):
    START = "start", _("Bắt đầu")
    PROGRESS = "progress", _("Báo cáo tiến độ")
    COMPLETE = "complete", _("Hoàn thành")
    CANCEL = "cancel", _("Hủy nhiệm vụ")


OPEN_TASKS = (TaskStatus.TODO, TaskStatus.DOING)
TASK_OBJECT_TYPE = "documents.task"
CALENDAR_OBJECT_TYPE = "documents.calendar_entry"

#: Abbreviation of the issuing agency when none is configured for the unit
DEFAULT_AGENCY_ABBREV = "UBND"
#: The issuing body of a document by the kind of the organization that issues it, when it is not
#: the People's Committee: its abbreviation in numbers (``12/NQ-HĐND``), its name at the top of
#: the page and in the signature block ("TM. HỘI ĐỒNG NHÂN DÂN")
ISSUING_BODIES: dict[str, tuple[str, str]] = {
    "hdnd": ("HĐND", "HỘI ĐỒNG NHÂN DÂN"),
}
ISSUING_BODY_DEFAULT = (DEFAULT_AGENCY_ABBREV, "ỦY BAN NHÂN DÂN")


def issuing_body(organization: object) -> tuple[str, str]:
    """The abbreviation and the name of the body issuing for an organization (by its kind; the
    People's Committee when there is none)."""
    return ISSUING_BODIES.get(str(getattr(organization, "kind", "")), ISSUING_BODY_DEFAULT)


#: Abbreviation of the drafting section of a commune's justice officer (công văn numbers)
DEFAULT_SECTION_ABBREV = "TP"

#: what the history calls each step
EVENT_LABELS: dict[str, object] = {
    "create": _("Tạo dự thảo"),
    "edit": _("Sửa dự thảo"),
    "receive": _("Tiếp nhận"),
    "version": _("Lưu phiên bản dự thảo"),
    "comment": _("Góp ý dự thảo"),
    **dict(Action.choices),
}


# --- work files (hồ sơ công việc), Decree 30/2020/NĐ-CP and Circular 10/2022/TT-BNV ---------


class FileStatus(models.TextChoices):
    OPEN = "open", _("Đang lập")
    CLOSED = "closed", _("Đã kết thúc")
    HANDED_OVER = "handed", _("Đã nộp lưu")


class FileAction(models.TextChoices):
    CLOSE = "close", _("Kết thúc hồ sơ")
    REOPEN = "reopen", _("Mở lại hồ sơ")
    HAND_OVER = "hand_over", _("Nộp lưu vào lưu trữ cơ quan")


FILE_OBJECT_TYPE = "documents.work_file"
HANDOVER_OBJECT_TYPE = "documents.handover"
#: a retention period in years (Circular 10/2022/TT-BNV: 5, 10, 20, 70 years…); none is permanent
MAX_RETENTION_YEARS = 70
#: a file's code in the agency's file list (``01.TP``, ``I.2.a``)
FILE_CODE_MAX = 30
#: the years a file list may be kept for
FILE_YEARS = (2000, 2100)


# --- the text read from a document's file, for the search ------------------------------------


class TextSource(models.TextChoices):
    LAYER = "layer", _("Lớp chữ của tệp PDF")
    OCR = "ocr", _("Nhận dạng chữ từ bản quét")
