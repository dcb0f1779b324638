"""OCR assist in the pipeline: page text for search and suggestions in the keying form."""

from __future__ import annotations

import io
from typing import Any

import pytest

from hotich.digitization import services
from hotich.digitization.models import Entry, PageImage

pytestmark = pytest.mark.django_db


def _engine_ready() -> bool:
    try:
        from hotich.digitization.adapters.ocr import get_engine

        return bool(get_engine().available())
    except ImportError:
        return False


@pytest.mark.skipif(not _engine_ready(), reason="Tesseract with Vietnamese data not installed")
def test_typed_page_text_and_prefill(
    book: Any, people: Any, staff_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotich.digitization.adapters.ocr.samples import typed_page

    monkeypatch.setenv("HOTICH_OCR", "1")
    image = typed_page(["Họ và tên: Nguyễn Văn An", "Giới tính: Nam", "Dân tộc: Kinh"])
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    page = services.page_import(
        actor=people["clerk1"], book=book, name="typed.png", data=buf.getvalue()
    ).pages[0]
    page = PageImage.objects.get(pk=page.pk)
    assert "Nguyễn Văn An" in page.ocr_text
    entry = services.entry_mark(
        actor=people["clerk1"], page=page, entry_number=1, region={"x": 0, "y": 0, "w": 1, "h": 1}
    )
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.prefill.get("child.full_name") == "Nguyễn Văn An"
    html = staff_client(people["clerk1"]).get(f"/so-hoa/muc/{entry.pk}/nhap/").content.decode()
    assert 'value="Nguyễn Văn An"' in html and "gợi ý OCR" in html
