"""HTML to PDF/A with WeasyPrint: the one place the platform's printed papers are made.

The fonts (Noto Serif, DejaVu Serif) carry every Vietnamese glyph; WeasyPrint embeds the subsets
it uses, as PDF/A-2b requires. Each thread keeps one font configuration: building it (Pango's
font map, fontconfig's lookups) was a quarter of rendering an extract. Stylesheets that do not
change are parsed once (:func:`stylesheet`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/a-2b"

_local = threading.local()


def _font_config() -> FontConfiguration:
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration  # late: loading Pango is slow

        config = _local.font_config = FontConfiguration()
    return config


@functools.cache
def stylesheet(template: str) -> CSS:
    """The stylesheet in ``template`` (a Django template name), parsed once per process."""
    from weasyprint import CSS

    return CSS(string=render_to_string(template))


def html_to_pdf(html: str, *, stylesheets: Sequence[CSS] = ()) -> bytes:
    """``html`` (self-contained: images as data URIs) as PDF/A-2b bytes."""
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=None).write_pdf(
        pdf_variant=PDF_VARIANT, stylesheets=list(stylesheets), font_config=_font_config()
    )
    assert pdf is not None
    return bytes(pdf)
