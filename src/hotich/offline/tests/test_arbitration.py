"""Arbitration decided offline and sent back: once per idempotency key, through the arbitration
service; an entry decided meanwhile or whose keyings changed is a conflict with both versions;
a revoked device is refused; an arbitrator sees only the entries of their scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import verified_client

from hotich.accounts.vocabulary import Role
from hotich.digitization.models import Decision, Entry
from hotich.digitization.services import entry_arbitrate, keying_submit
from hotich.offline.models import Device, Receipt

pytestmark = pytest.mark.django_db

API = "/api/v1/offline"
FIRST = {"child.full_name": {"v": "Lò Thị Mai", "m": ""}, "child.sex": {"v": "F", "m": ""}}
SECOND = {"child.full_name": {"v": "Lò Thị May", "m": ""}, "child.sex": {"v": "F", "m": ""}}


@pytest.fixture
def disputed(entries: list[Any], people: Any) -> list[Any]:
    """The four entries keyed twice, differing on the child's name: all in arbitration."""
    for entry in entries:
        keying_submit(actor=people["clerk1"], entry=entry, values=FIRST)
        keying_submit(actor=people["clerk2"], entry=entry, values=SECOND)
    return entries


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _take(client: Any) -> tuple[str, list[dict[str, Any]]]:
    device = _post(client, "/devices", {"name": "Máy xách tay đối chiếu"})
    assert device.status_code == 201, device.content
    batch = client.get(f"{API}/arbitration?size=10")
    assert batch.status_code == 200, batch.content
    return device.json()["id"], batch.json()["entries"]


def _decision(device: str, entry: dict[str, Any], key: str, choice: str = "second") -> Any:
    third = {"v": "Lò Thị Mây", "m": ""} if choice == "third" else None
    return {
        "device": device,
        "idempotency_key": key,
        "entry": entry["id"],
        "base_version": entry["version"],
        "decisions": {"child.full_name": {"choice": choice, "third": third}},
    }


def test_a_decision_made_offline_is_applied_once(disputed: list[Any], people: Any) -> None:
    client = verified_client(people["reviewer"])
    device, batch = _take(client)
    assert [e["entry_number"] for e in batch] == [1, 2, 3, 4]
    item = batch[0]
    assert item["image"] == f"/so-hoa/muc/{item['id']}/anh/"
    assert item["decisions"] == [
        {
            "field": "child.full_name",
            "label": item["decisions"][0]["label"],
            "first": FIRST["child.full_name"],
            "second": SECOND["child.full_name"],
            "first_shown": "Lò Thị Mai",
            "second_shown": "Lò Thị May",
        }
    ]
    first = _post(client, "/decisions", _decision(device, item, "d-0000001"))
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "verified" and first.json()["replayed"] is False
    again = _post(client, "/decisions", _decision(device, item, "d-0000001"))
    assert again.json() == {**first.json(), "replayed": True}
    entry = Entry.objects.get(pk=item["id"])
    assert entry.values["child.full_name"]["v"] == "Lò Thị May"
    decision = Decision.objects.get(entry=entry)
    assert (decision.choice, decision.decided_by) == ("second", people["reviewer"])
    assert Receipt.objects.count() == 1
    third = _post(client, "/decisions", _decision(device, batch[1], "d-0000002", "third"))
    assert third.status_code == 200
    assert Entry.objects.get(pk=batch[1]["id"]).values["child.full_name"]["v"] == "Lò Thị Mây"
    # taken again: only the entries still waiting
    assert [e["entry_number"] for e in client.get(f"{API}/arbitration").json()["entries"]] == [3, 4]


def test_an_entry_decided_meanwhile_is_a_conflict_with_both_versions(
    disputed: list[Any], people: Any, units: Any, make_user: Any
) -> None:
    client = verified_client(people["reviewer"])
    device, batch = _take(client)
    other = make_user(Role.REVIEWER, units["b"])
    entry_arbitrate(actor=other, entry=disputed[2], decisions={"child.full_name": ("first", None)})
    answer = _post(client, "/decisions", _decision(device, batch[2], "d-0000003"))
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "decided"
    assert "đã được phân xử" in body["message"] and body["message_en"]
    assert body["device"]["child.full_name"]["choice"] == "second"
    assert body["server"]["status"] == "verified"
    assert body["server"]["values"]["child.full_name"]["v"] == "Lò Thị Mai"
    assert Decision.objects.get(entry=disputed[2]).decided_by == other
    replay = _post(client, "/decisions", _decision(device, batch[2], "d-0000003"))
    assert replay.status_code == 409 and replay.json()["replayed"] is True


def test_keyings_changed_since_taken_is_a_conflict(disputed: list[Any], people: Any) -> None:
    client = verified_client(people["reviewer"])
    device, batch = _take(client)
    Decision.objects.filter(entry=disputed[3]).update(second={"v": "Lò Thị Máy", "m": ""})
    answer = _post(client, "/decisions", _decision(device, batch[3], "d-0000004"))
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "stale"
    assert body["server"]["decisions"][0]["second_shown"] == "Lò Thị Máy"
    assert Entry.objects.get(pk=disputed[3].pk).status == "arbitration"


def test_a_missing_choice_is_refused_and_not_remembered(disputed: list[Any], people: Any) -> None:
    client = verified_client(people["reviewer"])
    device, batch = _take(client)
    empty = {**_decision(device, batch[0], "d-0000005"), "decisions": {}}
    answer = _post(client, "/decisions", empty)
    assert answer.status_code == 400
    assert answer.json()["field"] == "child.full_name"
    assert not Receipt.objects.exists()
    bad = _decision(device, batch[0], "d-0000006", "third")
    bad["decisions"]["child.full_name"]["third"] = {"v": "x" * 500, "m": ""}
    assert _post(client, "/decisions", bad).status_code == 400
    assert Entry.objects.get(pk=batch[0]["id"]).status == "arbitration"


def test_a_revoked_device_is_refused(disputed: list[Any], people: Any) -> None:
    client = verified_client(people["reviewer"])
    device, batch = _take(client)
    Device.objects.filter(public_id=device).update(revoked_at="2026-01-01T00:00:00Z")
    refused = _post(client, "/decisions", _decision(device, batch[0], "d-0000007"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "device_revoked"
    assert Entry.objects.get(pk=batch[0]["id"]).status == "arbitration"
    assert not Receipt.objects.exists()


def test_scope_other_communes_clerks_and_own_keyings(
    disputed: list[Any], people: Any, units: Any, make_user: Any
) -> None:
    outsider = verified_client(make_user(Role.REVIEWER, units["a"]))
    device, batch = _take(outsider)
    assert batch == []
    mine = verified_client(people["reviewer"])
    _, theirs = _take(mine)
    lost = _post(outsider, "/decisions", _decision(device, theirs[0], "d-0000008"))
    assert lost.status_code == 404
    clerk = verified_client(people["clerk1"])
    assert clerk.get(f"{API}/arbitration").status_code == 404
    clerk_device = _post(clerk, "/devices", {"name": "Máy xã"}).json()["id"]
    assert (
        _post(clerk, "/decisions", _decision(clerk_device, theirs[0], "d-0000009")).status_code
        == 404
    )
    # a reviewer who keyed an entry does not get it to decide
    keyer = make_user(Role.REVIEWER, units["b"])
    entry = Entry.objects.get(pk=theirs[0]["id"])
    entry.keyings.filter(seq=2).update(clerk=keyer)
    _, own = _take(verified_client(keyer))
    assert entry.pk not in [e["id"] for e in own]
    assert Entry.objects.filter(status="arbitration").count() == 4


def test_the_app_offers_arbitration_to_arbitrators_only(people: Any) -> None:
    reviewer = verified_client(people["reviewer"]).get("/so-hoa/ngoai-tuyen/")
    assert "Mang mục chờ phân xử về máy" in reviewer.content.decode()
    clerk = verified_client(people["clerk1"]).get("/so-hoa/ngoai-tuyen/")
    assert "Mang mục chờ phân xử về máy" not in clerk.content.decode()


def _seal(device: str, change: dict[str, Any]) -> dict[str, str]:
    import base64
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from hotich.offline.services import device_key

    iv = secrets.token_bytes(12)
    box = AESGCM(device_key(Device.objects.get(public_id=device))).encrypt(
        iv, json.dumps(change).encode(), None
    )
    return {"iv": base64.b64encode(iv).decode(), "data": base64.b64encode(box).decode()}


def _unseal(device: str, sealed: dict[str, str]) -> dict[str, Any]:
    import base64

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from hotich.offline.services import device_key

    key = device_key(Device.objects.get(public_id=device))
    plain = AESGCM(key).decrypt(
        base64.b64decode(sealed["iv"]), base64.b64decode(sealed["data"]), None
    )
    return dict(json.loads(plain))


def test_a_change_sent_sealed_by_the_service_worker_is_opened_and_applied_once(
    disputed: list[Any], people: Any, units: Any, make_user: Any
) -> None:
    client = verified_client(people["reviewer"])
    device, batch = _take(client)
    change = {
        "kind": "arbitration",
        "entry": batch[0]["id"],
        "base_version": batch[0]["version"],
        "decisions": {"child.full_name": {"choice": "first", "third": None}},
    }
    body = {"device": device, "idempotency_key": "s-0000001", **_seal(device, change)}
    first = _post(client, "/sealed", body)
    assert first.status_code == 200, first.content
    assert _unseal(device, first.json()["sealed"])["status"] == "verified"
    assert Entry.objects.get(pk=batch[0]["id"]).values["child.full_name"]["v"] == "Lò Thị Mai"
    again = _post(client, "/sealed", body)
    assert _unseal(device, again.json()["sealed"])["replayed"] is True
    assert Receipt.objects.count() == 1
    # decided meanwhile: the conflict comes back sealed for the page to show
    entry_arbitrate(
        actor=make_user(Role.REVIEWER, units["b"]),
        entry=disputed[1],
        decisions={"child.full_name": ("second", None)},
    )
    late = {**change, "entry": batch[1]["id"], "base_version": batch[1]["version"]}
    conflict = _post(
        client, "/sealed", {"device": device, "idempotency_key": "s-0000002", **_seal(device, late)}
    )
    assert conflict.status_code == 409
    assert _unseal(device, conflict.json()["sealed"])["code"] == "decided"
    # altered on the device: refused, nothing applied
    forged = {"device": device, "idempotency_key": "s-0000003", **_seal(device, change)}
    forged["data"] = forged["data"][:-4] + "AAAA"
    tampered = _post(client, "/sealed", forged)
    assert tampered.status_code == 400 and tampered.json()["field"] == "data"
    Device.objects.filter(public_id=device).update(revoked_at="2026-01-01T00:00:00Z")
    body3 = {**change, "entry": batch[2]["id"], "base_version": batch[2]["version"]}
    refused = _post(
        client,
        "/sealed",
        {"device": device, "idempotency_key": "s-0000004", **_seal(device, body3)},
    )
    assert refused.status_code == 403
    assert Entry.objects.get(pk=batch[2]["id"]).status == "arbitration"
