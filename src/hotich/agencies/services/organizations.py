"""Creating organizations and giving people positions in them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import require
from hotich.accounts.services import user_set_unit
from hotich.agencies.models import Membership, Organization
from hotich.agencies.vocabulary import CODE_PATTERN, OrganizationKind, Position
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import Conflict, ValidationFailed
from hotich.core.text import fold, nfc

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.geo.models import Unit

MANAGE = "agencies.manage"


def _state(organization: Organization) -> dict[str, object]:
    return {
        "code": organization.code,
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "parent": organization.parent_id,
        "unit": organization.unit_id,
        "is_active": organization.is_active,
    }


def _search_key(organization: Organization) -> str:
    return fold(f"{organization.name} {organization.short_name}")


def check_code(code: str) -> str:
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise ValidationFailed(
            format_lazy(
                _("Mã định danh {code} không đúng dạng 000.00.00.H41 (Quyết định 20/2020/QĐ-TTg)."),
                code=code or "∅",
            ),
            field="code",
        )
    return code


def _check(
    *, code: str, name: str, kind: str, parent: Organization | None, exclude: int | None = None
) -> tuple[str, str]:
    code = check_code(code)
    name = nfc(name)
    if not name:
        raise ValidationFailed(_("Hãy nhập tên cơ quan, tổ chức."), field="name")
    if kind not in OrganizationKind.values:
        raise ValidationFailed(
            format_lazy(_("Loại tổ chức không hợp lệ: {kind}."), kind=kind), field="kind"
        )
    if kind == OrganizationKind.SECTION and parent is None:
        raise ValidationFailed(
            _("Phòng, ban phải thuộc một cơ quan: hãy chọn cơ quan cấp trên."), field="parent"
        )
    taken = Organization.objects.filter(code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise Conflict(
            format_lazy(_("Mã định danh {code} đã được dùng cho tổ chức khác."), code=code),
            field="code",
        )
    return code, name


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    unit: Unit,
    parent: Organization | None = None,
    short_name: str = "",
) -> Organization:
    """A new organization under ``parent`` (a root without), serving ``unit``."""
    require(actor, MANAGE, unit)
    code, name = _check(code=code, name=name, kind=kind, parent=parent)
    organization = Organization(
        code=code,
        name=name,
        short_name=nfc(short_name),
        kind=kind,
        unit=unit,
        parent=parent,
        path=f"new-{code}",
    )
    organization.search_key = _search_key(organization)
    organization.save()
    prefix = parent.path if parent is not None else ""
    organization.path = f"{prefix}{organization.pk}/"
    organization.save(update_fields=["path"])
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="agencies.organization",
        object_id=organization.pk,
        after=_state(organization),
    )
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: Actor,
    organization: Organization,
    name: str | None = None,
    short_name: str | None = None,
    code: str | None = None,
    is_active: bool | None = None,
) -> Organization:
    """Rename, re-code or (de)activate an organization. Its place in the tree stays."""
    require(actor, MANAGE, organization.unit)
    before = _state(organization)
    new_code, new_name = _check(
        code=organization.code if code is None else code,
        name=organization.name if name is None else name,
        kind=organization.kind,
        parent=organization.parent,
        exclude=organization.pk,
    )
    organization.code, organization.name = new_code, new_name
    if short_name is not None:
        organization.short_name = nfc(short_name)
    if is_active is not None:
        organization.is_active = is_active
    organization.search_key = _search_key(organization)
    organization.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="agencies.organization",
        object_id=organization.pk,
        before=before,
        after=_state(organization),
    )
    return organization


def _membership_audit(actor: Actor, membership: Membership, change: str) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE if change != "add" else Action.CREATE,
        object_type="agencies.membership",
        object_id=membership.pk,
        detail={
            "change": change,
            "user": membership.user_id,
            "organization": membership.organization_id,
            "position": membership.position,
            "primary": membership.is_primary,
        },
    )


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    user: User,
    organization: Organization,
    position: str,
    primary: bool = False,
) -> Membership:
    """``user`` holds ``position`` in ``organization``. The first membership of a user, or one
    marked ``primary``, becomes the one they act in (their unit follows it)."""
    require(actor, MANAGE, organization.unit)
    if position not in Position.values:
        raise ValidationFailed(
            format_lazy(_("Chức vụ không hợp lệ: {position}."), position=position),
            field="position",
        )
    current = Membership.objects.filter(user=user, ended_on=None)
    if current.filter(organization=organization, position=position).exists():
        raise Conflict(_("Người này đã giữ chức vụ này trong tổ chức này."), field="position")
    membership = Membership.objects.create(
        user=user,
        organization=organization,
        position=position,
        started_on=timezone.localdate(),
    )
    _membership_audit(actor, membership, "add")
    if primary or not current.exclude(pk=membership.pk).exists():
        membership = membership_make_primary(actor=actor, membership=membership, check=False)
    return membership


@transaction.atomic
def membership_make_primary(
    *, actor: Actor, membership: Membership, check: bool = True
) -> Membership:
    """The user now acts in this membership's organization: the other ones stop being primary
    and the user's unit scope becomes the unit the organization serves. A user may switch
    between their own memberships; managers may switch anyone's."""
    if check and not (actor is not None and actor.pk == membership.user_id):
        require(actor, MANAGE, membership.organization.unit)
    if membership.ended_on is not None:
        raise Conflict(_("Chức vụ này đã kết thúc."), field="membership")
    Membership.objects.filter(user_id=membership.user_id, is_primary=True).exclude(
        pk=membership.pk
    ).update(is_primary=False)
    if not membership.is_primary:
        membership.is_primary = True
        membership.save(update_fields=["is_primary"])
        _membership_audit(actor, membership, "primary")
    user_set_unit(actor=acting_user(actor), user=membership.user, unit=membership.organization.unit)
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """The user no longer holds the position (the row stays, for the history)."""
    require(actor, MANAGE, membership.organization.unit)
    if membership.ended_on is not None:
        raise Conflict(_("Chức vụ này đã kết thúc."), field="membership")
    membership.ended_on = timezone.localdate()
    membership.is_primary = False
    membership.save(update_fields=["ended_on", "is_primary"])
    _membership_audit(actor, membership, "end")
    return membership
