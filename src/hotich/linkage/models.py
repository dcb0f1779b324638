"""Linkage runs, their candidate pairs (the review queue) and disagreements with the population
database."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class RunKind(models.TextChoices):
    LINK = "link", _("Đối chiếu hai tệp")
    DEDUPE = "dedupe", _("Tìm bản trùng trong một tệp")


class LinkageRun(models.Model):
    """One linkage job: two uploaded files (or one, for duplicates), run in the background."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=RunKind.choices, default=RunKind.LINK)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    left_name = models.CharField(max_length=200)
    right_name = models.CharField(max_length=200, blank=True)
    left_path = models.CharField(max_length=300)
    right_path = models.CharField(max_length=300, blank=True)
    threshold_low = models.FloatField(default=0.5)
    threshold_high = models.FloatField(default=0.95)
    left_count = models.PositiveIntegerField(default=0)
    right_count = models.PositiveIntegerField(default=0)
    pair_count = models.PositiveIntegerField(default=0)
    auto_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    label_count = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"linkage run #{self.pk}"

    def state(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "kind": self.kind,
            "status": self.status,
            "thresholds": [self.threshold_low, self.threshold_high],
            "pairs": self.pair_count,
        }


class PairStatus(models.TextChoices):
    AUTO = "auto", _("Tự động khớp")
    REVIEW = "review", _("Chờ xem xét")
    ACCEPTED = "accepted", _("Cùng một người")
    REJECTED = "rejected", _("Không phải cùng một người")


class CandidatePair(models.Model):
    """A pair scored at or above the run's lower threshold; pairs below the upper threshold wait
    for an officer's decision, which is kept as a label for the next training."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="pairs")
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    left_id = models.CharField(max_length=64)
    right_id = models.CharField(max_length=64)
    probability = models.FloatField()
    left_record = models.JSONField(default=dict)
    right_record = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=PairStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "left_id", "right_id"], name="linkage_pair_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"candidate pair #{self.pk}"

    def state(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "run": self.run_id,
            "left_id": self.left_id,
            "right_id": self.right_id,
            "status": self.status,
            "note": self.note,
        }


class DisagreementField(models.TextChoices):
    FULL_NAME = "full_name", _("Họ, chữ đệm và tên")
    SEX = "sex", _("Giới tính")
    BIRTH_DATE = "birth_date", _("Ngày sinh")
    MISSING = "missing", _("Không có trong CSDL dân cư")


class Resolution(models.TextChoices):
    BOOK_WINS = "book_wins", _("Sổ hộ tịch đúng: đề nghị cập nhật CSDL quốc gia về dân cư")
    REGISTER_CORRECTION = "register_correction", _("Sổ ghi sai: cần cải chính hộ tịch")
    WRONG_ID = "wrong_id", _("Số định danh ghi nhầm người")
    NO_DIFFERENCE = "no_difference", _("Không phải khác biệt (cách viết)")


class Disagreement(models.Model):
    """A field of a registered record that differs from the population database."""

    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey("registry.Record", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20)
    personal_id = models.CharField(max_length=12)
    field = models.CharField(max_length=20, choices=DisagreementField.choices)
    book_value = models.CharField(max_length=255, blank=True)
    popdb_value = models.CharField(max_length=255, blank=True)
    page_image_id = models.BigIntegerField(null=True, blank=True)
    is_historic = models.BooleanField(default=False)
    found_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(max_length=24, choices=Resolution.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolved_at", "-found_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "role", "field"],
                condition=models.Q(resolution=""),
                name="linkage_disagreement_open_unique",
            )
        ]
        indexes = [models.Index(fields=["unit", "resolution"])]

    def __str__(self) -> str:
        return f"disagreement #{self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.resolution

    def state(self) -> dict[str, object]:
        return {
            "id": self.pk,
            "record": self.record_id,
            "role": self.role,
            "field": self.field,
            "book_value": self.book_value,
            "popdb_value": self.popdb_value,
            "resolution": self.resolution,
            "note": self.note,
        }
