"""The register's own slice of the scope matrix: every role of commune A gets 404 (or 405) for
commune B's documents, on the pages and the API, and anonymous users reach nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hotich.accounts.vocabulary import Role
from hotich.documents.tests.scope import SCOPED

pytestmark = pytest.mark.django_db


def _path(name: str, kwargs: dict[str, int]) -> str:
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", Role.values)
def test_other_communes_documents_do_not_exist(role, units, make_user, staff_client) -> None:
    client = staff_client(make_user(role, units["a"]))
    for name, maker in SCOPED.items():
        path = _path(name, maker(units, make_user))
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code in {404, 405}, (role, name, method, response.status_code)


def test_anonymous_users_are_sent_to_login_or_refused(units, make_user) -> None:
    client = Client()
    for name, maker in SCOPED.items():
        response = client.get(_path(name, maker(units, make_user)))
        if response.status_code == 405:  # POST only
            response = client.post(_path(name, maker(units, make_user)))
        if name.startswith("api:"):
            assert response.status_code == 401, name
        else:
            assert response.status_code == 302 and "/dang-nhap/" in response["Location"], name
    for name in ("documents:register", "documents:draft_new", "documents:stats"):
        assert "/dang-nhap/" in client.get(reverse(name))["Location"]
    assert client.get("/api/v1/documents").status_code == 401
