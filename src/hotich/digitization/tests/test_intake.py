"""The intake check: magic bytes, size, pixel floods, corrupt files, active PDFs."""

from __future__ import annotations

import io
import time

import pytest
from django.utils import translation
from PIL import Image

from hotich.core.errors import ValidationFailed
from hotich.digitization import intake


def _image(fmt: str, size: tuple[int, int] = (120, 80), **kw: object) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 200).save(buf, format=fmt, **kw)
    return buf.getvalue()


def _pdf(extra: bytes = b"") -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R" + extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.mark.parametrize(
    ("name", "fmt", "kind"),
    [("a.tif", "TIFF", "tiff"), ("b.JPG", "JPEG", "jpeg"), ("c.png", "PNG", "png")],
)
def test_accepts_images(name: str, fmt: str, kind: str) -> None:
    data = _image(fmt)
    checked = intake.check_upload(name, data)
    assert (checked.kind, checked.width, checked.height, checked.pages) == (kind, 120, 80, 1)
    assert len(checked.sha256) == 64 and checked.size == len(data)


def test_multipage_tiff_counts_pages() -> None:
    buf = io.BytesIO()
    frames = [Image.new("L", (50, 40), v) for v in (10, 100, 200)]
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    assert intake.check_upload("book.tiff", buf.getvalue()).pages == 3


def test_accepts_plain_pdf() -> None:
    checked = intake.check_upload("scan.pdf", _pdf())
    assert checked.kind == "pdf" and checked.pages == 1 and checked.width > 1000


def _refusal(name: str, data: bytes) -> str:
    start = time.monotonic()
    with pytest.raises(ValidationFailed) as caught:
        intake.check_upload(name, data)
    assert time.monotonic() - start < 2
    with translation.override("vi"):
        message = str(caught.value)
    assert name in message
    return message


def test_truncated_tiff() -> None:
    data = _image("TIFF", (400, 400))
    assert "hỏng" in _refusal("cut.tif", data[: len(data) // 2])


def test_truncated_png() -> None:
    data = _image("PNG", (400, 400))
    assert "hỏng" in _refusal("cut.png", data[:-40])


def test_pixel_flood_png() -> None:
    # A tiny file declaring a 30000×30000 image: refused before any decoding.
    data = _flood_png()
    assert len(data) < 200_000
    assert "bom giải nén" in _refusal("flood.png", data)


def _flood_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    w = h = 30000
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00" * (w + 1) * 10)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_zip_bomb() -> None:
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.tif", b"\x00" * 10_000_000)
    assert "nén" in _refusal("pages.zip", buf.getvalue())


def test_pdf_with_javascript() -> None:
    data = _pdf(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    assert "JavaScript" in _refusal("evil.pdf", data)


def test_pdf_with_javascript_in_compressed_stream() -> None:
    import zlib

    hidden = zlib.compress(b"<< /S /JavaScript /JS (x) >>")
    data = _pdf() + b"9 0 obj << /Filter /FlateDecode >> stream\n" + hidden + b"\nendstream"
    assert "JavaScript" in _refusal("evil2.pdf", data)


def test_extension_lies() -> None:
    assert "không khớp" in _refusal("photo.jpg", _image("PNG"))


def test_not_an_image() -> None:
    assert "không phải" in _refusal("notes.tif", b"hello world, plain text")


def test_empty_and_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "rỗng" in _refusal("empty.png", b"")
    monkeypatch.setattr(intake, "MAX_BYTES", 100)
    assert "giới hạn" in _refusal("big.png", _image("PNG"))


def test_corrupt_pdf() -> None:
    assert "PDF" in _refusal("broken.pdf", b"%PDF-1.4\ngarbage")


def test_message_in_english() -> None:
    with pytest.raises(ValidationFailed) as caught:
        intake.check_upload("x.png", b"")
    assert (
        caught.value.bilingual()
        == "Tệp “x.png” bị từ chối: tệp rỗng / File “x.png” refused: the file is empty"
    )
