"""Processing a scanned page, as one pipeline (``hotich.core.pipeline``, ADR 16) run by one task:

1. ``derivatives``: render the page from its untouched master, deskew it, store the web image
   and the thumbnail;
2. ``tiles``: cut the web image into IIIF tiles and sizes (``services.iiif``, ADR 17);
3. ``ocr``: when the OCR engine is installed and ``HOTICH_OCR`` is not "0", store the page text
   (for search and pre-filling; never touches keyed values).

A failed step is recorded on the page (``failed_step``, ``failure_reason``) and shown on the page
and book views; ``page_rerun`` (a staff button, ``hotich scan rerun PAGE_ID``) runs the pipeline
again from that step.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.deferred import Deferred
from hotich.core.errors import Conflict
from hotich.core.pipeline import Pipeline, StepFailed
from hotich.digitization.access import KEY, check_scope
from hotich.digitization.fields import fields_for
from hotich.digitization.imaging import derivatives, render_page
from hotich.digitization.models import DerivativeStatus, Entry, PageImage, ScanStep
from hotich.digitization.services.iiif import page_make_tiles

logger = logging.getLogger(__name__)

#: the task running the scan pipeline of one page (from a step, or from the first)
PAGE_SCAN = Deferred[[int, str]]("digitization.page_scan")
#: the task reading OCR suggestions for one marked entry
ENTRY_PREFILL = Deferred[[int]]("digitization.entry_prefill")

UNREADABLE = _("Không đọc được ảnh gốc của trang (tệp hỏng hoặc sai định dạng).")


def web_path(page: PageImage) -> str:
    return f"digitization/web/{page.book_id}/{page.pk}.jpg"


def thumb_path(page: PageImage) -> str:
    return f"digitization/thumbs/{page.book_id}/{page.pk}.jpg"


def _store(path: str, data: bytes) -> str:
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


def ocr_enabled() -> bool:
    """OCR runs when the engine package is present and ``HOTICH_OCR`` is not "0"."""
    if os.environ.get("HOTICH_OCR", "1") == "0":
        return False
    return importlib.util.find_spec("hotich.digitization.adapters.ocr") is not None


# --- the pipeline ------------------------------------------------------------------------------


@dataclass
class PageWork:
    """One page going through the pipeline: its master file is read once, for every step."""

    page: PageImage
    _master: bytes | None = None
    images: list[Image.Image] = field(default_factory=list)

    @property
    def master(self) -> bytes:
        if self._master is None:
            with default_storage.open(self.page.master_name, "rb") as fh:
                self._master = fh.read()
        return self._master

    def render(self, dpi: int | None = None) -> Image.Image:
        page = self.page
        image = (
            render_page(self.master, page.kind, page.source_page)
            if dpi is None
            else render_page(self.master, page.kind, page.source_page, dpi=dpi)
        )
        self.images.append(image)
        return image

    def close_images(self) -> None:
        for image in self.images:
            image.close()
        self.images.clear()

    def release(self) -> None:
        """Close the images and forget the master file."""
        self.close_images()
        self._master = None


class MakeDerivatives:
    name = ScanStep.DERIVATIVES.value

    def applies_to(self, item: PageWork) -> bool:
        return True

    def run(self, item: PageWork) -> None:
        page = item.page
        try:
            web, size, thumb, angle = derivatives(item.render())
        except Exception:  # a bad page must not stop the worker; it is flagged instead
            logger.exception("Derivatives failed for page %s", page.pk)
            PageImage.objects.filter(pk=page.pk).update(derivatives=DerivativeStatus.FAILED)
            page.derivatives = DerivativeStatus.FAILED
            raise StepFailed(
                _("Không đọc được ảnh gốc của trang (tệp hỏng hoặc sai định dạng).")
            ) from None
        page.web_name = _store(web_path(page), web)
        page.thumb_name = _store(thumb_path(page), thumb)
        page.web_width, page.web_height = size
        page.skew_degrees = angle
        page.derivatives = DerivativeStatus.READY
        with transaction.atomic():
            PageImage.objects.filter(pk=page.pk).update(
                web_name=page.web_name,
                thumb_name=page.thumb_name,
                web_width=size[0],
                web_height=size[1],
                skew_degrees=angle,
                derivatives=DerivativeStatus.READY,
            )

    def cleanup(self, item: PageWork) -> None:
        item.release()


class MakeTiles:
    name = ScanStep.TILES.value

    def applies_to(self, item: PageWork) -> bool:
        return item.page.derivatives == DerivativeStatus.READY

    def run(self, item: PageWork) -> None:
        try:
            page_make_tiles(item.page)
        except Exception:  # the page stays usable through its web image; the step is recorded
            logger.exception("Tiles failed for page %s", item.page.pk)
            raise StepFailed(_("Không tạo được các ô ảnh IIIF của trang.")) from None

    def cleanup(self, item: PageWork) -> None:
        return None


class ReadText:
    name = ScanStep.OCR.value

    def applies_to(self, item: PageWork) -> bool:
        return item.page.derivatives == DerivativeStatus.READY and ocr_enabled()

    def run(self, item: PageWork) -> None:
        try:
            from hotich.digitization.adapters.ocr import get_engine, page_text
        except ImportError:
            return
        engine = get_engine()
        if not engine.available():
            return
        try:
            text = page_text(_page_for_ocr(item), engine=engine)
        except Exception:  # OCR is an aid: its failure never blocks intake, it is recorded
            logger.warning("OCR failed for page %s", item.page.pk, exc_info=True)
            raise StepFailed(_("Máy nhận dạng chữ không đọc được trang.")) from None
        PageImage.objects.filter(pk=item.page.pk).update(ocr_text=text)

    def cleanup(self, item: PageWork) -> None:
        item.close_images()


SCAN = Pipeline[PageWork]("scan", [MakeDerivatives(), MakeTiles(), ReadText()])


def _page_for_ocr(item: PageWork) -> Image.Image:
    """The page as the keyers see it (same deskew as the web image), at full resolution."""
    image = item.render(dpi=300)
    if item.page.skew_degrees:
        fill = 255 if image.mode == "L" else (255, 255, 255)
        image = image.rotate(
            item.page.skew_degrees,
            resample=Image.Resampling.BILINEAR,
            expand=False,
            fillcolor=fill,
        )
        item.images.append(image)
    return image


def page_process(*, page_id: int, start_at: str = "") -> str:
    """Run the scan pipeline over one page (from ``start_at``) and record its outcome on the
    page: "ready", "failed" or "missing"."""
    page = PageImage.objects.filter(pk=page_id).first()
    if page is None:
        return "missing"
    with translation.override("vi"):  # the reason is stored as its message id
        outcome = SCAN.run(PageWork(page), start_at=start_at)
    PageImage.objects.filter(pk=page_id).update(
        failed_step=outcome.failed_step, failure_reason=outcome.reason[:300]
    )
    return "ready" if outcome.ok else "failed"


@transaction.atomic
def page_rerun(*, actor: Actor, page: PageImage) -> str:
    """Run a page's pipeline again from the step that failed (from the first when its
    derivatives were never made), after the transaction commits; returns that step's name."""
    require(actor, KEY)
    check_scope(actor, page.scope_unit)
    locked = PageImage.objects.select_for_update().get(pk=page.pk)
    step = locked.failed_step
    if not step and locked.derivatives != DerivativeStatus.READY:
        step = MakeDerivatives.name
    if not step:
        raise Conflict(_("Trang này không có bước xử lý nào bị lỗi."), field="page")
    changes = {"failed_step": "", "failure_reason": ""}
    if step == MakeDerivatives.name:
        changes["derivatives"] = DerivativeStatus.PENDING
    PageImage.objects.filter(pk=page.pk).update(**changes)
    audit_record(
        actor=actor,
        action="update",
        object_type="digitization.page",
        object_id=page.pk,
        before={"failed_step": step, "failure_reason": locked.failure_reason},
        detail={"operation": "rerun", "from_step": step},
    )
    PAGE_SCAN.enqueue_on_commit(page.pk, step)
    return step


# --- OCR suggestions for one entry ---------------------------------------------------------------


def entry_make_prefill(*, entry_id: int) -> str:
    """OCR suggestions for the keying form of one entry (typed pages): stored in
    ``Entry.prefill``, shown as such in the form, never over a keyed value."""
    entry = Entry.objects.select_related("page", "book").filter(pk=entry_id).first()
    if entry is None:
        return "missing"
    item = PageWork(entry.page)
    try:
        from hotich.digitization.adapters.ocr import get_engine, prefill_region

        engine = get_engine()
        if not engine.available():
            return "unavailable"
        image = _page_for_ocr(item)
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
    finally:
        item.close_images()
    names = {f.name for f in fields_for(entry.book.event_type)}
    suggestions: dict[str, str] = {}
    for target, prefill in found["fields"].items():
        name = str(target).removeprefix("data.")
        value = str(prefill.value or "")
        if name in names and value:
            suggestions[name] = value[:255]
    Entry.objects.filter(pk=entry_id).update(prefill=suggestions)
    return "ok"
