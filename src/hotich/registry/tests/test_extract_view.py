from __future__ import annotations

import pytest

from hotich.accounts.models import Role
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
