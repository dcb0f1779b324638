"""The auditor's page reads in words and in Vietnam's time."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from hotich.audit.models import Entry
from hotich.audit.services import audit_record


@pytest.mark.django_db
def test_roles_objects_and_times_read_in_words(units: Any, make_user: Any, staff_client: Any):
    signer = make_user("signer", units["a"])
    audit_record(actor=signer, action="sign", object_type="documents.document", object_id=7)
    at = dt.datetime(2026, 12, 6, 1, 30, 5, tzinfo=dt.UTC)
    Entry.objects.filter(object_id="7").update(at=at)
    auditor = make_user("auditor", units["province"])
    html = staff_client(auditor).get("/nhat-ky/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Thời gian (giờ Việt Nam)" in text and "UTC" not in text
    assert "08:30:05" in text  # 01:30 UTC is 08:30 in Vietnam
    assert "Lãnh đạo UBND cấp xã (ký)" in text and "Văn bản 7" in text
    assert "documents.document" not in text and " signer " not in text


def test_every_object_type_the_log_names_has_a_label() -> None:
    """Each ``object_type`` a context writes to the log is in the auditor's vocabulary."""
    import pathlib
    import re

    from hotich.audit.vocabulary import OBJECT_TYPES

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r'(?:object_type=|OBJECT_TYPE = )"([a-z_]+\.[a-z_]+)"')
    written = {
        m.group(1)
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert written and written <= set(OBJECT_TYPES), sorted(written - set(OBJECT_TYPES))
