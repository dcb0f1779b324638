"""The register of official documents of each agency (unit): outgoing and incoming documents,
their history, and the counters their numbers come from."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hotich.core.text import fold
from hotich.documents.vocabulary import (
    DEFAULT_SECTION_ABBREV,
    EVENT_LABELS,
    MAX_RETENTION_YEARS,
    OPEN_INCOMING,
    AssignmentRole,
    Direction,
    DocType,
    FileStatus,
    Status,
    TaskStatus,
    TextSource,
)


def search_key_for(document: Document) -> str:
    parts = (document.number, document.sender_number, document.title, document.sender_name)
    return fold(" ".join(p for p in parts if p))[:700]


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def content_words(text: str) -> str:
    """Folded text reduced to its words (letters and digits), each after one space:
    ``"Số 12/QĐ-UBND về đất đai"`` → ``" so 12 qd ubnd ve dat dai"``."""
    words = _NOT_WORD.sub(" ", fold(text)).split()
    return "".join(f" {w}" for w in words)


def content_key_for(document: Document) -> str:
    """What the document search reads: the number, original number, title, sender, summary,
    body and the text read from the file (its text layer or the scan's OCR), folded."""
    parts = (
        document.number,
        document.sender_number,
        document.title,
        document.sender_name,
        document.summary,
        document.body,
        document.text,
    )
    return content_words(" ".join(p for p in parts if p))


class Document(models.Model):
    """One official document in one unit's register.

    Outgoing: drafted, approved, numbered and signed (``number`` ``12/QĐ-UBND``; a công văn
    ``123/UBND-TP``), then issued; issuing it to another unit creates an incoming document
    there (``source_document``) holding the signed PDF, verified on receipt. Incoming: an
    arrival number per unit and year, a handler and a deadline.
    """

    direction = models.CharField(_("loại sổ"), max_length=3, choices=Direction.choices)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    # the agency whose register it is (the author's organization); None before organizations
    organization = models.ForeignKey(
        "agencies.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField(_("loại văn bản"), max_length=4, choices=DocType.choices)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices)
    title = models.CharField(_("trích yếu"), max_length=300)
    summary = models.TextField(_("tóm tắt"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    section_abbrev = models.CharField(
        _("đơn vị soạn thảo (viết tắt)"), max_length=20, default=DEFAULT_SECTION_ABBREV
    )
    # numbering (outgoing: when signed; incoming: the arrival number)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    dated = models.DateField(_("ngày văn bản"), null=True, blank=True)
    # outgoing: where it goes
    recipient_unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(_("nơi nhận"), max_length=200, blank=True)
    # incoming: where it came from and under which number
    sender_unit = models.ForeignKey(
        "geo.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_name = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    sender_number = models.CharField(_("số, ký hiệu gốc"), max_length=60, blank=True)
    source_document = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    # the file: the signed PDF (outgoing, or received electronically) or the scan of a paper
    signed = models.ForeignKey(
        "signing.SignedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_path = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    signed_digitally = models.BooleanField(default=False)
    signature_valid = models.BooleanField(null=True)
    signature_report = models.JSONField(default=dict, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    # number, original number, subject and sender without diacritics, lower case (search)
    search_key = models.CharField(max_length=700, blank=True, editable=False)
    # the text read from the stored file in the background: its text layer (pdftotext) or,
    # for a scan of paper, OCR (tesseract, Vietnamese); the failure's reason when it could not
    text = models.TextField(blank=True, editable=False)
    text_source = models.CharField(
        max_length=5, choices=TextSource.choices, blank=True, editable=False
    )
    text_failure = models.CharField(max_length=200, blank=True, editable=False)
    # the words of everything searched (``content_key_for``); PostgreSQL indexes its tsvector
    content_key = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "direction", "year", "doc_type", "sequence"],
                name="documents_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "direction", "status"]),
            models.Index(fields=["unit", "signed_at"]),
            models.Index(fields=["organization", "direction", "status"]),
            # newest first: the search walks it when a query matches many documents
            models.Index(fields=["-created_at", "-id"], name="documents_newest"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = search_key_for(self)
        self.content_key = content_key_for(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key", "content_key"}
        super().save(*args, **kwargs)

    def is_overdue(self, today: object) -> bool:
        return (
            self.direction == Direction.INCOMING
            and self.status in OPEN_INCOMING
            and self.deadline is not None
            and self.deadline < today  # type: ignore[operator]
        )

    def state(self) -> dict[str, object]:
        """What the audit log hashes (no personal data leaves the database)."""
        return {
            "status": self.status,
            "number": self.number,
            "doc_type": self.doc_type,
            "title": self.title,
            "handler": self.handler_id,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "file_sha256": self.file_sha256,
        }


class Event(models.Model):
    """One step of a document's life (its history, shown on the document page)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status in Status.values else ""


class Counter(models.Model):
    """The last number used in one unit's register for one year and one series (a document type
    for outgoing documents, ``đến`` for arrival numbers); locked while numbering."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "series"], name="documents_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.series}: {self.last}"


class Assignment(models.Model):
    """A person on an incoming document's route: the lead handler (chủ trì), a co-handler
    (phối hợp) or someone whose opinion is asked. ``answered_at`` is when they reported or gave
    their opinion; a lead handler who forwards the document stays on the route, inactive."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=AssignmentRole.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    deadline = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["user", "active", "answered_at"], name="documents_assign_user"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.user_id} @ {self.document_id}"

    @property
    def role_label(self) -> str:
        return str(AssignmentRole(self.role).label)


class Version(models.Model):
    """One saved version of an outgoing draft (title and body), numbered from 1."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class Comment(models.Model):
    """A reviewer's comment on a draft, on the version it read."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.document_id}"


class Recipient(models.Model):
    """Where an outgoing document is issued: an organization of the platform (it arrives there
    as an incoming document, ``delivered``) or an outside recipient by name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    organization = models.ForeignKey(
        "agencies.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    delivered = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """A task given (giao việc) from a document, a meeting or on its own: one owner, co-workers,
    a deadline, progress reports, a result document when completed."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "agencies.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên nhiệm vụ"), max_length=300)
    description = models.TextField(_("nội dung"), blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    co_workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    deadline = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.TODO)
    progress = models.PositiveSmallIntegerField(default=0)
    result_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "deadline"], name="documents_task_owner"),
            models.Index(fields=["unit", "status", "deadline"], name="documents_task_unit"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: object) -> bool:
        return self.status in (TaskStatus.TODO, TaskStatus.DOING) and (
            self.deadline < today  # type: ignore[operator]
        )

    def state(self) -> dict[str, object]:
        return {
            "status": self.status,
            "owner": self.owner_id,
            "deadline": self.deadline.isoformat(),
            "progress": self.progress,
            "result_document": self.result_document_id,
        }


class TaskEvent(models.Model):
    """One step of a task: a status change or a progress report."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on task {self.task_id}"


class CalendarEntry(models.Model):
    """One entry of an agency's work calendar (lịch công tác): the agency's own or a leader's;
    seen in the agency once published, on the public page when also public."""

    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    title = models.CharField(_("nội dung"), max_length=300)
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    participants = models.CharField(_("thành phần"), max_length=500, blank=True)
    is_public = models.BooleanField(_("công khai"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["organization", "starts_at"], name="documents_calendar_org"),
            models.Index(fields=["leader", "starts_at"], name="documents_calendar_leader"),
        ]

    def __str__(self) -> str:
        return self.title


class Handover(models.Model):
    """One handover of an agency's closed files of a year to its archive (nộp lưu), with the
    handover list (mục lục hồ sơ nộp lưu) stored as PDF and XLSX through ``archive``."""

    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    files = models.PositiveIntegerField(default=0)
    documents = models.PositiveIntegerField(default=0)
    pdf_path = models.CharField(max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx_path = models.CharField(max_length=255, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}#{self.pk}"


class WorkFile(models.Model):
    """One file (hồ sơ) of an agency's file list (danh mục hồ sơ) for a year: its code and title,
    how long it is kept (``retention_years``; none is permanent), who keeps it; open through the
    year, closed at its end, then handed to the agency archive."""

    organization = models.ForeignKey(
        "agencies.Organization", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.CharField(_("số, ký hiệu hồ sơ"), max_length=30)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=300)
    retention_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản"), null=True, blank=True
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=FileStatus.choices, default=FileStatus.OPEN)
    handover = models.ForeignKey(
        Handover, null=True, blank=True, on_delete=models.PROTECT, related_name="work_files"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "code"], name="documents_file_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(retention_years__isnull=True)
                | models.Q(retention_years__gte=1, retention_years__lte=MAX_RETENTION_YEARS),
                name="documents_file_retention",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "year", "status"], name="documents_file_org")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def retention_label(self) -> str:
        if self.retention_years is None:
            return str(_("Vĩnh viễn"))
        return str(_("%(n)s năm") % {"n": self.retention_years})

    def state(self) -> dict[str, object]:
        return {
            "status": self.status,
            "code": self.code,
            "year": self.year,
            "retention_years": self.retention_years,
            "responsible": self.responsible_id,
            "handover": self.handover_id,
        }


class FileItem(models.Model):
    """A document put into a work file (a document is in one file at most); ``sha256`` is the
    fingerprint of its stored file taken when the file was handed over."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="items")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="file_item")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.document_id} in {self.work_file_id}"


class FileEvent(models.Model):
    """One step of a work file's life: created, a document put in or taken out, closed, reopened,
    handed over."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} on file {self.work_file_id}"
