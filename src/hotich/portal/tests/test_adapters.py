"""The payment and notification adapters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from hotich.portal.adapters.payment import crc16_ccitt, vietqr_payload
from hotich.portal.adapters.payment.standin import StandInGateway
from hotich.portal.models import Notification
from hotich.portal.services import notification_send


def test_crc_is_ccitt_false() -> None:
    assert crc16_ccitt(b"123456789") == "29B1"


def test_vietqr_payload_is_well_formed() -> None:
    payload = vietqr_payload(bank_bin="970405", account="123456", amount=16000, purpose="TT1")
    assert payload.startswith("000201010212")
    assert "0010A000000727" in payload and "5303704" in payload and "540516000" in payload
    assert payload[-8:-4] == "6304" and crc16_ccitt(payload[:-4].encode()) == payload[-4:]


def test_signature_covers_the_exact_body() -> None:
    gw = StandInGateway()
    body = gw.callback_body(reference="TT1", transaction_id="X", amount=5)
    assert gw.verify(body, gw.sign(body))
    assert not gw.verify(body.replace(b'"amount":5', b'"amount":6'), gw.sign(body))


class Failing:
    def send(self, notification: Any) -> bool:
        raise ConnectionError("SMS provider down")


class Delivering:
    def send(self, notification: Any) -> bool:
        return True


@pytest.mark.django_db(transaction=True)
def test_a_failing_provider_keeps_the_message_in_the_outbox() -> None:
    with override_settings(HOTICH_NOTIFIER="hotich.portal.tests.test_adapters.Failing"):
        notification_send(recipient="0912345678", subject="s", body="b")
    message = Notification.objects.get()
    assert message.sent_at is None and message.channel == "sms"


@pytest.mark.django_db(transaction=True)
def test_a_delivering_provider_marks_the_message_sent() -> None:
    with override_settings(HOTICH_NOTIFIER="hotich.portal.tests.test_adapters.Delivering"):
        notification_send(recipient="an@example.vn", subject="s", body="b")
    message = Notification.objects.get()
    assert message.sent_at is not None and message.channel == "email"
