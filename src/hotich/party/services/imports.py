"""Importing member records from a spreadsheet into the cells of a committee: all rows or none.

One sheet, a header row (the names below, with or without diacritics), then one member a row.
``Mã chi bộ`` is the electronic identifier of a cell under the committee; dates are written
dd/mm/yyyy (or are date cells); ``Ngày chính thức`` is empty for a probationary member;
``Tên đăng nhập`` links the record to the member's account on the platform, when they have one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.accounts.selectors import user_by_username
from hotich.agencies.selectors import organization_by_code
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core import dates
from hotich.core.errors import DomainError, FormInvalid, ValidationFailed
from hotich.core.spreadsheets import RowError, RowsRefused, read_sheet
from hotich.core.text import fold, nfc
from hotich.party.scope import organization_in_reach
from hotich.party.services.members import MANAGE, member_create
from hotich.party.vocabulary import MAX_IMPORT_ROWS, Education, FeeCategory, Sex, Theory

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: folded header → field
HEADERS = {
    "ho va ten": "full_name",
    "gioi tinh": "sex",
    "ngay sinh": "birth_date",
    "dan toc": "ethnicity",
    "so dinh danh": "personal_id",
    "so dinh danh ca nhan": "personal_id",
    "so the dang": "card_number",
    "so the dang vien": "card_number",
    "ngay vao dang": "admitted_on",
    "ngay chinh thuc": "official_on",
    "ma chi bo": "cell",
    "chuc vu dang": "positions",
    "chuc vu": "positions",
    "giao duc pho thong": "general_education",
    "trinh do chuyen mon": "education",
    "ly luan chinh tri": "theory",
    "ten dang nhap": "username",
    "doi tuong dang phi": "fee_category",
    "thu nhap tinh dang phi": "fee_base",
}
COLUMN_LABELS = {
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc",
    "personal_id": "Số định danh",
    "card_number": "Số thẻ đảng",
    "admitted_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "cell": "Mã chi bộ",
    "positions": "Chức vụ đảng",
    "general_education": "Giáo dục phổ thông",
    "education": "Trình độ chuyên môn",
    "theory": "Lý luận chính trị",
    "username": "Tên đăng nhập",
    "fee_category": "Đối tượng đảng phí",
    "fee_base": "Thu nhập tính đảng phí",
}
REQUIRED = ("full_name", "sex", "birth_date", "admitted_on", "cell")


class ImportFailed(RowsRefused):
    """The spreadsheet has errors (``errors``: each row's); nothing was saved."""

    def __init__(self, errors: list[RowError]):
        super().__init__(
            errors, _("Tệp có {n} lỗi; chưa nhập gì. Dòng {row}, cột “{field}”: {msg}")
        )


@dataclass(frozen=True)
class ImportResult:
    created: int


def _index(choices: Any) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in choices:
        index[fold(str(value))] = value
        index[fold(str(label))] = value
    return index


SEXES = _index(Sex.choices)
EDUCATIONS = _index(Education.choices)
CATEGORIES = _index(FeeCategory.choices) | {"": FeeCategory.SALARIED}
THEORIES = _index(Theory.choices) | {"": Theory.NONE, "khong": Theory.NONE}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _date(raw: dict[str, str], name: str, errors: dict[str, str]) -> dt.date | None:
    text = raw.get(name, "")
    if not text:
        return None
    day = dates.to_date(text)
    if day is None:
        errors[name] = str(format_lazy(_("Ngày không hợp lệ: {v} (ghi dd/mm/yyyy)."), v=text[:20]))
    return day


class _Importer:
    def __init__(self, actor: Actor, committee: Organization) -> None:
        self.actor = actor
        self.committee = committee
        self.cells: dict[str, Organization | None] = {}
        self.cards: dict[str, int] = {}
        self.ids: dict[str, int] = {}

    def cell(self, code: str) -> Organization | None:
        if code not in self.cells:
            found = organization_by_code(code.upper())
            inside = found is not None and found.path.startswith(self.committee.path)
            self.cells[code] = found if inside else None
        return self.cells[code]

    def row(self, number: int, raw: dict[str, str]) -> None:
        errors: dict[str, str] = {}
        for name in REQUIRED:
            if not raw.get(name):
                errors[name] = str(_("Bắt buộc."))
        sex = SEXES.get(fold(raw.get("sex", "")), "")
        if raw.get("sex") and not sex:
            errors["sex"] = str(_("Giới tính: Nam hoặc Nữ."))
        education = EDUCATIONS.get(fold(raw.get("education", "")), "")
        if raw.get("education") and not education:
            errors["education"] = str(
                format_lazy(_("Trình độ chuyên môn không hợp lệ: {v}."), v=raw["education"][:40])
            )
        theory = THEORIES.get(fold(raw.get("theory", "")))
        if theory is None:
            errors["theory"] = str(
                format_lazy(_("Lý luận chính trị không hợp lệ: {v}."), v=raw["theory"][:40])
            )
        category = CATEGORIES.get(fold(raw.get("fee_category", "")))
        if category is None:
            errors["fee_category"] = str(
                format_lazy(_("Đối tượng đảng phí không hợp lệ: {v}."), v=raw["fee_category"][:40])
            )
        base_text = raw.get("fee_base", "").replace(".", "").replace(",", "").replace(" ", "")
        if base_text and not base_text.isdigit():
            errors["fee_base"] = str(_("Thu nhập tính đảng phí: ghi số đồng."))
        birth_date = _date(raw, "birth_date", errors)
        admitted_on = _date(raw, "admitted_on", errors)
        official_on = _date(raw, "official_on", errors)
        cell = None
        if raw.get("cell"):
            cell = self.cell(raw["cell"])
            if cell is None:
                errors["cell"] = str(
                    format_lazy(
                        _("Không có chi bộ mã {code} trực thuộc {committee}."),
                        code=raw["cell"][:20],
                        committee=self.committee.name,
                    )
                )
        user = None
        if raw.get("username"):
            user = user_by_username(raw["username"])
            if user is None:
                errors["username"] = str(_("Không có người dùng với tên đăng nhập này."))
        for name, seen in (("card_number", self.cards), ("personal_id", self.ids)):
            value = "".join(raw.get(name, "").split())
            if value and value in seen:
                errors[name] = str(format_lazy(_("Trùng với dòng {row}."), row=seen[value]))
            elif value:
                seen[value] = number
        if errors:
            raise FormInvalid(errors)
        try:
            member_create(
                actor=self.actor,
                cell=cell,
                full_name=raw["full_name"],
                sex=sex,
                birth_date=birth_date,
                admitted_on=admitted_on,
                official_on=official_on,
                ethnicity=raw.get("ethnicity", "") or "Kinh",
                personal_id=raw.get("personal_id", ""),
                card_number=raw.get("card_number", ""),
                positions=raw.get("positions", ""),
                general_education=raw.get("general_education", "") or "12/12",
                education=education,
                theory=theory or Theory.NONE,
                user=user,
                fee_category=category or FeeCategory.SALARIED,
                fee_base=int(base_text) if base_text.isdigit() else 0,
            )
        except ValidationFailed as exc:
            if exc.field == "organization":
                raise ValidationFailed(exc.message, field="cell") from None
            raise


def members_import(
    *, actor: Actor, committee: Organization | None, data: bytes | Path, name: str = ""
) -> ImportResult:
    """Import the rows into the cells under ``committee`` (see the module's docstring). Any
    error rolls every row back and raises :class:`ImportFailed` listing each row's errors in
    Vietnamese."""
    require(actor, MANAGE)
    committee = organization_in_reach(actor, committee, MANAGE)
    rows = read_sheet(data, max_rows=MAX_IMPORT_ROWS + 1, name=name, formats=("xlsx",)).rows
    if not rows:
        raise ValidationFailed(_("Tệp không có dòng tiêu đề."), field="file")
    header = [HEADERS.get(fold(_text(c)).replace("_", " ")) for c in rows[0][1]]
    missing = [COLUMN_LABELS[f] for f in REQUIRED if f not in header]
    if missing:
        raise ValidationFailed(
            format_lazy(_("Thiếu cột bắt buộc: {columns}."), columns=", ".join(missing)),
            field="file",
        )
    if len(rows) < 2:
        raise ValidationFailed(_("Tệp không có dòng nào."), field="file")
    importer = _Importer(actor, committee)
    errors: list[RowError] = []
    created = 0
    with transaction.atomic():
        for number, cells in rows[1:]:
            raw = {f: _text(v) for f, v in zip(header, cells, strict=False) if f}
            try:
                with transaction.atomic():
                    importer.row(number, raw)
                created += 1
            except FormInvalid as exc:
                for field, message in exc.errors.items():
                    errors.append(RowError(number, COLUMN_LABELS.get(field, field), str(message)))
            except DomainError as exc:
                field = exc.field or ""
                errors.append(RowError(number, COLUMN_LABELS.get(field, field), str(exc)))
        if errors:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action=Action.BULK,
                object_type="party.member",
                detail={"import": "members", "committee": committee.pk, "created": created},
            )
    if errors:
        raise ImportFailed(errors)
    return ImportResult(created=created)
