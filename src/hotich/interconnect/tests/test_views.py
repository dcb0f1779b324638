from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.documents.models import Document
from hotich.interconnect.models import Package
from hotich.interconnect.services import axis_receive, package_export

pytestmark = pytest.mark.django_db


def test_send_from_the_document_page_and_see_the_statuses(
    issued, codes, people, axis, settings, staff_client, django_capture_on_commit_callbacks
) -> None:
    settings.HOTICH_EDOC_AXIS_URL = axis.base_url
    officer = staff_client(people["officer"])
    page = officer.get(f"/van-ban/{issued.pk}/").content.decode()
    assert "Gửi liên thông" in page and codes["b"] in page and codes["a"] not in page
    with django_capture_on_commit_callbacks(execute=True):  # the task hands them to the axis
        response = officer.post(
            f"/lien-thong/gui/{issued.pk}/", {"to": [codes["b"], codes["justice"]]}
        )
    assert response.status_code == 302
    assert Package.objects.filter(direction="out", state="sent").count() == 2
    axis_receive(axis=axis)
    axis_receive(axis=axis)
    page = officer.get(f"/van-ban/{issued.pk}/").content.decode()
    assert "Đã tiếp nhận" in page and "Đã đến" in page
    listing = officer.get("/lien-thong/").content.decode()
    assert "Xã Quế Phong" in listing or "Quế Phong" in listing
    received = staff_client(people["officer_b"]).get("/lien-thong/?chieu=den").content.decode()
    assert issued.number in received and "Trả lại" in received


def test_the_other_unit_cannot_send_it(issued, codes, people, staff_client) -> None:
    other = staff_client(people["officer_b"])
    assert "Gửi liên thông" not in other.get(f"/van-ban/{issued.pk}/").content.decode()
    other.post(f"/lien-thong/gui/{issued.pk}/", {"to": [codes["a"]]})
    assert not Package.objects.exists()


def test_import_upload_registers_or_shows_the_reason(issued, codes, people, staff_client) -> None:
    _key, data = package_export(actor=None, document_id=issued.pk, to_code=codes["b"])
    clerk = staff_client(people["officer_b"])
    before = Document.objects.count()
    response = clerk.post("/lien-thong/", {"file": SimpleUploadedFile("a.edxml", data[:300])})
    assert response.status_code == 200 and "edXML" in response.content.decode()
    assert Document.objects.count() == before
    response = clerk.post("/lien-thong/", {"file": SimpleUploadedFile("a.edxml", data)})
    assert response.status_code == 302 and Document.objects.count() == before + 1
    response = clerk.post("/lien-thong/", {"file": SimpleUploadedFile("a.edxml", data)})
    assert "đã nhận" in response.content.decode()
    # a package for another agency is not this clerk's to register
    _key, other = package_export(actor=None, document_id=issued.pk, to_code=codes["justice"])
    response = clerk.post("/lien-thong/", {"file": SimpleUploadedFile("b.edxml", other)})
    assert Document.objects.count() == before + 1


def test_the_packages_page_makes_the_same_queries_for_more_packages(
    issued, codes, people, units, make_user, staff_client
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hotich.accounts.vocabulary import Role
    from hotich.interconnect.services import package_import

    for code in (codes["province"], codes["justice"], codes["b"]):
        _key, data = package_export(actor=None, document_id=issued.pk, to_code=code)
        package_import(actor=None, data=data)

    def rows_and_queries(user) -> tuple[int, int]:
        client = staff_client(user)
        client.get("/lien-thong/?chieu=den")  # warm (session, permissions)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/lien-thong/?chieu=den").content.decode()
        return page.count('data-testid="package"'), len(queries)

    one = rows_and_queries(people["officer_b"])
    # the province's register receives for its People's Committee and its departments
    two = rows_and_queries(make_user(Role.PROVINCE, units["province"]))
    assert (one[0], two[0]) == (1, 2) and one[1] == two[1]
    assert rows_and_queries(people["officer"])[0] == 0  # Thành Vinh received none
