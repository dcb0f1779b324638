"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.db import models

from hotich.audit.vocabulary import Action


class Entry(models.Model):
    """One audit entry. ``entry_hash`` = SHA-256(previous entry's hash + this entry's canonical
    content), so changing, deleting or inserting a row breaks the chain from that row on."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    user_id_snapshot = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    unit_path = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before_hash = models.CharField(max_length=64, blank=True)
    after_hash = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    legal_basis = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["username"]),
            models.Index(fields=["at"]),
        ]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """A single row locked while appending, so concurrent writers extend the chain in order.

    It also keeps the first break found (by an append that met rows the head does not know, or
    by a full check), so that the health check and the auditor's page can report it cheaply.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)
    broken_seq = models.BigIntegerField(null=True, blank=True)
    broken_entry_id = models.BigIntegerField(null=True, blank=True)
    broken_reason = models.CharField(max_length=300, blank=True)
    broken_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"head #{self.seq}"
