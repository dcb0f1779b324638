"""Paper dossiers taken at the desk offline and sent when the line returns: once per
idempotency key, through the portal's intake service, with the deadline counted from when the
desk received the papers; refused for a revoked device, another role or a bad time."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from typing import Any

import pytest
from conftest import verified_client
from django.utils import timezone
from PIL import Image

from hotich.accounts.vocabulary import Role
from hotich.core.workdays import add_working_days
from hotich.offline.models import Device, Receipt
from hotich.portal.models import Dossier
from hotich.portal.selectors import calendar_overrides
from hotich.portal.tests.factories import birth_form, procedure

pytestmark = pytest.mark.django_db

API = "/api/v1/offline"


def _png() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (240, 240, 240)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _dossier(device: str, key: str, received: dt.datetime, **form: str) -> dict[str, Any]:
    return {
        "device": device,
        "idempotency_key": key,
        "procedure": procedure().code,
        "form_data": birth_form(**form),
        "contact": "0911222333",
        "received_at": received.isoformat(),
        "files": [{"doc_key": "chung_sinh", "name": "giay-chung-sinh.png", "data": _png()}],
    }


@pytest.fixture
def desk(units: Any, make_user: Any) -> tuple[Any, str]:
    officer = make_user(Role.OFFICER, units["a"])
    client = verified_client(officer)
    device = _post(client, "/devices", {"name": "Máy bộ phận một cửa"})
    assert device.status_code == 201, device.content
    Device.objects.filter(public_id=device.json()["id"]).update(
        created_at=timezone.now() - dt.timedelta(days=10)
    )
    return client, device.json()["id"]


def test_a_paper_dossier_taken_offline_arrives_once_with_its_desk_deadline(
    desk: tuple[Any, str],
) -> None:
    client, device = desk
    forms = client.get(f"{API}/intake/forms").json()
    code = procedure().code
    entry = next(p for p in forms["procedures"] if p["code"] == code)
    assert entry["form"] and entry["processing_days"] == procedure().processing_days
    received = timezone.now() - dt.timedelta(days=6)
    first = _post(client, "/dossiers", _dossier(device, "i-0000001", received))
    assert first.status_code == 201, first.content
    body = first.json()
    dossier = Dossier.objects.get(pk=body["dossier"])
    assert (dossier.channel, dossier.status) == ("desk", "received")
    assert dossier.received_at == received
    expected = add_working_days(
        timezone.localdate(received), procedure().processing_days, calendar_overrides()
    )
    assert dossier.due_date == expected
    assert body["due_date"] == expected.isoformat()
    assert dossier.due_date != add_working_days(
        timezone.localdate(), procedure().processing_days, calendar_overrides()
    )
    assert dossier.files.get().source == "desk"
    again = _post(client, "/dossiers", _dossier(device, "i-0000001", received))
    assert again.status_code == 201
    assert again.json() == {**body, "replayed": True}
    assert Dossier.objects.count() == 1
    assert Receipt.objects.get().kind == "intake"


def test_bad_input_is_refused_and_not_remembered(desk: tuple[Any, str]) -> None:
    client, device = desk
    now = timezone.now()
    future = _post(client, "/dossiers", _dossier(device, "i-0000002", now + dt.timedelta(days=1)))
    assert future.status_code == 400 and future.json()["field"] == "received_at"
    old = _post(client, "/dossiers", _dossier(device, "i-0000003", now - dt.timedelta(days=40)))
    assert old.status_code == 400 and "quá xa" in old.json()["message"]
    invalid = _post(client, "/dossiers", _dossier(device, "i-0000004", now, **{"child.sex": "?"}))
    assert invalid.status_code == 400
    assert not Dossier.objects.exists() and not Receipt.objects.exists()
    fixed = _post(client, "/dossiers", _dossier(device, "i-0000004", now))
    assert fixed.status_code == 201


def test_every_invalid_field_is_answered_at_once(desk: tuple[Any, str]) -> None:
    client, device = desk
    body = _dossier(
        device,
        "i-0000009",
        timezone.now(),
        **{"child.sex": "?", "child.full_name": "", "applicant.personal_id": "12"},
    )
    answer = _post(client, "/dossiers", body)
    assert answer.status_code == 400
    refused = {e["loc"][-1]: e["msg"] for e in answer.json()["errors"]}
    assert set(refused) == {"child.sex", "child.full_name", "applicant.personal_id"}, refused
    assert answer.json()["field"] in refused
    assert all(refused.values())
    assert not Dossier.objects.exists() and not Receipt.objects.exists()


def test_a_revoked_device_and_other_roles_are_refused(
    desk: tuple[Any, str], units: Any, make_user: Any
) -> None:
    client, device = desk
    clerk = verified_client(make_user(Role.CLERK, units["a"]))
    assert clerk.get(f"{API}/intake/forms").status_code == 404
    assert (
        _post(clerk, "/dossiers", _dossier(device, "i-0000005", timezone.now())).status_code == 404
    )
    other = verified_client(make_user(Role.OFFICER, units["a"]))
    theirs = _post(other, "/dossiers", _dossier(device, "i-0000006", timezone.now()))
    assert theirs.status_code == 404  # not their device
    Device.objects.filter(public_id=device).update(revoked_at=timezone.now())
    refused = _post(client, "/dossiers", _dossier(device, "i-0000007", timezone.now()))
    assert refused.status_code == 403 and refused.json()["code"] == "device_revoked"
    assert not Dossier.objects.exists()


def test_only_those_who_work_offline_open_the_app(units: Any, make_user: Any) -> None:
    auditor = verified_client(make_user(Role.AUDITOR, units["a"]))
    assert auditor.get("/so-hoa/ngoai-tuyen/").status_code == 404
    assert _post(auditor, "/devices", {"name": "Máy"}).status_code == 404
