"""IIIF: tiles and sizes made at ingest and served from storage, info.json, the book manifest,
the same access rules as the page (404 out of scope), and the resumable backfill command."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from hotich.audit.models import Entry as AuditEntry
from hotich.digitization import iiif, services
from hotich.digitization.models import PageImage
from hotich.digitization.services import iiif as tiles_service
from hotich.digitization.tests.conftest import page_bytes

pytestmark = pytest.mark.django_db


def test_tiles_cover_every_level_as_openseadragon_asks() -> None:
    files = {t.name for t in iiif.all_files(1200, 700, tile=512)}
    assert iiif.scale_factors(1200, 700, 512) == [1, 2, 4]
    # scale 1: a 3×2 grid, the last column and row cut short
    assert "0,0,512,512/512,512/0/default.jpg" in files
    assert "1024,512,176,188/176,188/0/default.jpg" in files
    # scale 2: 1024-pixel regions scaled to 512, the edge ones to their share
    assert "0,0,1024,700/512,350/0/default.jpg" in files
    assert "1024,0,176,700/88,350/0/default.jpg" in files
    # scale 4: the whole image in one tile; the sizes; the full size
    assert "full/300,175/0/default.jpg" in files
    assert "full/600,350/0/default.jpg" in files
    assert "full/max/0/default.jpg" in files
    assert iiif.sizes(1200, 700) == [(150, 88), (300, 175), (600, 350)]


def _page(book: Any, people: Any, size: tuple[int, int] = (900, 1300)) -> PageImage:
    services.page_import(
        actor=people["clerk1"], book=book, name="p1.png", data=page_bytes(3, size=size)
    )
    return PageImage.objects.get()


def test_ingest_makes_the_tiles_and_info_json_serves_them(
    book: Any, people: Any, staff_client: Any
) -> None:
    page = _page(book, people)
    assert page.tile_size == iiif.TILE and page.failed_step == ""
    clerk = staff_client(people["clerk1"])
    response = clerk.get(f"/iiif/3/{page.pk}/info.json")
    assert response.status_code == 200
    assert "iiif.io/api/image/3/context.json" in response["Content-Type"]
    info = response.json()
    assert info["id"] == f"http://testserver/iiif/3/{page.pk}"
    assert info["profile"] == "level0" and info["type"] == "ImageService3"
    assert (info["width"], info["height"]) == (page.web_width, page.web_height)
    assert info["tiles"] == [{"width": 512, "scaleFactors": [1, 2, 4]}]
    assert AuditEntry.objects.filter(
        object_type="digitization.page", action="read", detail__image="iiif"
    ).exists()
    for t in iiif.all_files(page.web_width, page.web_height):
        tile = clerk.get(f"/iiif/3/{page.pk}/{t.name}")
        assert tile.status_code == 200 and tile["Content-Type"] == "image/jpeg", t.name
        with Image.open(io.BytesIO(tile.content)) as im:
            assert im.size == (t.width, t.height), t.name
    # level 0: only the listed files; nothing else is computed on demand
    assert clerk.get(f"/iiif/3/{page.pk}/0,0,100,100/100,100/0/default.jpg").status_code == 404
    assert clerk.get(f"/iiif/3/{page.pk}/full/max/90/default.jpg").status_code == 404
    assert clerk.get(f"/iiif/3/{page.pk}/full/max/0/default.png").status_code == 404
    assert clerk.get(f"/iiif/3/{page.pk}/../../x/0/default.jpg").status_code == 404
    assert clerk.get(f"/iiif/3/{page.pk}")["Location"].endswith(f"/iiif/3/{page.pk}/info.json")


def test_out_of_scope_is_404_and_anonymous_goes_to_login(
    book: Any, people: Any, staff_client: Any, client: Any
) -> None:
    page = _page(book, people)
    outsider = staff_client(people["outsider"])
    for url in (
        f"/iiif/3/{page.pk}/info.json",
        f"/iiif/3/{page.pk}/full/max/0/default.jpg",
        f"/iiif/3/books/{book.pk}/manifest.json",
        f"/so-hoa/so/{book.pk}/xem/",
    ):
        assert outsider.get(url).status_code == 404, url
        assert "/dang-nhap/" in client.get(url)["Location"], url


def test_the_manifest_lists_pages_in_order_with_entries(
    book: Any, people: Any, staff_client: Any
) -> None:
    for n in (2, 1):
        services.page_import(
            actor=people["clerk1"], book=book, name=f"p{n}.png", data=page_bytes(n + 10)
        )
    first = PageImage.objects.get(number=1)
    services.entry_mark(
        actor=people["clerk1"],
        page=first,
        entry_number=7,
        region={"x": 0.1, "y": 0.2, "w": 0.5, "h": 0.25},
    )
    body = staff_client(people["clerk1"]).get(f"/iiif/3/books/{book.pk}/manifest.json").json()
    assert body["type"] == "Manifest" and "presentation/3" in body["@context"]
    canvases = body["items"]
    assert [c["label"]["vi"] for c in canvases] == [["Trang 1"], ["Trang 2"]]
    service = canvases[0]["items"][0]["items"][0]["body"]["service"][0]
    assert service == {
        "id": f"http://testserver/iiif/3/{first.pk}",
        "type": "ImageService3",
        "profile": "level0",
    }
    note = canvases[0]["annotations"][0]["items"][0]
    x, y = round(0.1 * first.web_width), round(0.2 * first.web_height)
    assert note["motivation"] == "commenting" and note["body"]["value"] == "Mục số 7"
    assert note["target"].startswith(f"{canvases[0]['id']}#xywh={x},{y},")
    assert "annotations" not in canvases[1]


def test_the_viewer_page_opens_with_mirador(book: Any, people: Any, staff_client: Any) -> None:
    _page(book, people)
    response = staff_client(people["officer"]).get(f"/so-hoa/so/{book.pk}/xem/")
    assert response.status_code == 200
    assert b"vendor/mirador/mirador.min.js" in response.content
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self'" in policy


def test_backfill_makes_missing_tiles_and_resumes(book: Any, people: Any) -> None:
    for n in (1, 2, 3):
        services.page_import(
            actor=people["clerk1"], book=book, name=f"p{n}.png", data=page_bytes(n + 20)
        )
    pages = list(PageImage.objects.order_by("number"))
    # pages ingested before IIIF: no tiles
    for page in pages:
        tiles_service.archive_delete_derived(prefix=tiles_service.tiles_folder(page))
    PageImage.objects.update(tile_size=0)
    # a run that dies on the second page leaves the first done and the rest to do
    real = tiles_service.page_make_tiles
    calls: list[int] = []

    def dying(page: PageImage, web: Any = None) -> int:
        calls.append(page.pk)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(page, web)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tiles_service, "page_make_tiles", dying)
        with pytest.raises(KeyboardInterrupt):
            tiles_service.tiles_backfill()
    assert tiles_service.pages_without_tiles() == [pages[1].pk, pages[2].pk]
    out = io.StringIO()
    call_command("scan", "tiles", stdout=out)
    assert tiles_service.pages_without_tiles() == []
    assert "2" in out.getvalue()
    assert default_storage.exists(tiles_service.tile_path(pages[2], "full/max/0/default.jpg"))
