from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory


@pytest.mark.parametrize("template", ["base.html", "base_portal.html"])
def test_layouts_are_vietnamese_first_and_accessible(template: str) -> None:
    request = RequestFactory().get("/")
    html = render_to_string(template, request=request)
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link
    assert "/static/hotich/vendor/htmx.min.js" in html  # vendored, no CDN
    assert "http" not in html.split("<body")[0].replace("http-equiv", "")
    assert 'for="lang-select"' in html
