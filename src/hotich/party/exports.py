"""Exports of party data: the member list (with its filters), the statistics and the fee report
of an organization, as a spreadsheet or as a PDF signed by the keeper with the seal of the unit
the organization serves (``signing.document_sign``, as the introduction letter), with a QR code
to its verify page. Each export is audited with what was exported (the organization, the
filters or the period, the format, how many rows; nothing personal).

Party data goes nowhere else: there is no API of it and the national reporting push carries
only the civil-status report."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from hotich.accounts.actors import Actor, actor_name
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.pdf import html_to_pdf
from hotich.core.qr import qr_data_uri
from hotich.core.text import vn_long_date
from hotich.party.rules import age_on
from hotich.party.scope import organization_in_reach, signature_block
from hotich.party.selectors import MemberFilters, fee_report, members_list
from hotich.party.statistics import member_statistics
from hotich.party.vocabulary import Education, Sex, Theory
from hotich.signing.services import document_sign, new_verify_code, verify_url

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

OBJECT_TYPE = "party.export"
FORMATS = ("xlsx", "pdf")
#: what may be exported
WHAT = ("members", "statistics", "fees")


@dataclass(frozen=True)
class Sheet:
    title: str
    header: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Export:
    #: ``members``, ``statistics`` or ``fees``
    what: str
    title: str
    organization: Organization
    sheets: list[Sheet]
    #: what was exported, for the audit log (no personal data)
    detail: dict[str, Any] = field(default_factory=dict)
    #: the file name without its extension (ASCII)
    filename: str = "xuat"


def _d(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def members_export(actor: Actor, organization: Organization, filters: MemberFilters) -> Export:
    """The members under ``organization`` matching ``filters``, every one (no pages)."""
    today = timezone.localdate()
    members = members_list(actor, organization, filters, today=today)
    rows = [
        [
            i,
            m.full_name,
            str(Sex(m.sex).label) if m.sex in Sex.values else m.sex,
            _d(m.birth_date),
            age_on(m.birth_date, today),
            m.ethnicity,
            m.cell.name,
            m.card_number,
            _d(m.admitted_on),
            _d(m.official_on) if m.official_on else str(_("Dự bị")),
            m.positions,
            m.general_education,
            str(Education(m.education).label) if m.education in Education.values else "",
            str(Theory(m.theory).label) if m.theory in Theory.values else "",
        ]
        for i, m in enumerate(members.iterator(chunk_size=2000), start=1)
    ]
    header = [
        str(_("STT")),
        str(_("Họ và tên")),
        str(_("Giới tính")),
        str(_("Ngày sinh")),
        str(_("Tuổi")),
        str(_("Dân tộc")),
        str(_("Chi bộ")),
        str(_("Số thẻ đảng viên")),
        str(_("Ngày vào Đảng")),
        str(_("Ngày chính thức")),
        str(_("Chức vụ đảng")),
        str(_("Giáo dục phổ thông")),
        str(_("Trình độ chuyên môn")),
        str(_("Lý luận chính trị")),
    ]
    title = str(format_lazy(_("Danh sách đảng viên — {name}"), name=organization.name))
    detail = {
        "cell": filters.cell or "",
        "sex": filters.sex,
        "age": filters.age_band,
        "probationary": "" if filters.probationary is None else filters.probationary,
        "theory": filters.theory,
    }
    return Export(
        "members",
        title,
        organization,
        [Sheet(str(_("Đảng viên")), header, rows)],
        detail,
        f"danh-sach-dang-vien-{organization.pk}",
    )


def statistics_export(actor: Actor, organization: Organization) -> Export:
    """The statistics of the members under ``organization``: a sheet per breakdown."""
    stats = member_statistics(actor, organization)
    sheets = [
        Sheet(
            table.title,
            [str(_("Tổ chức đảng")), *(label for _v, label in table.columns), str(_("Tổng số"))],
            [[row.organization.name, *row.counts, row.total] for row in table.rows],
        )
        for table in stats.tables
    ]
    title = str(format_lazy(_("Thống kê đảng viên — {name}"), name=organization.name))
    return Export(
        "statistics",
        title,
        organization,
        sheets,
        {"year": stats.grade_year, "total": stats.total},
        f"thong-ke-dang-vien-{organization.pk}",
    )


def fees_export(actor: Actor, organization: Organization, start: str, end: str) -> Export:
    """The fee report of ``organization`` and those under it from ``start`` to ``end``."""
    rows = fee_report(actor, organization, start, end)
    sheet = Sheet(
        str(_("Đảng phí")),
        [
            str(_("Tổ chức đảng")),
            str(_("Số tháng đã chốt")),
            str(_("Thu")),
            str(_("Giữ lại")),
            str(_("Nộp cấp trên")),
        ],
        [[r.organization.name, r.months, r.collected, r.kept, r.remitted] for r in rows],
    )
    title = str(
        format_lazy(
            _("Báo cáo đảng phí từ {start} đến {end} — {name}"),
            start=start,
            end=end,
            name=organization.name,
        )
    )
    return Export(
        "fees",
        title,
        organization,
        [sheet],
        {"from": start, "to": end},
        f"dang-phi-{organization.pk}-{start}-{end}",
    )


def _audit(actor: Actor, export: Export, fmt: str, **more: Any) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=OBJECT_TYPE,
        object_id=export.organization.pk,
        detail={
            "export": export.what,
            "format": fmt,
            "rows": sum(len(s.rows) for s in export.sheets),
            **export.detail,
            **more,
        },
    )


def export_xlsx(*, actor: Actor, export: Export) -> bytes:
    """The export as a workbook (a sheet per table); audited."""
    organization_in_reach(actor, export.organization)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    used: set[str] = set()
    for index, sheet in enumerate(export.sheets, start=1):
        name = sheet.title[:28].replace("/", "-") or str(index)
        if name in used:
            name = f"{name[:25]} {index}"
        used.add(name)
        ws = book.create_sheet(name)
        ws.append([export.title])
        ws.append(sheet.header)
        for row in sheet.rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    _audit(actor, export, "xlsx")
    return out.getvalue()


def export_pdf(*, actor: Actor, export: Export) -> bytes:
    """The export as a PDF signed by the actor with the seal of the organization's unit, with
    a QR code to its verify page; audited with its verify code."""
    organization = organization_in_reach(actor, export.organization)
    require(actor, "party.view", system=False)
    unit = organization.unit
    code = new_verify_code()
    url = verify_url(code)
    html = render_to_string(
        "party/export_pdf.html",
        {
            "export": export,
            "organization": organization,
            "dated": vn_long_date(timezone.localdate()),
            "signer": actor_name(actor, full=True),
            "block": signature_block(actor, organization),
            "qr": qr_data_uri(url),
            "verify_url": url,
        },
    )
    signed = document_sign(
        pdf=html_to_pdf(html),
        actor=actor,
        unit=unit,
        kind="party.export",
        title=export.title,
        source_type=OBJECT_TYPE,
        source_id=f"{export.what}/{organization.pk}",
        verify_code=code,
        public={"organization": organization.name, "export": export.what},
    )
    _audit(actor, export, "pdf", verify_code=code)
    return bytes(signed.pdf)
