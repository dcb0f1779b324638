"""Demo data for digitization: historic books with synthetic page images at various stages.

``demo_page_image`` draws a register page (ruled entry boxes with text lines, aged paper, a small
skew) with Pillow; ``demo_digitized_book`` imports such pages into a historic book, marks the
entries and takes the book as far as ``stage``: "scanned", "keyed_once", "arbitration",
"verified" or "published". The ``hotich demo`` command (owned by the demo context) calls it.
"""

from __future__ import annotations

import io
import random
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from hotich.core.names import random_name

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def _font(size: int) -> Any:
    for path in _FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def demo_page_image(
    entries: list[list[str]],
    *,
    seed: int = 0,
    size: tuple[int, int] = (1240, 1754),
    skew: float | None = None,
    fmt: str = "PNG",
) -> bytes:
    """A synthetic register page: one ruled box per entry with its lines of text, on yellowed
    paper with stains, slightly rotated. Returns the encoded image (PNG, JPEG or TIFF)."""
    rng = random.Random(seed)  # noqa: S311 - demo pictures
    w, h = size
    small = Image.new("RGB", (w // 8, h // 8), (236, 226, 198))
    stains = ImageDraw.Draw(small)
    for _ in range(12):  # age stains, drawn small and blurred up
        x, y, r = rng.randrange(w // 8), rng.randrange(h // 8), rng.randrange(5, 20)
        tone = rng.randrange(200, 225)
        stains.ellipse((x - r, y - r, x + r, y + r), fill=(tone, tone - 12, tone - 45))
    page = small.filter(ImageFilter.GaussianBlur(2)).resize((w, h), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(page)
    margin, top = 70, 90
    title = _font(34)
    draw.text((margin, 30), "SỔ ĐĂNG KÝ", fill=(60, 40, 30), font=title)
    box_h = (h - top - margin) // max(1, len(entries))
    text_font = _font(26)
    for i, lines in enumerate(entries):
        y0 = top + i * box_h
        draw.rectangle(
            (margin - 20, y0, w - margin + 20, y0 + box_h - 12), outline=(90, 70, 60), width=3
        )
        for j, line in enumerate(lines):
            jitter = rng.randrange(-3, 4)
            ink = (rng.randrange(20, 50), rng.randrange(20, 50), rng.randrange(70, 110))
            draw.text((margin + jitter, y0 + 18 + j * 38), line, fill=ink, font=text_font)
    angle = skew if skew is not None else rng.uniform(-2.5, 2.5)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(236, 226, 198))
    out = io.BytesIO()
    if fmt == "JPEG":
        page.save(out, format="JPEG", quality=80)
    elif fmt == "TIFF":
        page.save(out, format="TIFF", compression="tiff_lzw")
    else:
        page.save(out, format="PNG", optimize=False)
    return out.getvalue()


def demo_entry_lines(
    rng: random.Random, number: int, year: int
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Text lines of a synthetic birth entry and the keyed values they show."""
    child = random_name(rng)
    father = random_name(rng, sex="M", surname=child.surname)
    day, month = rng.randrange(1, 28), rng.randrange(1, 13)
    values = {
        "registration_date": f"{year}-{month:02d}-{day + 1:02d}",
        "child.full_name": child.full,
        "child.sex": child.sex,
        "child.birth_date": f"{year}-{month:02d}-{day:02d}",
        "father.full_name": father.full,
    }
    lines = [
        f"Số {number}.  Ngày {day + 1}/{month}/{year}",
        f"Họ tên: {child.full}   ({'Nam' if child.sex == 'M' else 'Nữ'})",
        f"Sinh ngày {day}/{month}/{year}",
        f"Cha: {father.full}",
    ]
    return lines, {k: {"v": v, "m": ""} for k, v in values.items()}


STAGES = ("scanned", "keyed_once", "arbitration", "verified", "published")


def demo_digitized_book(
    *,
    book: Any,
    clerks: tuple[Any, Any],
    reviewer: Any,
    stage: str = "verified",
    pages: int = 2,
    entries_per_page: int = 3,
    seed: int = 0,
) -> dict[str, int]:
    """Fill the historic birth ``book`` with synthetic pages and take it to ``stage``.

    Two clerks key every entry (the second one differs on one field of the first entry of each
    page, so arbitration has work); the reviewer arbitrates, checks the QA sample and publishes.
    Returns counts of pages and entries. Runs as the system for intake, as the users after.
    """
    from hotich.digitization import services

    if stage not in STAGES:
        raise ValueError(stage)
    level = STAGES.index(stage)
    rng = random.Random(seed)  # noqa: S311 - demo data
    truth: list[tuple[Any, dict[str, dict[str, str]]]] = []
    number = 1
    for page_no in range(pages):
        shown = [demo_entry_lines(rng, number + i, book.year) for i in range(entries_per_page)]
        data = demo_page_image(
            [lines for lines, _v in shown], seed=seed * 100 + page_no, fmt="JPEG"
        )
        page = services.page_import(
            actor=None, book=book, name=f"trang-{page_no + 1:03d}.jpg", data=data
        ).pages[0]
        entries = services.entries_split(
            actor=None, page=page, first_number=number, count=entries_per_page
        )
        truth.extend(zip(entries, [v for _l, v in shown], strict=True))
        number += entries_per_page
    services.book_settings_update(
        actor=None,
        book=book,
        qa_share=0.2,
        closing_pages=pages,
        closing_entries=pages * entries_per_page,
    )
    if level >= 1:
        for entry, values in truth:
            services.keying_submit(actor=clerks[0], entry=entry, values=values)
    if level >= 2:
        for index, (entry, values) in enumerate(truth):
            second = dict(values)
            if index % entries_per_page == 0:
                name = values["father.full_name"]["v"]
                second["father.full_name"] = {"v": name.replace("Văn", "Vǎn").lower(), "m": ""}
                second["child.birth_date"] = {"v": str(book.year), "m": ""}
            services.keying_submit(actor=clerks[1], entry=entry, values=second)
    if level >= 3:
        for entry, _values in truth:
            entry.refresh_from_db()
            if entry.status == "arbitration":
                services.entry_arbitrate(
                    actor=reviewer,
                    entry=entry,
                    decisions={d.field: ("first", None) for d in entry.decisions.all()},
                )
    if level >= 4:
        state = services.digitized_book_for(book)
        from hotich.digitization.models import Entry

        for pk in services.qa_draw_sample(book_state=state):
            services.qa_check(actor=reviewer, entry=Entry.objects.get(pk=pk), passed=True)
        services.book_publish(actor=reviewer, book=book)
    return {"pages": pages, "entries": pages * entries_per_page}
