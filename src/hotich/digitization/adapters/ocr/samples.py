"""Typed Vietnamese pages rendered with Pillow, for tests, benchmarks and demo data."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

#: Fonts with Vietnamese glyphs (Debian's fonts-dejavu-core, fonts-noto-core).
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
)
ENTRY_LINES = (
    "Số đăng ký: 125",
    "Ngày đăng ký: 12/03/1985",
    "Họ và tên: Nguyễn Văn Đức",
    "Giới tính: Nam     Dân tộc: Kinh",
    "Ngày sinh: 01/03/1985",
    "Nơi sinh: Xã Nghi Phú, Nghệ An",
    "Họ và tên cha: Trần Quốc Hùng",
    "Họ và tên mẹ: Phạm Thị Hương",
)


def vietnamese_font() -> Path | None:
    return next((f for f in FONTS if f.exists()), None)


def typed_page(
    lines: Sequence[str] = ENTRY_LINES, *, size: int = 34, width: int = 1400, margin: int = 60
) -> Image.Image:
    """A white page with ``lines`` typed in black, one every ``size * 1.75`` pixels."""
    font_path = vietnamese_font()
    if font_path is None:
        raise FileNotFoundError("no font with Vietnamese glyphs (fonts-dejavu-core)")
    font = ImageFont.truetype(str(font_path), size)
    step = int(size * 1.75)
    page = Image.new("RGB", (width, 2 * margin + step * len(lines)), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((margin, margin + step * i), line, font=font, fill="black")
    return page
