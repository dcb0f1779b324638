from __future__ import annotations

import datetime as dt

import pytest

from hotich.accounts.vocabulary import Role
from hotich.audit.models import Entry
from hotich.registry.tests.factories import BirthFactory


@pytest.mark.django_db
def test_officer_issues_a_copy_as_pdf(units, make_user, staff_client) -> None:
    record = BirthFactory(unit=units["a"])
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    page = client.get(f"/ho-tich/ban-ghi/{record.pk}/").content.decode()
    assert "Cấp bản sao" in page
    response = client.post(f"/ho-tich/ban-ghi/{record.pk}/trich-luc/", {"copy": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Entry.objects.filter(action="export", object_id=str(record.pk)).exists()


@pytest.mark.django_db
def test_clerk_cannot_issue_extracts(units, make_user, staff_client) -> None:
    record = BirthFactory(unit=units["a"])
    client = staff_client(make_user(Role.CLERK, units["a"]))
    assert client.post(f"/ho-tich/ban-ghi/{record.pk}/trich-luc/", {"copy": "1"}).status_code == 404


@pytest.mark.django_db
def test_any_authority_issues_a_copy_of_a_record_registered_elsewhere(
    units, make_user, staff_client
) -> None:
    from hotich.registry.tests.factories import person_input

    born = dt.date.today() - dt.timedelta(days=30)
    record = BirthFactory(
        unit=units["b"], parties={"child": person_input(birth_date=born, with_id=True)}
    )
    child = record.parties.get(role="child").person
    assert child.personal_id
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    # The officer cannot browse the other commune's record...
    assert client.get(f"/ho-tich/ban-ghi/{record.pk}/").status_code == 404
    # ...but issues the copy a citizen asks for, naming the person exactly.
    response = client.post(
        "/ho-tich/ban-sao/",
        {"event_type": "birth", "personal_id": child.personal_id, "requested_by": "Lê Văn An"},
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Entry.objects.filter(
        action="read", object_id=str(record.pk), legal_basis__contains="bản sao"
    ).exists()
    by_name = client.post(
        "/ho-tich/ban-sao/",
        {
            "event_type": "birth",
            "full_name": child.full_name.upper(),
            "birth_date": child.birth_date.isoformat(),
            "requested_by": "Lê Văn An",
        },
    )
    assert by_name["Content-Type"] == "application/pdf"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"event_type": "birth", "personal_id": "040188012345"}, "Không có bản ghi nào khớp"),
        ({"event_type": "birth", "full_name": "Nguyễn An"}, "Cần số định danh cá nhân"),
        ({"event_type": "birth", "personal_id": "12ab"}, "đúng 12 chữ số"),
    ],
)
def test_copy_request_refusals_name_the_problem(units, make_user, staff_client, data, message):
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    response = client.post("/ho-tich/ban-sao/", {**data, "requested_by": "Lê Văn An"})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
def test_two_matching_records_are_refused_not_listed(units, make_user, staff_client) -> None:
    from hotich.registry.tests.factories import person_input

    born = "2024-05-01"
    for unit in (units["a"], units["b"]):
        BirthFactory(
            unit=unit,
            parties={
                "child": person_input(sex="F", full_name="Trần Thị Mai", birth_date=born),
            },
        )
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    response = client.post(
        "/ho-tich/ban-sao/",
        {
            "event_type": "birth",
            "full_name": "tran thi mai",
            "birth_date": born,
            "requested_by": "Lê Văn An",
        },
    )
    assert "Có nhiều bản ghi khớp" in response.content.decode()


@pytest.mark.django_db
def test_clerks_cannot_request_copies(units, make_user, staff_client) -> None:
    assert (
        staff_client(make_user(Role.CLERK, units["a"])).get("/ho-tich/ban-sao/").status_code == 404
    )


@pytest.mark.django_db
def test_api_issues_extracts_and_copies(units, make_user, staff_client) -> None:
    from hotich.registry.tests.factories import person_input

    born = dt.date.today() - dt.timedelta(days=30)
    here = BirthFactory(unit=units["a"])
    there = BirthFactory(
        unit=units["b"], parties={"child": person_input(birth_date=born, with_id=True)}
    )
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    copy = client.post(
        f"/api/v1/registry/records/{here.pk}/extracts",
        {"copy": True, "requested_by": "Lê Văn An"},
        content_type="application/json",
    )
    assert copy.status_code == 200 and copy.content.startswith(b"%PDF")
    assert copy["X-Verify-Code"]
    outside = client.post(
        f"/api/v1/registry/records/{there.pk}/extracts",
        {"copy": True},
        content_type="application/json",
    )
    assert outside.status_code == 404
    personal_id = there.parties.get(role="child").person.personal_id
    requested = client.post(
        "/api/v1/registry/copies",
        {"event_type": "birth", "personal_id": personal_id, "requested_by": "Lê Văn An"},
        content_type="application/json",
    )
    assert requested.status_code == 200 and requested.content.startswith(b"%PDF")
    unknown = client.post(
        "/api/v1/registry/copies",
        {"event_type": "birth", "personal_id": "040188012345", "requested_by": "Lê Văn An"},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Không có bản ghi nào khớp với thông tin yêu cầu."
