"""The party cells' schedule: meetings drafted on working days, once per period, shown in the
agency's calendar; the committee's page marks the months and quarters a cell missed, and only
the committee's own people see it."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from hotich.agencies.demo import tree_create
from hotich.agencies.services import membership_add
from hotich.core.workdays import is_working_day
from hotich.documents.models import CalendarEntry
from hotich.meetings.models import Meeting
from hotich.meetings.rules import month_end, period_state
from hotich.meetings.selectors import cells_year
from hotich.meetings.services import cells_schedule
from hotich.meetings.services.schedule import slots
from hotich.meetings.vocabulary import PeriodState

_codes = count(40)


def _committee(units: Any, make_user: Any) -> dict[str, Any]:
    """A party committee (with its secretary) and one cell of three members under it."""
    n = next(_codes)
    top, cell = f"000.00.{n}.H43", f"000.01.{n}.H43"
    made = tree_create(
        f"{top} | - | dang_uy | province | Đảng ủy {n} | ĐU\n"
        f"{cell} | {top} | chi_bo | province | Chi bộ {n} | CB",
        units=units,
    )
    leader = make_user("province", units["province"], full_name="Bí thư Đảng ủy")
    membership_add(actor=None, user=leader, organization=made[top], position="bi_thu")
    people = []
    for position in ("bi_thu", "pho_bi_thu", "dang_vien"):
        user = make_user("province", units["province"], full_name=f"Đảng viên {position}")
        membership_add(actor=None, user=user, organization=made[cell], position=position)
        people.append(user)
    return {"committee": made[top], "cell": made[cell], "leader": leader, "members": people}


def test_a_period_is_missed_only_once_it_is_over_without_a_meeting():
    today, since = dt.date(2026, 5, 10), dt.date(2026, 3, 6)

    def state(held: bool, ends: dt.date, tracked_from: dt.date | None = since) -> str:
        return period_state(held=held, ends=ends, today=today, tracked_from=tracked_from)

    assert state(False, month_end(2026, 4)) == PeriodState.MISSED
    assert state(False, month_end(2026, 3)) == PeriodState.MISSED
    assert state(False, month_end(2026, 5)) == PeriodState.DUE
    assert state(True, month_end(2026, 4)) == PeriodState.HELD
    assert state(False, today) == PeriodState.DUE
    # before the cell's first meeting on the platform, or with none: not tracked
    assert state(False, month_end(2026, 2)) == PeriodState.UNTRACKED
    assert state(False, month_end(2026, 4), tracked_from=None) == PeriodState.UNTRACKED


def test_the_slots_fall_on_working_days():
    year = slots(2026)
    assert [s.period for s in year if s.kind == "thematic"] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert len([s for s in year if s.kind == "regular"]) == 12
    assert all(is_working_day(s.day) for s in year)
    # 5 September 2026 is a Saturday: the meeting moves to Monday the 7th
    assert slots(2026, 9)[0].day == dt.date(2026, 9, 7)
    assert [s.kind for s in slots(2026, 8)] == ["regular", "thematic"]


@pytest.mark.django_db
def test_scheduling_twice_makes_each_meeting_once(units, make_user):
    party = _committee(units, make_user)
    first = cells_schedule(actor=None, year=2026, month=2, cells=[party["cell"]])
    assert sorted(m.period for m in first.created) == ["2026-02", "2026-Q1"]
    regular = Meeting.objects.get(period="2026-02")
    assert regular.chair == party["members"][0] and regular.secretary == party["members"][1]
    assert regular.items.count() == 1 and regular.participants.count() == 3
    entry = CalendarEntry.objects.get(pk=regular.calendar_entry_id)
    assert entry.published_at is not None and entry.starts_at == regular.starts_at
    again = cells_schedule(actor=None, year=2026, month=2, cells=[party["cell"]])
    assert again.created == [] and again.existing == 2
    assert Meeting.objects.filter(organization=party["cell"]).count() == 2
    assert CalendarEntry.objects.count() == 2


@pytest.mark.django_db
def test_the_command_schedules_a_year_and_skips_a_cell_without_members(units, make_user, capsys):
    party = _committee(units, make_user)
    n = next(_codes)
    tree_create(f"000.02.{n}.H43 | - | chi_bo | province | Chi bộ trống | CB", units=units)
    call_command("meetings", "schedule", "--year", "2027")
    out = capsys.readouterr()
    assert Meeting.objects.filter(organization=party["cell"]).count() == 16
    assert "Chi bộ trống" in out.err
    call_command("meetings", "schedule", "--year", "2027")
    assert Meeting.objects.filter(organization=party["cell"]).count() == 16


def _held(cell: Any, period: str, *, closed: dt.date) -> None:
    Meeting.objects.filter(organization=cell, period=period).update(
        status="minutes_signed",
        minutes="Biên bản",
        closed_at=timezone.make_aware(dt.datetime.combine(closed, dt.time(17, 0))),
    )


@pytest.mark.django_db
def test_the_months_a_cell_missed(units, make_user):
    party = _committee(units, make_user)
    cell = party["cell"]
    for month in (2, 3, 4, 5):
        cells_schedule(actor=None, year=2026, month=month, cells=[cell])
    _held(cell, "2026-02", closed=dt.date(2026, 2, 5))
    _held(cell, "2026-03", closed=dt.date(2026, 4, 2))  # minutes only in April: March missed
    _held(cell, "2026-Q1", closed=dt.date(2026, 2, 20))
    # April's meeting was drafted but never held; January is before the cell's first meeting
    (row,) = cells_year(party["committee"], 2026, today=dt.date(2026, 5, 10))
    held, missed, due = PeriodState.HELD, PeriodState.MISSED, PeriodState.DUE
    assert row.months[:6] == [PeriodState.UNTRACKED, held, missed, missed, due, due]
    assert row.quarters == [held, due, due, due]
    assert row.missed == 2


@pytest.mark.django_db
def test_only_the_committee_sees_its_page(units, make_user, staff_client):
    party = _committee(units, make_user)
    other = _committee(units, make_user)
    cells_schedule(actor=None, year=timezone.localdate().year, cells=[party["cell"]])
    url = f"/hop/cap-uy/{party['committee'].pk}/"
    html = staff_client(party["leader"]).get(url).content.decode()
    assert party["cell"].name in html and other["cell"].name not in html
    assert url in staff_client(party["leader"]).get("/hop/").content.decode()
    assert staff_client(other["leader"]).get(url).status_code == 404
    # a member of the cell is below the committee, not in it
    assert staff_client(party["members"][2]).get(url).status_code == 404
    assert staff_client(party["leader"]).get(f"/hop/cap-uy/{party['cell'].pk}/").status_code == 404


@pytest.mark.django_db
def test_the_monthly_task_keeps_a_month_ahead(units, make_user):
    from hotich.meetings.tasks import cells_schedule_monthly

    party = _committee(units, make_user)
    assert cells_schedule_monthly.call(reschedule=False) >= 2
    today = timezone.localdate()
    periods = set(
        Meeting.objects.filter(organization=party["cell"], kind="regular").values_list(
            "period", flat=True
        )
    )
    following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    assert periods == {f"{today:%Y-%m}", f"{following:%Y-%m}"}
    assert cells_schedule_monthly.call(reschedule=False) == 0
