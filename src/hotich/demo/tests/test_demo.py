from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from hotich.accounts.models import User
from hotich.accounts.vocabulary import Role
from hotich.audit.selectors import audit_chain_verify
from hotich.demo.services import DEMO_PASSWORD, DEMO_USERS
from hotich.interconnect.models import Package
from hotich.meetings.demo import COMMITTEE_USERS, DELEGATES


@pytest.mark.django_db(transaction=True)
def test_demo_creates_users_of_every_role_and_an_intact_audit_chain(capsys) -> None:
    call_command("demo", "--size", "small", "--seed", "7")
    # one user per role, the People's Council's delegates for its demo session, the party
    # committee's secretary for its page of the cells' meetings
    assert User.objects.count() == len(DEMO_USERS) + len(DELEGATES) + len(COMMITTEE_USERS)
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    officer = User.objects.get(username="quephong.hotich")
    assert officer.check_password(DEMO_PASSWORD)
    assert officer.unit is not None and officer.unit.name == "Xã Quế Phong"
    assert audit_chain_verify() is None
    sent = Package.objects.get(direction="out")  # one document over the stand-in axis
    assert list(sent.statuses.values_list("code", flat=True)) == ["01", "03", "04"]
    # the party committee sees its cell's schedule, two months ago missed; a guest came
    from hotich.agencies.models import Organization
    from hotich.meetings.models import Participant
    from hotich.meetings.selectors import cells_year

    ago = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    ago = ago.replace(day=1) - dt.timedelta(days=1)
    committee = Organization.objects.get(code="000.00.91.H41")
    (cell,) = [r for r in cells_year(committee, ago.year) if r.cell.code == "000.01.91.H41"]
    assert cell.months[ago.month - 1] == "missed"
    assert Participant.objects.filter(is_member=False, checked_in_at__isnull=False).exists()
    call_command("demo", "--if-empty")
    assert "đã có" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_demo_has_a_digitized_book_with_a_clash_to_resolve() -> None:
    from hotich.digitization.selectors import book_clashes
    from hotich.registry.models import Book

    call_command("demo", "--size", "small", "--seed", "7")
    book = Book.objects.get(year=1987, is_historic=True, event_type="birth", volume=9)
    reviewer = User.objects.get(username="thanhvinh.doichieu")
    clashes = book_clashes(reviewer, book)
    assert [c.entry.entry_number for c in clashes] == [1]
    assert any(theirs == "Hồ Thị Thu" for _label, _paper, theirs in clashes[0].rows)
    # the second clerk's tablet, and the 1988 book waiting for her second keying offline
    from hotich.offline.selectors import batch_take, devices_of

    clerk2 = User.objects.get(username="thanhvinh.nhaplieu2")
    assert devices_of(clerk2).count() == 1
    assert {e["book_label"][:14] for e in batch_take(clerk2, size=50)["entries"]} == {
        "Khai sinh 1988"
    }
    # the reviewer takes the 1986 entries in arbitration offline; the desk its intake forms
    from hotich.offline.selectors import arbitration_take, intake_forms

    taken = arbitration_take(reviewer, size=50)["entries"]
    assert taken and {e["book_label"][:14] for e in taken} == {"Khai sinh 1986"}
    assert all(e["decisions"] for e in taken)
    assert devices_of(reviewer).count() == 1
    desk = User.objects.get(username="thanhvinh.hotich")
    assert intake_forms(desk)["procedures"]


@pytest.mark.django_db(transaction=True)
def test_demo_organizations_and_memberships() -> None:
    from hotich.agencies.selectors import members_of, organization_by_code, primary_membership
    from hotich.party.selectors import MemberFilters, members_list, transfers_visible

    call_command("demo", "--size", "small", "--seed", "7")
    justice = organization_by_code("000.00.07.H41")
    assert justice is not None and justice.name == "Sở Tư pháp"
    assert [m.user.username for m in members_of(justice)] == ["stp.giamdoc", "stp.phogiamdoc"]
    cells = organization_by_code("000.00.91.H41")
    assert cells is not None and cells.children.count() == 3
    secretary = User.objects.get(username="dukhoi.bithu")
    assert members_list(secretary, cells).count() == 30
    assert members_list(secretary, cells, MemberFilters(probationary=True)).count() == 2
    assert transfers_visible(secretary).filter(status="sent").count() == 1
    assert transfers_visible(secretary).filter(status="accepted", kind="temporary").count() == 1
    from hotich.party.statistics import member_statistics

    stats = member_statistics(secretary, cells)
    assert stats.total == 30 and len(stats.tables[0].rows) == 4
    grades = next(t for t in stats.tables if t.key == "grade")
    assert sum(grades.rows[0].counts[:-1]) == 30  # every member's grade of last year decided
    clerk = User.objects.get(username="vinhphu.vanthu")
    membership = primary_membership(clerk)
    assert membership is not None and membership.position == "van_thu"
    assert clerk.unit is not None and clerk.unit.name == "Phường Vinh Phú"


@pytest.mark.django_db(transaction=True)
def test_demo_office_route_tasks_and_calendar() -> None:
    from hotich.documents.selectors import today_for

    call_command("demo", "--size", "small", "--seed", "7")
    director = User.objects.get(username="stp.giamdoc")
    reasons = {w.reason for w in today_for(director).documents}
    assert "Chờ bút phê" in reasons
    specialist = User.objects.get(username="stp.chuyenvien")
    day = today_for(specialist)
    assert [t.progress for t, _ in day.tasks] == [60]
    assert day.organization is not None and day.organization.code == "000.00.07.H41"
    # the search finds the letters by a word of their body, the paper one by its OCR'd scan
    from hotich.documents.selectors_search import SearchQuery, document_search

    clerk = User.objects.get(username="stp.vanthu")
    hits = document_search(actor=clerk, query=SearchQuery(text="xa mien nui tuong duong"))
    assert [h.document.sender_number for h in hits] == ["205/SNV-CCHC"]
    assert hits.hits[0].snippet is not None
    hits = document_search(actor=clerk, query=SearchQuery(text="chu ky so chuyen dung"))
    assert [h.document.sender_number for h in hits] == ["97/SKHCN-BCVT"]
