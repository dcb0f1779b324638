"""Fees: starting a payment at the gateway, and the gateway's signed callbacks.

A callback with a bad signature, a replayed one (a transaction or a payment already settled) or
one whose amount differs from the fee is refused, and every callback (accepted or not) is
written to ``CallbackLog`` and logged (reference and outcome only)."""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, NotFound
from hotich.portal.adapters.payment import gateway, payment_gateway
from hotich.portal.models import (
    CallbackLog,
    Citizen,
    Dossier,
    DossierEvent,
    Payment,
    PaymentStatus,
    Status,
)
from hotich.portal.services.notifications import notification_send

log = logging.getLogger(__name__)
Outcome = CallbackLog.Outcome


@transaction.atomic
def payment_start(*, citizen: Citizen, dossier: Dossier) -> Payment:
    """The pending payment of the dossier's fee at the configured gateway (the same one while
    it is pending)."""
    if dossier.citizen_id != citizen.pk:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    if not dossier.fee:
        raise Conflict(_("Hồ sơ này không phải nộp lệ phí."), field="payment")
    if dossier.status == Status.REJECTED:
        raise Conflict(_("Hồ sơ đã bị từ chối."), field="payment")
    payments = Payment.objects.select_for_update().filter(dossier=dossier)
    if payments.filter(status=PaymentStatus.PAID).exists():
        raise Conflict(_("Hồ sơ đã được thanh toán."), field="payment", code="paid")
    provider = payment_gateway().name
    pending = payments.filter(status=PaymentStatus.PENDING, provider=provider).first()
    if pending is not None and pending.amount == dossier.fee:
        return pending
    return Payment.objects.create(
        dossier=dossier,
        reference="TT" + secrets.token_hex(7).upper(),
        amount=dossier.fee,
        provider=provider,
        created_at=timezone.now(),
    )


def _log(provider: str, body: bytes, outcome: str, reference: str = "", txn: str = "") -> None:
    CallbackLog.objects.create(
        provider=provider,
        reference=reference[:40],
        transaction_id=txn[:80],
        body_sha256=hashlib.sha256(body).hexdigest(),
        outcome=outcome,
        received_at=timezone.now(),
    )
    level = logging.INFO if outcome == Outcome.ACCEPTED else logging.WARNING
    log.log(level, "payment callback %s reference=%s outcome=%s", provider, reference[:40], outcome)


def payment_callback(*, provider: str, body: bytes, signature: str) -> str:
    """Handle one callback; returns its outcome (``accepted`` or the reason it was refused)."""
    try:
        gw = gateway(provider)
    except LookupError:
        return Outcome.MALFORMED
    if not gw.verify(body, signature):
        _log(provider, body, Outcome.BAD_SIGNATURE)
        return Outcome.BAD_SIGNATURE
    try:
        data = gw.parse(body)
    except (ValueError, KeyError, UnicodeDecodeError):
        _log(provider, body, Outcome.MALFORMED)
        return Outcome.MALFORMED
    outcome = Outcome.ACCEPTED
    try:
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update()
                .select_related("dossier")
                .filter(reference=data.reference, provider=provider)
                .first()
            )
            if payment is None:
                outcome = Outcome.UNKNOWN_REFERENCE
            elif (
                payment.status == PaymentStatus.PAID
                or CallbackLog.objects.filter(
                    provider=provider, transaction_id=data.transaction_id, outcome=Outcome.ACCEPTED
                ).exists()
            ):
                outcome = Outcome.REPLAY
            elif data.amount != payment.amount or data.status != "success":
                outcome = Outcome.AMOUNT_MISMATCH
            else:
                _settle(payment, data.transaction_id)
                _log(provider, body, Outcome.ACCEPTED, data.reference, data.transaction_id)
                return Outcome.ACCEPTED
    except IntegrityError:  # a concurrent copy of the same callback won the race
        outcome = Outcome.REPLAY
    _log(provider, body, outcome, data.reference, data.transaction_id)
    return outcome


def _settle(payment: Payment, transaction_id: str) -> None:
    now = timezone.now()
    payment.status = PaymentStatus.PAID
    payment.transaction_id = transaction_id
    payment.paid_at = now
    payment.save(update_fields=["status", "transaction_id", "paid_at"])
    dossier: Dossier = payment.dossier
    DossierEvent.objects.create(
        dossier=dossier,
        action="pay",
        from_status=dossier.status,
        to_status=dossier.status,
        actor_name=f"gateway:{payment.provider}",
        at=now,
    )
    audit_record(
        actor=None,
        action="update",
        object_type="portal.payment",
        object_id=payment.pk,
        detail={"dossier": dossier.pk, "amount": payment.amount, "status": "paid"},
    )
    notification_send(
        recipient=dossier.applicant_contact,
        subject=str(_("Dịch vụ công hộ tịch: đã nhận lệ phí")),
        body=str(_("Đã nhận {amount} đồng lệ phí của hồ sơ {code}.")).format(
            amount=f"{payment.amount:,}".replace(",", "."), code=dossier.code
        ),
        dossier=dossier,
    )
