"""Reports pushed to the national reporting system: one :class:`Submission` per unit × report
× period × revision, each with the attempts made to deliver it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Đang gửi")
    ACCEPTED = "accepted", _("Đã được tiếp nhận")
    REJECTED = "rejected", _("Bị từ chối")
    FAILED = "failed", _("Gửi không thành công")


class Submission(models.Model):
    """One report sent (or being sent) to the national system.

    ``idempotency_key`` is sent with every delivery attempt of this submission, so that the
    receiver stores it once however many times a failed attempt is retried. A new revision
    (after a rejection) is a new submission with a new key.
    """

    report = models.CharField(max_length=40)
    form_code = models.CharField(max_length=40)
    regime = models.CharField(max_length=20)
    period_code = models.CharField(max_length=12)
    unit = models.ForeignKey("geo.Unit", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    payload_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    receipt_id = models.CharField(max_length=80, blank=True)
    receiver_status = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "period_code", "unit", "revision"],
                name="reporting_submission_revision_unique",
            )
        ]
        indexes = [models.Index(fields=["report", "period_code", "unit"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"submission #{self.pk} {self.report} {self.period_code} r{self.revision}"


class Attempt(models.Model):
    """One delivery attempt: what the receiver answered (or why nothing was delivered)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20)
    message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"attempt {self.outcome} of submission #{self.submission_id}"
