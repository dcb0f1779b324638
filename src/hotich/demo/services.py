"""Demo data: Nghệ An's units, one user per role in two communes and at the province, register
records of people whose names follow Vietnamese frequencies, historic books being digitized
(one published, one waiting for arbitration) and online dossiers at every step. Reproducible by
seed."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.management import call_command
from django.db import transaction

from hotich.accounts.selectors import user_by_username, users_within
from hotich.accounts.services import user_create
from hotich.accounts.vocabulary import Role
from hotich.agencies.demo import demo_organizations
from hotich.agencies.selectors import organization_by_code
from hotich.digitization.demo import demo_digitized_book
from hotich.documents.demo import demo_files, demo_office
from hotich.geo.selectors import unit_get, unit_predecessors
from hotich.geo.services import units_load
from hotich.geo.vocabulary import Level
from hotich.interconnect.demo import demo_interconnect
from hotich.meetings.demo import demo_meetings
from hotich.offline.demo import demo_devices
from hotich.party.demo import CELLS as PARTY_CELLS
from hotich.party.demo import COMMITTEE as PARTY_COMMITTEE
from hotich.party.demo import SECRETARY as PARTY_SECRETARY
from hotich.party.demo import demo_party
from hotich.party.selectors import member_counts
from hotich.portal.demo import demo_portal
from hotich.registry.demo import demo_records
from hotich.registry.services import book_open, record_create
from hotich.reporting.demo import demo_indicators, demo_party_reports

if TYPE_CHECKING:
    from hotich.geo.models import Unit

DEMO_PASSWORD = "HoTich@2026"  # noqa: S105 - documented in the README, demo only
PROVINCE_CODE = "40"  # Nghệ An
# Two communes of today's Nghệ An: an urban ward and a mountain commune.
COMMUNES = {"thanhvinh": "16681", "quephong": "16738"}
# A third commune, for the agencies and e-office demo only.
OFFICE_COMMUNES = {"vinhphu": "16702"}
SIZES = {"small": 400, "province": 20000}
DOSSIERS = {"small": 200, "province": 3000}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    unit: str  # "province" or a key of COMMUNES
    full_name: str


DEMO_USERS = [
    DemoUser("quantri", Role.ADMIN, "province", "Nguyễn Văn Quản"),
    DemoUser("sotuphap", Role.PROVINCE, "province", "Trần Thị Thu Hà"),
    DemoUser("kiemtoan", Role.AUDITOR, "province", "Lê Minh Tuấn"),
    DemoUser("tonghop", Role.PROVINCE, "province", "Đặng Thị Thanh Tâm"),
    DemoUser("thanhvinh.hotich", Role.OFFICER, "thanhvinh", "Phạm Thị Hương"),
    DemoUser("thanhvinh.chutich", Role.SIGNER, "thanhvinh", "Hoàng Đức Thắng"),
    DemoUser("thanhvinh.nhaplieu", Role.CLERK, "thanhvinh", "Nguyễn Thị Lan"),
    DemoUser("thanhvinh.nhaplieu2", Role.CLERK, "thanhvinh", "Trần Văn Bình"),
    DemoUser("thanhvinh.doichieu", Role.REVIEWER, "thanhvinh", "Võ Văn Hùng"),
    DemoUser("quephong.hotich", Role.OFFICER, "quephong", "Lô Thị Mai"),
    DemoUser("quephong.chutich", Role.SIGNER, "quephong", "Vi Văn Sơn"),
    DemoUser("quephong.nhaplieu", Role.CLERK, "quephong", "Lương Thị Hoa"),
    DemoUser("quephong.doichieu", Role.REVIEWER, "quephong", "Nguyễn Văn Nam"),
    # e-office: the Department of Justice (director, deputy, clerk, head of section, specialist)
    DemoUser("stp.giamdoc", Role.SIGNER, "province", "Đặng Quốc Khánh"),
    DemoUser("stp.phogiamdoc", Role.SIGNER, "province", "Nguyễn Thị Thanh Xuân"),
    DemoUser("stp.vanthu", Role.PROVINCE, "province", "Lê Thị Ngọc Anh"),
    DemoUser("stp.truongphong", Role.PROVINCE, "province", "Phan Văn Hải"),
    DemoUser("stp.chuyenvien", Role.PROVINCE, "province", "Hồ Thị Minh Thư"),
    DemoUser("thanhvinh.vanthu", Role.OFFICER, "thanhvinh", "Đinh Thị Thảo"),
    DemoUser("vinhphu.chutich", Role.SIGNER, "vinhphu", "Trương Công Lợi"),
    DemoUser("vinhphu.vanthu", Role.OFFICER, "vinhphu", "Ngô Thị Duyên"),
]


def demo_is_loaded() -> bool:
    return user_by_username(DEMO_USERS[0].username) is not None


def demo_units() -> dict[str, Unit]:
    units = {"province": unit_get(level=Level.PROVINCE, code=PROVINCE_CODE)}
    for key, code in (COMMUNES | OFFICE_COMMUNES).items():
        units[key] = unit_get(level=Level.COMMUNE, code=code)
    return units


def demo_create(*, size: str = "small", seed: int = 2026, reset: bool = True) -> dict[str, int]:
    """(Re)create the demo. With ``reset`` the database is emptied first."""
    if reset:
        call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    units_load(provinces=[PROVINCE_CODE])
    with transaction.atomic():
        units = demo_units()
        for demo_user in DEMO_USERS:
            user_create(
                actor=None,
                username=demo_user.username,
                password=DEMO_PASSWORD,
                role=demo_user.role,
                unit=units[demo_user.unit],
                full_name=demo_user.full_name,
            )
        organizations = demo_organizations(units=units)
    from hotich.signing.standin import demo_pki_ensure  # refused with the production settings

    demo_pki_ensure()  # writes $HOTICH_DATA_DIR/pki/root-ca.pem, the root verifiers trust
    records = _demo_records(units=units, rng=rng, count=SIZES[size])
    books = _demo_digitization(units=units, seed=seed)
    office = demo_office()
    meetings = demo_meetings(organizations=organizations, units=units, password=DEMO_PASSWORD)
    with transaction.atomic():
        party_members = demo_party(organizations=organizations, units=units, password=DEMO_PASSWORD)
    dossiers = demo_portal(units=[units[key] for key in COMMUNES], rng=rng, count=DOSSIERS[size])
    statuses = demo_interconnect(units=units)
    with transaction.atomic():
        forms = demo_indicators(units=units, seed=seed)
        forms += demo_party_reports(
            committee=PARTY_COMMITTEE,
            cells=list(PARTY_CELLS),
            figures=_party_figures,
            approver=PARTY_SECRETARY[0],
        )
    return {
        "users": len(DEMO_USERS),
        "organizations": len(organizations),
        "office_documents": office,
        "work_files": demo_files(),
        "meetings": meetings,
        "party_members": party_members,
        "records": records,
        "books": books,
        "dossiers": dossiers,
        "interconnect_statuses": statuses,
        "indicator_forms": forms,
    }


def _demo_digitization(*, units: dict[str, Unit], seed: int) -> int:
    """Three historic birth books of Thành Vinh's predecessor commune: 1985 published into the
    register, 1986 keyed twice and waiting for arbitration, 1987 verified but with entry 1's
    number already held by a record registered directly (the book page shows the pair and the
    ways out), 1988 keyed once, waiting for the second clerk, who keys on a tablet registered
    for offline work; the reviewer's and the desk's laptops are registered too (the reviewer
    can take the 1986 entries in arbitration offline)."""
    commune = units["thanhvinh"]
    old = unit_predecessors(commune).first()
    users = {u.username: u for u in users_within(commune)}
    clerks = (users["thanhvinh.nhaplieu"], users["thanhvinh.nhaplieu2"])
    stages = (
        (1985, "published"),
        (1986, "arbitration"),
        (1987, "verified"),
        (1988, "keyed_once"),
    )
    for offset, (year, stage) in enumerate(stages):
        book = book_open(
            actor=None,
            unit=old.old_unit if old is not None else commune,
            event_type="birth",
            year=year,
            is_historic=True,
            scope_unit=commune,
            volume=9,  # a volume of its own: the register demo fills volume 1
        )
        demo_digitized_book(
            book=book,
            clerks=clerks,
            reviewer=users["thanhvinh.doichieu"],
            stage=stage,
            seed=seed + offset,
        )
        if year == 1987:
            record_create(
                actor=None,
                event_type="birth",
                registration_date="1987-02-09",
                parties={
                    "child": {"full_name": "Hồ Thị Thu", "sex": "F", "birth_date": "1987-01-20"},
                    "mother": {"full_name": "Hồ Thị Nga"},
                },
                data={},
                book=book,
                entry_number=1,
                legal_basis="Nhập trực tiếp từ tờ khai",
            )
    demo_devices(
        clerk=clerks[1], reviewer=users["thanhvinh.doichieu"], officer=users["thanhvinh.hotich"]
    )
    return len(stages)


def _demo_records(*, units: dict[str, Unit], rng: random.Random, count: int) -> int:
    communes = [units[key] for key in COMMUNES]
    return demo_records(units=communes, rng=rng, count=count)


def _party_figures(code: str, start: dt.date, end: dt.date) -> dict[str, int]:
    """What a demo cell reports up for a quarter: its members read from the party records, and
    the three monthly meetings it held."""
    cell = organization_by_code(code)
    assert cell is not None
    counts = member_counts(None, cell, start=start, end=end)
    return {
        "DV_TONG": counts["total"],
        "DV_DUBI": counts["probationary"],
        "DV_KETNAP": counts["admitted"],
        "CB_SINHHOAT": 3,
    }
