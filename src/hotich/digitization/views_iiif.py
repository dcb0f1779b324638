"""IIIF endpoints (ADR 17) under ``/iiif/3/``: a page's Image API 3.0 level 0 service (its
``info.json``, then tiles and sizes read from storage) and a register book's Presentation 3.0
manifest. Same rules as the page views: staff who may see page images, in scope, else 404."""

from __future__ import annotations

import json
import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hotich.accounts.web import StaffRequest, staff_required
from hotich.audit.services import audit_record
from hotich.digitization import iiif, selectors
from hotich.digitization.services.iiif import tile_path

_REGION = re.compile(r"^(full|\d{1,6},\d{1,6},\d{1,6},\d{1,6})$")
_SIZE = re.compile(r"^(max|\d{1,6},\d{1,6})$")
IMAGE_TYPE = f'application/ld+json;profile="{iiif.IMAGE_CONTEXT}"'
PRESENTATION_TYPE = f'application/ld+json;profile="{iiif.PRESENTATION_CONTEXT}"'


def service_id(request: HttpRequest, page_id: int) -> str:
    return request.build_absolute_uri(reverse("iiif:service", args=[page_id]))


def _json(data: object, content_type: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type=content_type
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def stored_jpeg(path: str, *, max_age: int) -> HttpResponse:
    """A JPEG from the storage, cached by the browser only (it shows a person's record)."""
    with default_storage.open(path, "rb") as fh:
        response = HttpResponse(fh.read(), content_type="image/jpeg")
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response


@staff_required()
def service(request: StaffRequest, page_id: int) -> HttpResponse:
    """The service's base URI: its ``info.json``."""
    selectors.page_get(request.user, page_id)
    return redirect("iiif:info", page_id=page_id, permanent=False)


@staff_required()
def info(request: StaffRequest, page_id: int) -> HttpResponse:
    """The page's ``info.json`` (audited as a read of the page image)."""
    page = selectors.page_get(request.user, page_id)
    if not page.tile_size:
        raise Http404
    audit_record(
        actor=request.user,
        action="read",
        object_type="digitization.page",
        object_id=page.pk,
        detail={"book": page.book_id, "image": "iiif"},
    )
    body = iiif.info(service_id(request, page.pk), page.web_width, page.web_height, page.tile_size)
    return _json(body, IMAGE_TYPE)


@staff_required()
def image(
    request: StaffRequest, page_id: int, region: str, size: str, rotation: str, name: str
) -> HttpResponse:
    """One pre-generated tile or size (level 0: only the URLs listed in ``info.json``)."""
    if not (_REGION.match(region) and _SIZE.match(size) and rotation == "0"):
        raise Http404
    if name != "default.jpg":
        raise Http404
    page = selectors.page_get(request.user, page_id)
    path = tile_path(page, f"{region}/{size}/0/{name}")
    if not page.tile_size or not default_storage.exists(path):
        raise Http404
    return stored_jpeg(path, max_age=86400)


@staff_required()
def manifest(request: StaffRequest, book_id: int) -> HttpResponse:
    """The Presentation 3.0 manifest of a register book: its pages in order, each entry's region
    as an annotation."""
    book = selectors.book_viewable(request.user, book_id)
    language = (get_language() or "vi")[:2]
    pages = []
    for page, entries in selectors.book_canvases(book):
        sid = service_id(request, page.pk) if page.tile_size else None
        image_url = (
            f"{sid}/full/max/0/default.jpg"
            if sid
            else request.build_absolute_uri(reverse("digitization:page_image", args=[page.pk]))
        )
        smallest = iiif.sizes(page.web_width, page.web_height)
        pages.append(
            iiif.CanvasPage(
                page_id=page.pk,
                number=page.number,
                width=page.web_width,
                height=page.web_height,
                image_url=image_url,
                service_id=sid,
                thumbnail=smallest[0] if smallest else None,
                entries=[(e.pk, e.entry_number, e.region) for e in entries],
            )
        )
    body = iiif.manifest(
        manifest_id=request.build_absolute_uri(reverse("iiif:manifest", args=[book.pk])),
        label=f"{book.get_event_type_display()} {book.year} · {book.unit.name}",
        summary=_("Sổ hộ tịch số %(n)s") % {"n": book.volume},
        language=language,
        pages=pages,
        page_label=_("Trang {n}"),
        entry_label=_("Mục số {n}"),
    )
    return _json(body, PRESENTATION_TYPE)
