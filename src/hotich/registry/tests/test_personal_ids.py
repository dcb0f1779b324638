"""Birth registration asks the national population database for the child's personal ID over
HTTP (the stand-in service); while the service is down the record is registered anyway and the
request is retried under the same key."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.people.adapters.popdb.tests import conftest as popdb_fixtures
from hotich.people.adapters.popdb.tests.test_adapter import control
from hotich.people.personal_id import parse_personal_id
from hotich.registry.models import PersonalIdRequest
from hotich.registry.services.personal_id_assignment import personal_id_requests_retry

pytestmark = pytest.mark.django_db
standin = popdb_fixtures.standin  # the stand-in service on a free port


@pytest.fixture
def enabled(settings: Any) -> None:
    settings.HOTICH_POPDB_ENABLED = True


def _register_birth(units: Any, make_user: Any, capture: Any) -> Any:
    from hotich.registry.tests.factories import BirthFactory

    with capture(execute=True):
        return BirthFactory(unit=units["a"])


def _child(record: Any) -> Any:
    return record.parties.get(role="child").person


def test_registration_writes_the_assigned_id_as_a_margin_note(
    enabled: None, standin: Any, units: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    record = _register_birth(units, make_user, django_capture_on_commit_callbacks)
    request = PersonalIdRequest.objects.get(record=record)
    assert request.state == "assigned"
    child = _child(record)
    child.refresh_from_db()
    assert child.personal_id == request.personal_id
    decoded = parse_personal_id(child.personal_id)
    assert decoded.province_code == "040"
    note = record.amendments.get()
    assert note.changes[0]["field"] == "child.personal_id"


def test_service_down_keeps_the_record_and_retries_with_the_same_key(
    enabled: None, standin: Any, units: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    control(standin, fail_rate=1.0)
    record = _register_birth(units, make_user, django_capture_on_commit_callbacks)
    assert record.status == "registered"
    request = PersonalIdRequest.objects.get(record=record)
    assert request.state == "pending" and request.attempts == 1
    assert request.next_attempt_at is not None and request.last_error
    assert not _child(record).personal_id

    control(standin, fail_rate=0.0)
    PersonalIdRequest.objects.filter(pk=request.pk).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        counts = personal_id_requests_retry()
    request.refresh_from_db()
    assert counts == {"assigned": 1, "pending": 0, "failed": 0}, request.last_error
    assert request.state == "assigned" and request.attempts == 2
    # Asked twice under the same key: one number.
    assert personal_id_requests_retry() == {"assigned": 0, "pending": 0, "failed": 0}


def test_the_record_page_shows_a_pending_request(
    enabled: None,
    standin: Any,
    units: Any,
    make_user: Any,
    staff_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    control(standin, fail_rate=1.0)
    record = _register_birth(units, make_user, django_capture_on_commit_callbacks)
    page = staff_client(make_user("officer", units["a"])).get(f"/ho-tich/ban-ghi/{record.pk}/")
    assert 'data-personal-id="pending"' in page.content.decode()


def test_disabled_by_default(
    units: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    record = _register_birth(units, make_user, django_capture_on_commit_callbacks)
    assert not PersonalIdRequest.objects.filter(record=record).exists()


def test_assign_ids_command_retries_now(
    enabled: None, standin: Any, units: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    control(standin, fail_rate=1.0)
    record = _register_birth(units, make_user, django_capture_on_commit_callbacks)
    control(standin, fail_rate=0.0)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("records", "assign-ids", stdout=out)
    assert "assigned 1" in out.getvalue()
    assert PersonalIdRequest.objects.get(record=record).state == "assigned"
