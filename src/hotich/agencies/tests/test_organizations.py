from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.agencies.selectors import (
    members_of,
    organization_by_code,
    organizations_below,
    organizations_visible,
    primary_membership,
    user_organizations,
)
from hotich.agencies.services import (
    membership_add,
    membership_end,
    membership_make_primary,
    organization_create,
    organization_update,
)
from hotich.agencies.tests.factories import make_tree
from hotich.agencies.vocabulary import OrganizationKind, Position
from hotich.audit.models import Entry
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def _create(actor: Any, unit: Any, code: str, name: str, kind: str) -> Any:
    return organization_create(actor=actor, code=code, name=name, kind=kind, unit=unit)


def test_tree_paths_and_selectors(units: dict[str, Any]) -> None:
    tree = make_tree(units)
    assert tree.civil_status.path == f"{tree.province.pk}/{tree.justice.pk}/{tree.civil_status.pk}/"
    assert tree.civil_status.depth == 2
    assert organization_by_code(" 000.00.17.H41 ") == tree.justice
    assert organization_by_code("000.00.99.H41") is None
    below = list(organizations_below(tree.province))
    assert below == [tree.justice, tree.civil_status, tree.commune, tree.commune_b]
    assert list(organizations_below(tree.justice, include_self=True)) == [
        tree.justice,
        tree.civil_status,
    ]
    organization_update(actor=None, organization=tree.commune_b, is_active=False)
    assert tree.commune_b not in organizations_below(tree.province)


@pytest.mark.parametrize(
    ("code", "kind", "error", "message"),
    [
        ("H41-1", OrganizationKind.DEPARTMENT, ValidationFailed, "không đúng dạng"),
        ("000.00.17.h41", OrganizationKind.DEPARTMENT, Conflict, "đã được dùng"),
        ("000.02.17.H41", OrganizationKind.SECTION, ValidationFailed, "Phòng, ban phải thuộc"),
        ("000.02.17.H41", "bo", ValidationFailed, "Loại tổ chức không hợp lệ"),
    ],
)
def test_code_and_kind_are_checked(
    units: dict[str, Any], code: str, kind: str, error: type[Exception], message: str
) -> None:
    make_tree(units)
    with pytest.raises(error, match=message):
        _create(None, units["province"], code, "Sở X", kind)


def test_name_is_required(units: dict[str, Any]) -> None:
    tree = make_tree(units)
    with pytest.raises(ValidationFailed, match="tên cơ quan"):
        organization_update(actor=None, organization=tree.justice, name="  ")


def test_only_managers_in_scope_create(units: dict[str, Any], make_user: Any) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    department = OrganizationKind.DEPARTMENT
    with pytest.raises(PermissionDenied):
        _create(officer, units["a"], "000.00.40.H41", "Sở A", department)
    manager = make_user(Role.PROVINCE, units["a"])
    with pytest.raises(NotFound):
        _create(manager, units["province"], "000.00.40.H41", "Sở A", department)
    created = _create(
        manager, units["a"], "000.00.40.H41", "Trạm Y tế", OrganizationKind.PUBLIC_SERVICE_UNIT
    )
    assert Entry.objects.filter(
        object_type="agencies.organization", object_id=str(created.pk)
    ).exists()


def test_memberships_and_primary_drive_the_unit_scope(
    units: dict[str, Any], make_user: Any
) -> None:
    tree = make_tree(units)
    user = make_user(Role.OFFICER, None, full_name="Nguyễn Thị Hoa")
    first = membership_add(
        actor=None, user=user, organization=tree.commune, position=Position.SPECIALIST
    )
    user.refresh_from_db()
    assert first.is_primary and user.unit == units["a"]
    second = membership_add(
        actor=None, user=user, organization=tree.justice, position=Position.SPECIALIST
    )
    assert not second.is_primary
    assert [m.organization for m in user_organizations(user)] == [tree.commune, tree.justice]
    # the user switches to the other organization: scope follows
    membership_make_primary(actor=user, membership=second)
    user.refresh_from_db()
    assert user.unit == units["province"]
    assert primary_membership(user) == second
    first.refresh_from_db()
    assert not first.is_primary
    assert organizations_visible(user).first() == tree.province
    with pytest.raises(Conflict):
        membership_add(
            actor=None, user=user, organization=tree.justice, position=Position.SPECIALIST
        )
    with pytest.raises(ValidationFailed):
        membership_add(actor=None, user=user, organization=tree.justice, position="vua")


def test_switching_someone_else_needs_manage(units: dict[str, Any], make_user: Any) -> None:
    tree = make_tree(units)
    user = make_user(Role.OFFICER, units["a"])
    other = make_user(Role.OFFICER, units["a"])
    membership_add(actor=None, user=user, organization=tree.commune, position=Position.CLERK)
    second = membership_add(
        actor=None, user=user, organization=tree.commune_b, position=Position.SPECIALIST
    )
    with pytest.raises(PermissionDenied):
        membership_make_primary(actor=other, membership=second)


def test_members_of(units: dict[str, Any], make_user: Any) -> None:
    tree = make_tree(units)
    director = make_user(Role.SIGNER, None, full_name="Lê Văn An")
    clerk = make_user(Role.OFFICER, None, full_name="Bùi Thị Bình")
    head = make_user(Role.OFFICER, None, full_name="Cao Văn Cường")
    membership_add(actor=None, user=director, organization=tree.justice, position=Position.DIRECTOR)
    clerk_m = membership_add(
        actor=None, user=clerk, organization=tree.justice, position=Position.CLERK
    )
    membership_add(
        actor=None, user=head, organization=tree.civil_status, position=Position.HEAD_OF_SECTION
    )
    assert [m.user for m in members_of(tree.justice)] == [director, clerk]
    assert [m.user for m in members_of(tree.justice, positions=[Position.CLERK])] == [clerk]
    assert [m.user for m in members_of(tree.justice, below=True)] == [director, clerk, head]
    membership_end(actor=None, membership=clerk_m)
    assert [m.user for m in members_of(tree.justice)] == [director]
    with pytest.raises(Conflict):
        membership_end(actor=None, membership=clerk_m)
