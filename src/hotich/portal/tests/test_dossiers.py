"""The dossier life: filing, the status table, supplements stopping the clock, approval
registering the record, signing, returning, payments and ratings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.storage import default_storage

from hotich.accounts.vocabulary import Role
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.portal.adapters.payment.standin import StandInGateway, standin_pay
from hotich.portal.forms_schema import FormInvalid
from hotich.portal.models import (
    CallbackLog,
    Dossier,
    DossierFile,
    Notification,
    PaymentStatus,
    Status,
)
from hotich.portal.selectors import deadline_flag, dossier_public_status
from hotich.portal.services import (
    Upload,
    dossier_enter_paper,
    dossier_rate,
    dossier_result,
    dossier_submit,
    dossier_supplement,
    dossier_transition,
    dossiers_flag_deadlines,
    payment_callback,
    payment_start,
)
from hotich.portal.tests.factories import birth_form, citizen_factory, procedure

D = dt.date


def submit(units: dict[str, Any], png: bytes, **form: str) -> Dossier:
    return dossier_submit(
        citizen=citizen_factory(),
        procedure=procedure(),
        unit=units["a"],
        form_data=birth_form(**form),
        uploads=[Upload("chung_sinh", "chung-sinh.png", png)],
    )


@pytest.mark.django_db
def test_submit_checks_everything_and_keeps_nothing_on_failure(units: Any, png: bytes) -> None:
    files_before = DossierFile.objects.count()
    with pytest.raises(FormInvalid):
        submit(units, png, **{"child.full_name": ""})
    with pytest.raises(ValidationFailed) as caught:
        dossier_submit(
            citizen=citizen_factory(),
            procedure=procedure(),
            unit=units["a"],
            form_data=birth_form(),
            uploads=[],
        )
    assert caught.value.field == "file_chung_sinh"
    with pytest.raises(ValidationFailed) as caught:  # the scan-intake checks
        dossier_submit(
            citizen=citizen_factory(),
            procedure=procedure(),
            unit=units["a"],
            form_data=birth_form(),
            uploads=[Upload("chung_sinh", "chung-sinh.png", b"%PDF-not really")],
        )
    assert caught.value.field == "file_chung_sinh"
    with pytest.raises(ValidationFailed):
        dossier_submit(
            citizen=citizen_factory(),
            procedure=procedure(),
            unit=units["province"],
            form_data=birth_form(),
            uploads=[Upload("chung_sinh", "a.png", png)],
        )
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == files_before


@pytest.mark.django_db
def test_submitted_dossier_has_an_unguessable_code_and_a_public_status(
    units: Any, png: bytes
) -> None:
    d = submit(units, png)
    assert d.status == Status.SUBMITTED and d.fee == 16000  # two copies at 8.000 đ
    assert len(d.code) == 22 and d.code.startswith("HS-")
    assert default_storage.exists(d.files.get().path)
    public = dossier_public_status(code=d.code.lower().replace("-", " "))
    assert public is not None and public.status == "submitted"
    assert "Nguyễn" not in str(public.as_json())  # no names, no form content
    for guess in ("HS-AAAA-AAAA-AAAA-AAAA", "1", "", d.code[:-1] + "Z", "' OR 1=1 --"):
        if guess != d.code:
            assert dossier_public_status(code=guess) is None
    assert Notification.objects.filter(dossier=d, recipient="0912345678").exists()


@pytest.mark.django_db
def test_supplement_stops_and_restarts_the_clock(units: Any, make_user: Any, png: bytes) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    d = submit(units, png)
    d = dossier_transition(actor=officer, dossier=d, action="receive", today=D(2026, 2, 11))
    # 3 working days would be 16 Feb; the birth procedure has 1: Thursday 12 Feb
    assert d.due_date == D(2026, 2, 12)
    with pytest.raises(ValidationFailed):  # a supplement request needs its reason
        dossier_transition(
            actor=officer, dossier=d, action="request_supplement", today=D(2026, 2, 11)
        )
    d = dossier_transition(
        actor=officer,
        dossier=d,
        action="request_supplement",
        note="Bổ sung giấy chứng sinh rõ nét",
        today=D(2026, 2, 11),
    )
    assert d.status == Status.SUPPLEMENT and d.paused_on == D(2026, 2, 11)
    assert deadline_flag(d, today=D(2026, 3, 1)) == ""  # the clock is stopped
    with pytest.raises(PermissionDenied):
        dossier_transition(actor=officer, dossier=d, action="resubmit")
    # the citizen answers after Tết: the one working day left runs from then
    d = dossier_transition(
        actor=citizen_factory(), dossier=d, action="resubmit", today=D(2026, 2, 13)
    )
    assert d.status == Status.RECEIVED and d.due_date == D(2026, 2, 23) and d.paused_on is None


@pytest.mark.django_db
def test_citizen_supplement_adds_files(units: Any, make_user: Any, png: bytes) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    d = submit(units, png)
    dossier_transition(actor=officer, dossier=d, action="request_supplement", note="Thiếu tờ khai")
    other = citizen_factory("0987654321")
    with pytest.raises(NotFound):
        dossier_supplement(citizen=other, dossier=d, uploads=[Upload("to_khai", "a.png", png)])
    d = dossier_supplement(
        citizen=citizen_factory(), dossier=d, uploads=[Upload("to_khai", "to-khai.png", png)]
    )
    assert d.status == Status.SUBMITTED and d.files.count() == 2


@pytest.mark.django_db
def test_status_table_and_scope(units: Any, make_user: Any, png: bytes) -> None:
    d = submit(units, png)
    outsider = make_user(Role.OFFICER, units["b"])
    with pytest.raises(NotFound):
        dossier_transition(actor=outsider, dossier=d, action="receive")
    signer = make_user(Role.SIGNER, units["a"])
    with pytest.raises(PermissionDenied):
        dossier_transition(actor=signer, dossier=d, action="receive")
    officer = make_user(Role.OFFICER, units["a"])
    with pytest.raises(Conflict):
        dossier_transition(actor=officer, dossier=d, action="approve")


@pytest.mark.django_db
def test_full_flow_registers_the_birth_signs_and_returns(
    units: Any, make_user: Any, png: bytes
) -> None:
    from hotich.registry.selectors import record_detail

    officer = make_user(Role.OFFICER, units["a"], full_name="Lô Thị Mai")
    signer = make_user(Role.SIGNER, units["a"], full_name="Hồ Văn Nam")
    citizen = citizen_factory()
    d = submit(units, png)
    payment = payment_start(citizen=citizen, dossier=d)
    assert payment.amount == 16000
    assert standin_pay(reference=payment.reference) == "accepted"
    for action in ("receive", "assign", "approve"):
        d = dossier_transition(actor=officer, dossier=d, action=action)
    assert d.record is not None and d.record.status == "registered"
    detail = record_detail(actor=officer, record_id=d.record.pk)
    assert detail is not None
    d = dossier_transition(actor=signer, dossier=d, action="sign")
    assert d.status == Status.SIGNED and d.result_signed and d.result_verify_code
    with pytest.raises(NotFound):  # not returned yet
        dossier_result(citizen=citizen, actor=None, dossier=d)
    d = dossier_transition(actor=officer, dossier=d, action="return")
    pdf = dossier_result(citizen=citizen, actor=None, dossier=d)
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf
    rating = dossier_rate(citizen=citizen, dossier=d, score=5, comment="Nhanh")
    assert rating.score == 5
    with pytest.raises(Conflict):
        dossier_rate(citizen=citizen, dossier=d, score=4)


@pytest.mark.django_db
def test_return_needs_the_fee_paid(units: Any, make_user: Any, png: bytes) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    d = submit(units, png)
    Dossier.objects.filter(pk=d.pk).update(status=Status.SIGNED)
    with pytest.raises(Conflict):
        dossier_transition(actor=officer, dossier=Dossier.objects.get(pk=d.pk), action="return")


@pytest.mark.django_db
def test_callbacks_bad_signature_replay_and_wrong_amount_are_refused_and_logged(
    units: Any, png: bytes
) -> None:
    citizen = citizen_factory()
    d = submit(units, png)
    payment = payment_start(citizen=citizen, dossier=d)
    gw = StandInGateway()
    body = gw.callback_body(reference=payment.reference, transaction_id="T1", amount=payment.amount)
    assert payment_callback(provider="local", body=body, signature="00" * 32) == "bad_signature"
    wrong = gw.callback_body(reference=payment.reference, transaction_id="T2", amount=1)
    assert payment_callback(provider="local", body=wrong, signature=gw.sign(wrong)) == (
        "amount_mismatch"
    )
    assert payment_callback(provider="local", body=body, signature=gw.sign(body)) == "accepted"
    assert payment_callback(provider="local", body=body, signature=gw.sign(body)) == "replay"
    unknown = gw.callback_body(reference="TTNOPE", transaction_id="T3", amount=5)
    assert payment_callback(provider="local", body=unknown, signature=gw.sign(unknown)) == (
        "unknown_reference"
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.transaction_id == "T1"
    assert list(CallbackLog.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "bad_signature",
        "amount_mismatch",
        "accepted",
        "replay",
        "unknown_reference",
    ]


@pytest.mark.django_db
def test_callback_over_http(client: Any, units: Any, png: bytes) -> None:
    d = submit(units, png)
    payment = payment_start(citizen=citizen_factory(), dossier=d)
    gw = StandInGateway()
    body = gw.callback_body(reference=payment.reference, transaction_id="H1", amount=payment.amount)
    url = "/api/v1/portal/payments/callback/local"
    bad = client.post(url, body, content_type="application/json", HTTP_X_SIGNATURE="ab")
    assert bad.status_code == 400 and bad.json() == {"outcome": "bad_signature"}
    ok = client.post(url, body, content_type="application/json", HTTP_X_SIGNATURE=gw.sign(body))
    assert ok.status_code == 200


@pytest.mark.django_db
def test_paper_dossier_entered_at_the_desk(units: Any, make_user: Any, png: bytes) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    d = dossier_enter_paper(
        actor=officer,
        procedure=procedure(),
        form_data=birth_form(),
        uploads=[Upload("chung_sinh", "scan.png", png)],
        contact="0911222333",
    )
    assert d.channel == "desk" and d.status == Status.RECEIVED and d.due_date is not None
    assert d.unit == units["a"] and d.files.get().source == "desk"
    assert d.payments.get().provider == "cash"
    clerk = make_user(Role.CLERK, units["a"])
    with pytest.raises(PermissionDenied):
        dossier_enter_paper(actor=clerk, procedure=procedure(), form_data=birth_form())


@pytest.mark.django_db
def test_near_and_past_deadline_are_flagged_and_notified_once(
    units: Any, make_user: Any, png: bytes
) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    d = submit(units, png)
    d = dossier_transition(actor=officer, dossier=d, action="receive", today=D(2026, 8, 28))
    assert d.due_date == D(2026, 9, 3)  # across the National Day holidays
    assert deadline_flag(d, today=D(2026, 8, 28)) == "near"
    assert deadline_flag(d, today=D(2026, 9, 4)) == "overdue"
    assert dossiers_flag_deadlines(today=D(2026, 9, 2)) == {"near": 1, "overdue": 0}
    assert dossiers_flag_deadlines(today=D(2026, 9, 3)) == {"near": 0, "overdue": 0}
    assert dossiers_flag_deadlines(today=D(2026, 9, 4)) == {"near": 0, "overdue": 1}
    assert dossiers_flag_deadlines(today=D(2026, 9, 4)) == {"near": 0, "overdue": 0}
    assert Notification.objects.filter(dossier=d, body__contains="quá hạn").count() == 1
    assert Notification.objects.filter(dossier=d, body__contains="sắp đến hạn").count() == 1


@pytest.mark.django_db
def test_approval_shows_the_registers_warnings_until_confirmed(
    units: Any, make_user: Any, png: bytes, staff_client: Any
) -> None:
    from hotich.registry.models import Record
    from hotich.registry.services import WarningsUnconfirmed

    officer = make_user(Role.OFFICER, units["a"])
    d = submit(units, png, **{"mother.birth_date": "2016-01-01"})  # 10 at the birth
    for action in ("receive", "assign"):
        d = dossier_transition(actor=officer, dossier=d, action=action)
    with pytest.raises(WarningsUnconfirmed) as caught:
        dossier_transition(actor=officer, dossier=d, action="approve")
    assert [w.key for w in caught.value.warnings] == ["parent_too_young:mother.birth_date"]
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and d.record is None and not Record.objects.exists()

    client = staff_client(officer)
    api = client.post(
        f"/api/v1/portal/dossiers/{d.pk}/actions",
        {"action": "approve"},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["code"] == "warnings_unconfirmed"
    page = client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/", {"action": "approve"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-warning="parent_too_young"' in html and "Tôi đã kiểm tra và xác nhận" in html
    assert not Record.objects.exists()
    done = client.post(
        f"/mot-cua/ho-so/{d.pk}/thao-tac/",
        {
            "action": "approve",
            "confirm_warnings": "1",
            "shown_warnings": "parent_too_young:mother.birth_date",
        },
    )
    assert done.status_code == 302
    d.refresh_from_db()
    assert d.record is not None and d.record.status == "registered"
