"""The office statistics: documents in and out per period, handling on time / late / overdue
per handler and section, tasks on time; scoped to the user's agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import verified_client
from django.utils import timezone

from hotich.documents.models import Event, Recipient, Task
from hotich.documents.selectors import office_stats
from hotich.documents.tests.factories import incoming_factory, outgoing_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from hotich.documents.vocabulary import Status, TaskStatus

pytestmark = pytest.mark.django_db


def test_handling_is_counted_per_handler_section_and_agency(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    today = timezone.localdate()
    justice, handler = office["tree"].justice, office["handler"]

    def incoming(n: int, **extra: Any) -> Any:
        return incoming_factory(
            units["province"], organization=justice, handler=handler, sequence=n, number=str(n),
            year=today.year, **extra,
        )  # fmt: skip

    on_time = incoming(1, status=Status.PROCESSED, deadline=today)
    late = incoming(
        2, status=Status.PROCESSED, deadline=today - dt.timedelta(days=3),
        received_at=timezone.now() - dt.timedelta(days=4),
    )  # fmt: skip
    Event.objects.create(document=on_time, action="report", to_status=Status.PROCESSED)
    Event.objects.create(document=late, action="report", to_status=Status.PROCESSED)
    incoming(3, status=Status.ASSIGNED, deadline=today - dt.timedelta(days=1))  # overdue
    incoming(4, status=Status.ASSIGNED, deadline=today + dt.timedelta(days=5))  # still open
    reply = outgoing_factory(
        units["province"], organization=justice, status=Status.ISSUED, issued_at=timezone.now()
    )
    Recipient.objects.create(document=reply, name="Sở Nội vụ", delivered=on_time)
    Recipient.objects.create(document=reply, name="Báo Nghệ An")
    Task.objects.create(
        unit=units["province"], organization=justice, title="Tổng hợp số liệu", owner=handler,
        deadline=today, status=TaskStatus.DONE, completed_at=timezone.now(),
    )  # fmt: skip
    Task.objects.create(
        unit=units["province"], organization=justice, title="Rà soát", owner=handler,
        deadline=today - dt.timedelta(days=2),
    )  # fmt: skip
    start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)

    stats = office_stats(actor=office["leader"], start=start, end=end)
    assert (stats.incoming, stats.outgoing) == (4, 1)
    h = stats.handling
    assert (h.on_time, h.late, h.overdue, h.open) == (1, 1, 1, 1)
    assert [(p.name, p.total) for p in stats.by_handler] == [("Hồ Thị Minh Thư", 4)]
    assert [s.name for s in stats.by_section] == ["Phòng Hành chính tư pháp"]
    assert (stats.tasks.on_time, stats.tasks.overdue) == (1, 1)
    assert sum(incoming for _m, incoming, _o in stats.per_month) == 4
    # every document was made (and the reply issued) now: one local month, counted by the database
    assert stats.per_month == [(timezone.localdate().strftime("%m/%Y"), 4, 1)]
    # received today and 4 days ago, both reported today; the reply is not signed digitally and
    # reached one of its two recipients on the platform
    assert (stats.average_days, stats.signed_share, stats.electronic_share) == (2.0, 0.0, 50.0)

    other = office_stats(actor=office["outsider"], start=start, end=end)
    assert (other.incoming, other.outgoing, other.handling.total, other.tasks.total) == (0, 0, 0, 0)

    page = verified_client(office["leader"]).get(
        f"/thong-ke-van-phong/?year={today.year}&quarter=0"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hồ Thị Minh Thư" in html and "Sở Tư pháp tỉnh Nghệ An" in html
    assert verified_client(office["outsider"]).get("/thong-ke-van-phong/").status_code == 200
