"""IIIF tiles and sizes of page images (ADR 17), made from each page's web image at ingest (the
scan pipeline's ``tiles`` step) or afterwards for pages ingested before (``hotich scan tiles``).

Every file is written through ``archive.services.archive_put_derived``: whole or not at all, under
``digitization/iiif/<book>/<page>/`` with the name of its IIIF URL. A page's ``tile_size`` is set
only once all its files are written, so a run that is interrupted leaves the page without tiles
and the next run makes them again (resumable)."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from PIL import Image

from hotich.archive.services import archive_delete_derived, archive_put_derived
from hotich.digitization import iiif
from hotich.digitization.models import DerivativeStatus, PageImage

logger = logging.getLogger(__name__)


def tiles_folder(page: PageImage) -> str:
    return f"digitization/iiif/{page.book_id}/{page.pk}"


def tile_path(page: PageImage, name: str) -> str:
    """The storage path of one file of the page's service (``name`` as in its IIIF URL)."""
    return f"{tiles_folder(page)}/{name}"


def page_make_tiles(page: PageImage, web: Image.Image | None = None) -> int:
    """Write every tile and size of the page from its web image; returns how many files.

    The page's ``tile_size`` is cleared first and set last: a page is served through IIIF only
    when all its files are there."""
    PageImage.objects.filter(pk=page.pk).update(tile_size=0)
    page.tile_size = 0
    archive_delete_derived(prefix=tiles_folder(page))
    opened = None
    if web is None:
        with default_storage.open(page.web_name, "rb") as fh:
            opened = web = Image.open(io.BytesIO(fh.read()))
            web.load()
    try:
        files = iiif.all_files(web.width, web.height)
        for name, data in iiif.render(web, files):
            archive_put_derived(path=tile_path(page, name), content=data)
    finally:
        if opened is not None:
            opened.close()
    PageImage.objects.filter(pk=page.pk).update(tile_size=iiif.TILE)
    page.tile_size = iiif.TILE
    return len(files)


@dataclass
class TilesRun:
    pages: int = 0
    files: int = 0
    failed: int = 0


def pages_without_tiles(book_id: int | None = None) -> list[int]:
    """The ids of the pages whose web image is ready but whose tiles were never made."""
    qs = PageImage.objects.filter(derivatives=DerivativeStatus.READY, tile_size=0)
    if book_id is not None:
        qs = qs.filter(book_id=book_id)
    return list(qs.order_by("book_id", "number").values_list("pk", flat=True))


def tiles_backfill(
    *, book_id: int | None = None, progress: Callable[[int, int], None] | None = None
) -> TilesRun:
    """Make the tiles of every page ingested before IIIF (or whose run was interrupted), page
    by page; a page that fails is counted and left for the next run."""
    todo = pages_without_tiles(book_id)
    run = TilesRun()
    for i, page_id in enumerate(todo, start=1):
        page = PageImage.objects.filter(pk=page_id).first()
        if page is not None:
            try:
                run.files += page_make_tiles(page)
                run.pages += 1
            except Exception:  # one unreadable page must not stop the others
                logger.exception("Tiles failed for page %s", page_id)
                run.failed += 1
        if progress is not None:
            progress(i, len(todo))
    return run
