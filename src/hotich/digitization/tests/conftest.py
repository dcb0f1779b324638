"""Fixtures of the digitization tests: a private file store, a historic book in commune B,
clerks and a reviewer there, and small synthetic page images."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image, ImageDraw

from hotich.accounts.vocabulary import Role


@pytest.fixture(autouse=True)
def _file_store(tmp_path: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hotich.core.storage.LocalStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }
    monkeypatch.setenv("HOTICH_OCR", "0")
    # Tests run inside a transaction that never commits: run the on-commit tasks at once.
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def page_bytes(seed: int = 0, fmt: str = "PNG", size: tuple[int, int] = (300, 420)) -> bytes:
    """A small page with a few dark lines (distinct content per seed)."""
    im = Image.new("L", size, 235)
    draw = ImageDraw.Draw(im)
    for i in range(6):
        y = 40 + i * 55 + seed % 7
        draw.rectangle((30, y, 30 + 200 - (seed * 13 + i * 17) % 120, y + 8), fill=30)
    buf = io.BytesIO()
    im.save(buf, format=fmt)
    return buf.getvalue()


@pytest.fixture
def book(units: dict[str, Any]) -> Any:
    from hotich.registry.tests.factories import historic_book

    return historic_book(unit=units["b"], year=1985)


@pytest.fixture
def people(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "clerk1": make_user(Role.CLERK, units["b"]),
        "clerk2": make_user(Role.CLERK, units["b"]),
        "reviewer": make_user(Role.REVIEWER, units["b"]),
        "outsider": make_user(Role.CLERK, units["a"]),
        "officer": make_user(Role.OFFICER, units["b"]),
    }


def keyed(**values: str) -> dict[str, dict[str, str]]:
    """Keyed values from ``field=text``; ``"!illegible"``/``"!blank"`` set a marker."""
    out = {}
    for name, text in values.items():
        field = name.replace("__", ".")
        if text.startswith("!"):
            out[field] = {"v": "", "m": text[1:]}
        else:
            out[field] = {"v": text, "m": ""}
    return out
