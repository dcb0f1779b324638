"""Digitizing register books: scan batches, page images, entry regions, keyings, arbitration
decisions, QA checks, and the per-book state (see README.md for the life cycle).

A page's master file is stored untouched under its SHA-256 (content-addressed, so the same file
is stored once); the web image and the thumbnail are derivatives made by a background task.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã xong")


class ScanBatch(models.Model):
    """One import of files into a book (an upload session or one ``scan import`` run)."""

    book = models.ForeignKey("registry.Book", on_delete=models.PROTECT, related_name="+")
    scope_unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, default="upload")  # upload | cli
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.RUNNING
    )
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    pages_added = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"file", "reason"}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"scan batch #{self.pk}"


class DerivativeStatus(models.TextChoices):
    PENDING = "pending", _("Đang xử lý")
    READY = "ready", _("Sẵn sàng")
    FAILED = "failed", _("Lỗi")


class ScanStep(models.TextChoices):
    """The steps of a page's processing, in order (``services.scan``)."""

    DERIVATIVES = "derivatives", _("Tạo ảnh xem và ảnh nhỏ")
    TILES = "tiles", _("Tạo ô ảnh IIIF")
    OCR = "ocr", _("Nhận dạng chữ (OCR)")


class PageImage(models.Model):
    """One page of a register book. ``master_name`` is the untouched file as received (a PDF
    or multi-page TIFF holds several pages: ``source_page`` is the index inside it)."""

    book = models.ForeignKey("registry.Book", on_delete=models.PROTECT, related_name="+")
    scope_unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(
        ScanBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    number = models.PositiveIntegerField()  # page number in the book, from 1
    sha256 = models.CharField(max_length=64)  # of the master file
    source_page = models.PositiveIntegerField(default=0)
    master_name = models.CharField(max_length=255)
    original_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=5)  # tiff | jpeg | png | pdf
    mime = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    web_name = models.CharField(max_length=255, blank=True)
    web_width = models.PositiveIntegerField(default=0)
    web_height = models.PositiveIntegerField(default=0)
    thumb_name = models.CharField(max_length=255, blank=True)
    skew_degrees = models.FloatField(default=0.0)
    derivatives = models.CharField(
        max_length=10, choices=DerivativeStatus.choices, default=DerivativeStatus.PENDING
    )
    ocr_text = models.TextField(blank=True)
    # side of the IIIF tiles made from the web image (``services.iiif``); 0 = none made yet
    tile_size = models.PositiveSmallIntegerField(default=0)
    # the scan pipeline's step that failed last, and why (message id, translated on display)
    failed_step = models.CharField(max_length=40, choices=ScanStep.choices, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="digitization_page_number"),
            models.UniqueConstraint(
                fields=["book", "sha256", "source_page"], name="digitization_page_file"
            ),
        ]
        ordering = ["book", "number"]

    def __str__(self) -> str:
        return f"page {self.number} of book #{self.book_id}"


class EntryStatus(models.TextChoices):
    NEW = "new", _("Chưa nhập")
    KEYED_ONCE = "keyed_once", _("Đã nhập lần 1")
    ARBITRATION = "arbitration", _("Chờ phân xử")
    VERIFIED = "verified", _("Đã thống nhất")
    PUBLISHED = "published", _("Đã đưa vào sổ")


class Clash(models.TextChoices):
    """How an entry whose number a directly registered record already holds is published."""

    SUPPLEMENT = "supplement", _("Ghi vào sổ bổ sung")
    LINKED = "linked", _("Cùng một sự kiện với bản ghi đã có")
    WITHDRAWN = "withdrawn", _("Không đưa vào sổ")


class Entry(models.Model):
    """One entry of the book: a region (box) on a page. ``region`` is ``{"x","y","w","h"}`` in
    fractions of the page's width and height. ``values`` are the agreed values once verified:
    ``{field: {"v": text, "m": "" | "illegible" | "blank"}}``."""

    book = models.ForeignKey("registry.Book", on_delete=models.PROTECT, related_name="+")
    scope_unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    page = models.ForeignKey(PageImage, on_delete=models.PROTECT, related_name="entries")
    entry_number = models.PositiveIntegerField()
    region = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=EntryStatus.choices, default=EntryStatus.NEW)
    prefill = models.JSONField(default=dict, blank=True)  # OCR suggestions, never overwrite keying
    values = models.JSONField(default=dict, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)  # the published registry record
    clash = models.CharField(max_length=12, choices=Clash.choices, blank=True, default="")
    qa_sampled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["book", "entry_number"], name="digitization_entry_no")
        ]
        indexes = [models.Index(fields=["book", "status"])]
        ordering = ["book", "entry_number"]

    def __str__(self) -> str:
        return f"entry {self.entry_number} of book #{self.book_id}"


class Keying(models.Model):
    """One clerk's blind keying of an entry (``seq`` 1 or 2)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="keyings")
    seq = models.PositiveSmallIntegerField()
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    values = models.JSONField(default=dict)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    fields_total = models.PositiveIntegerField(default=0)
    fields_kept = models.PositiveIntegerField(default=0)  # that survived comparison/arbitration

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "seq"], name="digitization_keying_seq"),
            models.UniqueConstraint(fields=["entry", "clerk"], name="digitization_keying_clerk"),
        ]
        indexes = [models.Index(fields=["clerk", "submitted_at"])]

    def __str__(self) -> str:
        return f"keying {self.seq} of entry #{self.entry_id}"


class Decision(models.Model):
    """A field on which the two keyings differed, and the arbitrator's decision on it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    field = models.CharField(max_length=60)
    first = models.JSONField(default=dict)
    second = models.JSONField(default=dict)
    choice = models.CharField(max_length=6, blank=True)  # first | second | third
    value = models.JSONField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "field"], name="digitization_decision_field")
        ]
        ordering = ["entry", "pk"]

    def __str__(self) -> str:
        return f"decision on entry #{self.entry_id}"


class QaCheck(models.Model):
    """A reviewer's re-check of a sampled verified entry against the image."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="qa_checks")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    passed = models.BooleanField()
    corrections = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "at"]

    def __str__(self) -> str:
        return f"QA check of entry #{self.entry_id}"


class BookStage(models.TextChoices):
    INTAKE = "intake", _("Đang số hóa")
    PUBLISHED = "published", _("Đã đưa vào sổ")


class DigitizedBook(models.Model):
    """The digitization state of one register book."""

    book = models.OneToOneField("registry.Book", on_delete=models.PROTECT, related_name="+")
    scope_unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    qa_share = models.FloatField(default=0.1)
    # The totals written on the paper book's closing page (or the registry book's, when closed).
    closing_pages = models.PositiveIntegerField(null=True, blank=True)
    closing_entries = models.PositiveIntegerField(null=True, blank=True)
    full_qa = models.BooleanField(default=False)  # a sample failed: every entry is re-checked
    stage = models.CharField(max_length=10, choices=BookStage.choices, default=BookStage.INTAKE)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"digitization of book #{self.book_id}"
