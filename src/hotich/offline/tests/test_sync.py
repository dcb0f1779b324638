"""Offline keying sent back: once per idempotency key, through the keying service (blind double
keying, arbitration), conflicts answered with both versions, revoked devices refused."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from conftest import verified_client
from django.core.management import call_command

from hotich.accounts.vocabulary import Role
from hotich.digitization.models import Entry, Keying
from hotich.digitization.services import keying_submit
from hotich.offline.models import Device, Receipt
from hotich.offline.services import device_key

pytestmark = pytest.mark.django_db

API = "/api/v1/offline"
VALUES = {"child.full_name": {"v": "Lò Thị Mai", "m": ""}, "child.sex": {"v": "F", "m": ""}}


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _take(client: Any) -> tuple[str, list[dict[str, Any]]]:
    device = _post(client, "/devices", {"name": "Máy tính bảng xã"})
    assert device.status_code == 201, device.content
    batch = client.get(f"{API}/batch?size=10")
    assert batch.status_code == 200
    return device.json()["id"], batch.json()["entries"]


def _keying(device: str, entry: dict[str, Any], key: str, values: Any = None) -> dict[str, Any]:
    return {
        "device": device,
        "idempotency_key": key,
        "entry": entry["id"],
        "base_version": entry["version"],
        "values": values or VALUES,
    }


def test_a_batch_keyed_offline_arrives_once(entries: list[Any], people: Any) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    assert [e["entry_number"] for e in batch] == [1, 2, 3, 4]
    form = client.get(f"{API}/batch?size=1").json()["forms"]["birth"]
    assert form[0]["name"] == "registration_date"
    key = str(uuid.uuid4())
    first = _post(client, "/keyings", _keying(device, batch[0], key))
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "keyed_once"
    assert first.json()["replayed"] is False
    again = _post(client, "/keyings", _keying(device, batch[0], key))
    assert again.status_code == 200
    assert again.json() == {**first.json(), "replayed": True}
    assert Keying.objects.filter(entry_id=batch[0]["id"]).count() == 1
    assert Receipt.objects.count() == 1
    # a second clerk keys it differently: arbitration as usual
    keying_submit(
        actor=people["clerk2"],
        entry=Entry.objects.get(pk=batch[0]["id"]),
        values={**VALUES, "child.full_name": {"v": "Lò Thị May", "m": ""}},
    )
    assert Entry.objects.get(pk=batch[0]["id"]).status == "arbitration"


def test_the_other_clerks_keying_meanwhile_is_no_conflict(entries: list[Any], people: Any) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    keying_submit(actor=people["clerk2"], entry=entries[1], values=VALUES)
    answer = _post(client, "/keyings", _keying(device, batch[1], "k-0000001"))
    assert answer.status_code == 200
    assert answer.json()["status"] == "verified"


def test_an_entry_decided_meanwhile_is_a_conflict_with_both_versions(
    entries: list[Any], people: Any
) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    decided = {**VALUES, "child.full_name": {"v": "Lò Văn Pọm", "m": ""}}
    keying_submit(actor=people["clerk2"], entry=entries[2], values=decided)
    keying_submit(actor=people["reviewer"], entry=entries[2], values=decided)
    answer = _post(client, "/keyings", _keying(device, batch[2], "k-0000002"))
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "keyed"
    assert body["message"] == "Mục này đã được nhập đủ hai lần."
    assert body["message_en"]
    assert body["device"]["child.full_name"]["v"] == "Lò Thị Mai"
    assert body["server"]["values"]["child.full_name"]["v"] == "Lò Văn Pọm"
    assert body["server"]["status"] == "verified"
    assert Keying.objects.filter(entry=entries[2]).count() == 2
    replay = _post(client, "/keyings", _keying(device, batch[2], "k-0000002"))
    assert replay.status_code == 409
    assert replay.json()["replayed"] is True


def test_a_keying_made_while_the_other_clerk_keys_stays_blind(
    entries: list[Any], people: Any
) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    keying_submit(actor=people["clerk1"], entry=entries[3], values=VALUES)  # online, meanwhile
    answer = _post(client, "/keyings", _keying(device, batch[3], "k-0000003"))
    assert answer.status_code == 409
    assert answer.json()["code"] == "same_clerk"
    assert answer.json()["server"]["by_you"] is True


def test_a_stale_version_is_a_conflict(entries: list[Any], people: Any) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    stale = {**batch[0], "version": "0" * 16}
    answer = _post(client, "/keyings", _keying(device, stale, "k-0000004"))
    assert answer.status_code == 409
    assert answer.json()["code"] == "stale"
    assert not Keying.objects.exists()


def test_invalid_values_are_refused_and_not_remembered(entries: list[Any], people: Any) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    bad = {"registration_date": {"v": "31/02/1985", "m": ""}}
    answer = _post(client, "/keyings", _keying(device, batch[0], "k-0000005", bad))
    assert answer.status_code == 400
    assert answer.json()["field"] == "registration_date"
    assert not Receipt.objects.exists()
    assert _post(client, "/keyings", _keying(device, batch[0], "k-0000006")).status_code == 200


def test_a_revoked_device_gets_no_key_and_its_keyings_are_refused(
    entries: list[Any], people: Any, capsys: Any
) -> None:
    client = verified_client(people["clerk1"])
    device, batch = _take(client)
    key = client.get(f"{API}/devices/{device}/key")
    assert key.status_code == 200
    obj = Device.objects.get(public_id=device)
    assert len(device_key(obj)) == 32
    call_command("offline", "list", "--user", people["clerk1"].username)
    assert f"{obj.pk}\t{people['clerk1'].username}\tactive" in capsys.readouterr().out
    call_command("offline", "revoke", str(obj.pk))
    assert "Đã thu hồi" in capsys.readouterr().out
    call_command("offline", "list")
    assert "\trevoked\t" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("offline", "revoke", str(obj.pk))
    refused = _post(client, "/keyings", _keying(device, batch[0], "k-0000007"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "device_revoked"
    assert "thu hồi" in refused.json()["message"]
    assert client.get(f"{API}/devices/{device}/key").status_code == 403
    assert not Keying.objects.exists()
    # another clerk may not use this device
    other = verified_client(people["clerk2"])
    assert other.get(f"{API}/devices/{device}/key").status_code == 404


def test_an_outsider_gets_no_entries_of_another_commune(entries: list[Any], people: Any) -> None:
    client = verified_client(people["outsider"])
    _, batch = _take(client)
    assert batch == []


def test_the_admin_revokes_a_device_from_the_page(
    entries: list[Any], people: Any, units: Any, make_user: Any
) -> None:
    clerk = verified_client(people["clerk1"])
    device, _ = _take(clerk)
    obj = Device.objects.get(public_id=device)
    outsider = verified_client(make_user(Role.ADMIN, units["a"]))
    assert "Máy tính bảng xã" not in outsider.get("/so-hoa/ngoai-tuyen/thiet-bi/").content.decode()
    assert outsider.post(f"/so-hoa/ngoai-tuyen/thiet-bi/{obj.pk}/thu-hoi/").status_code == 404
    obj.refresh_from_db()
    assert obj.revoked_at is None
    admin = verified_client(make_user(Role.ADMIN, units["b"]))
    page = admin.get("/so-hoa/ngoai-tuyen/thiet-bi/")
    assert "Máy tính bảng xã" in page.content.decode()
    admin.post(f"/so-hoa/ngoai-tuyen/thiet-bi/{obj.pk}/thu-hoi/")
    obj.refresh_from_db()
    assert obj.revoked_at is not None


def test_the_app_its_service_worker_and_manifest(people: Any) -> None:
    client = verified_client(people["clerk1"])
    page = client.get("/so-hoa/ngoai-tuyen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mang về máy" in html and "manifest.webmanifest" in html
    sw = client.get("/so-hoa/ngoai-tuyen/sw.js")
    assert sw["Content-Type"].startswith("text/javascript")
    assert '"/so-hoa/ngoai-tuyen/"' in sw.content.decode()
    manifest = client.get("/so-hoa/ngoai-tuyen/manifest.webmanifest").json()
    assert manifest["start_url"] == manifest["scope"] == "/so-hoa/ngoai-tuyen/"
    desk = verified_client(people["officer"]).get("/so-hoa/ngoai-tuyen/").content.decode()
    assert "Mang biểu mẫu về máy" in desk and "Mang về máy<" not in desk
