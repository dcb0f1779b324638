"""Finding units by old or new names, with or without diacritics; the picker and the API."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from hotich.geo.selectors import unit_search
from hotich.geo.testing import load_nghe_an
from hotich.geo.vocabulary import Era, Level


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["nghi phu", "Nghi Phú", "xa nghi phu", "NGHI PHÚ", "nghiphu"])
def test_search_without_diacritics_finds_nghi_phu_first(query: str) -> None:
    load_nghe_an()
    first = unit_search(query)[0]
    assert (first.name, first.era) == ("Phường Nghi Phú", Era.LEGACY)


@pytest.mark.django_db
def test_search_word_prefixes_in_any_order_and_with_parent_names() -> None:
    load_nghe_an()
    assert "Phường Nghi Phú" in [u.name for u in unit_search("phu nghi")[:3]]
    assert unit_search("ngh ph")  # prefixes
    assert unit_search("nghi phu vinh")[0].name == "Phường Nghi Phú"


@pytest.mark.django_db
def test_search_by_old_name_finds_the_legacy_unit_and_its_successor() -> None:
    load_nghe_an()
    found = list(unit_search("Hưng Bình", era=Era.LEGACY))
    hung_binh = found[0]
    assert (hung_binh.name, hung_binh.era, hung_binh.path) == (
        "Phường Hưng Bình", Era.LEGACY, "o/40/412/16672/"
    )  # fmt: skip
    assert [m.new_unit.name for m in hung_binh.mapped_to.all()] == ["Phường Thành Vinh"]
    # and the new unit lists it among the old ones it was formed from
    thanh_vinh = unit_search("thanh vinh", era=Era.CURRENT, level=Level.COMMUNE)[0]
    assert "Phường Hưng Bình" in [m.old_unit.name for m in thanh_vinh.mapped_from.all()]


@pytest.mark.django_db
def test_search_ranks_the_exact_short_name_and_typed_type_first() -> None:
    load_nghe_an()
    assert unit_search("vinh")[0].name == "Thành phố Vinh"
    assert unit_search("huyen nghi loc")[0].name == "Huyện Nghi Lộc"
    assert unit_search("xa nghi loc")[0].name == "Xã Nghi Lộc"
    assert unit_search("nghe an", level=Level.PROVINCE)[0].era == Era.CURRENT


@pytest.mark.django_db
def test_search_filters_and_empty_query() -> None:
    load_nghe_an()
    assert not unit_search("   ")
    assert all(u.era == Era.CURRENT for u in unit_search("nghi", era=Era.CURRENT))
    assert all(u.level == Level.DISTRICT for u in unit_search("nghi", level=Level.DISTRICT))
    assert len(unit_search("xa", limit=5)) == 5


@pytest.mark.django_db
def test_units_load_command_prints_counts() -> None:
    out = StringIO()
    call_command("units", "load", "--province", "40", stdout=out)
    assert "433" in out.getvalue() and "131" in out.getvalue()


@pytest.mark.django_db
def test_picker_page_and_htmx_fragment(
    units: dict[str, Any], make_user: Callable[..., Any], staff_client: Callable[[Any], Any]
) -> None:
    load_nghe_an()
    client = staff_client(make_user("clerk", units["a"]))
    page = client.get("/don-vi/", {"q": "nghi phu"}).content.decode()
    assert '<label for="unit-q">' in page
    assert "Phường Nghi Phú" in page and "Phường Vinh Phú" in page
    assert '<th scope="col">' in page
    fragment = client.get(
        "/don-vi/", {"q": "nghi phu"}, headers={"HX-Request": "true", "HX-Target": "unit-results"}
    ).content.decode()
    assert "<html" not in fragment and "Phường Nghi Phú" in fragment
    converted = client.get("/don-vi/", {"address": "nghi phu, vinh, nghe an"}).content.decode()
    assert "Phường Vinh Phú, Tỉnh Nghệ An" in converted


@pytest.mark.django_db
def test_picker_requires_login(client: Any) -> None:
    assert client.get("/don-vi/").status_code == 302


@pytest.mark.django_db
def test_api_search_and_convert(
    units: dict[str, Any], make_user: Callable[..., Any], staff_client: Callable[[Any], Any]
) -> None:
    load_nghe_an()
    client = staff_client(make_user("officer", units["a"]))
    response = client.get("/api/v1/units/search", {"q": "nghi phu", "era": "o"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first["name"] == "Phường Nghi Phú"
    assert first["full_name"] == "Phường Nghi Phú, Thành phố Vinh, Tỉnh Nghệ An"
    assert first["maps_to"][0]["name"] == "Phường Vinh Phú"
    assert first["maps_to"][0]["is_primary"] is True

    assert client.get("/api/v1/units/search", {"q": "x", "era": "z"}).status_code == 422
    converted = client.get("/api/v1/units/convert", {"address": "nghi phu, vinh, nghe an"})
    assert converted.json()["ward_code"] == "16702"
    unknown = client.get("/api/v1/units/convert", {"address": "không có"})
    assert unknown.status_code == 400
    assert unknown.json()["message_en"] == "province not recognised in address"


@pytest.mark.django_db
def test_api_requires_authentication(client: Any) -> None:
    assert client.get("/api/v1/units/search", {"q": "vinh"}).status_code == 401
