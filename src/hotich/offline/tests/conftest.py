"""Fixtures of the offline tests: the digitization fixtures (a file store, a historic book in
commune B, its clerks and reviewer) and entries marked on one page."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.digitization.tests import conftest as digitization

_file_store = digitization._file_store
book = digitization.book
people = digitization.people


@pytest.fixture
def entries(book: Any, people: Any) -> list[Any]:
    from hotich.digitization import services

    page = services.page_import(
        actor=people["clerk1"], book=book, name="p1.png", data=digitization.page_bytes(3)
    ).pages[0]
    return services.entries_split(actor=people["clerk1"], page=page, first_number=1, count=4)
