"""QR codes for printed documents and pages: one pixel per module, as a PNG data URI.

The image is tiny (a ``/verify/<code>`` link is a 29×29 code) and prints sharp at any size when
the page scales it without smoothing: ``image-rendering: pixelated``, which WeasyPrint writes
as an image that PDF viewers and printers do not interpolate. WeasyPrint drew the SVG form of
the same code as hundreds of path segments parsed one character at a time (a tenth of an
extract's rendering time, docs/benchmarks.md).
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.constants


def qr_png(text: str) -> bytes:
    """``text`` as a QR code (error correction M, a quiet zone of 2 modules), 1 px per module."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` for an ``<img src>`` (style it ``image-rendering: pixelated``)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode("ascii")
