"""The HTTP adapter against the stand-in over real HTTP."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from hotich.audit.models import Entry
from hotich.core.errors import ValidationFailed
from hotich.core.http import CircuitOpen, UpstreamUnavailable
from hotich.people.adapters.popdb.adapter import (
    UpstreamRejected,
    population_database,
    reset_clients,
)
from hotich.people.adapters.popdb.protocol import IdRequest, Inquiry
from hotich.people.adapters.popdb.standin import StandInServer
from hotich.people.personal_id import check_consistent

BASIS = "Điều 4 Nghị định 13/2023/NĐ-CP"

pytestmark = pytest.mark.django_db


def control(server: StandInServer, **faults: Any) -> None:
    httpx.post(f"{server.url}/_control", json=faults, timeout=2).raise_for_status()


def any_citizen(server: StandInServer) -> dict[str, str]:
    row = server.store.conn.execute("SELECT personal_id FROM citizen LIMIT 1").fetchone()
    citizen = server.store.get(row[0])
    assert citizen is not None
    return citizen


def test_lookup_found_and_audited_with_who_and_why(standin: StandInServer, officer: Any) -> None:
    known = any_citizen(standin)
    citizen = population_database().lookup(known["personal_id"], inquiry=Inquiry(officer, BASIS))
    assert citizen is not None
    assert citizen.full_name == known["full_name"]
    assert citizen.birth_date == known["birth_date"]
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == "read"
    assert entry.username == officer.username
    assert entry.legal_basis == BASIS
    assert entry.object_id == known["personal_id"]
    assert entry.detail == {"operation": "lookup", "outcome": "found"}


def test_lookup_unknown_number_is_none(standin: StandInServer, officer: Any) -> None:
    result = population_database().lookup("040090000001", inquiry=Inquiry(officer, BASIS))
    assert result is None
    assert Entry.objects.order_by("-seq").first().detail["outcome"] == "not_found"  # type: ignore[union-attr]


def test_malformed_number_refused_before_any_request(standin: StandInServer, officer: Any) -> None:
    seen = standin.requests_seen
    with pytest.raises(ValidationFailed):
        population_database().lookup("12345", inquiry=Inquiry(officer, BASIS))
    assert standin.requests_seen == seen


def test_every_call_needs_a_legal_basis(officer: Any) -> None:
    with pytest.raises(ValidationFailed) as info:
        Inquiry(officer, "  ")
    assert info.value.field == "legal_basis"


def test_search_without_diacritics_and_partial_date(standin: StandInServer, officer: Any) -> None:
    known = any_citizen(standin)
    from hotich.core.text import fold

    results = population_database().search(
        full_name=fold(known["full_name"]).upper(),
        birth_date=known["birth_date"][:4],
        inquiry=Inquiry(officer, BASIS),
    )
    assert known["personal_id"] in [c.personal_id for c in results]
    assert all(c.birth_date.startswith(known["birth_date"][:4]) for c in results)
    with pytest.raises(ValidationFailed):
        population_database().search(
            full_name="An", birth_date="1990/01", inquiry=Inquiry(officer, BASIS)
        )


def test_assign_id_is_valid_and_idempotent(standin: StandInServer, officer: Any) -> None:
    request = IdRequest(
        request_key="birth-record-42",
        full_name="Nguyễn Thị Hằng",
        sex="F",
        birth_date="2026-03-01",
        province_code="040",
        birth_place="Phường Trường Thi, Tỉnh Nghệ An",
    )
    db = population_database()
    first = db.assign_id(request, inquiry=Inquiry(officer, BASIS))
    again = db.assign_id(request, inquiry=Inquiry(officer, BASIS))
    assert first.personal_id == again.personal_id
    pid = check_consistent(first.personal_id, sex="F", birth_year=2026)
    assert pid.province_code == "040"
    other = db.assign_id(
        IdRequest(**{**request.__dict__, "request_key": "birth-record-43"}),
        inquiry=Inquiry(officer, BASIS),
    )
    assert other.personal_id != first.personal_id
    assert Entry.objects.filter(action="create", object_type="popdb.citizen").count() == 3


def test_timeout_is_reported_as_unavailable(
    standin: StandInServer, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTICH_POPDB_TIMEOUT", "0.2")
    control(standin, slow_ms=800)
    started = time.monotonic()
    with pytest.raises(UpstreamUnavailable) as info:
        population_database().lookup(
            any_citizen(standin)["personal_id"], inquiry=Inquiry(officer, BASIS)
        )
    assert time.monotonic() - started < 0.7
    assert "timeout" in info.value.in_language("en")
    assert Entry.objects.order_by("-seq").first().detail["outcome"] == "unavailable"  # type: ignore[union-attr]


def test_a_single_5xx_is_retried_with_backoff(
    standin: StandInServer, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTICH_POPDB_RETRIES", "2")
    control(standin, fail_next=1)
    seen = standin.requests_seen
    known = any_citizen(standin)
    citizen = population_database().lookup(known["personal_id"], inquiry=Inquiry(officer, BASIS))
    assert citizen is not None
    assert standin.requests_seen - seen == 2


def test_5xx_burst_opens_the_circuit_then_it_recovers(
    standin: StandInServer, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTICH_POPDB_BREAKER_FAILURES", "3")
    monkeypatch.setenv("HOTICH_POPDB_BREAKER_RESET", "0.5")
    known = any_citizen(standin)["personal_id"]
    db, inquiry = population_database(), Inquiry(officer, BASIS)
    control(standin, fail_next=3, fail_status=502)
    for _ in range(3):
        with pytest.raises(UpstreamUnavailable):
            db.lookup(known, inquiry=inquiry)
    seen = standin.requests_seen
    with pytest.raises(CircuitOpen):
        db.lookup(known, inquiry=inquiry)
    assert standin.requests_seen == seen  # open: the service is not even asked
    assert db.http.breaker.state == "open"
    time.sleep(0.6)
    assert db.http.breaker.state == "half_open"
    assert db.lookup(known, inquiry=inquiry) is not None
    assert db.http.breaker.state == "closed"


def test_a_failed_trial_reopens_the_circuit(
    standin: StandInServer, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTICH_POPDB_BREAKER_FAILURES", "1")
    monkeypatch.setenv("HOTICH_POPDB_BREAKER_RESET", "0.3")
    known = any_citizen(standin)["personal_id"]
    db, inquiry = population_database(), Inquiry(officer, BASIS)
    control(standin, fail_next=2)
    with pytest.raises(UpstreamUnavailable):
        db.lookup(known, inquiry=inquiry)
    time.sleep(0.35)
    with pytest.raises(UpstreamUnavailable):
        db.lookup(known, inquiry=inquiry)  # the trial fails
    assert db.http.breaker.state == "open"


def test_service_down_is_unavailable(officer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTICH_POPDB_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("HOTICH_POPDB_RETRIES", "0")
    reset_clients()
    with pytest.raises(UpstreamUnavailable):
        population_database().lookup("040090000001", inquiry=Inquiry(officer, BASIS))
    reset_clients()


def test_lookups_are_cached_briefly_but_still_audited(
    standin: StandInServer, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTICH_POPDB_CACHE_SECONDS", "30")
    known = any_citizen(standin)["personal_id"]
    db, inquiry = population_database(), Inquiry(officer, BASIS)
    db.lookup(known, inquiry=inquiry)
    seen, audited = standin.requests_seen, Entry.objects.count()
    assert db.lookup(known, inquiry=inquiry) is not None
    assert standin.requests_seen == seen
    assert Entry.objects.count() == audited + 1


def test_bearer_credential_is_sent_and_checked(
    standin: StandInServer, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    standin.token = "s3cret"
    known = any_citizen(standin)["personal_id"]
    with pytest.raises(UpstreamRejected) as info:
        population_database().lookup(known, inquiry=Inquiry(officer, BASIS))
    assert "401" in str(info.value)
    monkeypatch.setenv("HOTICH_POPDB_TOKEN", "s3cret")
    assert population_database().lookup(known, inquiry=Inquiry(officer, BASIS)) is not None


def test_standin_refuses_requests_without_legal_basis(standin: StandInServer) -> None:
    response = httpx.get(f"{standin.url}/v1/citizens", params={"full_name": "An"}, timeout=2)
    assert response.status_code == 400
    assert response.json()["error"] == "legal_basis_required"
    health = httpx.get(f"{standin.url}/v1/health", timeout=2).json()
    assert health == {"status": "ok", "citizens": 30}
    assert json.loads(httpx.get(f"{standin.url}/_control", timeout=2).text)["fail_rate"] == 0.0
