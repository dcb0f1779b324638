"""The day's page reads the user's membership once and keeps to a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import verified_client
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotich.documents.tests.factories import incoming_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_today_page_queries(office: dict[str, Any], units: dict[str, Any]) -> None:  # noqa: F811
    incoming_factory(units["province"], organization=office["tree"].justice)
    clerk = verified_client(office["clerk"])
    clerk.get("/hom-nay/")
    with CaptureQueriesContext(connection) as queries:
        response = clerk.get("/hom-nay/")
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    # the session, the user, the second factor's device, the user's memberships (once, though
    # the sidebar, the scope helpers and the page all ask), the user's unit, the assignments,
    # the waiting lists, the tasks, the calendar, and whether the user is a party member (the
    # sidebar's link to their own record)
    assert sum('FROM "agencies_membership"' in q for q in sql) == 1
    assert len(sql) == 10, "\n".join(sql)
