"""Writes of offline work: a device registered and revoked, its key, a keying sent from it.

A keying made offline is applied through the digitization keying service, as if keyed online
(blind double keying, arbitration on disagreement). Each change carries an idempotency key,
answered once and remembered (:class:`Receipt`): a replay gets the first answer and adds
nothing. A keying that cannot be applied (the entry was keyed twice meanwhile, the clerk keyed it
already, or the entry's box on the page changed since the device took it) is a conflict,
answered with both versions, the device's and the server's (docs/adr/0022-offline-keying.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require, scoped
from hotich.audit.services import audit_record
from hotich.core.api_errors import error_body
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.digitization.selectors import (
    arbitration_state,
    arbitration_version,
    entry_get,
    entry_version,
    keying_state,
)
from hotich.digitization.services import entry_arbitrate, keying_submit
from hotich.offline.models import Device, Receipt
from hotich.offline.vocabulary import (
    ARBITRATE_ACTION,
    CHOICES,
    DEVICE_ACTIONS,
    DEVICE_NAME_MAX,
    INTAKE_ACTION,
    INTAKE_MAX_AGE_DAYS,
    INTAKE_MAX_BYTES,
    KEY_ACTION,
    MANAGE_ACTION,
)
from hotich.portal.selectors import procedure_public
from hotich.portal.services import Upload, dossier_enter_paper

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.digitization.models import Entry

#: the step of a change that does it (given the user and their device), inside the receipt's
#: transaction
ApplyStep = Callable[["User", Device], "Applied"]

REVOKED = _(
    "Thiết bị này đã bị thu hồi: các mục nhập còn trên thiết bị không được nhận. "
    "Hãy liên hệ quản trị hệ thống."
)
DECIDED = _(
    "Mục này đã được phân xử trên máy chủ: quyết định của bạn không được ghi. "
    "Hãy xem giá trị đã quyết định."
)
CHANGED = _(
    "Các lần nhập của mục này đã thay đổi sau khi bạn mang mục về máy: quyết định của bạn "
    "không được ghi. Hãy phân xử lại theo bản mới."
)
UNREADABLE = _("Không đọc được thay đổi gửi từ thiết bị.")
STALE = _(
    "Ô của mục trên trang sổ đã được sửa sau khi bạn mang mục về máy: bản nhập của bạn "
    "không được ghi. Hãy xem lại ảnh và nhập lại."
)


def device_key(device: Device) -> bytes:
    """The device's AES-256 key: derived from the site's secret and the device's id, so that
    nothing to steal is stored and a revoked device simply gets none."""
    return hmac.new(
        settings.SECRET_KEY.encode(),
        b"hotich-offline-device:" + device.public_id.bytes,
        hashlib.sha256,
    ).digest()


@transaction.atomic
def device_register(*, actor: Actor, name: str) -> Device:
    """A device of the actor (a clerk, an arbitrator, a desk officer) for offline work."""
    user = require(actor, DEVICE_ACTIONS, system=False)
    name = " ".join(name.split())[:DEVICE_NAME_MAX]
    if not name:
        raise ValidationFailed(_("Hãy đặt tên cho thiết bị."), field="name")
    device = Device.objects.create(user=user, name=name)
    audit_record(
        actor=actor,
        action="create",
        object_type="offline.device",
        object_id=device.pk,
        after={"name": name, "user": user.pk},
    )
    return device


def _own_device(user: User, public_id: UUID) -> Device:
    device = Device.objects.filter(public_id=public_id, user=user).first()
    if device is None:
        raise NotFound(_("Không tìm thấy thiết bị của bạn."), field="device")
    if device.revoked_at is not None:
        raise PermissionDenied(REVOKED, field="device", code="device_revoked")
    return device


def device_unlock(*, actor: Actor, public_id: UUID) -> tuple[Device, bytes]:
    """The key of the actor's own device, for this session (refused once revoked)."""
    user = require(actor, DEVICE_ACTIONS, system=False)
    device = _own_device(user, public_id)
    Device.objects.filter(pk=device.pk).update(last_seen_at=timezone.now())
    return device, device_key(device)


@transaction.atomic
def device_revoke(*, actor: Actor, device_id: int) -> Device:
    """Revoke a lost device (administrators of its user's unit): it gets no key any more and
    what it still sends is refused."""
    admin = require(actor, MANAGE_ACTION)
    qs = Device.objects.select_for_update()
    if actor is not None:
        qs = scoped(actor, qs, "user__unit")
    device = qs.filter(pk=device_id).first()
    if device is None:
        raise NotFound(_("Không tìm thấy thiết bị."), field="device")
    if device.revoked_at is not None:
        raise Conflict(_("Thiết bị này đã bị thu hồi."), field="device", code="revoked")
    device.revoked_at = timezone.now()
    device.revoked_by = admin
    device.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action="transition",
        object_type="offline.device",
        object_id=device.pk,
        detail={"action": "revoke", "user": device.user_id},
    )
    return device


@dataclass(frozen=True)
class SyncAnswer:
    """The HTTP status and body answered to a change sent from a device."""

    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Applied:
    """What applying one change gave: the answer to remember, the object it concerns (an
    entry, or the dossier made) and what else the audit entry of the receipt says."""

    status: int
    body: dict[str, Any]
    object_id: int
    detail: dict[str, Any] = field(default_factory=dict)


def _receipted(
    *, actor: Actor, action: str, device: UUID, key: str, kind: str, apply: ApplyStep
) -> SyncAnswer:
    """One change sent from ``device``, answered once per idempotency ``key``: in one
    transaction the device must be the actor's and not revoked, a receipt for the key answers at
    once (``replayed``), else ``apply`` does the change and its answer is stored as the receipt
    (audited). An error ``apply`` raises is answered, not stored (the change can be fixed and
    sent again); the same key sent twice at once gets the answer of the request that stored it."""
    user = require(actor, action, system=False)
    try:
        with transaction.atomic():
            own = _own_device(user, device)
            # one change of a device at a time
            Device.objects.select_for_update().filter(pk=own.pk).update(last_seen_at=timezone.now())
            receipt = Receipt.objects.filter(device=own, key=key).first()
            if receipt is None:
                done = apply(user, own)
                Receipt.objects.create(
                    device=own,
                    key=key,
                    kind=kind,
                    entry_id=done.object_id,
                    status=done.status,
                    body=done.body,
                )
                audit_record(
                    actor=user,
                    action="create",
                    object_type="offline.receipt",
                    object_id=key,
                    detail={
                        "device": own.pk,
                        "dossier" if kind == "intake" else "entry": done.object_id,
                        "status": done.status,
                        **done.detail,
                    },
                )
                return SyncAnswer(done.status, {**done.body, "replayed": False})
    except IntegrityError:  # the same key sent twice at once: the other request answered
        receipt = Receipt.objects.get(device__public_id=device, key=key)
    return SyncAnswer(receipt.status, {**receipt.body, "replayed": True})


def _entry_in_scope(user: User, entry_id: int) -> Entry:
    try:
        return entry_get(user, entry_id)
    except Http404:
        raise NotFound(_("Không tìm thấy mục trong phạm vi được giao."), field="entry") from None


def _conflict(exc: Conflict, entry: Entry, sent: Mapping[str, Any], server: Any) -> Applied:
    """A change that cannot be applied: answered 409 with both versions, and stored."""
    entry.refresh_from_db()
    body = {
        **error_body(exc.code, exc.message, field=exc.field),
        "entry": entry.pk,
        "entry_number": entry.entry_number,
        "device": dict(sent),
        "server": server(entry),
    }
    return Applied(409, body, entry.pk)


def _accepted(entry: Entry, **more: Any) -> Applied:
    body = {"result": "accepted", "entry": entry.pk, "entry_number": entry.entry_number, **more}
    body |= {"status": entry.status, "status_label": str(entry.get_status_display())}
    return Applied(200, body, entry.pk)


def keying_sync(
    *,
    actor: Actor,
    device: UUID,
    key: str,
    entry_id: int,
    base_version: str,
    values: Mapping[str, Any],
    started_at: dt.datetime | None = None,
) -> SyncAnswer:
    """Apply one keying made on ``device``, once per idempotency ``key``."""

    def apply(user: User, _device: Device) -> Applied:
        entry = _entry_in_scope(user, entry_id)
        try:
            if entry_version(entry) != base_version:
                raise Conflict(STALE, field="entry", code="stale")
            keying = keying_submit(actor=user, entry=entry, values=values, started_at=started_at)
        except Conflict as exc:
            return _conflict(exc, entry, values, lambda e: keying_state(e, user))
        entry.refresh_from_db()
        return _accepted(entry, seq=keying.seq)

    return _receipted(
        actor=actor, action=KEY_ACTION, device=device, key=key, kind="keying", apply=apply
    )


def decision_sync(
    *,
    actor: Actor,
    device: UUID,
    key: str,
    entry_id: int,
    base_version: str,
    decisions: Mapping[str, tuple[str, Any]],
) -> SyncAnswer:
    """Apply one arbitration decided on ``device``, once per idempotency ``key``, through the
    digitization arbitration service. An entry decided meanwhile (``decided``) or whose keyings
    changed since it was taken (``stale``) is a conflict answered with both versions."""

    def apply(user: User, _device: Device) -> Applied:
        entry = _entry_in_scope(user, entry_id)
        for name, (choice, _third) in decisions.items():
            if choice not in CHOICES:
                raise ValidationFailed(_("Lựa chọn phân xử không hợp lệ."), field=name)
        sent = {name: {"choice": c, "third": t} for name, (c, t) in decisions.items()}
        try:
            if entry.status != "arbitration":
                raise Conflict(DECIDED, field="entry", code="decided")
            if arbitration_version(entry) != base_version:
                raise Conflict(CHANGED, field="entry", code="stale")
            entry = entry_arbitrate(actor=user, entry=entry, decisions=decisions)
        except Conflict as exc:
            done = _conflict(exc, entry, sent, arbitration_state)
        else:
            done = _accepted(entry)
        return Applied(done.status, done.body, entry.pk, {"kind": "decision"})

    return _receipted(
        actor=actor, action=ARBITRATE_ACTION, device=device, key=key, kind="decision", apply=apply
    )


def intake_sync(
    *,
    actor: Actor,
    device: UUID,
    key: str,
    procedure_code: str,
    form_data: Mapping[str, Any],
    contact: str,
    received_at: dt.datetime,
    files: Sequence[tuple[str, str, bytes]] = (),
) -> SyncAnswer:
    """Register, once per idempotency ``key``, a paper dossier the desk took while offline,
    through the portal's intake service: received at ``received_at`` (the working-day deadline
    counts from that day), in the officer's unit, with its scanned papers ``files`` (document
    key, name, bytes). Invalid input is refused (400) and not remembered, so it can be fixed
    and sent again."""

    def apply(user: User, own: Device) -> Applied:
        _intake_check(own, received_at, files)
        try:
            procedure = procedure_public(code=procedure_code)
        except Http404:
            raise NotFound(_("Không tìm thấy thủ tục."), field="procedure") from None
        dossier = dossier_enter_paper(
            actor=user,
            procedure=procedure,
            form_data=form_data,
            uploads=[Upload(doc_key=k, name=n, data=d) for k, n, d in files],
            contact=contact,
            received_at=received_at,
        )
        body = {
            "result": "accepted",
            "dossier": dossier.pk,
            "code": dossier.code,
            "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
            "due_date": dossier.due_date.isoformat() if dossier.due_date else None,
            "status_label": str(dossier.get_status_display()),
        }
        detail = {"kind": "intake", "received_at": received_at.isoformat()}
        return Applied(201, body, dossier.pk, detail)

    return _receipted(
        actor=actor, action=INTAKE_ACTION, device=device, key=key, kind="intake", apply=apply
    )


def _intake_check(
    device: Device, received_at: dt.datetime, files: Sequence[tuple[str, str, bytes]]
) -> None:
    """The time of receipt (with its zone, not ahead of the clock, not before the device was
    registered nor too long ago) and the size of the papers."""
    now = timezone.now()
    if timezone.is_naive(received_at):
        raise ValidationFailed(_("Thời điểm tiếp nhận phải có múi giờ."), field="received_at")
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(
            _("Thời điểm tiếp nhận ở tương lai: hãy kiểm tra đồng hồ của thiết bị."),
            field="received_at",
        )
    if received_at < max(device.created_at, now - dt.timedelta(days=INTAKE_MAX_AGE_DAYS)):
        raise ValidationFailed(
            format_lazy(
                _(
                    "Thời điểm tiếp nhận quá xa (trước khi đăng ký thiết bị hoặc quá {n} ngày): "
                    "hãy tiếp nhận lại hồ sơ tại bộ phận một cửa."
                ),
                n=INTAKE_MAX_AGE_DAYS,
            ),
            field="received_at",
        )
    if sum(len(data) for _k, _n, data in files) > INTAKE_MAX_BYTES:
        raise ValidationFailed(
            format_lazy(
                _("Các tệp của hồ sơ lớn hơn {n} MB."), n=INTAKE_MAX_BYTES // (1024 * 1024)
            ),
            field="files",
        )


def _sealed_open(device: Device, iv: bytes, data: bytes) -> dict[str, Any]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        change = json.loads(AESGCM(device_key(device)).decrypt(iv, data, None))
    except (InvalidTag, ValueError):
        raise ValidationFailed(UNREADABLE, field="data") from None
    if not isinstance(change, dict):
        raise ValidationFailed(UNREADABLE, field="data")
    return change


def sealed_seal(device: Device, body: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """``body`` encrypted for the device (AES-256-GCM, a fresh IV): what the service worker
    stores beside a change that could not be applied, for the page to open."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    iv = secrets.token_bytes(12)
    return iv, AESGCM(device_key(device)).encrypt(iv, json.dumps(body).encode(), None)


def sealed_sync(
    *, actor: Actor, device: UUID, key: str, iv: bytes, data: bytes
) -> tuple[SyncAnswer, Device]:
    """A change sent as the device stored it, encrypted (by the service worker, which never
    holds the key): opened with the device's key here and applied like the same change sent in
    clear (a keying, an arbitration decision or a paper dossier), once per idempotency ``key``."""
    user = require(actor, DEVICE_ACTIONS, system=False)
    own = _own_device(user, device)
    apply = _sealed_change(_sealed_open(own, iv, data))
    return apply(user, device, key), own


def _sealed_change(change: Mapping[str, Any]) -> Callable[[User, UUID, str], SyncAnswer]:
    """The change read (every input checked here, before anything is applied)."""
    kind = change.get("kind") or "keying"
    try:
        if kind == "keying":
            started = change.get("started_at")
            keying: dict[str, Any] = {
                "entry_id": int(change["entry"]),
                "base_version": str(change["base_version"]),
                "values": dict(change["values"]),
                "started_at": dt.datetime.fromisoformat(started) if started else None,
            }
            return lambda user, device, key: keying_sync(
                actor=user, device=device, key=key, **keying
            )
        if kind == "arbitration":
            entry_id, base_version = int(change["entry"]), str(change["base_version"])
            decisions = {
                str(name): (str(d["choice"]), d.get("third"))
                for name, d in dict(change["decisions"]).items()
            }
            return lambda user, device, key: decision_sync(
                actor=user,
                device=device,
                key=key,
                entry_id=entry_id,
                base_version=base_version,
                decisions=decisions,
            )
        if kind == "intake":
            intake: dict[str, Any] = {
                "procedure_code": str(change["procedure"]),
                "form_data": {str(k): str(v) for k, v in dict(change["form_data"]).items()},
                "contact": str(change.get("contact") or ""),
                "received_at": dt.datetime.fromisoformat(change["received_at"]),
                "files": [
                    (str(f["doc_key"]), str(f["name"]), base64.b64decode(f["data"]))
                    for f in change.get("files") or []
                ],
            }
            return lambda user, device, key: intake_sync(
                actor=user, device=device, key=key, **intake
            )
    except (KeyError, TypeError, AttributeError, ValueError):
        pass
    raise ValidationFailed(UNREADABLE, field="data")
