"""Who acts (the names histories keep, the user a write records) and ``require``, the one
permission and scope check every service makes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hotich.accounts.actors import acting_user, actor_name
from hotich.accounts.authz import permits, require
from hotich.accounts.vocabulary import Role
from hotich.core.errors import NotFound, PermissionDenied


@dataclass
class Citizen:
    """Stands for the portal's citizen account (the portal is a layer above accounts)."""

    pk: int = 7
    contact: str = "0912345678"


@pytest.mark.django_db
def test_a_user_is_named_by_username_or_full_name(units, make_user):
    user = make_user(Role.OFFICER, units["a"], full_name="Nguyễn Văn An")
    assert actor_name(user) == user.username
    assert actor_name(user, full=True) == "Nguyễn Văn An"


@pytest.mark.django_db
def test_the_full_name_falls_back_to_the_username(units, make_user):
    user = make_user(Role.OFFICER, units["a"])
    assert actor_name(user, full=True) == user.username


def test_a_citizen_and_the_system_are_named_by_what_they_are():
    assert actor_name(Citizen()) == actor_name(Citizen(), full=True) == "citizen"
    assert actor_name(None) == actor_name(None, full=True) == "system"


@pytest.mark.django_db
def test_only_a_staff_user_is_recorded_as_the_user_who_acted(units, make_user):
    user = make_user(Role.CLERK, units["a"])
    assert acting_user(user) is user
    assert acting_user(Citizen()) is None
    assert acting_user(None) is None


@pytest.mark.django_db
def test_a_permitted_user_in_scope_is_returned(units, make_user):
    officer = make_user(Role.OFFICER, units["a"])
    assert require(officer, "registry.register") is officer
    assert require(officer, "registry.register", units["a"]) is officer


@pytest.mark.django_db
def test_a_role_without_the_permission_is_refused_with_the_common_or_the_given_message(
    units, make_user
):
    clerk = make_user(Role.CLERK, units["a"])
    with pytest.raises(PermissionDenied) as refused:
        require(clerk, "registry.register")
    assert refused.value.in_language("vi") == "Bạn không có quyền thực hiện việc này."
    with pytest.raises(PermissionDenied, match="mở sổ"):
        require(clerk, "registry.register", message="Bạn không có quyền mở sổ hộ tịch.")


@pytest.mark.django_db
def test_any_of_several_permissions_is_enough(units, make_user):
    clerk = make_user(Role.CLERK, units["a"])
    assert require(clerk, ("registry.register", "digitization.key")) is clerk
    with pytest.raises(PermissionDenied):
        require(clerk, ("registry.register", "digitization.arbitrate"))


@pytest.mark.django_db
def test_a_unit_outside_the_scope_does_not_exist(units, make_user):
    officer = make_user(Role.OFFICER, units["a"])
    with pytest.raises(NotFound) as missing:
        require(officer, "registry.register", units["b"])
    assert missing.value.field == "unit"
    assert missing.value.status == 404


@pytest.mark.django_db
def test_inactive_users_and_citizens_are_refused(units, make_user):
    gone = make_user(Role.OFFICER, units["a"], is_active=False)
    for actor in (gone, Citizen()):
        with pytest.raises(PermissionDenied):
            require(actor, "portal.view")
        assert not permits(actor, "portal.view")


@pytest.mark.django_db
def test_the_system_may_do_everything_unless_a_person_must_act(units):
    assert require(None, "registry.register", units["b"]) is None
    assert permits(None, "registry.sign")
    with pytest.raises(PermissionDenied):
        require(None, "reporting.submit", system=False)
