"""IIIF for page images (ADR 17): the tiles and sizes of a page as IIIF Image API 3.0 level 0
pre-generated files, its ``info.json``, and the Presentation 3.0 manifest of a register book.

Pure functions over Pillow images and plain data; the files are written by
``services.iiif`` and served by ``views_iiif``. The names of the files are the canonical URLs of
the Image API (``{region}/{size}/0/default.jpg``), exactly what OpenSeadragon and Mirador ask for
from a level 0 service: a tile's region is ``x,y,w,h`` (``full`` when it is the whole image), its
size ``w,h`` (``max`` when it is the full size).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

#: tile side in pixels (a small first tile matters on a weak line)
TILE = 512
#: JPEG quality of tiles and sizes
QUALITY = 75
#: the smallest width listed in ``sizes`` (thumbnails)
MIN_SIZE = 120

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LEVEL0 = "level0"


@dataclass(frozen=True)
class Tile:
    """One file of the level 0 service: the region of the full image and the size it is
    scaled to."""

    x: int
    y: int
    w: int
    h: int
    width: int
    height: int
    full: tuple[int, int]

    @property
    def region(self) -> str:
        if (self.x, self.y, self.w, self.h) == (0, 0, *self.full):
            return "full"
        return f"{self.x},{self.y},{self.w},{self.h}"

    @property
    def size(self) -> str:
        if (self.width, self.height) == self.full:
            return "max"
        return f"{self.width},{self.height}"

    @property
    def name(self) -> str:
        """The path of the file under the page's folder (the tail of its IIIF URL)."""
        return f"{self.region}/{self.size}/0/default.jpg"


def scale_factors(width: int, height: int, tile: int = TILE) -> list[int]:
    """1, 2, 4… until the whole image fits in one tile."""
    factors = [1]
    while max(width, height) > tile * factors[-1]:
        factors.append(factors[-1] * 2)
    return factors


def tiles(width: int, height: int, tile: int = TILE) -> Iterator[Tile]:
    """Every tile of every scale factor, as OpenSeadragon's IIIF tile source asks for them."""
    full = (width, height)
    for factor in scale_factors(width, height, tile):
        step = tile * factor
        for y in range(0, height, step):
            for x in range(0, width, step):
                w, h = min(step, width - x), min(step, height - y)
                yield Tile(x, y, w, h, math.ceil(w / factor), math.ceil(h / factor), full)


def sizes(width: int, height: int) -> list[tuple[int, int]]:
    """The full image at 1/2, 1/4… down to about ``MIN_SIZE`` wide, smallest first; the full
    size itself is served as ``full/max``."""
    found = []
    factor = 2
    while width // factor >= MIN_SIZE:
        found.append((math.ceil(width / factor), math.ceil(height / factor)))
        factor *= 2
    return sorted(found)


def size_tiles(width: int, height: int) -> list[Tile]:
    full = (width, height)
    listed = [Tile(0, 0, width, height, w, h, full) for w, h in sizes(width, height)]
    return [*listed, Tile(0, 0, width, height, width, height, full)]


def all_files(width: int, height: int, tile: int = TILE) -> list[Tile]:
    """Every file of a page's service (tiles and sizes, each name once)."""
    seen: dict[str, Tile] = {}
    for t in [*tiles(width, height, tile), *size_tiles(width, height)]:
        seen.setdefault(t.name, t)
    return list(seen.values())


def render(image: Image.Image, files: Sequence[Tile]) -> Iterator[tuple[str, bytes]]:
    """The JPEG of each file, cut and scaled from ``image`` (the page's web image)."""
    base = image if image.mode in ("L", "RGB") else image.convert("RGB")
    for t in files:
        part = base.crop((t.x, t.y, t.x + t.w, t.y + t.h))
        if (t.width, t.height) != (t.w, t.h):
            part = part.resize((t.width, t.height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        part.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=False)
        yield t.name, out.getvalue()


def info(service_id: str, width: int, height: int, tile: int = TILE) -> dict[str, Any]:
    """The ``info.json`` of a page's level 0 service."""
    return {
        "@context": IMAGE_CONTEXT,
        "id": service_id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": LEVEL0,
        "width": width,
        "height": height,
        "sizes": [{"width": w, "height": h} for w, h in [*sizes(width, height), (width, height)]],
        "tiles": [{"width": tile, "scaleFactors": scale_factors(width, height, tile)}],
    }


@dataclass(frozen=True)
class CanvasPage:
    """What the manifest needs of one page."""

    page_id: int
    number: int
    width: int
    height: int
    image_url: str
    service_id: str | None  # None: a page whose tiles are not made yet (its web image whole)
    thumbnail: tuple[int, int] | None
    entries: Sequence[tuple[int, int, dict[str, Any]]]  # (entry id, entry number, region)


def _xywh(region: dict[str, Any], width: int, height: int) -> str:
    x, y = round(float(region["x"]) * width), round(float(region["y"]) * height)
    w, h = round(float(region["w"]) * width), round(float(region["h"]) * height)
    return f"{x},{y},{max(1, w)},{max(1, h)}"


def manifest(
    *,
    manifest_id: str,
    label: str,
    summary: str,
    language: str,
    pages: Sequence[CanvasPage],
    page_label: str,
    entry_label: str,
) -> dict[str, Any]:
    """The Presentation 3.0 manifest of a register book: one canvas per page, in order, its
    image behind the page's image service, and each entry's region as a commenting annotation.
    ``page_label``/``entry_label`` hold ``{n}`` for the number."""
    base = manifest_id.rsplit("/", 1)[0]
    items = []
    for page in pages:
        canvas_id = f"{base}/canvas/{page.page_id}"
        body: dict[str, Any] = {
            "id": page.image_url,
            "type": "Image",
            "format": "image/jpeg",
            "width": page.width,
            "height": page.height,
        }
        if page.service_id:
            body["service"] = [{"id": page.service_id, "type": "ImageService3", "profile": LEVEL0}]
        canvas: dict[str, Any] = {
            "id": canvas_id,
            "type": "Canvas",
            "label": {language: [page_label.format(n=page.number)]},
            "width": page.width,
            "height": page.height,
            "items": [
                {
                    "id": f"{canvas_id}/page",
                    "type": "AnnotationPage",
                    "items": [
                        {
                            "id": f"{canvas_id}/image",
                            "type": "Annotation",
                            "motivation": "painting",
                            "target": canvas_id,
                            "body": body,
                        }
                    ],
                }
            ],
        }
        if page.thumbnail and page.service_id:
            w, h = page.thumbnail
            canvas["thumbnail"] = [
                {
                    "id": f"{page.service_id}/full/{w},{h}/0/default.jpg",
                    "type": "Image",
                    "format": "image/jpeg",
                    "width": w,
                    "height": h,
                }
            ]
        if page.entries:
            canvas["annotations"] = [
                {
                    "id": f"{canvas_id}/entries",
                    "type": "AnnotationPage",
                    "items": [
                        {
                            "id": f"{canvas_id}/entry/{entry_id}",
                            "type": "Annotation",
                            "motivation": "commenting",
                            "body": {
                                "type": "TextualBody",
                                "value": entry_label.format(n=number),
                                "format": "text/plain",
                                "language": language,
                            },
                            "target": f"{canvas_id}#xywh=" + _xywh(region, page.width, page.height),
                        }
                        for entry_id, number, region in page.entries
                    ],
                }
            ]
        items.append(canvas)
    return {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_id,
        "type": "Manifest",
        "label": {language: [label]},
        "summary": {language: [summary]},
        "behavior": ["individuals"],
        "items": items,
    }
