"""The demo's party records: the Party Committee of the provincial agencies (Đảng ủy Khối các cơ
quan tỉnh) with its three cells and thirty members, two of them on probation (one past the
12 months without a decision), commendations, a discipline, last year's fees and ratings
complete, and a transfer from the Department of Justice's cell waiting for the Department of
Finance's. The committee's secretary (``dukhoi.bithu``) keeps every cell's records; the
Department of Justice's cell secretary (``stp.giamdoc``) keeps his cell's."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from hotich.accounts.selectors import user_by_username
from hotich.accounts.services import user_create
from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add
from hotich.agencies.vocabulary import Position as P
from hotich.core.errors import Conflict
from hotich.documents.services import task_transition
from hotich.party import services as s
from hotich.party.models import Directive
from hotich.party.rules import add_months
from hotich.party.selectors import badges_due
from hotich.party.services.badges import OCCASIONS
from hotich.party.services.fees import dues_of
from hotich.party.vocabulary import (
    DirectiveKind,
    DistinctionKind,
    Education,
    FeeCategory,
    Grade,
    RatingAction,
    Sex,
    Theory,
    TransferAction,
    TransferKind,
)
from hotich.people.personal_id import generate_personal_id

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit
    from hotich.party.models import Member

COMMITTEE = "000.00.91.H41"
CELLS = ("000.01.91.H41", "000.02.91.H41", "000.03.91.H41")
#: username, full name of the committee's secretary
SECRETARY = ("dukhoi.bithu", "Lê Văn Khối")

F, M = Sex.FEMALE, Sex.MALE
E, T = Education, Theory
#: cell (index in CELLS), full name, sex, birth year, admission year, username, party position
MEMBERS: list[tuple[int, str, str, int, int, str, str]] = [
    (0, "Đặng Quốc Khánh", M, 1972, 1998, "stp.giamdoc", "Bí thư chi bộ"),
    (0, "Phan Văn Hải", M, 1978, 2004, "stp.truongphong", "Phó Bí thư chi bộ"),
    (0, "Trần Thị Thu Hà", F, 1985, 2012, "sotuphap", "Chi ủy viên"),
    (0, "Nguyễn Thị Hồng Nhung", F, 1990, 2016, "", ""),
    (0, "Hồ Sỹ Toàn", M, 1966, 1992, "", ""),
    (0, "Lê Văn Thắng", M, 1969, 1995, "", ""),
    (0, "Võ Thị Quỳnh Anh", F, 1996, 2026, "", ""),
    (0, "Cao Xuân Bình", M, 1981, 2008, "", ""),
    (0, "Thái Thị Mai", F, 1975, 2001, "", ""),
    (0, "Nguyễn Đình Phúc", M, 1988, 2014, "", ""),
    (1, "Hoàng Văn Sơn", M, 1970, 1996, "", "Bí thư chi bộ"),
    (1, "Đinh Thị Lý", F, 1982, 2009, "", "Phó Bí thư chi bộ"),
    (1, "Lương Văn Tùng", M, 1992, 2018, "", ""),
    (1, "Vi Thị Hoa", F, 1987, 2013, "", ""),
    (1, "Lô Văn Chung", M, 1979, 2006, "", ""),
    (1, "Nguyễn Thị Lan Anh", F, 1994, 2025, "", ""),
    (1, "Trịnh Xuân Trường", M, 1963, 1986, "", ""),
    (1, "Bùi Thị Hằng", F, 1984, 2010, "", ""),
    (1, "Chu Văn Đức", M, 1976, 2003, "", ""),
    (1, "Ngô Thị Thảo", F, 1991, 2017, "", ""),
    (2, "Trần Văn Lợi", M, 1968, 1994, "", "Bí thư chi bộ"),
    (2, "Phạm Thị Ngọc", F, 1977, 2002, "", "Phó Bí thư chi bộ"),
    (2, "Đậu Văn Hiền", M, 1986, 2011, "", ""),
    (2, "Nguyễn Thị Phương", F, 1993, 2019, "", ""),
    (2, "Hồ Văn Nam", M, 1974, 2000, "", ""),
    (2, "Lê Thị Kim Oanh", F, 1983, 2009, "", ""),
    (2, "Võ Văn Lực", M, 1965, 1990, "", ""),
    (2, "Kha Thị Dung", F, 1989, 2015, "", ""),
    (2, "Phan Đức Thịnh", M, 1980, 2007, "", ""),
    (2, "Nguyễn Văn Quang", M, 1971, 1999, "", ""),
]
ETHNIC = {"Lương Văn Tùng": "Thái", "Vi Thị Hoa": "Thái", "Lô Văn Chung": "Thái"}
ETHNIC |= {"Kha Thị Dung": "Thổ", "Đinh Thị Lý": "Mường"}
#: members drawing a pension (they pay 0.5 % of it)
RETIRED = {"Trịnh Xuân Trường", "Võ Văn Lực"}
#: members on probation: (full name, months since admission)
PROBATION = {"Võ Thị Quỳnh Anh": 4, "Nguyễn Thị Lan Anh": 14}


def _member(
    rng: random.Random,
    cell: Organization,
    row: tuple[int, str, str, int, int, str, str],
    today: dt.date,
    number: int,
) -> Member:
    _index, name, sex, born, admitted, username, position = row
    birth = dt.date(born, rng.randint(1, 12), rng.randint(1, 28))
    if name in PROBATION:
        admitted_on = add_months(today, -PROBATION[name])
        official_on = None
    else:
        admitted_on = dt.date(admitted, rng.randint(1, 12), rng.randint(1, 28))
        official_on = add_months(admitted_on, 12)
    older = today.year - born > 45
    retired = name in RETIRED
    return s.member_create(
        actor=None,
        cell=cell,
        full_name=name,
        sex=sex,
        birth_date=birth,
        admitted_on=admitted_on,
        official_on=official_on,
        ethnicity=ETHNIC.get(name, "Kinh"),
        personal_id=generate_personal_id(
            rng, province_code="040", sex="M" if sex == M else "F", birth_year=born
        ),
        card_number=f"{41_000_000 + number * 37:08d}" if official_on else "",
        positions=position,
        education=rng.choice([E.UNIVERSITY, E.UNIVERSITY, E.MASTER] if older else [E.UNIVERSITY]),
        theory=(
            T.ADVANCED
            if position.startswith("Bí thư")
            else T.INTERMEDIATE
            if position or older
            else T.ELEMENTARY
        ),
        user=user_by_username(username) if username else None,
        fee_category=FeeCategory.RETIRED if retired else FeeCategory.SALARIED,
        fee_base=(7_200_000 if retired else rng.randrange(5_500_000, 16_000_000, 10_000)),
    )


def demo_party(
    *, organizations: dict[str, Organization], units: dict[str, Unit], password: str
) -> int:
    """Create the committee's keeper, the members and their distinctions; returns the number of
    members."""
    rng = random.Random(91)  # noqa: S311 - reproducible demo data
    today = timezone.localdate()
    # the meetings' demo may have made the secretary already (for the cells' schedule)
    secretary = user_by_username(SECRETARY[0]) or user_create(
        actor=None,
        username=SECRETARY[0],
        password=password,
        role=Role.PROVINCE,
        unit=units["province"],
        full_name=SECRETARY[1],
    )
    with contextlib.suppress(Conflict):  # already the committee's secretary
        membership_add(
            actor=None, user=secretary, organization=organizations[COMMITTEE], position=P.SECRETARY
        )
    members = [
        _member(rng, organizations[CELLS[row[0]]], row, today, number)
        for number, row in enumerate(MEMBERS, start=1)
    ]
    last_year = today.year - 1
    for member in members[:30:7]:
        s.distinction_add(
            actor=None,
            member=member,
            kind=DistinctionKind.COMMENDATION,
            title=f"Đảng viên hoàn thành xuất sắc nhiệm vụ năm {last_year}",
            decided_on=dt.date(today.year, 1, 20),
            decided_by="Đảng ủy Khối các cơ quan tỉnh",
        )
    s.distinction_add(
        actor=None,
        member=members[24],
        kind=DistinctionKind.DISCIPLINE,
        discipline="reprimand",
        title="Vi phạm quy định về sinh hoạt chi bộ (vắng 3 kỳ liên tiếp không lý do)",
        decided_on=dt.date(last_year, 9, 12),
        decided_by="Chi bộ Sở Tài chính",
    )
    _fees(organizations, members, today.year - 1)
    _ratings(organizations, members, today.year - 1, rng)
    # one transfer waiting for the receiving cell: Chi bộ Sở Tư pháp → Chi bộ Sở Tài chính
    sender = user_by_username("stp.giamdoc")
    transfer = s.transfer_create(
        actor=sender,
        member=members[9],
        to_cell=organizations[CELLS[2]],
        kind=TransferKind.OFFICIAL,
        reason="Điều động công tác sang Sở Tài chính theo Quyết định của UBND tỉnh",
    )
    s.transfer_transition(actor=sender, transfer=transfer, action=TransferAction.SIGN)
    # one temporary transfer accepted, signed by the committee's secretary (T/M ĐẢNG ỦY): a
    # member of the second cell attends the first while on a course; either cell may end it
    studying = next(m for m in members if m.cell_id == organizations[CELLS[1]].pk)
    stay = s.transfer_create(
        actor=secretary,
        member=studying,
        to_cell=organizations[CELLS[0]],
        kind=TransferKind.TEMPORARY,
        reason="Tham gia lớp bồi dưỡng dài hạn tại Trường Chính trị tỉnh",
        until=today + dt.timedelta(days=120),
    )
    s.transfer_transition(actor=secretary, transfer=stay, action=TransferAction.SIGN)
    s.transfer_transition(actor=secretary, transfer=stay, action=TransferAction.ACCEPT)
    _directives(organizations, secretary, today)
    _badges(organizations, today)
    return len(members)


def _directives(organizations: dict[str, Organization], secretary: User, today: dt.date) -> None:
    """Two papers of the committee to its three cells: a resolution whose report is due in
    ten days (Chi bộ Sở Tư pháp has done it, the other two are on it) and a directive whose
    deadline has passed with no cell reporting."""
    cells = [organizations[code] for code in CELLS]
    committee = organizations[COMMITTEE]
    plan = s.directive_issue(
        actor=secretary,
        committee=committee,
        kind=DirectiveKind.RESOLUTION,
        title="Về nâng cao chất lượng sinh hoạt chi bộ năm " + str(today.year + 1),
        body=(
            "1. Các chi bộ xây dựng kế hoạch sinh hoạt chuyên đề hằng quý, gắn với nhiệm vụ "
            "chính trị của cơ quan.\n2. Duy trì sinh hoạt thường kỳ vào tuần đầu mỗi tháng; "
            "tài liệu gửi trước cho đảng viên trên hệ thống.\n3. Báo cáo kết quả triển khai về "
            "Đảng ủy Khối qua Văn phòng."
        ),
        deadline=today + dt.timedelta(days=10),
        targets=cells,
    )
    first = next(t for t in plan.targets.select_related("task") if t.organization_id == cells[0].pk)
    assert first.task is not None
    cell_secretary = user_by_username("stp.giamdoc")
    task_transition(actor=cell_secretary, task=first.task, action="start")
    task_transition(
        actor=cell_secretary,
        task=first.task,
        action="complete",
        note="Chi bộ đã họp, ban hành kế hoạch sinh hoạt chuyên đề năm tới và phân công thực hiện.",
    )
    late = s.directive_issue(
        actor=secretary,
        committee=committee,
        kind=DirectiveKind.DIRECTIVE,
        title="Về tăng cường công tác thu, nộp và quản lý đảng phí",
        body="Các chi bộ rà soát mức đóng đảng phí của đảng viên và báo cáo kết quả.",
        deadline=today,
        targets=cells,
    )
    # issued six weeks ago, due a month ago: every cell is late
    Directive.objects.filter(pk=late.pk).update(deadline=today - dt.timedelta(days=30))


def _badges(organizations: dict[str, Organization], today: dt.date) -> None:
    """The badges of the last occasion awarded to every member then due."""
    committee = organizations[COMMITTEE]
    occasion = max(
        dt.date(year, month, day)
        for year in (today.year - 1, today.year)
        for month, day in OCCASIONS
        if dt.date(year, month, day) <= today
    )
    due = badges_due(None, committee, occasion)
    if due:
        s.badges_award(
            actor=None,
            organization=committee,
            occasion=occasion,
            decision="Quyết định số 125-QĐ/TU của Ban Thường vụ Tỉnh ủy",
            decided_on=occasion - dt.timedelta(days=10),
            member_ids=[b.member.pk for b in due],
        )


def _fees(organizations: dict[str, Organization], members: list[Member], year: int) -> None:
    """Last year's fees: every member paid each month, each cell and the committee closed it."""
    dues = dues_of(members)
    for month in range(1, 13):
        period = f"{year}-{month:02d}"
        for code in CELLS:
            cell = organizations[code]
            paid = {m.pk: dues[m.pk] for m in members if m.cell_id == cell.pk}
            s.fees_collect(
                actor=None, cell=cell, period=period, paid=paid, paid_on=dt.date(year, month, 10)
            )
            s.fees_remit(actor=None, organization=cell, period=period)
        s.fees_remit(actor=None, organization=organizations[COMMITTEE], period=period)


def _ratings(
    organizations: dict[str, Organization], members: list[Member], year: int, rng: random.Random
) -> None:
    """Last year's ratings, decided: members (the disciplined one "Hoàn thành nhiệm vụ") and
    the three cells."""
    disciplined = members[24]
    for member in members:
        grade = rng.choice([Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.FULFILLED])
        final = Grade.FULFILLED if member == disciplined else grade
        rating = s.rating_self(actor=None, member=member, year=year, grade=grade)
        s.rating_transition(actor=None, rating=rating, action=RatingAction.REVIEW, grade=final)
        s.rating_transition(actor=None, rating=rating, action=RatingAction.DECIDE, grade=final)
    for code, grade in zip(CELLS, [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD], strict=True):
        rating = s.rating_self(actor=None, organization=organizations[code], year=year, grade=grade)
        s.rating_transition(actor=None, rating=rating, action=RatingAction.REVIEW, grade=grade)
        s.rating_transition(actor=None, rating=rating, action=RatingAction.DECIDE, grade=grade)
