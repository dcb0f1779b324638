"""REST API of digitization (/api/v1/digitization): progress and reconciliation of the books
in the user's scope. Outside the scope: 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from hotich.accounts.web import staff_user
from hotich.digitization import selectors
from hotich.digitization.access import KEY

router = Router(tags=["digitization"])


class BookOut(Schema):
    id: int
    event_type: str
    year: int
    unit: str
    progress: dict[str, int]


class ReconciliationOut(Schema):
    closing_pages: int | None
    closing_entries: int | None
    pages: int
    entries: int
    missing_entries: list[int]
    extra_entries: list[int]
    empty_pages: list[int]
    ok: bool


class BookDetailOut(BookOut):
    reconciliation: ReconciliationOut


def _book_out(book: Any) -> dict[str, Any]:
    return {
        "id": book.pk,
        "event_type": book.event_type,
        "year": book.year,
        "unit": book.unit.name,
        "progress": selectors.book_progress(book),
    }


@router.get("/books", response=list[BookOut], summary="Sổ cũ đang số hóa")
def books(request: HttpRequest) -> list[dict[str, Any]]:
    actor = staff_user(request, KEY)
    return [_book_out(b) for b in selectors.books_in_scope(actor)[:200]]


@router.get(
    "/books/{int:book_id}",
    response=BookDetailOut,
    summary="Tiến độ và đối chiếu của một sổ",
    url_name="digitization_book",
)
def book(request: HttpRequest, book_id: int) -> dict[str, Any]:
    actor = staff_user(request, KEY)
    obj = selectors.book_get(actor, book_id)
    check = selectors.book_reconcile(obj)
    return {
        **_book_out(obj),
        "reconciliation": {**check.__dict__, "ok": check.ok},
    }
