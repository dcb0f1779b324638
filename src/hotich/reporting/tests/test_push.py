"""Pushing reports to the stand-in national receiver over real HTTP."""

from __future__ import annotations

import pytest

from hotich.accounts.vocabulary import Role
from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed
from hotich.reporting.adapters.national import NationalReportingClient
from hotich.reporting.models import Submission
from hotich.reporting.periods import Period
from hotich.reporting.services import submission_push, submission_refresh, submission_resubmit
from hotich.reporting.tests import fixture

pytestmark = pytest.mark.django_db
Y2025 = Period("yearly", 2025)


@pytest.fixture
def client(receiver):
    return NationalReportingClient(receiver.url, retries=3, backoff=0, timeout=5)


@pytest.fixture
def officer(units, make_user):
    fixture.build(units)
    return make_user(Role.OFFICER, units["a"])


def push(officer, client, unit=None, **kw):
    return submission_push(
        actor=officer, unit=unit or officer.unit, period=Y2025, client=client,
        today=fixture.TODAY, **kw,
    )  # fmt: skip


def test_push_is_accepted_once(officer, client, receiver) -> None:
    sub = push(officer, client)
    assert sub.status == "accepted" and sub.receipt_id.startswith("BC-")
    assert sub.attempts == 1 and len(receiver.reports) == 1
    stored = receiver.reports[sub.receipt_id]["payload"]
    assert stored["period"]["code"] == "2025-Y"
    assert {r["indicator"]: r["value"] for r in stored["data"] if "dimensions" not in r} == (
        fixture.EXPECTED_A
    )
    with pytest.raises(Conflict, match="đã được tiếp nhận"):
        push(officer, client)
    with pytest.raises(Conflict):
        submission_resubmit(actor=officer, submission=sub, client=client)
    assert len(receiver.reports) == 1 and receiver.requests == 1
    sub = submission_refresh(actor=officer, submission=sub, client=client)
    assert sub.receiver_status == "received"


def test_transient_failures_are_retried_with_one_key(officer, client, receiver) -> None:
    receiver.fail_next(2, status=503)
    sub = push(officer, client)
    assert sub.status == "accepted" and sub.attempts == 3
    assert [a.outcome for a in sub.log.all()] == ["retry", "retry", "accepted"]
    assert len(receiver.reports) == 1


def test_failed_push_resent_later_is_stored_once(officer, client, receiver) -> None:
    receiver.fail_next(3, status=502)
    sub = push(officer, client)
    assert sub.status == "failed" and sub.attempts == 3
    # a push for the same period now points at the waiting submission
    with pytest.raises(Conflict, match="Gửi lại"):
        push(officer, client)
    again = submission_resubmit(actor=officer, submission=sub, client=client)
    assert again.pk == sub.pk and again.status == "accepted"
    # The answer to a delivered report was lost: sending it again with the same key files
    # nothing new and gives the same receipt back.
    second = client.submit(sub.payload, idempotency_key=sub.idempotency_key)
    assert second.receipt_id == again.receipt_id
    assert second.attempts[0].outcome == "duplicate"
    assert len(receiver.reports) == 1


def test_rejected_push_gets_a_clear_message_and_a_new_revision(officer, client, receiver) -> None:
    receiver.reject_next("Sai mã đơn vị báo cáo.")
    sub = push(officer, client)
    assert sub.status == "rejected" and sub.message == "Sai mã đơn vị báo cáo."
    assert len(receiver.reports) == 0
    again = submission_resubmit(actor=officer, submission=sub, client=client)
    assert again.pk != sub.pk and again.revision == 2 and again.status == "accepted"
    assert again.idempotency_key != sub.idempotency_key
    assert Submission.objects.count() == 2 and len(receiver.reports) == 1


def test_receiver_down(officer) -> None:
    dead = NationalReportingClient("http://127.0.0.1:9", retries=2, backoff=0, timeout=1)
    sub = push(officer, dead)
    assert sub.status == "failed" and sub.attempts == 2
    assert sub.message == "ConnectError"


def test_open_circuit_fails_without_calling(officer) -> None:
    from hotich.core.http import CircuitBreaker

    breaker = CircuitBreaker(failures=1, reset=3600)
    dead = NationalReportingClient(
        "http://127.0.0.1:9", retries=1, backoff=0, timeout=1, breaker=breaker
    )
    assert push(officer, dead).message == "ConnectError"
    sub = submission_resubmit(actor=officer, submission=Submission.objects.get(), client=dead)
    assert sub.status == "failed" and sub.attempts == 2  # the refused try is logged too
    assert "tạm ngừng" in sub.message


def test_refusals(units, officer, client, make_user, settings) -> None:
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        push(officer, client, unit=units["b"])
    with pytest.raises(ValidationFailed, match="chưa kết thúc"):
        submission_push(actor=officer, unit=units["a"], period=Period("yearly", 2026),
                        client=client, today=fixture.TODAY)  # fmt: skip
    auditor = make_user(Role.AUDITOR, units["a"])
    with pytest.raises(PermissionDenied, match="không có quyền gửi"):
        push(auditor, client, unit=units["a"])
    settings.HOTICH_REPORTING_URL = ""
    with pytest.raises(ValidationFailed, match="HOTICH_REPORTING_URL"):
        submission_push(actor=officer, unit=units["a"], period=Y2025, today=fixture.TODAY)
    assert Submission.objects.count() == 0


def test_retry_command_resends_failed_submissions(officer, client, receiver, settings) -> None:
    from io import StringIO

    from django.core.management import call_command

    receiver.fail_next(3)
    sub = push(officer, client)
    assert sub.status == "failed"
    settings.HOTICH_REPORTING_URL = receiver.url
    out = StringIO()
    call_command("report", "retry", stdout=out)
    sub.refresh_from_db()
    assert sub.status == "accepted" and f"#{sub.pk} 2025-Y accepted" in out.getvalue()
    assert len(receiver.reports) == 1


def test_a_concurrent_push_is_a_conflict(officer, client, receiver, monkeypatch) -> None:
    from django.db import IntegrityError

    from hotich.reporting import services

    def clash(*args, **kwargs):
        raise IntegrityError("reporting_submission_revision_unique")

    monkeypatch.setattr(services, "_submission_insert", clash)
    with pytest.raises(Conflict, match="phiên khác"):
        push(officer, client)
    assert receiver.requests == 0
