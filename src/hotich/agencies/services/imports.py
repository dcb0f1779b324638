"""Importing the organization tree and its people from a spreadsheet: all rows or none.

One sheet, a header row, then rows of two sorts (a row may be both):

- an organization row names ``Tên cơ quan``: the organization with ``Mã định danh`` is created
  (or renamed, if the code exists) under ``Mã cấp trên`` (an earlier row or one in the database),
  serving the unit ``Mã ĐVHC`` (its parent's unit when empty);
- a person row names ``Tên đăng nhập``: the user (created with ``Vai trò`` and ``Họ và tên`` if
  new, with a password an administrator must reset) holds ``Chức vụ`` in the organization
  ``Mã định danh``; ``Chính`` (x) makes it the organization they act in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.accounts.selectors import user_by_username
from hotich.accounts.services import user_create
from hotich.accounts.vocabulary import Role
from hotich.agencies.models import Membership, Organization
from hotich.agencies.services.organizations import (
    MANAGE,
    check_code,
    membership_add,
    membership_make_primary,
    organization_create,
    organization_update,
)
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import DomainError, ValidationFailed
from hotich.core.spreadsheets import RowError, RowsRefused, read_sheet
from hotich.core.text import fold, nfc
from hotich.geo.selectors import unit_by_code

MAX_ROWS = 20_000

#: folded header → field
HEADERS = {
    "ma dinh danh": "code",
    "ma co quan": "code",
    "ten co quan": "name",
    "ten": "name",
    "ten viet tat": "short_name",
    "loai": "kind",
    "ma cap tren": "parent",
    "ma dvhc": "unit",
    "ma don vi hanh chinh": "unit",
    "ten dang nhap": "username",
    "ho va ten": "full_name",
    "chuc vu": "position",
    "vai tro": "role",
    "chinh": "primary",
}
COLUMN_LABELS = {
    "code": "Mã định danh",
    "name": "Tên cơ quan",
    "short_name": "Tên viết tắt",
    "kind": "Loại",
    "parent": "Mã cấp trên",
    "unit": "Mã ĐVHC",
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "position": "Chức vụ",
    "role": "Vai trò",
    "primary": "Chính",
    "file": "Tệp",
}
YES = {"x", "co", "1", "true", "yes", "chinh"}


def _choice_index(choices: Any) -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in choices:
        index[fold(str(value))] = value
        index[fold(str(label))] = value
    return index


class ImportFailed(RowsRefused):
    """The spreadsheet has errors (``errors``: each row's); nothing was saved."""

    def __init__(self, errors: list[RowError]):
        super().__init__(
            errors, _("Tệp có {n} lỗi; chưa nhập gì. Dòng {row}, cột “{field}”: {msg}")
        )


@dataclass
class ImportResult:
    organizations_created: int = 0
    organizations_updated: int = 0
    users_created: int = 0
    memberships: int = 0
    errors: list[RowError] = field(default_factory=list)


def _text(value: Any) -> str:
    return nfc(str(value)) if value is not None else ""


def _header(cells: list[Any]) -> list[str | None]:
    return [HEADERS.get(fold(_text(c)).replace("_", " ")) for c in cells]


class _Importer:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.result = ImportResult()
        self.kinds = _choice_index(OrganizationKind.choices)
        self.positions = _choice_index(Position.choices)
        self.roles = _choice_index(Role.choices)
        self.seen: dict[str, int] = {}

    def row(self, number: int, raw: dict[str, str]) -> None:
        if not any(raw.values()):
            return
        code = check_code(raw.get("code", ""))
        organization: Organization | None = None
        if raw.get("name"):
            if code in self.seen:
                raise ValidationFailed(
                    format_lazy(_("Mã định danh trùng với dòng {row}."), row=self.seen[code]),
                    field="code",
                )
            self.seen[code] = number
            organization = self._organization(code, raw)
        if raw.get("username"):
            self._person(code, raw, organization)
        elif organization is None:
            raise ValidationFailed(
                _("Dòng không có tên cơ quan cũng không có tên đăng nhập."), field="name"
            )

    def _organization(self, code: str, raw: dict[str, str]) -> Organization:
        existing = Organization.objects.filter(code=code).first()
        if existing is not None:
            self.result.organizations_updated += 1
            return organization_update(
                actor=self.actor,
                organization=existing,
                name=raw["name"],
                short_name=raw.get("short_name", existing.short_name),
            )
        kind = self.kinds.get(fold(raw.get("kind", "")))
        if kind is None:
            raise ValidationFailed(
                format_lazy(_("Loại tổ chức không hợp lệ: {kind}."), kind=raw.get("kind") or "∅"),
                field="kind",
            )
        parent = None
        if raw.get("parent"):
            parent = Organization.objects.filter(code=raw["parent"].strip().upper()).first()
            if parent is None:
                raise ValidationFailed(
                    format_lazy(
                        _("Không có cơ quan cấp trên mã {code} (ở dòng trên hay đã có)."),
                        code=raw["parent"],
                    ),
                    field="parent",
                )
        unit = unit_by_code(raw["unit"]) if raw.get("unit") else None
        if unit is None and raw.get("unit"):
            raise ValidationFailed(
                format_lazy(_("Không có đơn vị hành chính mã {code}."), code=raw["unit"]),
                field="unit",
            )
        unit = unit or (parent.unit if parent is not None else None)
        if unit is None:
            raise ValidationFailed(
                _("Hãy ghi mã đơn vị hành chính mà cơ quan phục vụ."), field="unit"
            )
        self.result.organizations_created += 1
        return organization_create(
            actor=self.actor,
            code=code,
            name=raw["name"],
            short_name=raw.get("short_name", ""),
            kind=kind,
            unit=unit,
            parent=parent,
        )

    def _person(self, code: str, raw: dict[str, str], organization: Organization | None) -> None:
        organization = organization or Organization.objects.filter(code=code).first()
        if organization is None:
            raise ValidationFailed(
                format_lazy(_("Không có cơ quan mã {code}."), code=code), field="code"
            )
        position = self.positions.get(fold(raw.get("position", "")))
        if position is None:
            raise ValidationFailed(
                format_lazy(
                    _("Chức vụ không hợp lệ: {position}."), position=raw.get("position") or "∅"
                ),
                field="position",
            )
        user = user_by_username(raw["username"])
        if user is None:
            role = self.roles.get(fold(raw.get("role", "")))
            if role is None:
                raise ValidationFailed(
                    _("Người dùng mới: hãy ghi vai trò (officer, signer, province…)."),
                    field="role",
                )
            user = user_create(
                actor=None if self.actor is None else require(self.actor, "accounts.manage"),
                username=raw["username"],
                password=secrets.token_urlsafe(24),
                role=role,
                unit=organization.unit,
                full_name=raw.get("full_name", ""),
            )
            self.result.users_created += 1
        membership = Membership.objects.filter(
            user=user, organization=organization, position=position, ended_on=None
        ).first()
        primary = fold(raw.get("primary", "")) in YES
        if membership is None:
            membership = membership_add(
                actor=self.actor,
                user=user,
                organization=organization,
                position=position,
                primary=primary,
            )
            self.result.memberships += 1
        elif primary:
            membership_make_primary(actor=self.actor, membership=membership)


def organizations_import(*, actor: Actor, data: bytes | Path, name: str = "") -> ImportResult:
    """Import the tree and its people (see the module's docstring). Every row is tried inside
    one transaction; any error rolls all of it back and raises :class:`ImportFailed` listing each
    row's error in Vietnamese."""
    require(actor, MANAGE)
    rows = read_sheet(data, max_rows=MAX_ROWS, name=name, formats=("xlsx", "csv")).rows
    if not rows:
        raise ValidationFailed(_("Tệp không có dòng tiêu đề."), field="file")
    header = _header(rows[0][1])
    if "code" not in header or not ({"name", "username"} & set(header)):
        raise ValidationFailed(
            _("Thiếu cột bắt buộc: Mã định danh, và Tên cơ quan hoặc Tên đăng nhập."),
            field="file",
        )
    importer = _Importer(actor)
    errors = importer.result.errors
    with transaction.atomic():
        for number, cells in rows[1:]:
            raw = {f: _text(v) for f, v in zip(header, cells, strict=False) if f}
            try:
                with transaction.atomic():
                    importer.row(number, raw)
            except DomainError as exc:
                column = COLUMN_LABELS.get(exc.field or "", exc.field or "")
                errors.append(RowError(number, column, str(exc)))
        if errors:
            raise ImportFailed(errors)
        result = importer.result
        if not (result.organizations_created or result.organizations_updated or result.memberships):
            raise ValidationFailed(_("Tệp không có dòng nào."), field="file")
        audit_record(
            actor=actor,
            action=Action.BULK,
            object_type="agencies.organization",
            detail={
                "import": "organizations",
                "created": result.organizations_created,
                "updated": result.organizations_updated,
                "users": result.users_created,
                "memberships": result.memberships,
            },
        )
    return result
