from __future__ import annotations

import pytest
from django.db import connection

from hotich.audit.services import audit_record
from hotich.audit.tasks import audit_chain_check


@pytest.mark.django_db
def test_chain_check_runs_as_a_background_task() -> None:
    entry = audit_record(actor=None, action="read", object_type="registry.record", object_id=1)
    assert audit_chain_check.enqueue().return_value == "ok"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_entry SET object_id = '2' WHERE id = %s", [entry.pk])
    assert f"id={entry.pk}" in audit_chain_check.enqueue().return_value
