"""The scope matrix for the legacy URLs alone: commune A never reaches commune B's batches."""

from __future__ import annotations

from typing import Any

import pytest
from tests.test_scope_matrix import _resolve, object_urls

from hotich.accounts.vocabulary import Role
from hotich.legacy.tests.scope import SCOPED


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_commune_a_users_get_404(role: str, units: Any, make_user: Any, staff_client: Any) -> None:
    client = staff_client(make_user(role, units["a"]))
    routes = {name: route for name, route in object_urls() if name.startswith("legacy:")}
    assert set(routes) == set(SCOPED)
    for name, route in routes.items():
        path = _resolve(route, SCOPED[name](units, make_user))
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code in {404, 405}, (role, name, method)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client: Any, units: Any, make_user: Any) -> None:
    assert "/dang-nhap/" in client.get("/nhap-du-lieu-cu/")["Location"]
    kwargs = SCOPED["legacy:batch"](units, make_user)
    assert "/dang-nhap/" in client.get(f"/nhap-du-lieu-cu/{kwargs['batch_id']}/")["Location"]
