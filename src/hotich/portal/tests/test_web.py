"""Pages and API: citizen login by one-time code, filing through the form, tracking by code,
paying through the stand-in gateway, and the back office."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client

from hotich.accounts.vocabulary import Role
from hotich.portal.models import Dossier, Notification, OneTimeCode, Status
from hotich.portal.services import citizen_request_code, citizen_verify_code
from hotich.portal.tests.factories import birth_form, dossier_factory

PHONE = "0912 345 678"


def code_from_outbox(contact: str = "0912345678") -> str:
    body = Notification.objects.filter(recipient=contact, dossier=None).latest("pk").body
    match = re.search(r"\b(\d{6})\b", body)
    assert match
    return match.group(1)


def citizen_client(client: Client) -> Client:
    client.post("/dich-vu-cong/dang-nhap/", {"contact": PHONE})
    response = client.post(
        "/dich-vu-cong/dang-nhap/", {"contact": "0912345678", "code": code_from_outbox()}
    )
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_one_time_code_login(client: Client) -> None:
    page = client.post("/dich-vu-cong/dang-nhap/", {"contact": "không phải số"})
    assert "Số điện thoại hoặc thư điện tử không hợp lệ." in page.content.decode()
    client.post("/dich-vu-cong/dang-nhap/", {"contact": PHONE})
    wrong = client.post("/dich-vu-cong/dang-nhap/", {"contact": "0912345678", "code": "000000"})
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert OneTimeCode.objects.get().attempts == 1  # counted although the call failed
    response = client.post(
        "/dich-vu-cong/dang-nhap/", {"contact": "0912345678", "code": code_from_outbox()}
    )
    assert response.status_code == 302 and response["Location"] == "/dich-vu-cong/ho-so/"
    assert client.get("/dich-vu-cong/ho-so/").status_code == 200


@pytest.mark.django_db
def test_code_is_void_after_five_wrong_attempts(db: Any) -> None:
    from hotich.core.errors import ValidationFailed

    contact = citizen_request_code(contact="an@example.vn").contact
    code = code_from_outbox(contact)
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            citizen_verify_code(contact=contact, code="999999" if code != "999999" else "111111")
    with pytest.raises(ValidationFailed):
        citizen_verify_code(contact=contact, code=code)


@pytest.mark.django_db
def test_anonymous_citizen_pages_ask_for_login(client: Client) -> None:
    response = client.get("/dich-vu-cong/nop/1.001193/")
    assert response.status_code == 302 and "/dich-vu-cong/dang-nhap/" in response["Location"]


@pytest.mark.django_db
def test_citizen_files_through_the_form(client: Client, units: Any, png: bytes) -> None:
    citizen_client(client)
    page = client.get("/dich-vu-cong/nop/1.001193/")
    assert page.status_code == 200 and 'name="child.full_name"' in page.content.decode()
    bad = client.post(
        "/dich-vu-cong/nop/1.001193/",
        {**birth_form(**{"child.birth_date": "31/02/2026"}), "unit": units["a"].pk},
    )
    text = bad.content.decode()
    assert "Ngày sinh: ngày không hợp lệ (ngày/tháng/năm)." in text
    assert 'aria-invalid="true"' in text and Dossier.objects.count() == 0
    upload = io.BytesIO(png)
    upload.name = "chung-sinh.png"
    ok = client.post(
        "/dich-vu-cong/nop/1.001193/",
        {**birth_form(), "unit": units["a"].pk, "file_chung_sinh": upload},
    )
    assert ok.status_code == 302
    d = Dossier.objects.get()
    assert d.status == Status.SUBMITTED and d.files.count() == 1
    page = client.get(f"/dich-vu-cong/ho-so/{d.pk}/").content.decode()
    assert d.code in page
    pay = client.get(f"/dich-vu-cong/ho-so/{d.pk}/thanh-toan/").content.decode()
    assert "data:image/png;base64," in pay
    reference = d.payments.get().reference
    assert client.post(f"/dich-vu-cong/cong-thanh-toan/{reference}/").status_code == 200
    assert d.payments.get().status == "paid"


@pytest.mark.django_db
def test_with_the_production_gateway_the_bank_confirms_by_callback(
    client: Client, units: Any, settings: Any
) -> None:
    from hotich.portal.adapters.payment import SignedCallbackGateway

    settings.HOTICH_PAYMENT_GATEWAY = "hotich.portal.adapters.payment.SignedCallbackGateway"
    d = dossier_factory(unit=units["a"], fee=8000)  # the citizen who logs in below
    citizen_client(client)
    pay = client.get(f"/dich-vu-cong/ho-so/{d.pk}/thanh-toan/").content.decode()
    assert "data:image/png;base64," in pay and "cong-thanh-toan" not in pay
    assert "Lệ phí được ghi nhận khi ngân hàng báo đã nhận tiền." in pay
    payment = d.payments.get()
    assert payment.provider == "bank"
    refused = client.post(f"/dich-vu-cong/cong-thanh-toan/{payment.reference}/")
    assert refused.status_code == 404
    bank = SignedCallbackGateway()
    body = json.dumps(
        {
            "reference": payment.reference,
            "transaction_id": "NH1",
            "amount": 8000,
            "status": "success",
        }
    ).encode()
    ok = client.post(
        "/api/v1/portal/payments/callback/bank",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=bank.sign(body),
    )
    assert ok.status_code == 200 and ok.json() == {"outcome": "accepted"}
    assert d.payments.get().status == "paid"


@pytest.mark.django_db
def test_citizen_sees_only_their_own_dossiers(client: Client, units: Any) -> None:
    other = dossier_factory(unit=units["a"])
    from hotich.portal.models import Citizen

    Dossier.objects.filter(pk=other.pk).update(
        citizen=Citizen.objects.create(contact="0987000111", contact_kind="phone")
    )
    citizen_client(client)
    assert client.get(f"/dich-vu-cong/ho-so/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_track_by_code_reveals_nothing_for_a_wrong_code(client: Client, units: Any) -> None:
    d = dossier_factory(unit=units["a"])
    found = client.post("/dich-vu-cong/tra-cuu/", {"code": d.code}).content.decode()
    assert "Đã nộp, chờ tiếp nhận" in found and "Nguyễn Văn An" not in found
    missing = client.post("/dich-vu-cong/tra-cuu/", {"code": "HS-AAAA-BBBB-CCCC-DDDD"})
    malformed = client.post("/dich-vu-cong/tra-cuu/", {"code": "1"})
    assert "Không tìm thấy hồ sơ" in missing.content.decode()

    def section(response: Any) -> str:
        text = response.content.decode()
        return text[text.index('<section aria-live="polite"') :]

    assert section(missing) == section(malformed)
    api = client.post("/api/v1/portal/status", {"code": d.code}, content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "submitted"
    assert "applicant" not in api.text
    for code in ("HS-AAAA-BBBB-CCCC-DDDD", "xyz"):
        none = client.post("/api/v1/portal/status", {"code": code}, content_type="application/json")
        assert none.status_code == 404


@pytest.mark.django_db
def test_back_office_pages(units: Any, make_user: Any, staff_client: Any) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    client = staff_client(officer)
    d = dossier_factory(unit=units["a"])
    dossier_factory(unit=units["b"])
    desk = client.get("/mot-cua/").content.decode()
    assert d.code in desk and desk.count("HS-") == 1
    assert client.get(f"/mot-cua/ho-so/{d.pk}/").status_code == 200
    client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/", {"action": "receive"})
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.due_date
    assert client.get("/mot-cua/hop-thu/").status_code == 200
    assert client.get("/mot-cua/chi-so/").status_code == 200
    api = client.get("/api/v1/portal/dossiers").json()
    assert [row["code"] for row in api] == [d.code] and api[0]["actions"]
    assert client.get("/api/v1/portal/metrics").status_code == 200
    assert client.get("/mot-cua/thu-tuc/").status_code == 404  # officers do not edit it


@pytest.mark.django_db
def test_province_imports_the_catalogue_page(units: Any, make_user: Any, staff_client: Any) -> None:
    from hotich.portal.tests.test_catalogue import GOOD, xlsx

    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    upload = io.BytesIO(xlsx([*GOOD, ["", "", "", "", "", "", "", "", "", ""]]))
    upload.name = "danh-muc.xlsx"
    response = client.post("/mot-cua/thu-tuc/", {"file": upload}, follow=True)
    assert "Đã nhập 2 thủ tục." in response.content.decode()
    metrics = client.get("/mot-cua/chi-so/").content.decode()
    assert "Phường Thành Vinh" in metrics  # drill-down rows per commune


@pytest.mark.django_db
def test_api_action_applies_the_status_table(units: Any, make_user: Any, staff_client: Any) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    d = dossier_factory(unit=units["a"])
    url = f"/api/v1/portal/dossiers/{d.pk}/actions"
    ok = client.post(url, {"action": "receive"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "received"
    wrong = client.post(url, {"action": "sign"}, content_type="application/json")
    assert wrong.status_code == 409 and wrong.json()["code"] == "invalid_transition"
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400


def test_public_status_sql_names_the_model_tables() -> None:
    from hotich.geo.models import Unit
    from hotich.portal.models import Dossier, Procedure
    from hotich.portal.selectors import PUBLIC_STATUS_SQL

    for model in (Dossier, Procedure, Unit):
        assert f" {model._meta.db_table} " in PUBLIC_STATUS_SQL


@pytest.mark.django_db
def test_metrics_page_of_days_no_calendar_holds_shows_the_default_period(
    units: Any, make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    for query in ("from=0001-01-01", "to=9999-12-31"):
        assert client.get(f"/mot-cua/chi-so/?{query}").status_code == 200


@pytest.mark.django_db
def test_demo_sign_in_page_shows_the_code(client: Client) -> None:
    page = client.post("/dich-vu-cong/dang-nhap/", {"contact": PHONE}).content.decode()
    assert f"Bản demo: mã của bạn là {code_from_outbox()}" in page
    assert Notification.objects.filter(recipient="0912345678").exists()  # the outbox stays


@pytest.mark.django_db
def test_without_standins_the_sign_in_page_never_shows_the_code(
    client: Client, settings: Any
) -> None:
    settings.HOTICH_STANDINS = False
    page = client.post("/dich-vu-cong/dang-nhap/", {"contact": PHONE}).content.decode()
    assert "Mã xác thực (6 chữ số)" in page
    assert code_from_outbox() not in page and "Bản demo" not in page
