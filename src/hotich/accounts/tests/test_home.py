from __future__ import annotations

import pytest

from hotich.accounts.vocabulary import Role


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.AUDITOR, ["Nhật ký kiểm toán"], ["Người dùng", "Đăng ký hộ tịch"]),
        (Role.OFFICER, ["Đăng ký hộ tịch", "Tra cứu sổ hộ tịch"], ["Nhật ký kiểm toán"]),
        (Role.CLERK, ["Nhập liệu sổ cũ"], ["Đăng ký hộ tịch", "Nhật ký kiểm toán"]),
        (Role.ADMIN, ["Người dùng", "Nhật ký kiểm toán"], ["Đăng ký hộ tịch"]),
    ],
)
def test_home_shows_each_role_what_it_can_do(units, make_user, staff_client, role, shown, hidden):
    body = staff_client(make_user(role, units["a"])).get("/").content.decode()
    for title in shown:
        assert title in body
    for title in hidden:
        assert title not in body
