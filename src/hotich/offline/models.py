"""Devices that keep work offline, and the receipts of what they sent (one per idempotency key)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    """A browser on a laptop or tablet registered by its user for offline work. Its encryption
    key is derived on the server from the secret key and ``public_id`` (never stored); a revoked
    device gets no key and its pending changes are refused."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offline_devices"
    )
    name = models.CharField(_("tên thiết bị"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Receipt(models.Model):
    """The answer given to one change a device sent: a replay of the same idempotency key gets
    the same answer and changes nothing."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="receipts")
    key = models.CharField(max_length=64)
    #: what the change was: a keying, an arbitration decision, a paper dossier taken at the desk
    kind = models.CharField(max_length=10, default="keying")
    #: the digitization entry, or the dossier created (kind "intake")
    entry_id = models.BigIntegerField()
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "key"], name="offline_receipt_key"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.device_id}:{self.key}"
