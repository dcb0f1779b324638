from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image


@pytest.fixture
def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (240, 240, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def catalogue(db: Any) -> None:
    from hotich.portal.services import catalogue_load_builtin

    catalogue_load_builtin()
