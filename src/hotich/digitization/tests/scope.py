"""Scope-matrix entries of digitization: every object URL, with its object made in commune B."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _book(units: dict[str, Any]) -> Any:
    from hotich.registry.tests.factories import historic_book

    return historic_book(unit=units["b"], year=1986)


def _page(units: dict[str, Any]) -> Any:
    from hotich.digitization.models import PageImage

    book = _book(units)
    return PageImage.objects.create(
        book=book,
        scope_unit=book.scope_unit,
        number=1,
        sha256="0" * 64,
        master_name="digitization/masters/00/none.png",
        kind="png",
        mime="image/png",
        size=1,
        web_name="digitization/web/none.jpg",
        derivatives="ready",
    )


def _entry(units: dict[str, Any]) -> Any:
    from hotich.digitization.models import Entry

    page = _page(units)
    return Entry.objects.create(
        book=page.book,
        scope_unit=page.scope_unit,
        page=page,
        entry_number=1,
        region={"x": 0, "y": 0, "w": 1, "h": 1},
        status="arbitration",
        qa_sampled=True,
    )


def book_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"book_id": _book(units).pk}


def page_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"page_id": _page(units).pk}


def entry_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"entry_id": _entry(units).pk}


def clash_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    entry = _entry(units)
    return {"book_id": entry.book_id, "entry_id": entry.pk}


def image_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        **page_in_b(units, make_user),
        "region": "full",
        "size": "max",
        "rotation": "0",
        "name": "default.jpg",
    }


SCOPED = {
    **{
        f"digitization:{name}": book_in_b
        for name in (
            "book",
            "upload",
            "book_settings",
            "publish",
            "unpublish",
            "key_next",
            "qa",
            "book_viewer",
        )
    },
    **{
        f"digitization:{name}": page_in_b
        for name in ("page", "mark", "page_rerun", "page_image", "page_thumb")
    },
    **{
        f"digitization:{name}": entry_in_b
        for name in ("key", "entry_crop", "arbitrate", "qa_check")
    },
    "digitization:clash_resolve": clash_in_b,
    "iiif:manifest": book_in_b,
    "iiif:service": page_in_b,
    "iiif:info": page_in_b,
    "iiif:image": image_in_b,
    "api:digitization_book": book_in_b,
}
PUBLIC: set[str] = set()
