"""The e-office pages: the day's page as home, routing on the document page, tasks, the
calendar and its public page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import verified_client
from django.utils import timezone

from hotich.documents.models import Task
from hotich.documents.services import calendar_entry_create, calendar_week_publish
from hotich.documents.tests.factories import incoming_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from hotich.documents.vocabulary import Status

pytestmark = pytest.mark.django_db


def test_home_is_the_day_page_and_routing_works_through_the_page(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    document = incoming_factory(units["province"], organization=office["tree"].justice)
    clerk = verified_client(office["clerk"])
    assert clerk.get("/").url == "/hom-nay/"
    assert "Chờ đề xuất xử lý" in clerk.get("/hom-nay/").content.decode()
    assert clerk.get("/?the=1").status_code == 200
    clerk.post(
        f"/van-ban/{document.pk}/thao-tac/",
        {"action": "propose", "note": "Kính chuyển Giám đốc cho ý kiến"},
    )
    leader = verified_client(office["leader"])
    assert "Chờ bút phê" in leader.get("/hom-nay/").content.decode()
    page = leader.get(f"/van-ban/{document.pk}/").content.decode()
    assert "Ý kiến chỉ đạo (bút phê)" in page and "Phan Văn Hải" in page
    assert "Võ Văn Tài" not in page  # another agency's people are not offered
    leader.post(
        f"/van-ban/{document.pk}/thao-tac/",
        {
            "action": "instruct",
            "note": "Giao Phòng HCTP chủ trì",
            "handler": office["head"].pk,
            "co": [office["co"].pk],
            "days": 5,
        },
    )
    document.refresh_from_db()
    assert document.status == Status.ASSIGNED and document.handler == office["head"]
    timeline = verified_client(office["head"]).get(f"/van-ban/{document.pk}/").content.decode()
    assert "Bút phê, giao xử lý" in timeline and "Chủ trì xử lý" in timeline


def test_tasks_pages(office: dict[str, Any]) -> None:  # noqa: F811
    leader = verified_client(office["leader"])
    due = timezone.localdate() + dt.timedelta(days=3)
    response = leader.post(
        "/nhiem-vu/giao/",
        {
            "title": "Rà soát sổ hộ tịch",
            "owner": office["handler"].pk,
            "co_workers": [office["co"].pk],
            "deadline": due.isoformat(),
        },
    )
    task = Task.objects.get()
    assert response.url == f"/nhiem-vu/{task.pk}/"
    handler = verified_client(office["handler"])
    assert "Rà soát sổ hộ tịch" in handler.get("/hom-nay/").content.decode()
    handler.post(
        f"/nhiem-vu/{task.pk}/thao-tac/",
        {"action": "progress", "note": "Đã rà 3 xã", "progress": 30},
    )
    page = handler.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert "Đang thực hiện · 30%" in page and "Đã rà 3 xã" in page
    refused = handler.post(
        f"/nhiem-vu/{task.pk}/thao-tac/", {"action": "complete", "note": ""}, follow=True
    )
    assert "Hoàn thành: cần ghi kết quả" in refused.content.decode()
    outsider = verified_client(office["outsider"])
    assert outsider.get(f"/nhiem-vu/{task.pk}/").status_code == 404
    bad = leader.post(
        "/nhiem-vu/giao/",
        {"title": "X", "owner": office["handler"].pk, "deadline": "2020-01-01"},
    )
    assert "không được trước hôm nay" in bad.content.decode()


def test_calendar_and_public_page(office: dict[str, Any]) -> None:  # noqa: F811
    today = timezone.localdate()
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(14, 0)))
    calendar_entry_create(actor=office["clerk"], starts_at=at, title="Họp giao ban nội bộ")
    calendar_entry_create(
        actor=office["clerk"], starts_at=at, title="Tiếp công dân định kỳ", is_public=True
    )
    handler = verified_client(office["handler"])
    assert "Họp giao ban" not in handler.get("/lich-cong-tac/").content.decode()
    leader = verified_client(office["leader"])
    leader.post(f"/lich-cong-tac/cong-bo/?tuan={today.isoformat()}")
    assert "Họp giao ban nội bộ" in handler.get("/lich-cong-tac/").content.decode()
    public = verified_client(office["leader"]).get("/lich-cong-tac/cong-khai/000.00.17.H41/")
    text = public.content.decode()
    assert "Tiếp công dân định kỳ" in text and "Họp giao ban" not in text
    from django.test import Client

    assert Client().get("/lich-cong-tac/cong-khai/000.00.17.H41/").status_code == 200
    assert Client().get("/lich-cong-tac/cong-khai/000.00.99.H41/").status_code == 404
    assert calendar_week_publish(actor=office["leader"], monday=today) == 0
