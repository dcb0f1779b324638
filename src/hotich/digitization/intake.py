"""Checking an uploaded scan before anything is stored.

``check_upload(name, data)`` recognises the file by its magic bytes (never by its extension,
which must agree), enforces the size limit and the pixel limit (decompression bombs), decodes
images fully so that truncated or corrupt files are refused, and refuses PDFs that carry
JavaScript, launch actions or embedded files. It raises ``ValidationFailed`` with a Vietnamese
reason naming the file; it keeps nothing, so a refusal leaves no partial state.

The portal imports it for citizen uploads as well.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, UnidentifiedImageError

from hotich.core.errors import ValidationFailed


def _limit(name: str, default: int) -> int:
    """A limit from the settings, else the environment variable of the same name."""
    return int(getattr(settings, name, None) or os.environ.get(name) or default)


#: Largest accepted file (bytes). A 600 dpi colour A3 TIFF is about 150 MB uncompressed.
MAX_BYTES = _limit("HOTICH_SCAN_MAX_BYTES", 200 * 1024 * 1024)
#: Largest accepted image, in pixels per page (A3 at 600 dpi is about 70 million).
MAX_PIXELS = _limit("HOTICH_SCAN_MAX_PIXELS", 100_000_000)
#: Most pages accepted in one multi-page TIFF or PDF.
MAX_PAGES = _limit("HOTICH_SCAN_MAX_PAGES", 1000)
#: Resolution at which PDF pages are rendered, used for the pixel check.
PDF_DPI = 200
#: Largest amount of decompressed data inspected in one PDF stream (zip-bomb guard).
_PDF_STREAM_INSPECT = 4 * 1024 * 1024

_MAGIC: list[tuple[bytes, str, str]] = [
    (b"II*\x00", "tiff", "image/tiff"),
    (b"MM\x00*", "tiff", "image/tiff"),
    (b"\xff\xd8\xff", "jpeg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"%PDF-", "pdf", "application/pdf"),
]
_EXTENSIONS = {
    "tif": "tiff",
    "tiff": "tiff",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "jpe": "jpeg",
    "png": "png",
    "pdf": "pdf",
}
_PIL_FORMATS = {"tiff": "TIFF", "jpeg": "JPEG", "png": "PNG"}
# Names whose presence makes a PDF active content rather than a document.
_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|SubmitForm|ImportData)\b"
)
_PDF_STREAM = re.compile(rb"stream\r?\n")


@dataclass(frozen=True)
class CheckedFile:
    """What the check learnt about an accepted file."""

    name: str
    kind: str  # "tiff" | "jpeg" | "png" | "pdf"
    mime: str
    sha256: str
    size: int
    width: int  # of the first page, in pixels (PDF: rendered at PDF_DPI)
    height: int
    pages: int


def _fmt(template: Any, **params: Any) -> Any:
    """A lazy ``template % params`` that follows the active language when shown."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in params.items()}, str)()


def _refuse(name: str, reason: Any) -> ValidationFailed:
    return ValidationFailed(
        _fmt(_("Tệp “%(name)s” bị từ chối: %(reason)s"), name=name, reason=reason),
        field="file",
        code="bad_file",
    )


def sniff_kind(data: bytes) -> tuple[str, str] | None:
    """The (kind, mime) of ``data`` by its magic bytes, or None when it is none we accept."""
    head = data[:16]
    for magic, kind, mime in _MAGIC:
        if head.startswith(magic):
            return kind, mime
    return None


def _describe_unknown(data: bytes) -> Any:
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\x1f\x8b") or head.startswith(b"7z"):
        return _("đây là tệp nén, hãy giải nén và tải lên từng ảnh")
    if head.startswith(b"II+\x00") or head.startswith(b"MM\x00+"):
        return _("định dạng BigTIFF không được hỗ trợ")
    return _("không phải ảnh TIFF, JPEG, PNG hay tệp PDF")


def check_upload(name: str, data: bytes) -> CheckedFile:
    """Check one uploaded file; return what it is or raise ``ValidationFailed``."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "?"
    size = len(data)
    if size == 0:
        raise _refuse(name, _("tệp rỗng"))
    if size > MAX_BYTES:
        raise _refuse(
            name,
            _fmt(_("tệp lớn hơn giới hạn %(limit)s MB"), limit=MAX_BYTES // (1024 * 1024)),
        )
    sniffed = sniff_kind(data)
    if sniffed is None:
        raise _refuse(name, _describe_unknown(data))
    kind, mime = sniffed
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext and _EXTENSIONS.get(ext) != kind:
        raise _refuse(
            name,
            _fmt(
                _("phần mở rộng “.%(ext)s” không khớp với nội dung (%(kind)s)"),
                ext=ext,
                kind=kind.upper(),
            ),
        )
    if kind == "pdf":
        width, height, pages = _check_pdf(name, data)
    else:
        width, height, pages = _check_image(name, data, kind)
    return CheckedFile(
        name=name,
        kind=kind,
        mime=mime,
        sha256=hashlib.sha256(data).hexdigest(),
        size=size,
        width=width,
        height=height,
        pages=pages,
    )


def _check_image(name: str, data: bytes, kind: str) -> tuple[int, int, int]:
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - a global someone else may set
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    first: tuple[int, int] | None = None
    pages = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]]) as im:
                frames = getattr(im, "n_frames", 1)
                if frames > MAX_PAGES:
                    raise _refuse(
                        name,
                        _fmt(
                            _("có %(n)s trang, nhiều hơn giới hạn %(limit)s"),
                            n=frames,
                            limit=MAX_PAGES,
                        ),
                    )
                for index in range(frames):
                    im.seek(index)
                    w, h = im.size
                    if w <= 0 or h <= 0:
                        raise _refuse(name, _("kích thước ảnh không hợp lệ"))
                    if w * h > MAX_PIXELS:
                        raise _refuse(
                            name,
                            _fmt(
                                _(
                                    "ảnh %(w)s×%(h)s điểm vượt giới hạn %(limit)s triệu điểm "
                                    "(có thể là bom giải nén)"
                                ),
                                w=w,
                                h=h,
                                limit=MAX_PIXELS // 1_000_000,
                            ),
                        )
                    im.load()  # full decode: truncated and corrupt data fail here
                    if first is None:
                        first = (w, h)
                    pages += 1
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise _refuse(name, _("ảnh quá lớn (có thể là bom giải nén)")) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _refuse(name, _("tệp ảnh bị hỏng hoặc không đầy đủ")) from exc
    except (MemoryError, zlib.error) as exc:
        raise _refuse(name, _("tệp ảnh bị hỏng hoặc không đầy đủ")) from exc
    assert first is not None
    return first[0], first[1], pages


def _pdf_inflated_streams(data: bytes) -> list[bytes]:
    """Decompressed beginnings of the Flate streams of a PDF (bounded: a bomb stays small)."""
    out: list[bytes] = []
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        chunk = data[start:end]
        try:
            inflater = zlib.decompressobj()
            out.append(inflater.decompress(chunk, _PDF_STREAM_INSPECT))
        except zlib.error:
            continue
        if len(out) > 5000:
            break
    return out


def _check_pdf(name: str, data: bytes) -> tuple[int, int, int]:
    if b"/Encrypt" in data:
        raise _refuse(name, _("tệp PDF được mã hóa"))
    for blob in [data, *_pdf_inflated_streams(data)]:
        if _PDF_ACTIVE.search(blob):
            raise _refuse(
                name, _("tệp PDF chứa mã JavaScript, hành động tự chạy hoặc tệp đính kèm")
            )
    pdfinfo = shutil.which("pdfinfo")
    if not pdfinfo:  # pragma: no cover - poppler-utils is a documented dependency
        raise _refuse(name, _("máy chủ chưa cài poppler-utils để đọc PDF"))
    try:
        proc = subprocess.run(  # noqa: S603 - fixed program, data on stdin
            [pdfinfo, "-"],
            input=data,
            capture_output=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _refuse(name, _("không đọc được tệp PDF trong thời gian cho phép")) from exc
    info = proc.stdout.decode("utf-8", "replace")
    pages_match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    size_match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    if proc.returncode != 0 or not pages_match or not size_match:
        raise _refuse(name, _("tệp PDF bị hỏng hoặc không đầy đủ"))
    pages = int(pages_match.group(1))
    if pages < 1:
        raise _refuse(name, _("tệp PDF không có trang nào"))
    if pages > MAX_PAGES:
        raise _refuse(
            name,
            _fmt(_("có %(n)s trang, nhiều hơn giới hạn %(limit)s"), n=pages, limit=MAX_PAGES),
        )
    width = round(float(size_match.group(1)) / 72 * PDF_DPI)
    height = round(float(size_match.group(2)) / 72 * PDF_DPI)
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise _refuse(name, _("khổ trang PDF không hợp lệ hoặc quá lớn"))
    return width, height, pages
