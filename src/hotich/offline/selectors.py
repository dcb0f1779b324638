"""Reads of offline work: the batch a clerk takes onto a device, the devices an administrator
sees (those of users in their unit and below)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require, scoped
from hotich.audit.services import audit_record
from hotich.digitization.selectors import (
    arbitration_item,
    arbitration_to_take,
    arbitration_version,
    entries_to_key,
    entry_version,
    keying_form,
)
from hotich.offline.models import Device
from hotich.offline.vocabulary import (
    ARBITRATE_ACTION,
    BATCH_MAX,
    DEVICE_ACTIONS,
    INTAKE_ACTION,
    KEY_ACTION,
    MANAGE_ACTION,
)
from hotich.portal.selectors import procedures_public


def batch_take(actor: Actor, *, size: int) -> dict[str, Any]:
    """Up to ``size`` entries the actor may key, with the form of each book's event and the
    address of each entry's image; the reading is audited (the images are read when fetched)."""
    user = require(actor, KEY_ACTION, system=False)
    entries = entries_to_key(user, limit=max(1, min(size, BATCH_MAX)))
    forms: dict[str, list[dict[str, Any]]] = {}
    out = []
    for entry in entries:
        event_type = entry.book.event_type
        if event_type not in forms:
            forms[event_type] = keying_form(event_type)
        out.append(
            {
                "id": entry.pk,
                "entry_number": entry.entry_number,
                "book": entry.book_id,
                "book_label": f"{entry.book.get_event_type_display()} {entry.book.year} · "
                f"{entry.book.unit.name}",
                "page_number": entry.page.number,
                "event_type": event_type,
                "version": entry_version(entry),
                "image": reverse("digitization:entry_crop", kwargs={"entry_id": entry.pk}),
                "prefill": entry.prefill or {},
            }
        )
    audit_record(
        actor=user,
        action="read",
        object_type="offline.batch",
        object_id=user.pk,
        detail={"entries": [e["id"] for e in out]},
    )
    return {"entries": out, "forms": forms}


def arbitration_take(actor: Actor, *, size: int) -> dict[str, Any]:
    """Up to ``size`` entries in arbitration the actor may decide, each with both keyings of
    the fields to decide, the fields agreed, its version and the address of its image crop, and
    the form of each book's event (for a third value); the reading is audited."""
    user = require(actor, ARBITRATE_ACTION, system=False)
    entries = arbitration_to_take(user, limit=max(1, min(size, BATCH_MAX)))
    forms: dict[str, list[dict[str, Any]]] = {}
    out = []
    for entry in entries:
        event_type = entry.book.event_type
        if event_type not in forms:
            forms[event_type] = keying_form(event_type)
        out.append(
            {
                "id": entry.pk,
                "kind": "arbitration",
                "entry_number": entry.entry_number,
                "book": entry.book_id,
                "book_label": f"{entry.book.get_event_type_display()} {entry.book.year} · "
                f"{entry.book.unit.name}",
                "page_number": entry.page.number,
                "event_type": event_type,
                "version": arbitration_version(entry),
                "image": reverse("digitization:entry_crop", kwargs={"entry_id": entry.pk}),
                **arbitration_item(entry),
            }
        )
    audit_record(
        actor=user,
        action="read",
        object_type="offline.batch",
        object_id=user.pk,
        detail={"entries": [e["id"] for e in out], "kind": "arbitration"},
    )
    return {"entries": out, "forms": forms}


def intake_forms(actor: Actor) -> dict[str, Any]:
    """The procedures the desk officer's unit takes paper dossiers for, each with its form, its
    papers and its time limit, to take them while offline."""
    user = require(actor, INTAKE_ACTION, system=False)
    procedures = procedures_public()
    if user.unit is None or user.unit.level != "commune":
        procedures = procedures.exclude(authority_level="commune")
    return {
        "unit": user.unit.name if user.unit else "",
        "procedures": [
            {
                "code": p.code,
                "name": p.name,
                "processing_days": p.processing_days,
                "fee": p.fee,
                "form": p.form_schema,
                "documents": p.required_documents,
            }
            for p in procedures
        ],
    }


def devices_in_scope(actor: Actor) -> QuerySet[Device]:
    """The devices of users in the administrator's unit and below."""
    require(actor, MANAGE_ACTION)
    qs = Device.objects.select_related("user", "revoked_by")
    return qs if actor is None else scoped(actor, qs, "user__unit")


def device_get(actor: Actor, device_id: int) -> Device:
    """One device of the administrator's scope, or 404."""
    device: Device | None = devices_in_scope(actor).filter(pk=device_id).first()
    if device is None:
        raise Http404
    return device


def devices_of(actor: Actor) -> QuerySet[Device]:
    """The actor's own devices."""
    user = require(actor, DEVICE_ACTIONS, system=False)
    return Device.objects.filter(user=user)
