"""The demo's meetings: last month's regular meeting of the Department of Justice's party cell,
complete (invitation, an outside guest, check-in, a vote, minutes signed by the secretary and the
secretary of the cell, a task), the cell's schedule around it (two months ago missed: the
committee's page shows it), and an extraordinary session of the provincial People's Council
where one resolution passes and one fails by the all-delegates rule (4 for of 7 present, of 9
delegates)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from hotich.accounts.selectors import user_by_username
from hotich.accounts.services import user_create
from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add
from hotich.agencies.vocabulary import Position as P
from hotich.meetings import services as s
from hotich.meetings.vocabulary import Choice, Kind

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization
    from hotich.geo.models import Unit
    from hotich.meetings.models import Meeting

CELL = "000.01.91.H41"  # Chi bộ Sở Tư pháp
COMMITTEE = "000.00.91.H41"  # Đảng ủy Khối các cơ quan tỉnh
COUNCIL = "000.00.90.H41"  # Hội đồng nhân dân tỉnh

#: the council's demo users: username, full name, role, position
DELEGATES = [
    ("hdndtinh.chutich", "Thái Thanh Quý", Role.SIGNER, P.CHAIRMAN),
    ("hdndtinh.thuky", "Nguyễn Thị Thu Hường", Role.PROVINCE, P.CHIEF_OF_OFFICE),
    *[
        (f"hdndtinh.daibieu{n}", name, Role.PROVINCE, P.SPECIALIST)
        for n, name in enumerate(
            [
                "Võ Thị Minh Sinh",
                "Hoàng Nghĩa Hiếu",
                "Nguyễn Văn Hải",
                "Trần Đình Toàn",
                "Lê Thị Kim Chung",
                "Phan Đức Đồng",
                "Cao Thị Hiền",
            ],
            start=1,
        )
    ],
]


#: the committee's demo user (its page of the cells' meetings): username, full name, role
COMMITTEE_USERS = [("dukhoi.bithu", "Lê Văn Khối", Role.PROVINCE)]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _hold(meeting: Meeting, chair: User, secretary: User, present: list[User]) -> None:
    s.meeting_transition(actor=chair, meeting=meeting, action="invite")
    for participant in meeting.participants.select_related("user"):
        if participant.user in present:
            s.checkin_secretary(actor=secretary, participant=participant)
        else:
            s.respond(actor=participant.user, meeting=meeting, attend=False, excuse="Đi công tác")
    s.meeting_transition(actor=chair, meeting=meeting, action="open")


def _vote(item_id: int, meeting: Meeting, chair: User, ballots: list[tuple[User, str]]) -> None:
    item = meeting.items.get(pk=item_id)
    s.vote_open(actor=chair, item=item)
    for user, choice in ballots:
        s.vote_cast(actor=user, item=item, choice=choice)
    s.vote_close(actor=chair, item=item)


def _sign(meeting: Meeting, chair: User, secretary: User) -> Meeting:
    s.meeting_transition(actor=chair, meeting=meeting, action="close")
    s.meeting_transition(actor=secretary, meeting=meeting, action="sign_secretary")
    return s.meeting_transition(actor=chair, meeting=meeting, action="sign_chair")


def _cell_meeting(cell: Organization) -> None:
    chair, secretary, member = (
        user_by_username(n) for n in ("stp.giamdoc", "stp.truongphong", "sotuphap")
    )
    if chair is None or secretary is None or member is None:
        return
    first = timezone.localdate().replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=5)
    meeting = s.meeting_create(
        actor=chair,
        organization=cell,
        kind=Kind.REGULAR,
        title=f"Sinh hoạt chi bộ thường kỳ tháng {last_month.month}/{last_month.year}",
        starts_at=_at(last_month, 14),
        place="Phòng họp tầng 3, Sở Tư pháp",
        chair_id=chair.pk,
        secretary_id=secretary.pk,
        period=f"{last_month:%Y-%m}",
    )
    s.item_add(actor=chair, meeting=meeting, title="Kiểm điểm công tác tháng")
    item = s.item_add(
        actor=chair,
        meeting=meeting,
        title="Thông qua kế hoạch số hóa sổ hộ tịch quý tới",
        vote=True,
    )
    _hold(meeting, chair, secretary, [chair, secretary, member])
    guest = s.guest_invite(
        actor=chair,
        meeting=meeting,
        name="Nguyễn Văn An",
        position="Báo cáo viên Ban Tuyên giáo Tỉnh ủy",
        email="nguyenvanan@example.vn",
    )
    s.checkin_secretary(actor=secretary, participant=guest)
    _vote(
        item.pk,
        meeting,
        chair,
        [(chair, Choice.FOR), (secretary, Choice.FOR), (member, Choice.FOR)],
    )
    s.conclusion_set(
        actor=chair,
        item=item,
        text="Chi bộ thống nhất kế hoạch; giao đồng chí Phó Bí thư triển khai.",
    )
    _sign(meeting, chair, secretary)
    s.task_from_item(
        actor=chair,
        item=item,
        title="Triển khai kế hoạch số hóa sổ hộ tịch quý tới",
        owner_id=secretary.pk,
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )


def _council_session(council: Organization, *, unit: Unit, password: str) -> None:
    people = []
    for username, full_name, role, position in DELEGATES:
        user = user_by_username(username) or user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            unit=unit,
            full_name=full_name,
        )
        membership_add(actor=None, user=user, organization=council, position=position, primary=True)
        people.append(user)
    chair, secretary = people[0], people[1]
    day = timezone.localdate() - dt.timedelta(days=7)
    meeting = s.meeting_create(
        actor=chair,
        organization=council,
        kind=Kind.EXTRAORDINARY,
        title="Kỳ họp chuyên đề Hội đồng nhân dân tỉnh",
        starts_at=_at(day, 8),
        place="Hội trường Trung tâm hội nghị tỉnh",
        chair_id=chair.pk,
        secretary_id=secretary.pk,
    )
    passing = s.item_add(
        actor=chair,
        meeting=meeting,
        title="Nghị quyết quy định mức chi hỗ trợ số hóa dữ liệu hộ tịch",
        is_resolution=True,
    )
    failing = s.item_add(
        actor=chair,
        meeting=meeting,
        title="Nghị quyết điều chỉnh phí khai thác dữ liệu hộ tịch",
        is_resolution=True,
    )
    present = people[:7]
    _hold(meeting, chair, secretary, present)
    yes, no, abstain = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN
    _vote(passing.pk, meeting, chair, list(zip(present, [yes] * 5 + [no, abstain], strict=True)))
    _vote(
        failing.pk, meeting, chair, list(zip(present, [yes] * 4 + [no, no, abstain], strict=True))
    )
    s.conclusion_set(
        actor=chair, item=passing, text="Quy định mức chi hỗ trợ số hóa dữ liệu hộ tịch từ năm sau."
    )
    s.conclusion_set(
        actor=chair,
        item=failing,
        text="Không đủ quá nửa tổng số đại biểu tán thành; giao cơ quan soạn thảo hoàn thiện.",
    )
    _sign(meeting, chair, secretary)
    s.resolution_issue(actor=chair, item=meeting.items.get(pk=passing.pk))


def _month_before(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def _schedule(committee: Organization, cell: Organization, *, unit: Unit, password: str) -> None:
    """The cell's schedule from two months ago to next month: two months ago was drafted but
    never held (the one the committee's page shows as missed); last month's was held above."""
    for username, full_name, role in COMMITTEE_USERS:
        user = user_by_username(username) or user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            unit=unit,
            full_name=full_name,
        )
        membership_add(
            actor=None, user=user, organization=committee, position=P.SECRETARY, primary=True
        )
    today = timezone.localdate()
    for back in (2, 1, 0, -1):
        year, month = _month_before(today, back)
        s.cells_schedule(actor=None, year=year, month=month, cells=[cell])


def demo_meetings(
    *, organizations: dict[str, Organization], units: dict[str, Unit], password: str
) -> int:
    """The cell's meeting and the council's session; returns how many meetings were made."""
    made = 0
    if CELL in organizations:
        _cell_meeting(organizations[CELL])
        made += 1
        if COMMITTEE in organizations:
            _schedule(
                organizations[COMMITTEE],
                organizations[CELL],
                unit=units["province"],
                password=password,
            )
    if COUNCIL in organizations:
        _council_session(organizations[COUNCIL], unit=units["province"], password=password)
        made += 1
    return made
