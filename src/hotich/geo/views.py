"""The unit picker: type a name, old or new, with or without diacritics."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hotich.accounts.decorators import staff_required
from hotich.geo.selectors import unit_search


@staff_required("geo.view")
def picker(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    units = list(unit_search(query, era=request.GET.get("era") or None)) if query else []
    template = "geo/_results.html" if request.headers.get("HX-Request") else "geo/picker.html"
    return render(request, template, {"q": query, "units": units})
