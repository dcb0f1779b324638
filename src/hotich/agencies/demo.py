"""The demo's organizations: Nghệ An's People's Committee with five departments, three
communes' People's Committees with their sections, the provincial People's Council, and the party
committee of the provincial agencies with three cells; the demo users hold positions in them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotich.accounts.selectors import user_by_username
from hotich.agencies.models import Organization
from hotich.agencies.services import membership_add, organization_create
from hotich.agencies.vocabulary import Position as P

if TYPE_CHECKING:
    from hotich.geo.models import Unit

#: code | parent code | kind | unit key (of the demo's units) | name | short name
TREE = """
000.00.00.H41 | - | ubnd | province | Ủy ban nhân dân tỉnh Nghệ An | UBND tỉnh
000.01.00.H41 | 000.00.00.H41 | phong | province | Văn phòng Ủy ban nhân dân tỉnh | VP UBND tỉnh
000.00.01.H41 | 000.00.00.H41 | so | province | Sở Nội vụ | SNV
000.00.02.H41 | 000.00.00.H41 | so | province | Sở Tài chính | STC
000.00.07.H41 | 000.00.00.H41 | so | province | Sở Tư pháp | STP
000.01.07.H41 | 000.00.07.H41 | phong | province | Văn phòng Sở Tư pháp | VP
000.02.07.H41 | 000.00.07.H41 | phong | province | Phòng Hành chính tư pháp | HCTP
000.03.07.H41 | 000.00.07.H41 | phong | province | Phòng Xây dựng và kiểm tra văn bản | XDKTVB
000.00.10.H41 | 000.00.00.H41 | so | province | Sở Văn hóa, Thể thao và Du lịch | SVHTTDL
000.00.11.H41 | 000.00.00.H41 | so | province | Sở Khoa học và Công nghệ | SKHCN
000.00.31.H41 | 000.00.00.H41 | ubnd | thanhvinh | Ủy ban nhân dân phường Thành Vinh | UBND phường Thành Vinh
000.01.31.H41 | 000.00.31.H41 | phong | thanhvinh | Văn phòng HĐND và UBND phường Thành Vinh | VP
000.02.31.H41 | 000.00.31.H41 | phong | thanhvinh | Phòng Kinh tế, Hạ tầng và Đô thị | KTHTĐT
000.03.31.H41 | 000.00.31.H41 | phong | thanhvinh | Phòng Văn hóa - Xã hội | VHXH
000.00.32.H41 | 000.00.00.H41 | ubnd | quephong | Ủy ban nhân dân xã Quế Phong | UBND xã Quế Phong
000.01.32.H41 | 000.00.32.H41 | phong | quephong | Văn phòng HĐND và UBND xã Quế Phong | VP
000.02.32.H41 | 000.00.32.H41 | phong | quephong | Phòng Kinh tế | KT
000.03.32.H41 | 000.00.32.H41 | phong | quephong | Phòng Văn hóa - Xã hội | VHXH
000.00.33.H41 | 000.00.00.H41 | ubnd | vinhphu | Ủy ban nhân dân phường Vinh Phú | UBND phường Vinh Phú
000.01.33.H41 | 000.00.33.H41 | phong | vinhphu | Văn phòng HĐND và UBND phường Vinh Phú | VP
000.02.33.H41 | 000.00.33.H41 | phong | vinhphu | Phòng Kinh tế, Hạ tầng và Đô thị | KTHTĐT
000.03.33.H41 | 000.00.33.H41 | phong | vinhphu | Phòng Văn hóa - Xã hội | VHXH
000.00.90.H41 | - | hdnd | province | Hội đồng nhân dân tỉnh Nghệ An | HĐND tỉnh
000.00.91.H41 | - | dang_uy | province | Đảng ủy Khối các cơ quan tỉnh | ĐU Khối CCQ
000.01.91.H41 | 000.00.91.H41 | chi_bo | province | Chi bộ Sở Tư pháp | CB STP
000.02.91.H41 | 000.00.91.H41 | chi_bo | province | Chi bộ Sở Văn hóa, Thể thao và Du lịch | CB VHTTDL
000.03.91.H41 | 000.00.91.H41 | chi_bo | province | Chi bộ Sở Tài chính | CB STC
"""  # noqa: E501 - one organization a line

#: username, organization code, position, primary (the organization the user acts in)
MEMBERS: list[tuple[str, str, str, bool]] = [
    ("stp.giamdoc", "000.00.07.H41", P.DIRECTOR, True),
    ("stp.phogiamdoc", "000.00.07.H41", P.DEPUTY_DIRECTOR, True),
    ("stp.vanthu", "000.01.07.H41", P.CLERK, True),
    ("stp.truongphong", "000.02.07.H41", P.HEAD_OF_SECTION, True),
    ("sotuphap", "000.02.07.H41", P.SPECIALIST, True),
    ("stp.chuyenvien", "000.02.07.H41", P.SPECIALIST, True),
    ("stp.giamdoc", "000.01.91.H41", P.SECRETARY, False),
    ("stp.truongphong", "000.01.91.H41", P.DEPUTY_SECRETARY, False),
    ("sotuphap", "000.01.91.H41", P.PARTY_MEMBER, False),
    ("thanhvinh.chutich", "000.00.31.H41", P.CHAIRMAN, True),
    ("thanhvinh.vanthu", "000.01.31.H41", P.CLERK, True),
    ("thanhvinh.hotich", "000.01.31.H41", P.SPECIALIST, True),
    ("thanhvinh.nhaplieu", "000.03.31.H41", P.SPECIALIST, True),
    ("thanhvinh.nhaplieu2", "000.03.31.H41", P.SPECIALIST, True),
    ("thanhvinh.doichieu", "000.01.31.H41", P.SPECIALIST, True),
    ("quephong.chutich", "000.00.32.H41", P.CHAIRMAN, True),
    ("quephong.hotich", "000.01.32.H41", P.SPECIALIST, True),
    ("quephong.nhaplieu", "000.03.32.H41", P.SPECIALIST, True),
    ("quephong.doichieu", "000.01.32.H41", P.SPECIALIST, True),
    ("vinhphu.chutich", "000.00.33.H41", P.CHAIRMAN, True),
    ("vinhphu.vanthu", "000.01.33.H41", P.CLERK, True),
]


def tree_create(table: str, *, units: dict[str, Unit]) -> dict[str, Organization]:
    """The organizations of a ``TREE``-shaped table, parents first; returned by code."""
    made: dict[str, Organization] = {}
    for line in table.strip().splitlines():
        code, parent, kind, unit, name, short_name = (part.strip() for part in line.split("|"))
        made[code] = organization_create(
            actor=None,
            code=code,
            name=name,
            short_name=short_name,
            kind=kind,
            unit=units[unit],
            parent=made[parent] if parent != "-" else None,
        )
    return made


def demo_organizations(*, units: dict[str, Unit]) -> dict[str, Organization]:
    """Create the tree and the memberships; returns the organizations by code."""
    made = tree_create(TREE, units=units)
    for username, code, position, primary in MEMBERS:
        user = user_by_username(username)
        if user is not None:
            membership_add(
                actor=None, user=user, organization=made[code], position=position, primary=primary
            )
    return made
