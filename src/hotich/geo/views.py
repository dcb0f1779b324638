"""The unit picker: type a name, old or new, with or without diacritics; convert an old address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from hotich.accounts.web import staff_required
from hotich.geo.selectors import AddressNotRecognised, ConversionResult, unit_convert, unit_search
from hotich.geo.vocabulary import Era, Level


@staff_required("geo.view")
def picker(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    era = request.GET.get("era", "")
    era = era if era in Era.values else ""
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    units = list(unit_search(query, era=era or None, level=level or None)) if query else []
    context: dict[str, Any] = {
        "q": query,
        "era": era,
        "level": level,
        "eras": Era.choices,
        "levels": Level.choices,
        "units": units,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "unit-results":
        return render(request, "geo/_results.html", context)
    address = request.GET.get("address", "").strip()[:300]
    conversion: ConversionResult | None = None
    conversion_error = ""
    if address:
        try:
            conversion = unit_convert(address)
        except AddressNotRecognised as exc:
            conversion_error = exc.in_language(translation.get_language() or "vi")
    context |= {"address": address, "conversion": conversion, "conversion_error": conversion_error}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "conversion":
        return render(request, "geo/_conversion.html", context)
    return render(request, "geo/picker.html", context)
