"""The portal's own part of the scope matrix (tests/test_scope_matrix.py checks every context;
this runs the same check on the portal's URLs alone, so a failure elsewhere cannot hide one)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.test_scope_matrix import _resolve, object_urls, walk

from hotich.accounts.vocabulary import Role
from hotich.portal.tests.scope import PUBLIC, SCOPED


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_commune_a_users_get_404_for_commune_b_dossiers(
    role: str, units: Any, make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user(role, units["a"]))
    checked = 0
    for name, route in object_urls():
        if name not in SCOPED:
            continue
        path = _resolve(route, SCOPED[name](units, make_user))
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code in {404, 405}, (role, name, method, response.status_code)
        checked += 1
    assert checked == len(SCOPED)


@pytest.mark.django_db
def test_anonymous_users_reach_no_portal_page_but_the_public_ones(client: Client) -> None:
    for name, route, pattern in walk():
        if "portal" not in name or name in PUBLIC or pattern.pattern.converters:
            continue
        response = client.get("/" + route)
        if name.startswith("api:"):
            assert response.status_code in {401, 405}, name
        else:
            assert response.status_code == 302 and "/dang-nhap/" in response["Location"], name
