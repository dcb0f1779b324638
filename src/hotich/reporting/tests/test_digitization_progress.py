"""Digitization progress per unit, read through hotich.digitization.selectors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from hotich.accounts.vocabulary import Role
from hotich.core.errors import PermissionDenied
from hotich.reporting.digitization_progress import digitization_progress

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _file_store(tmp_path: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    monkeypatch.setenv("HOTICH_OCR", "0")
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def _png(seed: int) -> bytes:
    """A small page image of its own for every seed (the seed's bytes are in its first pixels:
    identical images would be taken for the same scan)."""
    im = Image.new("L", (120, 160), 200)
    for x, byte in enumerate(seed.to_bytes(8, "big")):
        im.putpixel((x, 0), byte)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def books(units, make_user):
    from hotich.digitization import services
    from hotich.registry.tests.factories import historic_book

    clerk_b = make_user(Role.CLERK, units["b"])
    clerk_a = make_user(Role.CLERK, units["a"])
    b1 = historic_book(unit=units["b"], year=1985)
    b2 = historic_book(unit=units["b"], year=1986)
    a1 = historic_book(unit=units["a"], year=1990)
    for book, clerk, pages, entries in (
        (b1, clerk_b, 2, 3),
        (b2, clerk_b, 1, 1),
        (a1, clerk_a, 1, 2),
    ):
        imported = []
        for i in range(pages):
            imported += services.page_import(
                actor=clerk, book=book, name=f"{book.pk}-{i}.png", data=_png(book.pk * 3 + i)
            ).pages
        services.entries_split(actor=clerk, page=imported[0], first_number=1, count=entries)
    return {"b1": b1, "a1": a1}


def test_progress_per_commune(units, books, make_user) -> None:
    province = make_user(Role.PROVINCE, units["province"])
    progress = digitization_progress(actor=province, unit=units["province"])
    rows = {r.unit_name: r for r in progress.rows}
    assert (rows["Xã Quế Phong"].books, rows["Xã Quế Phong"].pages) == (2, 3)
    assert rows["Xã Quế Phong"].entries == 4 and rows["Xã Quế Phong"].stages["new"] == 4
    assert (rows["Phường Thành Vinh"].books, rows["Phường Thành Vinh"].entries) == (1, 2)
    assert progress.total.books == 3 and progress.total.entries == 6
    assert progress.total.stages["published"] == 0 and progress.total.published_share == 0.0
    officer = make_user(Role.OFFICER, units["a"])
    own = digitization_progress(actor=officer, unit=units["a"])
    assert [r.unit_name for r in own.rows] == ["Phường Thành Vinh"]
    with pytest.raises(PermissionDenied):
        digitization_progress(actor=officer, unit=units["b"])


def test_page(units, books, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.PROVINCE, units["province"]))
    html = client.get("/bao-cao/so-hoa/").content.decode()
    assert "Xã Quế Phong" in html and "Phường Thành Vinh" in html
