"""OCR assist for typed register pages: pre-filled fields and searchable page text.

``get_engine()`` gives the configured engine (Tesseract with Vietnamese data by default; set
``HOTICH_OCR_LANGUAGE`` to change the language). Engines implement
:class:`~hotich.digitization.adapters.ocr.base.OcrEngine`; results carry words with boxes and
confidences. OCR only suggests: :func:`merge_prefill` never overwrites a keyed value.
"""

from __future__ import annotations

import re
from typing import Any

from PIL import Image

from hotich.digitization.adapters.ocr.base import Box, OcrEngine, OcrResult, OcrUnavailable, Word
from hotich.digitization.adapters.ocr.prefill import (
    Prefill,
    labels_for,
    merge_prefill,
    prefill_fields,
)
from hotich.digitization.adapters.ocr.tesseract import TesseractEngine

__all__ = [
    "Box",
    "OcrEngine",
    "OcrResult",
    "OcrUnavailable",
    "Prefill",
    "TesseractEngine",
    "Word",
    "get_engine",
    "labels_for",
    "language",
    "merge_prefill",
    "page_text",
    "prefill_fields",
    "prefill_region",
]


def language() -> str:
    """The Tesseract language(s): the setting or environment variable ``HOTICH_OCR_LANGUAGE``
    (e.g. ``vie`` or ``vie+eng``), ``vie`` by default."""
    import os

    from django.conf import settings

    value = getattr(settings, "HOTICH_OCR_LANGUAGE", None) or os.environ.get("HOTICH_OCR_LANGUAGE")
    return str(value or "vie")


def get_engine() -> OcrEngine:
    return TesseractEngine()


def _open(image: Image.Image | bytes | str) -> Image.Image:
    if isinstance(image, Image.Image):
        return image
    if isinstance(image, bytes):
        import io

        return Image.open(io.BytesIO(image))
    return Image.open(image)


_SPACES = re.compile(r"[ \t]+")


def page_text(image: Image.Image | bytes | str, *, engine: OcrEngine | None = None) -> str:
    """The page's text for search: NFC, one line per text line, spaces collapsed."""
    result = (engine or get_engine()).recognize(_open(image), language=language())
    lines = (_SPACES.sub(" ", line).strip() for line in result.text.splitlines())
    return "\n".join(line for line in lines if line)


def prefill_region(
    image: Image.Image | bytes | str,
    *,
    event_type: str,
    region: Box | None = None,
    engine: OcrEngine | None = None,
) -> dict[str, Any]:
    """OCR one typed region of a page and propose values for the keying form of
    ``event_type``: ``{"fields": {target: Prefill}, "text": ..., "confidence": ...}``."""
    result = (engine or get_engine()).recognize(_open(image), language=language(), region=region)
    return {
        "fields": prefill_fields(result, labels_for(event_type)),
        "text": result.text,
        "confidence": result.confidence,
    }
