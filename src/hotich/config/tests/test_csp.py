"""The Content-Security-Policy: on every kind of response, and kept possible by the templates
(no inline script, event handler or style attribute in any page; the browser tests in tests/e2e
fail on any violation)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

SRC = Path(__file__).resolve().parents[2]
VIEWER = SRC / "digitization/static/digitization/vendor/openseadragon/openseadragon.min.js"
#: templates WeasyPrint renders to PDF, never served to a browser
PDF_TEMPLATES = (
    "reporting/templates/reporting/report_pdf.html",
    "portal/templates/portal/result_pdf.html",
    "registry/templates/registry/extracts/",
    "documents/templates/documents/pdf/",
    "meetings/templates/meetings/minutes_pdf.html",
    "party/templates/party/letter_pdf.html",
    "party/templates/party/export_pdf.html",
    "party/templates/party/directive_pdf.html",
)


def policy(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, response.request["PATH_INFO"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
}


def check(response: Any) -> None:
    found = policy(response)
    for name, values in EXPECTED.items():
        assert found[name] == values, (response.request["PATH_INFO"], name, found[name])
    assert "'unsafe-inline'" not in found["style-src"]
    assert "'unsafe-eval'" not in found["script-src"]


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_policy(
    client: Client, units: Any, make_user: Any, staff_client: Any
) -> None:
    from hotich.registry.extracts.services import extract_issue
    from hotich.registry.tests.factories import BirthFactory

    issued = extract_issue(actor=None, record=BirthFactory(), copy=True)
    officer = staff_client(make_user("officer", units["a"]))
    responses = {
        "login page": client.get("/dang-nhap/"),
        "citizens' portal": client.get("/dich-vu-cong/"),
        "staff page": officer.get("/"),
        "API": client.get("/api/v1/portal/procedures"),
        "OpenAPI": client.get("/api/v1/openapi.json"),
        "verify page": client.get(f"/verify/{issued.verify_code}"),
        "unknown paper": client.get("/verify/AAAAAAAAAAAAAAAAAAAAAA"),
        "not found": client.get("/khong-co-trang-nay/"),
        "health": client.get("/healthz"),
    }
    assert responses["staff page"].status_code == 200
    assert responses["verify page"].status_code == 200
    assert responses["API"].status_code == 200
    for response in responses.values():
        check(response)


def test_the_viewers_style_hash_matches_the_vendored_viewer() -> None:
    source = VIEWER.read_text(encoding="utf-8")
    match = re.search(r'openseadragon-mobile-css","true"\);\w+\.textContent="([^"]*)"', source)
    assert match is not None, "the viewer no longer adds its style rule: drop the hash"
    digest = base64.b64encode(hashlib.sha256(match.group(1).encode()).digest()).decode()
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["style-src"] == ["'self'", f"'sha256-{digest}'"]


def _served_templates() -> list[Path]:
    return [
        path
        for path in sorted(SRC.glob("*/templates/**/*.html"))
        if not any(str(path.relative_to(SRC)).startswith(p) for p in PDF_TEMPLATES)
    ]


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_page_template_holds_what_the_policy_refuses() -> None:
    templates = _served_templates()
    assert len(templates) > 70
    found = [
        f"{path.relative_to(SRC)}: {kind}"
        for path in templates
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
