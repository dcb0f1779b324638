"""Demo indicators: ten socio-economic indicators of a province's communes and departments, two
forms (yearly for the communes, quarterly for the communes and the Department of Justice), the
last three years' periods complete and approved (last year's pushed to the national system), this
year's partly entered; eight key indicators on the leaders' dashboard; the platform's own forms
(civil status, public services, signatures, digitization, documents) computed and approved for
last year's periods. Run by ``hotich demo``."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hotich.accounts.selectors import user_by_username
from hotich.agencies.selectors import organization_by_code, primary_membership
from hotich.agencies.services import membership_add, organization_create
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.reporting.adapters.national import NationalReportingClient
from hotich.reporting.datasets import form_assign, form_report_act, form_save, value_save
from hotich.reporting.exports import payload_schema
from hotich.reporting.indicators import OptionInput, category_save
from hotich.reporting.models import Category, DataForm, Indicator
from hotich.reporting.periods import period_containing, periods_of_year
from hotich.reporting.report_forms import REPORT_FORMS
from hotich.reporting.services import form_report_push

if TYPE_CHECKING:
    from hotich.geo.models import Unit

BASIS = "Luật Thống kê năm 2015 (sửa đổi năm 2021)"

#: code, name, English name, unit of measure, value type, over units, over time, categories
INDICATORS: list[tuple[str, str, str, str, str, str, str, list[str]]] = [
    ("DS_TB", "Dân số trung bình", "Average population", "người", "integer", "sum", "average", []),
    ("DS_NU", "Dân số trung bình là nữ", "Average female population", "người", "integer", "sum",
     "average", []),
    ("KS_SINH", "Số trẻ em sinh ra trong kỳ", "Live births", "trẻ", "integer", "sum", "sum",
     ["sex"]),
    ("HS_TH", "Số học sinh tiểu học", "Primary school pupils", "học sinh", "integer", "sum",
     "last", ["sex"]),
    ("GD_NHAPHOC", "Tỷ lệ trẻ em đi học tiểu học đúng độ tuổi", "Net primary enrolment rate",
     "%", "percent", "average", "last", []),
    ("BHYT_TL", "Tỷ lệ dân số tham gia bảo hiểm y tế", "Health insurance coverage", "%",
     "percent", "average", "last", []),
    ("HO_NGHEO", "Số hộ nghèo", "Poor households", "hộ", "integer", "sum", "last", ["area"]),
    ("LUA_DT", "Diện tích gieo trồng lúa", "Rice area planted", "ha", "number", "sum", "sum", []),
    ("LUA_NS", "Năng suất lúa", "Rice yield", "tạ/ha", "number", "average", "average", []),
    ("NS_THU", "Thu ngân sách nhà nước trên địa bàn", "State budget revenue", "triệu đồng",
     "number", "sum", "sum", []),
    ("DVC_TL", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến",
     "Share of administrative dossiers handled online", "%", "percent", "average", "last", []),
    ("DQTV_HL", "Số lượt dân quân tự vệ được huấn luyện", "Militia training sessions",
     "lượt", "integer", "sum", "sum", []),
    ("KS_DK", "Số trẻ em được đăng ký khai sinh", "Births registered", "trẻ", "integer", "sum",
     "sum", ["sex"]),
    ("KT_DK", "Số người chết được đăng ký khai tử", "Deaths registered", "người", "integer",
     "sum", "sum", ["sex"]),
    ("KH_DK", "Số cặp đăng ký kết hôn", "Marriages registered", "cặp", "integer", "sum", "sum",
     []),
    ("DVC_HS", "Số hồ sơ dịch vụ công đã tiếp nhận", "Public-service dossiers received", "hồ sơ",
     "integer", "sum", "sum", []),
]  # fmt: skip
SECRET = {"DQTV_HL"}
#: computed from the platform's data (the register, the dossiers), never typed
SOURCES = {
    "KS_DK": "births",
    "KT_DK": "deaths",
    "KH_DK": "marriages",
    "DVC_HS": "dossiers_received",
}
#: the key indicators on the leaders' dashboard (/bao-cao/lanh-dao/)
KEY = {"DS_TB", "KS_SINH", "HO_NGHEO", "BHYT_TL", "NS_THU", "DVC_TL", "LUA_NS", "DQTV_HL"}
#: years of approved history before this one (the trend and the dashboard's sparklines)
HISTORY = 3
PERCENT = {"GD_NHAPHOC", "BHYT_TL", "DVC_TL"}
YEARLY = ["DS_TB", "DS_NU", "KS_SINH", "HS_TH", "GD_NHAPHOC", "BHYT_TL", "HO_NGHEO", "LUA_DT",
          "LUA_NS", "KS_DK", "KT_DK", "KH_DK", "DVC_HS"]  # fmt: skip
#: the secret form: approved like the others, never pushed to the national system
DEFENCE = ["DQTV_HL"]
QUARTERLY = ["NS_THU", "DVC_TL"]
#: the demo forms: yearly for the communes, quarterly, and the secret yearly one
FORMS: list[dict[str, Any]] = [
    {"code": "KTXH-XA-N", "name": "Biểu chỉ tiêu kinh tế - xã hội cấp xã (hằng năm)",
     "name_en": "Commune socio-economic indicators (yearly)", "regime": "yearly",
     "deadline_days": 15, "indicators": YEARLY,
     "rules": [
         {"code": "nu_tong", "expression": "DS_NU <= DS_TB",
          "message": "Dân số nữ không lớn hơn dân số trung bình"},
         {"code": "sinh_tong", "expression": "KS_SINH <= DS_TB",
          "message": "Số trẻ sinh ra không lớn hơn dân số"},
     ]},
    {"code": "KTXH-Q", "name": "Thu ngân sách và dịch vụ công trực tuyến (hằng quý)",
     "name_en": "Budget revenue and online public services (quarterly)", "regime": "quarterly",
     "deadline_days": 10, "indicators": QUARTERLY},
    {"code": "QP-XA-N", "name": "Biểu quốc phòng cấp xã (hằng năm, mật)",
     "name_en": "Commune defence figures (yearly, secret)", "regime": "yearly",
     "deadline_days": 15, "indicators": DEFENCE, "is_secret": True},
]  # fmt: skip
#: organization code, name, kind, unit key, parent code
ORGANIZATIONS = [
    ("000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", OrganizationKind.PEOPLES_COMMITTEE,
     "province", ""),
    ("000.00.07.H41", "Sở Tư pháp tỉnh Nghệ An", OrganizationKind.DEPARTMENT, "province",
     "000.00.00.H41"),
    ("000.00.31.H41", "Ủy ban nhân dân phường Thành Vinh", OrganizationKind.PEOPLES_COMMITTEE,
     "thanhvinh", "000.00.00.H41"),
    ("000.00.32.H41", "Ủy ban nhân dân xã Quế Phong", OrganizationKind.PEOPLES_COMMITTEE,
     "quephong", "000.00.00.H41"),
]  # fmt: skip
#: demo user → the organization they act in
MEMBERS = {
    "tonghop": ("000.00.00.H41", Position.SPECIALIST),
    "sotuphap": ("000.00.07.H41", Position.SPECIALIST),
    "thanhvinh.hotich": ("000.00.31.H41", Position.SPECIALIST),
    "quephong.hotich": ("000.00.32.H41", Position.SPECIALIST),
}
#: a commune's yearly figures (the urban ward, the mountain commune)
BASE = {
    "000.00.31.H41": {"DS_TB": 98500, "KS_SINH": 1320, "HS_TH": 8900, "GD_NHAPHOC": 99.4,
                      "BHYT_TL": 96.1, "HO_NGHEO": 210, "LUA_DT": 145.0, "LUA_NS": 61.2,
                      "NS_THU": 412000, "DVC_TL": 78.0, "DQTV_HL": 540},
    "000.00.32.H41": {"DS_TB": 21800, "KS_SINH": 410, "HS_TH": 2350, "GD_NHAPHOC": 97.2,
                      "BHYT_TL": 98.7, "HO_NGHEO": 1180, "LUA_DT": 1260.0, "LUA_NS": 44.8,
                      "NS_THU": 23500, "DVC_TL": 52.0, "DQTV_HL": 310},
    "000.00.07.H41": {"NS_THU": 8600, "DVC_TL": 91.0},
}  # fmt: skip


def _organizations(units: dict[str, Unit]) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for code, name, kind, unit, parent in ORGANIZATIONS:
        made[code] = organization_by_code(code) or organization_create(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            unit=units[unit],
            parent=made.get(parent) or (organization_by_code(parent) if parent else None),
        )
    for username, (code, position) in MEMBERS.items():
        user = user_by_username(username)
        if user is not None and primary_membership(user) is None:
            membership_add(actor=None, user=user, organization=made[code], position=position)
    return made


def _catalogue() -> None:
    category_save(
        actor=None,
        code="sex",
        name="Giới tính",
        name_en="Sex",
        options=[OptionInput("M", "Nam", "Male"), OptionInput("F", "Nữ", "Female")],
    )
    category_save(
        actor=None,
        code="area",
        name="Thành thị/nông thôn",
        name_en="Urban/rural",
        options=[OptionInput("U", "Thành thị", "Urban"), OptionInput("R", "Nông thôn", "Rural")],
    )
    categories = {c.code: c for c in Category.objects.all()}
    for code, name, name_en, uom, vtype, units, time, cats in INDICATORS:
        indicator, _created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit_of_measure": uom,
                "value_type": vtype,
                "aggregation_units": units,
                "aggregation_time": time,
                "legal_basis": BASIS,
                "is_secret": code in SECRET,
                "is_key": code in KEY,
                "source": SOURCES.get(code, ""),
            },
        )
        indicator.categories.set([categories[c] for c in cats])


def _cells(
    code: str, figure: float, rng: random.Random, scale: float, offset: float = 0.0
) -> dict[str, str]:
    """The cells of one indicator: its combinations split roughly in half."""
    value = min(100.0, figure * scale + offset) if code in PERCENT else figure * scale
    if code in ("KS_SINH", "HS_TH"):
        boys = round(value * rng.uniform(0.50, 0.54))
        return {"M": str(boys), "F": str(round(value) - boys)}
    if code == "HO_NGHEO":
        urban = round(value * rng.uniform(0.1, 0.3))
        return {"U": str(urban), "R": str(round(value) - urban)}
    if code == "DS_NU":
        return {"": str(round(value * rng.uniform(0.49, 0.51)))}
    if isinstance(figure, float):
        return {"": f"{value:.1f}"}
    return {"": str(round(value))}


def _fill(form: Any, org: Any, period: str, codes: list[str], rng: random.Random, share: float,
          today: dt.date, quarter: bool, age: int = 0) -> None:  # fmt: skip
    """One form's values; ``age``: years before last year (earlier years: fewer people, more
    poor households, lower rates)."""
    base = BASE[org.code]
    for code in codes:
        if code not in base and code != "DS_NU":
            continue
        if rng.random() > share:
            continue
        figure = base["DS_TB"] if code == "DS_NU" else base[code]
        scale = 0.25 if quarter and code == "NS_THU" else 1.0
        scale *= 1.0 if code in PERCENT else rng.uniform(0.96, 1.04)
        scale *= 1.08**age if code == "HO_NGHEO" else 1.0 if code in PERCENT else 0.98**age
        offset = -2.5 * age if code in PERCENT else 0.0
        for combo, raw in _cells(code, figure, rng, scale, offset).items():
            value_save(actor=None, form=form, organization=org, period_code=period,
                       indicator_code=code, combo=combo, raw=raw, today=today)  # fmt: skip


def demo_indicators(*, units: dict[str, Unit], seed: int = 2026) -> int:
    """Create the demo catalogue, forms and values; returns the number of forms reported."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    orgs = _organizations(units)
    _catalogue()
    communes = [orgs["000.00.31.H41"], orgs["000.00.32.H41"]]
    yearly, quarterly, defence = (form_save(actor=None, **spec) for spec in FORMS)
    form_assign(actor=None, form=yearly, organizations=communes)
    form_assign(actor=None, form=defence, organizations=communes)
    form_assign(actor=None, form=quarterly, organizations=[*communes, orgs["000.00.07.H41"]])
    today = timezone.localdate()
    reported = 0
    approved: list[Any] = []
    plan = ((yearly, YEARLY, False), (defence, DEFENCE, False), (quarterly, QUARTERLY, True))
    for form, codes, quarter in plan:
        current = period_containing(form.regime, today, cutoff_day=form.cutoff_day)
        for org in form.organizations.order_by("path"):
            for age in range(HISTORY - 1, -1, -1):
                year = current.year - 1 - age
                for period in periods_of_year(form.regime, year, cutoff_day=form.cutoff_day):
                    _fill(form, org, period.code, codes, rng, 1.0, today, quarter, age)
                    for action in ("submit", "approve"):
                        report = form_report_act(
                            actor=None,
                            form=form,
                            organization=org,
                            period_code=period.code,
                            action=action,
                        )
                    if age == 0:  # last year's forms go to the national system
                        approved.append(report)
                    reported += 1
            for period in periods_of_year(form.regime, current.year, cutoff_day=form.cutoff_day):
                if period.start <= today:
                    _fill(form, org, period.code, codes, rng, 0.6, today, quarter)
    reported += _platform_forms(communes, today)
    _push(approved)
    return reported


def _platform_forms(communes: list[Any], today: dt.date) -> int:
    """The forms the platform fills itself (``report_forms``: civil status, public services,
    signatures, digitization, documents) reported by the communes for every period of last
    year: each cell computed from the platform's data when the form is submitted."""
    reported = 0
    for spec in REPORT_FORMS:
        form = DataForm.objects.get(code=spec.code)
        form_assign(actor=None, form=form, organizations=communes)
        year = period_containing(form.regime, today, cutoff_day=form.cutoff_day).year - 1
        for period in periods_of_year(form.regime, year, cutoff_day=form.cutoff_day):
            for org in communes:
                for action in ("submit", "approve"):
                    form_report_act(
                        actor=None,
                        form=form,
                        organization=org,
                        period_code=period.code,
                        action=action,
                    )
                reported += 1
    return reported


def _push(reports: list[Any]) -> None:
    """Last year's approved forms sent to an in-process stand-in of the national receiver (the
    secret form is refused by ``form_report_push`` and never sent)."""
    from hotich.reporting.adapters.national.standin import StandInReceiver  # demo only

    receiver = StandInReceiver(schema=payload_schema()).start()
    try:
        client = NationalReportingClient(receiver.url, retries=1, backoff=0, timeout=10)
        for report in reports:
            form_report_push(actor=None, report=report, client=client)
    finally:
        receiver.stop()


#: the party organizations' quarterly report (secret: approved up the party tree, never pushed)
PARTY_INDICATORS: list[tuple[str, str, str, str, str]] = [
    ("DV_TONG", "Tổng số đảng viên", "Party members", "đảng viên", "last"),
    ("DV_DUBI", "Số đảng viên dự bị", "Probationary party members", "đảng viên", "last"),
    ("DV_KETNAP", "Số đảng viên kết nạp trong kỳ", "Members admitted in the period",
     "đảng viên", "sum"),
    ("CB_SINHHOAT", "Số kỳ sinh hoạt chi bộ đã tổ chức", "Cell meetings held", "kỳ", "sum"),
]  # fmt: skip
PARTY_FORM: dict[str, Any] = {
    "code": "CTD-Q",
    "name": "Báo cáo công tác đảng (hằng quý, mật)",
    "name_en": "Party work report (quarterly, secret)",
    "regime": "quarterly",
    "deadline_days": 10,
    "indicators": [row[0] for row in PARTY_INDICATORS],
    "rules": [
        {"code": "du_bi_tong", "expression": "DV_DUBI <= DV_TONG",
         "message": "Số đảng viên dự bị không lớn hơn tổng số đảng viên"},
    ],
    "is_secret": True,
}  # fmt: skip


def demo_party_reports(
    *,
    committee: str,
    cells: list[str],
    figures: Callable[[str, dt.date, dt.date], dict[str, int]],
    approver: str,
) -> int:
    """The party-work form assigned to the committee ``committee`` and its ``cells``: last
    quarter's report of each cell entered from ``figures(cell code, start, end)`` (what the
    cell reads from its party records), submitted, and approved by ``approver`` (the
    committee's secretary); this quarter's open. Secret: never queued for the national system.
    Returns the number of reports approved."""
    for code, name, name_en, uom, over_time in PARTY_INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "unit_of_measure": uom,
                "value_type": "integer",
                "aggregation_units": "sum",
                "aggregation_time": over_time,
                "legal_basis": "Quy định số 24-QĐ/TW; Hướng dẫn của Ban Tổ chức Trung ương",
                "is_secret": True,
            },
        )
    form = form_save(actor=None, **PARTY_FORM)
    organizations = [organization_by_code(code) for code in [committee, *cells]]
    form_assign(actor=None, form=form, organizations=[o for o in organizations if o is not None])
    today = timezone.localdate()
    current = period_containing(form.regime, today, cutoff_day=form.cutoff_day)
    done = [
        p
        for year in (current.year - 1, current.year)
        for p in periods_of_year(form.regime, year, cutoff_day=form.cutoff_day)
        if p.end < today
    ]
    last = done[-1]
    approving = user_by_username(approver)
    for code in cells:
        cell = organization_by_code(code)
        assert cell is not None
        for indicator, value in figures(code, last.start, last.end).items():
            value_save(actor=None, form=form, organization=cell, period_code=last.code,
                       indicator_code=indicator, combo="", raw=str(value), today=today)  # fmt: skip
        form_report_act(
            actor=None, form=form, organization=cell, period_code=last.code, action="submit"
        )
        form_report_act(
            actor=approving, form=form, organization=cell, period_code=last.code, action="approve"
        )
    return len(cells)
