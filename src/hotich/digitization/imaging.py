"""Image work on page scans: rendering one page of a master file, estimating and removing the
skew, and making the web image and the thumbnail. Pure functions over bytes and Pillow images;
the files are stored by ``services.pages``."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

WEB_MAX = 2000  # longest side of the web image, pixels
THUMB_MAX = 240
_SKEW_WIDTH = 500


def render_page(data: bytes, kind: str, index: int, *, dpi: int = 200) -> Image.Image:
    """Page ``index`` of a master file as a Pillow image (greyscale or RGB)."""
    if kind == "pdf":
        return _render_pdf_page(data, index, dpi=dpi)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        source = Image.open(io.BytesIO(data))
        if index:
            source.seek(index)
        source.load()
    im: Image.Image = ImageOps.exif_transpose(source) or source
    if im.mode in ("L", "RGB"):
        return im
    if im.mode in ("1", "LA", "I", "I;16", "F"):
        return im.convert("L")
    return im.convert("RGB")


def _render_pdf_page(data: bytes, index: int, *, dpi: int) -> Image.Image:
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:  # pragma: no cover - poppler-utils is a documented dependency
        raise RuntimeError("pdftoppm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        page = str(index + 1)
        subprocess.run(  # noqa: S603 - fixed program, our own temp files
            [
                pdftoppm,
                "-r",
                str(dpi),
                "-f",
                page,
                "-l",
                page,
                "-png",
                "-singlefile",
                str(src),
                str(Path(tmp) / "out"),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        with Image.open(Path(tmp) / "out.png") as im:
            im.load()
            return im.convert("RGB") if im.mode not in ("L", "RGB") else im.copy()


def _score(ink: Image.Image, angle: float) -> float:
    rotated = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
    rows = np.asarray(rotated, dtype=np.float32).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def estimate_skew(im: Image.Image, *, limit: float = 5.0) -> float:
    """The angle (degrees, counter-clockwise) that makes the text lines horizontal.

    Projection profile on a small copy: lines of text give the sharpest row profile when they
    are level. Coarse search in 1° steps, then 0.2° around the best.
    """
    grey = im.convert("L")
    scale = _SKEW_WIDTH / max(1, grey.width)
    small = grey.resize((_SKEW_WIDTH, max(1, round(grey.height * scale))), Image.Resampling.BOX)
    arr = np.asarray(small, dtype=np.uint8)
    threshold = min(200, int(arr.mean()) - 30)
    ink = Image.fromarray(((arr < threshold) * 255).astype(np.uint8))
    if np.count_nonzero(np.asarray(ink)) < 50:
        return 0.0
    best = max(np.arange(-limit, limit + 0.01, 1.0), key=lambda a: _score(ink, float(a)))
    fine = np.arange(best - 0.8, best + 0.81, 0.2)
    angle = float(max(fine, key=lambda a: _score(ink, float(a))))
    return round(angle, 1) if abs(angle) >= 0.2 else 0.0


def derivatives(im: Image.Image) -> tuple[bytes, tuple[int, int], bytes, float]:
    """(web JPEG, its size, thumbnail JPEG, skew removed in degrees) for one page image."""
    web = im.copy()
    web.thumbnail((WEB_MAX, WEB_MAX), Image.Resampling.LANCZOS)
    angle = estimate_skew(web)
    if angle:
        fill = 255 if web.mode == "L" else (255, 255, 255)
        web = web.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=fill)
    web_bytes = io.BytesIO()
    web.save(web_bytes, format="JPEG", quality=82, optimize=True)
    thumb = web.copy()
    thumb.thumbnail((THUMB_MAX, THUMB_MAX), Image.Resampling.LANCZOS)
    thumb_bytes = io.BytesIO()
    thumb.save(thumb_bytes, format="JPEG", quality=75)
    return web_bytes.getvalue(), web.size, thumb_bytes.getvalue(), angle


def crop_box(
    size: tuple[int, int], region: dict[str, float], *, pad: float = 0.01
) -> tuple[int, int, int, int]:
    """The pixel box (left, top, right, bottom) of ``region`` (fractions of width and height)
    widened by ``pad`` on each side, inside an image of ``size``."""
    w, h = size
    x0 = max(0.0, float(region.get("x", 0)) - pad)
    y0 = max(0.0, float(region.get("y", 0)) - pad)
    x1 = min(1.0, float(region.get("x", 0)) + float(region.get("w", 1)) + pad)
    y1 = min(1.0, float(region.get("y", 0)) + float(region.get("h", 1)) + pad)
    return (
        int(x0 * w),
        int(y0 * h),
        max(int(x0 * w) + 1, int(x1 * w)),
        max(int(y0 * h) + 1, int(y1 * h)),
    )


def crop_region(
    web_jpeg: bytes,
    region: dict[str, float],
    *,
    pad: float = 0.01,
    width: int | None = None,
    quality: int = 85,
) -> bytes:
    """The part of a web image inside ``region`` (fractions of width and height), as JPEG;
    scaled down to ``width`` pixels wide when it is wider (never up)."""
    with Image.open(io.BytesIO(web_jpeg)) as im:
        box = crop_box(im.size, region, pad=pad)
        part = im.crop(box)
        if width and width < part.width:
            height = max(1, round(part.height * width / part.width))
            part = part.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        part.save(out, format="JPEG", quality=quality, optimize=True)
        return out.getvalue()
