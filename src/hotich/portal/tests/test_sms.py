"""SMS to citizens without a smartphone: one message per status change, only the dossier code,
without diacritics when the carrier needs it, through the local SMS outbox (refused in
production)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from hotich.accounts.vocabulary import Role
from hotich.core.tests.test_settings import production, run
from hotich.portal.adapters.notify import (
    SMS_ASCII_LIMIT,
    SMS_UNICODE_LIMIT,
    sms_text,
    without_diacritics,
)
from hotich.portal.adapters.sms.standin import sent_messages
from hotich.portal.models import Notification
from hotich.portal.services import Upload, dossier_submit, dossier_transition
from hotich.portal.tests.factories import birth_form, citizen_factory, procedure

SMS = "hotich.portal.adapters.notify.SmsNotifier"


def test_text_without_diacritics_keeps_case_and_fits_one_message() -> None:
    assert without_diacritics("Hồ sơ ĐÃ được tiếp nhận; Đặng Thị Hằng") == (
        "Ho so DA duoc tiep nhan; Dang Thi Hang"
    )
    long = "Hồ sơ   HT-ABC đã được tiếp nhận " * 10
    plain = sms_text(long, ascii_only=True)
    assert len(plain) == SMS_ASCII_LIMIT and plain.isascii() and "  " not in plain
    accented = sms_text(long, ascii_only=False)
    assert len(accented) == SMS_UNICODE_LIMIT and "đã" in accented and accented.endswith("…")


@pytest.mark.django_db(transaction=True)
def test_one_sms_per_status_change_with_only_the_code(
    units: Any, make_user: Any, png: bytes, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    officer = make_user(Role.OFFICER, units["a"])
    with override_settings(HOTICH_NOTIFIER=SMS, HOTICH_SMS_ASCII="1"):
        d = dossier_submit(
            citizen=citizen_factory("0912345678"),
            procedure=procedure(),
            unit=units["a"],
            form_data=birth_form(),
            uploads=[Upload("chung_sinh", "chung-sinh.png", png)],
        )
        d = dossier_transition(actor=officer, dossier=d, action="receive")
        d = dossier_transition(
            actor=officer,
            dossier=d,
            action="request_supplement",
            note="Giấy chứng sinh của Nguyễn Thị Hằng bị mờ",
        )
    sent = sent_messages()
    rows = list(Notification.objects.filter(dossier=d).order_by("pk"))
    assert len(rows) == len(sent) == 3  # submitted, received, supplement: one each
    assert all(r.channel == "sms" and r.sent_at is not None for r in rows)
    assert [m["to"] for m in sent] == ["0912345678"] * 3
    for message in sent:
        assert d.code in message["text"] and message["text"].isascii()
        for personal in ("Hang", "Hằng", "Binh", "Bình", "040090001234", "mo"):
            assert personal not in message["text"].split(), message
    assert sent[2]["text"].startswith(f"Ho so {d.code} can bo sung giay to")
    # the outbox row keeps the Vietnamese text; only the SMS goes without diacritics
    assert rows[2].body.startswith(f"Hồ sơ {d.code} cần bổ sung giấy tờ")


@pytest.mark.django_db(transaction=True)
def test_the_carrier_setting_keeps_diacritics(
    units: Any, png: bytes, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    with override_settings(HOTICH_NOTIFIER=SMS, HOTICH_SMS_ASCII="0"):
        dossier_submit(
            citizen=citizen_factory("0912345678"),
            procedure=procedure(),
            unit=units["a"],
            form_data=birth_form(),
            uploads=[Upload("chung_sinh", "chung-sinh.png", png)],
        )
    (message,) = sent_messages()
    assert "đã được nộp" in message["text"]


@pytest.mark.parametrize(
    "env",
    [
        {"HOTICH_NOTIFIER": SMS},
        {"HOTICH_SMS_CARRIER": "hotich.portal.adapters.sms.standin.LocalSmsOutbox"},
    ],
)
def test_production_refuses_the_local_sms_outbox(tmp_path: Any, env: dict[str, str]) -> None:
    result = run(["check"], **production(tmp_path, **env))
    assert result.returncode != 0
    assert "HOTICH_SMS_CARRIER" in result.stderr.strip().splitlines()[-1]
