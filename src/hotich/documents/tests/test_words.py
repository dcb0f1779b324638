"""The receiving unit's register names its own people, never the sender's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hotich.documents.models import Document
from hotich.documents.services import document_transition
from hotich.documents.tests.test_services import signed

pytestmark = pytest.mark.django_db


def test_a_delivered_document_is_received_by_the_system_not_the_senders_signer(
    people: dict[str, Any], units: dict[str, Any], staff_client: Any
) -> None:
    document = signed(people, units)
    document_transition(actor=people["signer"], document=document, action="issue")
    incoming = Document.objects.get(source_document=document)
    assert incoming.created_by is None
    page = staff_client(people["province"]).get(f"/van-ban/{incoming.pk}/").content.decode()
    history = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    history = history[history.index("Lịch sử") :]
    assert "Hệ thống" in history
    assert people["signer"].username not in history and people["signer"].full_name not in history
