"""OCR of a typed Vietnamese page rendered with Pillow; pre-filling; the merge rule."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from hotich.core.text import fold
from hotich.digitization.adapters.ocr import (
    OcrResult,
    Prefill,
    TesseractEngine,
    Word,
    labels_for,
    merge_prefill,
    page_text,
    prefill_fields,
    prefill_region,
    samples,
)

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="the tesseract binary is not installed"
)


def typed_page() -> Image.Image:
    if samples.vietnamese_font() is None:
        pytest.skip("no font with Vietnamese glyphs")
    return samples.typed_page()


@needs_tesseract
def test_tesseract_reads_a_typed_vietnamese_page() -> None:
    engine = TesseractEngine()
    assert engine.available()
    result = engine.recognize(typed_page())
    assert result.engine == "tesseract" and result.language == "vie"
    assert "Nguyễn Văn Đức" in result.text
    assert "Nghệ An" in result.text
    assert fold("Phạm Thị Hương") in fold(result.text)
    word = next(w for w in result.words if w.text == "Nguyễn")
    left, top, width, height = word.box
    assert 60 <= left <= 600 and 160 <= top <= 240 and width > 40 and height > 15
    assert word.confidence > 50
    assert result.confidence > 50


@needs_tesseract
def test_prefill_from_a_region_keeps_page_coordinates() -> None:
    page = typed_page()
    region = (0, 170, 1400, 60 * 6)  # from "Họ và tên" to the father's line
    proposal = prefill_region(page, event_type="birth", region=region)
    fields = proposal["fields"]
    assert fields["child.full_name"].value == "Nguyễn Văn Đức"
    assert fields["child.sex"].value == "Nam"
    assert fields["child.ethnicity"].value == "Kinh"
    assert fields["child.birth_date"].value == "01/03/1985"
    assert fields["father.full_name"].value == "Trần Quốc Hùng"
    assert "entry_number" not in fields  # outside the region
    assert fields["child.full_name"].confidence > 50


@needs_tesseract
def test_page_text_for_search() -> None:
    text = page_text(typed_page())
    assert text.splitlines()[0].startswith("Số đăng ký")
    assert "  " not in text
    assert fold("Xã Nghi Phú, Nghệ An") in fold(text)


def test_prefill_heuristics_without_an_engine() -> None:
    text = "\n".join(
        [
            "SỔ ĐĂNG KÝ KHAI SINH",
            "Ho va ten: Le Thi Anh",  # OCR lost the marks: labels still match
            "Giới tính: Nữ   Dân tộc: Thái   Quốc tịch: Việt Nam",
            "Họ và tên mẹ: Hồ Thị Yến.",
            "Nơi sinh Thành phố Vinh",  # no colon: not a label line
        ]
    )
    words = [Word("Le", (0, 0, 1, 1), 91.0), Word("Thi", (0, 0, 1, 1), 80.0)]
    fields = prefill_fields(OcrResult(text=text, words=words), labels_for("birth"))
    assert fields["child.full_name"] == Prefill("Le Thi Anh", confidence=85.5)
    assert fields["child.sex"].value == "Nữ"
    assert fields["child.ethnicity"].value == "Thái"
    assert fields["child.nationality"].value == "Việt Nam"
    assert fields["mother.full_name"].value == "Hồ Thị Yến"
    assert "child.birth_place" not in fields


def test_death_and_marriage_labels() -> None:
    death = prefill_fields("Ngày chết: 1990\nNguyên nhân chết: bệnh", labels_for("death"))
    assert death["data.death_date"].value == "1990"
    assert death["data.death_cause"].value == "bệnh"
    marriage = prefill_fields("Họ và tên chồng: An\nHọ và tên vợ: Bình", labels_for("marriage"))
    assert marriage["husband.full_name"].value == "An"
    assert marriage["wife.full_name"].value == "Bình"


def test_merge_never_overwrites_keyed_values() -> None:
    keyed = {"child.full_name": "Nguyễn Văn Đức", "child.sex": ""}
    proposal = {
        "child.full_name": Prefill("Nguyen Van Duc", 60.0),
        "child.sex": Prefill("Nam", 90.0),
    }
    merged, filled = merge_prefill(keyed, proposal)
    assert merged == {"child.full_name": "Nguyễn Văn Đức", "child.sex": "Nam"}
    assert filled == {"child.sex"}


def test_missing_binary_is_reported() -> None:
    from hotich.digitization.adapters.ocr import OcrUnavailable

    engine = TesseractEngine(command="/nonexistent/tesseract")
    assert not engine.available()
    with pytest.raises(OcrUnavailable):
        engine.recognize(Image.new("L", (10, 10), 255))
