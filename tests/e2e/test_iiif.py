"""IIIF in the browser: a register book's manifest opens in Mirador (vendored) and its tiles load;
the keying screen first shows the entry's crop, and its OpenSeadragon, loaded on the first zoom,
reads the page's tiles instead of the whole image."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
#: a tile or size of a page's IIIF service, as a JavaScript regular expression
TILE_RE = "/\\/iiif\\/3\\/\\d+\\/[^/]+\\/[^/]+\\/0\\/default\\.jpg/"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screens"


@pytest.fixture
def file_store(tmp_path: Any, settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hotich.core.storage.LocalStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
    }


def _book_with_pages(units: Any, clerk: Any, pages: int = 2) -> tuple[Any, list[Any]]:
    from hotich.digitization import services
    from hotich.digitization.demo import demo_entry_lines, demo_page_image
    from hotich.registry.tests.factories import historic_book

    book = historic_book(unit=units["a"], year=1985)
    rng = random.Random(5)
    made = []
    for n in range(pages):
        lines = [demo_entry_lines(rng, n * 4 + i + 1, 1985)[0] for i in range(4)]
        image = demo_page_image(lines, seed=n, size=(1400, 1980))
        page = services.page_import(actor=clerk, book=book, name=f"p{n + 1}.png", data=image).pages[
            0
        ]
        services.entries_split(actor=clerk, page=page, first_number=n * 4 + 1, count=4)
        made.append(page)
    for page in made:
        page.refresh_from_db()
    return book, made


def test_the_book_opens_in_mirador_and_its_tiles_load(
    live_server: Any, new_page: Any, units: Any, make_user: Any, file_store: None
) -> None:
    clerk = make_user(Role.CLERK, units["a"])
    book, pages = _book_with_pages(units, clerk)
    assert all(p.tile_size for p in pages)
    page = new_page("laptop")
    login_verified(page, live_server.url, clerk)
    loaded: list[str] = []
    page.on(
        "response",
        lambda r: loaded.append(r.url) if "/iiif/3/" in r.url and r.status == 200 else None,
    )
    page.goto(f"{live_server.url}/so-hoa/so/{book.pk}/xem/")
    page.locator("#dz-mirador .openseadragon-canvas canvas").first.wait_for(state="visible")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        f".filter(e => {TILE_RE}.test(e.name)).length >= 2"
    )
    assert any(u.endswith(f"/iiif/3/books/{book.pk}/manifest.json") for u in loaded)
    assert any(u.endswith(f"/iiif/3/{pages[0].pk}/info.json") for u in loaded)
    tiles = [u for u in loaded if u.endswith("/0/default.jpg")]
    assert tiles, loaded
    # the entries are annotations of the page
    page.get_by_text("Mục số 1", exact=True).first.wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "iiif-mirador-laptop.png"))


def test_the_keying_viewer_loads_tiles_not_the_whole_image(
    live_server: Any, new_page: Any, units: Any, make_user: Any, file_store: None
) -> None:
    from hotich.digitization.models import Entry

    clerk = make_user(Role.CLERK, units["a"])
    _book, pages = _book_with_pages(units, clerk, pages=1)
    entry = Entry.objects.get(page=pages[0], entry_number=2)
    page = new_page("laptop")
    login_verified(page, live_server.url, clerk)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(f"{live_server.url}/so-hoa/muc/{entry.pk}/nhap/")
    # first the entry's crop alone, at the width it is shown: no viewer, no tiles
    page.wait_for_selector("#dz-viewer[data-loaded]")
    page.wait_for_load_state("networkidle")
    assert any(f"/so-hoa/muc/{entry.pk}/anh/?rong=" in u for u in asked)
    assert not any("/iiif/3/" in u or "openseadragon" in u for u in asked)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "keying-first-laptop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_selector("#dz-viewer[data-loaded]")
    page.screenshot(path=str(SHOTS / "keying-first-phone.png"))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload()
    page.wait_for_selector("#dz-viewer[data-loaded]")
    # zooming loads OpenSeadragon, which reads the page's tiles
    page.get_by_role("button", name="Phóng to").click()
    page.wait_for_function(
        f"() => performance.getEntriesByType('resource').some(e => {TILE_RE}.test(e.name))"
    )
    page.wait_for_selector("#dz-viewer .openseadragon-canvas")
    page.wait_for_load_state("networkidle")
    assert any(u.endswith(f"/iiif/3/{pages[0].pk}/info.json") for u in asked)
    assert not any(f"/so-hoa/trang/{pages[0].pk}/anh/" in u for u in asked)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "iiif-keying-laptop.png"))
