"""Search across the documents a user may see: accent-insensitive words of the number, title,
sender and body, the text layer of a PDF and the OCR of a scan read in the background, the
filters, the snippet, and the scope (another agency's documents are not found)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import verified_client
from django.core.management import call_command
from PIL import Image, ImageDraw, ImageFont

from hotich.core.errors import ValidationFailed
from hotich.documents.models import Document
from hotich.documents.selectors_search import SearchQuery, document_search
from hotich.documents.services import incoming_register
from hotich.documents.tests.factories import incoming_factory, outgoing_factory
from hotich.documents.tests.test_office import office  # noqa: F401 - the fixture
from hotich.documents.vocabulary import Direction, DocType, TextSource

pytestmark = pytest.mark.django_db

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_ocr = pytest.mark.skipif(
    not (shutil.which("tesseract") and shutil.which("pdftoppm") and FONT.exists()),
    reason="tesseract, poppler-utils or the DejaVu font is not installed",
)


@pytest.fixture(autouse=True)
def storage_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "hotich.core.storage.LocalStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def _found(actor: Any, text: str, **filters: Any) -> set[int]:
    hits = document_search(actor=actor, query=SearchQuery(text=text, **filters))
    return {hit.document.pk for hit in hits}


def test_words_are_found_with_or_without_diacritics_with_their_passage(
    people: dict[str, Any], units: dict[str, Any]
) -> None:
    body = (
        "Ủy ban nhân dân xã đề nghị Sở Tư pháp hướng dẫn việc đăng ký khai sinh "
        "cho trẻ em sinh ra ở nước ngoài về cư trú tại địa phương."
    )
    letter = incoming_factory(units["a"], title="Xin ý kiến về hộ tịch", body=body)
    report = outgoing_factory(units["a"], number="12/BC-UBND", year=2026)
    officer = people["officer"]
    assert _found(officer, "dang ky khai sinh") == {letter.pk}
    assert _found(officer, "ĐĂNG KÝ khai") == {letter.pk}
    assert _found(officer, "nuoc ngoai cu tru") == {letter.pk}
    assert _found(officer, "khai sinh kết hôn") == set()  # every word must match
    assert _found(officer, "12/BC-UBND") == {report.pk}
    assert _found(officer, "ho tich") == {letter.pk, report.pk}
    # the filters: direction, type, year, sender
    assert _found(officer, "ho tich", direction=Direction.OUTGOING) == {report.pk}
    assert _found(officer, "ho tich", doc_type=DocType.OFFICIAL_LETTER) == {letter.pk}
    assert _found(officer, "ho tich", year=2026) == {letter.pk, report.pk}
    assert _found(officer, "ho tich", year=2020) == set()
    assert _found(officer, "", sender="so tu phap tinh") == {letter.pk}
    [hit] = document_search(actor=officer, query=SearchQuery(text="khai sinh"))
    assert hit.snippet is not None and hit.snippet.match == "khai"
    assert hit.snippet.before.endswith("việc đăng ký ")
    assert hit.snippet.after.startswith(" sinh cho trẻ em")
    with pytest.raises(ValidationFailed, match="ít nhất một từ"):
        document_search(actor=officer, query=SearchQuery(text=" ,. "))
    # a unit's documents are not found by another unit, and are by the province above it
    assert _found(people["officer_b"], "dang ky khai sinh") == set()
    other = incoming_factory(units["b"], title="Đăng ký khai sinh lưu động")
    assert _found(people["officer_b"], "dang ky khai") == {other.pk}
    assert _found(people["province"], "dang ky khai") == {letter.pk, other.pk}
    # the page: the box, the filters, the passage marked
    page = verified_client(officer).get("/van-ban/tim-kiem/", {"q": "dang ky khai sinh"})
    html = page.content.decode()
    assert page.status_code == 200 and "<mark>đăng</mark>" in html
    assert "Xin ý kiến về hộ tịch" in html and "1 văn bản tìm thấy" in html


def test_another_agency_of_the_same_unit_does_not_find_the_document(
    office: dict[str, Any],  # noqa: F811
    units: dict[str, Any],
) -> None:
    document = incoming_factory(
        units["province"],
        organization=office["tree"].justice,
        body="Kế hoạch kiểm tra công tác chứng thực bản sao điện tử năm 2026.",
    )
    assert _found(office["clerk"], "chung thuc ban sao") == {document.pk}
    assert _found(office["outsider"], "chung thuc ban sao") == set()
    page = verified_client(office["outsider"]).get("/van-ban/tim-kiem/", {"q": "chung thuc"})
    assert "Không có văn bản nào khớp" in page.content.decode()


def _scan_pdf(lines: list[str]) -> bytes:
    """A page of paper as a scanner gives it: an image, no text layer."""
    font = ImageFont.truetype(str(FONT), 44)
    image = Image.new("L", (1400, 110 * len(lines) + 100), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 60 + 110 * i), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=200)
    return out.getvalue()


@needs_ocr
def test_a_scan_is_read_in_the_background_and_found_by_a_word_of_the_image(
    people: dict[str, Any],
    units: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = people["officer"]
    with django_capture_on_commit_callbacks(execute=True):
        scan = incoming_register(
            actor=officer,
            doc_type=DocType.OFFICIAL_LETTER,
            title="Công văn giấy của Sở Xây dựng",
            sender_name="Sở Xây dựng",
            sender_number="88/SXD-QH",
            dated=None,
            file_name="cong-van.pdf",
            data=_scan_pdf(["Quy hoạch nghĩa trang nhân dân", "xã Nghi Phú"]),
        )
    scan = Document.objects.get(pk=scan.pk)
    assert scan.text_source == TextSource.OCR and scan.text_failure == ""
    assert "nghĩa trang" in scan.text.lower()
    assert _found(officer, "nghia trang") == {scan.pk}
    [hit] = document_search(actor=officer, query=SearchQuery(text="nghia trang"))
    assert hit.snippet is not None and hit.snippet.match.lower() == "nghĩa"


def test_a_text_layer_is_read_without_ocr_and_a_failure_is_recorded(
    people: dict[str, Any], units: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from weasyprint import HTML

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    pdf = HTML(string="<p>Thông báo lịch tiếp công dân của Chủ tịch tháng Mười Hai</p>")
    with django_capture_on_commit_callbacks(execute=True):
        document = incoming_register(
            actor=people["officer"],
            doc_type=DocType.NOTICE,
            title="Thông báo",
            sender_name="Văn phòng UBND tỉnh",
            sender_number="7/TB-VP",
            dated=None,
            file_name="thong-bao.pdf",
            data=pdf.write_pdf(),
        )
    document.refresh_from_db()
    assert document.text_source == TextSource.LAYER and "tiếp công dân" in document.text
    assert _found(people["officer"], "tiep cong dan") == {document.pk}
    # a file the programs cannot read: the reason is kept, the document stays searchable
    broken = outgoing_factory(units["a"], title="Tờ trình kinh phí", file_path="x/none.pdf")
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save("x/none.pdf", ContentFile(b"%PDF-1.4 not really"))
    call_command("documents", "read-text", str(broken.pk), stdout=io.StringIO())
    broken.refresh_from_db()
    assert broken.text_failure and broken.text_source == ""
    assert _found(people["officer"], "kinh phi") == {broken.pk}


@pytest.mark.parametrize("recent_rows", [5000, 1, 3])
def test_hits_come_newest_first_across_the_windows_and_a_full_page_says_there_are_more(
    people: dict[str, Any], units: dict[str, Any], monkeypatch: Any, recent_rows: int
) -> None:
    import datetime as dt

    from django.utils import timezone

    from hotich.documents import selectors_search

    # the newest documents checked row by row before the word index: all of them, or a few
    monkeypatch.setattr(selectors_search, "RECENT_ROWS", recent_rows)
    now = timezone.now()
    ages = [0, 20, 40, 400, 900, 1200, 4000]  # days: one or two in every window
    made = []
    for n, days in enumerate(ages, start=1):
        document = incoming_factory(
            units["a"], title=f"Kế hoạch thu gom rác thải {days}", number=str(n), sequence=n
        )
        Document.objects.filter(pk=document.pk).update(created_at=now - dt.timedelta(days=days))
        made.append(document.pk)
    incoming_factory(units["b"], title="Thu gom rác thải xã khác", number="9", sequence=9)
    # a commune's user (the unit-keyed index) and the province's (the newest rows, then the index)
    for actor in (people["officer"], people["province"]):
        results = document_search(actor=actor, query=SearchQuery(text="thu gom rac"))
        found = [hit.document.pk for hit in results]
        if actor is people["province"]:
            assert len(found) == 8 and [pk for pk in found if pk in made] == made
            continue
        assert found == made and not results.more
        for limit in (1, 2, 3, 5, 6):
            page = document_search(actor=actor, query=SearchQuery(text="rac thai"), limit=limit)
            assert [hit.document.pk for hit in page] == made[:limit] and page.more
        page = document_search(actor=actor, query=SearchQuery(text="rac thai"), limit=7)
        assert len(page) == 7 and not page.more
    province = people["province"]
    for limit in (1, 2, 4, 7):
        page = document_search(actor=province, query=SearchQuery(text="rac thai"), limit=limit)
        everything = document_search(actor=province, query=SearchQuery(text="rac thai"))
        assert [h.document.pk for h in page] == [h.document.pk for h in everything][:limit]
        assert page.more
    html = (
        verified_client(people["officer"])
        .get("/van-ban/tim-kiem/", {"q": "thu gom"})
        .content.decode()
    )
    assert "7 văn bản tìm thấy" in html


def test_the_month_windows_cover_everything_before_the_edge_once_newest_first() -> None:
    import datetime as dt
    import itertools

    from hotich.documents.selectors_search import month_windows

    utc = dt.UTC
    edge = dt.datetime(2026, 12, 7, 2, 30, tzinfo=utc)
    oldest = dt.datetime(2021, 12, 30, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    windows = month_windows(edge, oldest)
    assert [len(months) for _, _, months in windows] == [1, 2, 4, 8, 16, 30]
    assert windows[0] == (dt.datetime(2026, 12, 1, tzinfo=utc), edge, [dt.date(2026, 12, 1)])
    # each window ends where the one before began, and its months are the ones it spans
    for (since, _, _), (_, until, _) in itertools.pairwise(windows):
        assert until == since
    for since, until, months in windows:
        assert months[-1] == since.date() and months == sorted(months, reverse=True)
        assert months[0] == (until - dt.timedelta(microseconds=1)).date().replace(day=1)
    # the oldest document, 20:00 on 30 December at +07, is in December in UTC
    assert windows[-1][0] == dt.datetime(2021, 12, 1, tzinfo=utc)


def test_a_wide_scope_finds_the_older_documents_month_by_month_exactly(
    people: dict[str, Any], units: dict[str, Any], monkeypatch: Any
) -> None:
    """Past the newest rows, a province user's search reads the month-keyed index: documents
    either side of a month's end in UTC (not in local time), in months far apart, of another
    unit, and after an edit, are found exactly as the words say."""
    import datetime as dt

    from django.db import connection

    from hotich.documents import selectors_search
    from hotich.documents.search_sql import MONTH_TSVECTOR, month_word

    monkeypatch.setattr(selectors_search, "RECENT_ROWS", 1)
    utc = dt.UTC
    moments = [
        dt.datetime(2026, 12, 1, 0, 30, tzinfo=utc),
        dt.datetime(2026, 11, 30, 23, 30, tzinfo=utc),  # 1 December at +07
        dt.datetime(2026, 11, 1, 0, 0, tzinfo=utc),
        dt.datetime(2026, 10, 31, 23, 59, tzinfo=utc),
        dt.datetime(2025, 2, 14, 8, 0, tzinfo=utc),
        dt.datetime(2019, 7, 1, 8, 0, tzinfo=utc),
    ]
    places = ["Diễn Châu", "Quỳnh Lưu", "Nghi Lộc", "Đô Lương", "Thanh Chương", "Tân Kỳ"]
    made = []
    for n, (at, place) in enumerate(zip(moments, places, strict=True), start=1):
        unit = units["a"] if n % 2 else units["b"]
        document = incoming_factory(
            unit, title=f"Quy hoạch nghĩa trang nhân dân {place}", number=str(n), sequence=n
        )
        Document.objects.filter(pk=document.pk).update(created_at=at)
        made.append(document.pk)
    report = outgoing_factory(units["b"], number="12/BC-UBND", year=2025)
    Document.objects.filter(pk=report.pk).update(created_at=dt.datetime(2025, 3, 2, tzinfo=utc))
    newest = incoming_factory(units["a"], title="Lịch tiếp công dân", number="99", sequence=99)
    province = people["province"]
    assert [h.document.pk for h in province_search(province, "nghia trang nhan")] == made
    assert _found(province, "nghia trang do luong") == {made[3]}
    assert _found(province, "quy hoach tiep") == set()
    # a number, then a common word or a short prefix: the whole words find the rows
    assert _found(province, "12/BC-UBND") == _found(province, "12/BC-U") == {report.pk}
    assert _found(province, "45/STP-H") == {*made, newest.pk}
    assert _found(province, "12/BC-UBNDX") == _found(province, "13/BC-U") == set()
    for limit in range(1, 7):
        page = document_search(actor=province, query=SearchQuery(text="nghia tr"), limit=limit)
        assert [h.document.pk for h in page] == made[:limit] and page.more == (limit < 6)
    # an edit: the document's words change in the index with it
    old = Document.objects.get(pk=made[4])
    old.title = "Kế hoạch trồng rừng thay thế"
    old.save()
    assert _found(province, "trong rung") == {made[4]}
    assert made[4] not in _found(province, "nghia trang")
    assert _found(province, "tiep cong dan") == {newest.pk}
    if connection.vendor == "postgresql":
        # the index's words carry the month of created_at in UTC
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT {MONTH_TSVECTOR}::text FROM documents_document WHERE id = %s",
                [made[1]],
            )
            words = cur.fetchone()[0]
        assert f"'{month_word(dt.date(2026, 11, 1), 'nghia')}'" in words


def province_search(actor: Any, text: str) -> list[Any]:
    return list(document_search(actor=actor, query=SearchQuery(text=text)))
