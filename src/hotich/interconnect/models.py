"""Packages exchanged with other agencies over the document interconnection axis, and the
status messages about each."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hotich.interconnect.vocabulary import Direction, PackageState, RefusalCode, StatusCode


class Package(models.Model):
    """One edXML package: sent (an issued document of ours to one agency) or received (into
    one of our agencies). ``document_key`` is the edXML ``DocumentId``, the package's one
    idempotency key: an agency accepts it once (the constraint), a refused one may come again.
    """

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    document_key = models.CharField(_("mã gói tin"), max_length=64)
    from_code = models.CharField(_("mã cơ quan gửi"), max_length=40)
    from_name = models.CharField(_("cơ quan gửi"), max_length=300, blank=True)
    to_code = models.CharField(_("mã cơ quan nhận"), max_length=40)
    to_name = models.CharField(_("cơ quan nhận"), max_length=300, blank=True)
    notation = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=300, blank=True)
    # ours: the outgoing document sent, or the incoming document registered from the package
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("trạng thái"), max_length=6, choices=PackageState.choices)
    refusal = models.CharField(max_length=20, choices=RefusalCode.choices, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    file_path = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "document_key", "to_code"],
                condition=~Q(state=PackageState.REFUSED),
                name="interconnect_package_once",
            )
        ]
        indexes = [models.Index(fields=["direction", "state"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.direction}:{self.document_key}→{self.to_code}"


class StatusMessage(models.Model):
    """One edXML status message about a package: sent by us (about a package we received) or
    received (about a package we sent). Outgoing messages wait in this outbox until the axis
    takes them (``delivered_at``)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="statuses")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    code = models.CharField(_("trạng thái"), max_length=2, choices=StatusCode.choices)
    description = models.CharField(_("nội dung"), max_length=500, blank=True)
    organ_code = models.CharField(max_length=40)
    at = models.DateTimeField(_("thời điểm"))
    delivered_at = models.DateTimeField(null=True, blank=True)
    message_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.package_id}"
