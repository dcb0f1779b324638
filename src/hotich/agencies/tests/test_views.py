from __future__ import annotations

from typing import Any

import pytest
from conftest import verified_client
from django.core.files.uploadedfile import SimpleUploadedFile

from hotich.accounts.vocabulary import Role
from hotich.agencies.selectors import primary_membership
from hotich.agencies.services import membership_add
from hotich.agencies.tests.factories import make_tree
from hotich.agencies.tests.test_import import GOOD, _xlsx
from hotich.agencies.vocabulary import Position

pytestmark = pytest.mark.django_db


def test_list_and_detail_are_scoped(units: dict[str, Any], make_user: Any) -> None:
    tree = make_tree(units)
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    membership_add(actor=None, user=officer, organization=tree.commune, position=Position.CLERK)
    client = verified_client(officer)
    page = client.get("/co-quan/").content.decode()
    assert "Ủy ban nhân dân phường Thành Vinh" in page
    assert "Sở Tư pháp" not in page  # serves the province, outside the officer's scope
    detail = client.get(f"/co-quan/{tree.commune.pk}/").content.decode()
    assert "Phạm Thị Hương" in detail and "Văn thư" in detail
    assert client.get(f"/co-quan/{tree.justice.pk}/").status_code == 404
    assert client.get("/co-quan/?q=thanh vinh").status_code == 200
    assert client.get("/co-quan/nhap-tu-tep/").status_code == 404  # not a manager


def test_switching_the_organization_one_acts_in(units: dict[str, Any], make_user: Any) -> None:
    tree = make_tree(units)
    user = make_user(Role.OFFICER, units["a"])
    membership_add(actor=None, user=user, organization=tree.commune, position=Position.SPECIALIST)
    other = membership_add(
        actor=None, user=user, organization=tree.commune_b, position=Position.SPECIALIST
    )
    client = verified_client(user)
    assert "Chuyển sang" in client.get("/co-quan/cua-toi/").content.decode()
    response = client.post(f"/co-quan/cua-toi/{other.pk}/chon/", follow=True)
    assert "Bạn đang làm việc tại Ủy ban nhân dân xã Quế Phong" in response.content.decode()
    user.refresh_from_db()
    assert user.unit == units["b"] and primary_membership(user) == other
    stranger = make_user(Role.OFFICER, units["a"])
    assert verified_client(stranger).post(f"/co-quan/cua-toi/{other.pk}/chon/").status_code == 404


def test_import_page(units: dict[str, Any], make_user: Any) -> None:
    admin = make_user(Role.ADMIN, units["province"])
    client = verified_client(admin)
    bad = _xlsx([["000.00.40.H41", "Sở A", "", "xyz", "", "40"]])
    page = client.post(
        "/co-quan/nhap-tu-tep/", {"file": SimpleUploadedFile("sai.xlsx", bad)}
    ).content.decode()
    assert "Loại tổ chức không hợp lệ" in page and "<td>2</td>" in page
    response = client.post(
        "/co-quan/nhap-tu-tep/", {"file": SimpleUploadedFile("to-chuc.xlsx", _xlsx(GOOD))}
    )
    assert response.status_code == 302
    assert "Sở Tư pháp" in client.get("/co-quan/").content.decode()
