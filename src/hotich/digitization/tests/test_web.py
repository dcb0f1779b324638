"""Digitization pages: scope (other commune → 404), anonymous → login, and the main pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hotich.accounts.vocabulary import Role
from hotich.digitization import services
from hotich.digitization.models import Entry, EntryStatus, PageImage
from hotich.digitization.tests.conftest import page_bytes
from hotich.digitization.tests.scope import SCOPED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role.values)
def test_commune_a_gets_404_for_commune_b_objects(
    role: str, units: Any, make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user(role, units["a"]))
    for name, maker in SCOPED.items():
        path = reverse(name, kwargs=maker(units, make_user))
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            assert status in {404, 405}, (role, name, method, status)


def test_anonymous_is_sent_to_login(client: Any, units: Any, make_user: Any) -> None:
    for name, maker in SCOPED.items():
        response = client.get(reverse(name, kwargs=maker(units, make_user)))
        if name.startswith("api:"):
            assert response.status_code == 401
            continue
        assert response.status_code in {302, 405}
        if response.status_code == 302:
            assert "/dang-nhap/" in response["Location"]
    assert "/dang-nhap/" in client.get("/so-hoa/")["Location"]


def test_upload_mark_key_pages(book: Any, people: Any, staff_client: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    clerk = staff_client(people["clerk1"])
    assert clerk.get("/so-hoa/").status_code == 200
    assert clerk.get(f"/so-hoa/so/{book.pk}/").status_code == 200
    upload = SimpleUploadedFile("p1.png", page_bytes(40), content_type="image/png")
    body = clerk.post(f"/so-hoa/so/{book.pk}/tai-len/", {"file": upload}).json()
    assert body == {"ok": True, "duplicate": False, "pages": [1]}
    liar = SimpleUploadedFile("p2.jpg", page_bytes(41), content_type="image/jpeg")
    response = clerk.post(f"/so-hoa/so/{book.pk}/tai-len/", {"file": liar})
    assert response.status_code == 400 and "p2.jpg" in response.json()["error"]
    page = PageImage.objects.get()
    assert clerk.get(f"/so-hoa/trang/{page.pk}/").status_code == 200
    image = clerk.get(f"/so-hoa/trang/{page.pk}/anh/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    clerk.post(f"/so-hoa/trang/{page.pk}/danh-dau/", {"entry_number": "1", "count": "2"})
    assert Entry.objects.count() == 2
    entry = Entry.objects.get(entry_number=1)
    response = clerk.get(f"/so-hoa/so/{book.pk}/nhap/")
    assert response["Location"] == f"/so-hoa/muc/{entry.pk}/nhap/"
    form = clerk.get(f"/so-hoa/muc/{entry.pk}/nhap/")
    assert form.status_code == 200 and "openseadragon.min.js" in form.content.decode()
    # each field's marker is labelled, in words and for screen readers
    assert "Tình trạng chữ trong sổ</span>" in form.content.decode()
    assert 'aria-label="Tình trạng chữ trong sổ: ' in form.content.decode()
    data = {
        "registration_date": "1985",
        "child.full_name": "Trần Thị Lan",
        "child.sex": "F",
        "father.full_name": "",
        "father.full_name__m": "blank",
    }
    bad = clerk.post(f"/so-hoa/muc/{entry.pk}/nhap/", {**data, "registration_date": "1985-13"})
    assert bad.status_code == 400 and "Ngày đăng ký" in bad.content.decode()
    ok = clerk.post(f"/so-hoa/muc/{entry.pk}/nhap/", data)
    assert ok.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.KEYED_ONCE
    assert entry.keyings.get().values["father.full_name"] == {"v": "", "m": "blank"}
    # The second clerk keys blind: the first keying's values are not on the page.
    second = staff_client(people["clerk2"]).get(f"/so-hoa/muc/{entry.pk}/nhap/")
    assert "Trần Thị Lan" not in second.content.decode()


def test_arbitration_page_and_clerk_stats(book: Any, people: Any, staff_client: Any) -> None:
    page = services.page_import(
        actor=people["clerk1"], book=book, name="a.png", data=page_bytes(50)
    ).pages[0]
    entry = services.entry_mark(
        actor=people["clerk1"], page=page, entry_number=1, region={"x": 0, "y": 0, "w": 1, "h": 0.5}
    )
    base = {
        "registration_date": {"v": "1985", "m": ""},
        "child.full_name": {"v": "Lê Văn Tâm", "m": ""},
    }
    services.keying_submit(actor=people["clerk1"], entry=entry, values=base)
    services.keying_submit(
        actor=people["clerk2"],
        entry=entry,
        values={**base, "child.full_name": {"v": "Lê Văn Tám", "m": ""}},
    )
    reviewer = staff_client(people["reviewer"])
    queue = reviewer.get("/so-hoa/phan-xu/").content.decode()
    assert f"/so-hoa/muc/{entry.pk}/phan-xu/" in queue
    page_html = reviewer.get(f"/so-hoa/muc/{entry.pk}/phan-xu/").content.decode()
    assert "Lê Văn Tâm" in page_html and "Lê Văn Tám" in page_html
    crop = reviewer.get(f"/so-hoa/muc/{entry.pk}/anh/")
    assert crop.status_code == 200 and crop["Content-Type"] == "image/jpeg"
    response = reviewer.post(
        f"/so-hoa/muc/{entry.pk}/phan-xu/",
        {"child.full_name__choice": "third", "child.full_name__third": "Lê Văn Tấm"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.values["child.full_name"]["v"] == "Lê Văn Tấm"
    stats = reviewer.get("/so-hoa/nhan-vien/").content.decode()
    assert people["clerk1"].username in stats and people["clerk2"].username in stats
    # clerks cannot open the supervisor page
    assert staff_client(people["clerk1"]).get("/so-hoa/nhan-vien/").status_code == 404


def test_home_chart_and_ocr_text_search(book: Any, people: Any, staff_client: Any) -> None:
    page = services.page_import(
        actor=people["clerk1"], book=book, name="o.png", data=page_bytes(70)
    ).pages[0]
    PageImage.objects.filter(pk=page.pk).update(ocr_text="Họ tên: Nguyễn Văn Bình, sinh 1985")
    client = staff_client(people["clerk1"])
    html = client.get("/so-hoa/?q=nguyen+binh").content.decode()
    assert f"/so-hoa/trang/{page.pk}/" in html and "dz-chart" in html
    other = staff_client(people["outsider"]).get("/so-hoa/?q=nguyen+binh").content.decode()
    assert f"/so-hoa/trang/{page.pk}/" not in other


def test_home_shows_the_last_fixity_check(
    units: Any, people: Any, staff_client: Any, tmp_path: Any
) -> None:
    from django.core.files.storage import FileSystemStorage

    from hotich.archive.services import archive_fixity, archive_store

    storage = FileSystemStorage(location=str(tmp_path))
    client = staff_client(people["clerk1"])
    never_checked = client.get("/so-hoa/").content.decode()
    assert 'data-fixity="none"' in never_checked
    assert "chưa được kiểm tra" in never_checked and "hotich archive" not in never_checked
    archive_store(path="masters/x.bin", content=b"master", source="test", storage=storage)
    archive_fixity(storage=storage)
    assert 'data-fixity="ok"' in client.get("/so-hoa/").content.decode()
    (tmp_path / "masters" / "x.bin").write_bytes(b"changed")
    archive_fixity(storage=storage)
    page = client.get("/so-hoa/").content.decode()
    assert 'data-fixity="fail"' in page and "1 tệp bị thay đổi" in page


def test_home_title_is_text_and_the_chart_is_shown_once(people: Any, staff_client: Any) -> None:
    import re

    page = staff_client(people["clerk1"]).get("/so-hoa/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "<" not in title.group(1)
    assert page.count('id="chart-h"') == 1


def test_qa_page_gives_the_sample_share_as_a_percentage(
    book: Any, people: Any, staff_client: Any
) -> None:
    page = staff_client(people["reviewer"]).get(f"/so-hoa/so/{book.pk}/kiem-tra/").content.decode()
    assert "Tỷ lệ mẫu: 10 % số mục đã thống nhất." in page and "0,10" not in page
