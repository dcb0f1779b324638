"""The payment adapter: a small protocol, the signed-callback gateway and VietQR codes.

``HOTICH_PAYMENT_GATEWAY`` names the gateway citizens pay through (a dotted path). The default
with the production settings, :class:`SignedCallbackGateway`, accepts the callbacks of
docs/payment-contract.md (JSON signed with HMAC-SHA256, ``X-Signature: <hex>``, posted to
``/api/v1/portal/payments/callback/<name>``) and has no checkout page: citizens pay by the
VietQR transfer. The stand-in that plays the bank, with a checkout page that posts those
callbacks itself, is in ``standin`` (demo, development and tests only).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.conf import settings
from django.utils.module_loading import import_string

HEADER = "X-Signature"
PRODUCTION_GATEWAY = "hotich.portal.adapters.payment.SignedCallbackGateway"


@dataclass(frozen=True)
class CallbackData:
    reference: str
    transaction_id: str
    amount: int
    status: str


class PaymentGateway(Protocol):
    name: str

    def checkout_url(self, reference: str) -> str:
        """The gateway's page where the citizen pays; empty when it has none."""
        ...

    def verify(self, body: bytes, signature: str) -> bool: ...

    def parse(self, body: bytes) -> CallbackData: ...


def _setting(name: str, default: str = "") -> str:
    """A Django setting, else the environment variable of the same name, else ``default``."""
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


def _secret() -> bytes:
    configured = _setting("HOTICH_PAYMENT_SECRET")
    if configured:
        return str(configured).encode()
    return hashlib.sha256(b"hotich-portal-payment:" + settings.SECRET_KEY.encode()).digest()


class SignedCallbackGateway:
    """A gateway that posts the callbacks of docs/payment-contract.md; no checkout page."""

    name = "bank"

    def checkout_url(self, reference: str) -> str:
        return ""

    def sign(self, body: bytes) -> str:
        return hmac.new(_secret(), body, hashlib.sha256).hexdigest()

    def verify(self, body: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.sign(body), (signature or "").strip().lower())

    def parse(self, body: bytes) -> CallbackData:
        data: Any = json.loads(body.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        amount = data["amount"]
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise ValueError("amount")
        return CallbackData(
            reference=str(data["reference"])[:40],
            transaction_id=str(data["transaction_id"])[:80],
            amount=amount,
            status=str(data["status"]),
        )


def payment_gateway() -> PaymentGateway:
    """The gateway ``HOTICH_PAYMENT_GATEWAY`` names."""
    factory = import_string(_setting("HOTICH_PAYMENT_GATEWAY", PRODUCTION_GATEWAY))
    return cast(PaymentGateway, factory())


def gateway(name: str) -> PaymentGateway:
    """The configured gateway when it is the one called ``name``; LookupError otherwise."""
    configured = payment_gateway()
    if configured.name != name:
        raise LookupError(name)
    return configured


# --- VietQR (NAPAS EMVCo QR) ---------------------------------------------------------------


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: bytes) -> str:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def vietqr_payload(*, bank_bin: str, account: str, amount: int, purpose: str) -> str:
    """The EMVCo string of a VietQR bank transfer of ``amount`` đồng with ``purpose``."""
    beneficiary = _tlv("00", bank_bin) + _tlv("01", account)
    merchant = _tlv("00", "A000000727") + _tlv("01", beneficiary) + _tlv("02", "QRIBFTTA")
    payload = (
        _tlv("00", "01")
        + _tlv("01", "12")
        + _tlv("38", merchant)
        + _tlv("53", "704")
        + _tlv("54", str(amount))
        + _tlv("58", "VN")
        + _tlv("62", _tlv("08", purpose[:25]))
        + "6304"
    )
    return payload + crc16_ccitt(payload.encode())


def vietqr_for(reference: str, amount: int) -> str:
    bank_bin = _setting("HOTICH_PAYMENT_BANK_BIN", "970405")
    account = _setting("HOTICH_PAYMENT_ACCOUNT", "3600201009999")
    return vietqr_payload(bank_bin=bank_bin, account=account, amount=amount, purpose=reference)
