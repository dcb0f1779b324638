"""Making a page's derivatives from its untouched master (run by a background task)."""

from __future__ import annotations

import importlib.util
import logging
import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from hotich.digitization.imaging import derivatives, render_page
from hotich.digitization.models import DerivativeStatus, PageImage

logger = logging.getLogger(__name__)


def web_path(page: PageImage) -> str:
    return f"digitization/web/{page.book_id}/{page.pk}.jpg"


def thumb_path(page: PageImage) -> str:
    return f"digitization/thumbs/{page.book_id}/{page.pk}.jpg"


def _store(path: str, data: bytes) -> str:
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


def page_make_derivatives(*, page_id: int) -> str:
    """Render the page, deskew it, store the web image and thumbnail; OCR when available."""
    page = PageImage.objects.filter(pk=page_id).first()
    if page is None:
        return "missing"
    try:
        with default_storage.open(page.master_name, "rb") as fh:
            data = fh.read()
        image = render_page(data, page.kind, page.source_page)
        web, size, thumb, angle = derivatives(image)
    except Exception:  # a bad page must not stop the worker; it is flagged instead
        logger.exception("Derivatives failed for page %s", page_id)
        PageImage.objects.filter(pk=page_id).update(derivatives=DerivativeStatus.FAILED)
        return "failed"
    web_name = _store(web_path(page), web)
    thumb_name = _store(thumb_path(page), thumb)
    with transaction.atomic():
        PageImage.objects.filter(pk=page_id).update(
            web_name=web_name,
            thumb_name=thumb_name,
            web_width=size[0],
            web_height=size[1],
            skew_degrees=angle,
            derivatives=DerivativeStatus.READY,
        )
    if ocr_enabled():
        from hotich.digitization.tasks import page_ocr

        transaction.on_commit(lambda: page_ocr.enqueue(page_id))
    return "ready"


def ocr_enabled() -> bool:
    """OCR runs when the engine package is present and ``HOTICH_OCR`` is not "0"."""
    if os.environ.get("HOTICH_OCR", "1") == "0":
        return False
    return importlib.util.find_spec("hotich.digitization.adapters.ocr") is not None


def page_make_ocr(*, page_id: int) -> str:
    """Store the page text (for search and pre-filling); never touches keyed values."""
    page = PageImage.objects.filter(pk=page_id).first()
    if page is None:
        return "missing"
    text = _ocr(_page_for_ocr(page))
    if text is None:
        return "unavailable"
    PageImage.objects.filter(pk=page_id).update(ocr_text=text)
    return "ok"


def _ocr(image: Image.Image) -> str | None:
    """The page text from the OCR engine (``digitization.adapters.ocr``), or None when
    unavailable."""
    try:
        from hotich.digitization.adapters.ocr import get_engine, page_text
    except ImportError:
        return None
    try:
        engine = get_engine()
        if not engine.available():
            return None
        return page_text(image, engine=engine)
    except Exception:  # OCR is an aid: its failure never blocks intake
        logger.warning("OCR failed", exc_info=True)
        return None


def _page_for_ocr(page: PageImage) -> Image.Image:
    """The page as the keyers see it (same deskew as the web image), at full resolution."""
    with default_storage.open(page.master_name, "rb") as fh:
        image = render_page(fh.read(), page.kind, page.source_page, dpi=300)
    if page.skew_degrees:
        fill = 255 if image.mode == "L" else (255, 255, 255)
        image = image.rotate(
            page.skew_degrees, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=fill
        )
    return image


def entry_make_prefill(*, entry_id: int) -> str:
    """OCR suggestions for the keying form of one entry (typed pages): stored in
    ``Entry.prefill``, shown as such in the form, never over a keyed value."""
    from hotich.digitization.fields import fields_for
    from hotich.digitization.models import Entry

    entry = Entry.objects.select_related("page", "book").filter(pk=entry_id).first()
    if entry is None:
        return "missing"
    try:
        from hotich.digitization.adapters.ocr import get_engine, prefill_region

        engine = get_engine()
        if not engine.available():
            return "unavailable"
        image = _page_for_ocr(entry.page)
        r = entry.region
        box = (
            int(float(r["x"]) * image.width),
            int(float(r["y"]) * image.height),
            max(1, int(float(r["w"]) * image.width)),
            max(1, int(float(r["h"]) * image.height)),
        )
        found = prefill_region(image, event_type=entry.book.event_type, region=box, engine=engine)
    except Exception:  # OCR is an aid: its failure never blocks keying
        logger.warning("OCR prefill failed", exc_info=True)
        return "failed"
    names = {f.name for f in fields_for(entry.book.event_type)}
    suggestions: dict[str, str] = {}
    for target, prefill in found["fields"].items():
        name = str(target).removeprefix("data.")
        value = str(prefill.value or "")
        if name in names and value:
            suggestions[name] = value[:255]
    Entry.objects.filter(pk=entry_id).update(prefill=suggestions)
    return "ok"
