"""Legacy spreadsheet import: decode, map, preview, accept all or nothing, scope, audit."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.audit.models import Entry
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.legacy import mapping
from hotich.legacy.models import BatchStatus
from hotich.legacy.services import (
    import_batch_accept,
    import_batch_create,
    import_batch_discard,
    import_batch_preview,
)
from hotich.legacy.tests.sheets import BIRTH_HEADERS, BIRTH_ROWS, csv_bytes, xlsx_bytes
from hotich.registry.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(units: dict[str, Any], make_user: Any) -> Any:
    return make_user("officer", units["a"])


def upload(officer: Any, content: bytes, name: str = "so-khai-sinh.csv") -> Any:
    return import_batch_create(actor=officer, file_name=name, content=content, event_type="birth")


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viqr", "unicode"])
def test_csv_in_each_encoding_is_decoded_per_column(officer: Any, encoding: str) -> None:
    batch = upload(officer, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS, encoding))
    assert batch.headers == BIRTH_HEADERS
    assert batch.rows == BIRTH_ROWS
    assert set(batch.encodings) == {encoding}  # headers in the same font as the cells


def test_xlsx_with_vntime_glyph_text(officer: Any) -> None:
    batch = upload(officer, xlsx_bytes(BIRTH_HEADERS, BIRTH_ROWS, "tcvn3"), "so.xlsx")
    assert batch.file_format == "xlsx"
    assert batch.rows[0][2] == "Nguyễn Văn Đức"


def test_mapping_is_guessed_from_headers() -> None:
    guessed = mapping.guess_mapping(BIRTH_HEADERS, "birth")
    assert guessed == {
        "0": "entry_number",
        "1": "registration_date",
        "2": "child.full_name",
        "3": "child.sex",
        "4": "child.birth_date",
        "5": "child.birth_place",
        "6": "child.ethnicity",
        "7": "father.full_name",
        "8": "father.birth_date",
        "9": "mother.full_name",
        "10": "mother.birth_date",
    }


def test_preview_then_accept_imports_historic_records(officer: Any) -> None:
    batch = upload(officer, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS, "tcvn3"))
    assert Record.objects.count() == 0
    batch = import_batch_preview(actor=officer, batch=batch)
    assert batch.status == BatchStatus.PREVIEWED
    assert batch.errors == []
    assert Record.objects.count() == 0  # the preview keeps nothing
    batch = import_batch_accept(actor=officer, batch=batch)
    assert batch.status == BatchStatus.IMPORTED
    records = Record.objects.filter(pk__in=batch.record_ids).order_by("entry_number")
    assert [r.entry_number for r in records] == [1, 2, 3]
    first = records[0]
    assert first.is_historic and first.book.is_historic and first.book.year == 1985
    child = first.parties.get(role="child")
    assert child.as_written["full_name"] == "Nguyễn Văn Đức"
    assert child.as_written["birth_date"] == "1985-03-01"
    assert records[2].parties.get(role="child").as_written["birth_date"] == "1985-02"
    assert Entry.objects.filter(object_type="legacy.import_batch").count() == 3
    with pytest.raises(Conflict):
        import_batch_accept(actor=officer, batch=batch)
    with pytest.raises(Conflict):  # the same file again
        upload(officer, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS, "tcvn3"))


def test_errors_are_listed_per_row_and_nothing_is_imported(officer: Any) -> None:
    rows = [list(r) for r in BIRTH_ROWS]
    rows[1][4] = "30/02/1985"  # impossible birth date
    rows[2][0] = "1"  # entry number used twice
    batch = import_batch_preview(
        actor=officer, batch=upload(officer, csv_bytes(BIRTH_HEADERS, rows))
    )
    by_row = {e["row"]: e for e in batch.errors}
    assert set(by_row) == {3, 4}
    assert by_row[3]["field"] == "child.birth_date" and by_row[3]["column"] == "Ngày sinh"
    assert "30/02/1985" in by_row[3]["message_vi"] or "1985-02-30" in by_row[3]["message_vi"]
    assert by_row[4]["field"] == "entry_number"
    with pytest.raises(ValidationFailed):
        import_batch_accept(actor=officer, batch=batch)
    assert Record.objects.count() == 0


def test_missing_columns_are_refused(officer: Any) -> None:
    batch = upload(officer, csv_bytes(["Số", "Ngày sinh"], [["1", "1985"]]))
    with pytest.raises(ValidationFailed) as caught:
        import_batch_preview(actor=officer, batch=batch)
    assert caught.value.code == "missing_columns"
    assert "Ngày đăng ký" in caught.value.in_language("vi")


def test_unknown_encoding_is_refused(officer: Any) -> None:
    content = "Họ tên,Ngày đăng ký\n日本語の名前です,1985\nПривет мир,1985\n".encode(
        "shift_jis", "replace"
    )
    with pytest.raises(ValidationFailed) as caught:
        upload(officer, content)
    assert caught.value.code == "unknown_encoding"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("so.xlsx", b"Ho ten,Ngay\nA,1985\n"),  # the extension lies
        ("so.xls", b"PK\x03\x04garbage"),
        ("so.xlsx", b"PK\x03\x04garbage"),  # a broken zip
        ("so.pdf", b"%PDF-1.4"),
        ("so.csv", b""),
    ],
)
def test_bad_files_are_refused(officer: Any, name: str, content: bytes) -> None:
    with pytest.raises(ValidationFailed):
        upload(officer, content, name)


def test_scope_and_permission(officer: Any, units: dict[str, Any], make_user: Any) -> None:
    batch = upload(officer, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS))
    other = make_user("officer", units["b"])
    with pytest.raises(NotFound):
        import_batch_preview(actor=other, batch=batch)
    clerk = make_user("clerk", units["a"])
    with pytest.raises(PermissionDenied):
        upload(clerk, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS))
    discarded = import_batch_discard(actor=officer, batch=batch)
    assert discarded.status == BatchStatus.DISCARDED and discarded.rows == []


def test_dates_are_normalized() -> None:
    assert mapping.normalize_date("5/3/1985") == "1985-03-05"
    assert mapping.normalize_date("03-1985") == "1985-03"
    assert mapping.normalize_date("1985") == "1985"
    assert mapping.normalize_date("1985-03-05 00:00:00") == "1985-03-05"


def test_books_of_an_old_commune(officer: Any, units: dict[str, Any]) -> None:
    from hotich.registry.tests.factories import legacy_commune

    old = legacy_commune(units["a"], name="Xã Hưng Dũng")
    batch = import_batch_create(
        actor=officer,
        file_name="so.csv",
        content=csv_bytes(BIRTH_HEADERS, BIRTH_ROWS, "vni"),
        event_type="birth",
        registering_unit=old,
    )
    batch = import_batch_accept(
        actor=officer, batch=import_batch_preview(actor=officer, batch=batch)
    )
    record = Record.objects.get(pk=batch.record_ids[0])
    assert record.book.unit == old and record.book.scope_unit == units["a"]
    assert record.unit == units["a"]
    elsewhere = legacy_commune(units["b"])
    with pytest.raises(ValidationFailed):
        import_batch_create(
            actor=officer,
            file_name="so2.csv",
            content=csv_bytes(BIRTH_HEADERS, BIRTH_ROWS),
            event_type="birth",
            registering_unit=elsewhere,
        )


@pytest.mark.parametrize("event_type", ["marriage", "death"])
def test_marriage_and_death_registers(officer: Any, event_type: str) -> None:
    if event_type == "marriage":
        headers = [
            "Số",
            "Ngày đăng ký",
            "Họ tên chồng",
            "Ngày sinh chồng",
            "Họ tên vợ",
            "Ngày sinh vợ",
        ]
        rows = [["7", "02/1979", "Trần Văn Quý", "1950", "Lê Thị Mai", "1955"]]
    else:
        headers = [
            "Số đăng ký",
            "Ngày đăng ký",
            "Họ và tên người chết",
            "Ngày sinh",
            "Ngày chết",
            "Nơi chết",
        ]
        rows = [["3", "10/10/1982", "Hoàng Văn Lực", "1920", "08/10/1982", "Tại nhà"]]
    batch = import_batch_create(
        actor=officer,
        file_name=f"{event_type}.xlsx",
        content=xlsx_bytes(headers, rows, "tcvn3"),
        event_type=event_type,
    )
    batch = import_batch_preview(actor=officer, batch=batch)
    assert batch.errors == [], batch.errors
    batch = import_batch_accept(actor=officer, batch=batch)
    record = Record.objects.get(pk=batch.record_ids[0])
    assert record.event_type == event_type and record.is_historic
    if event_type == "death":
        assert record.data["death_date"] == "1982-10-08"
        assert record.parties.get(role="deceased").as_written["full_name"] == "Hoàng Văn Lực"
    else:
        assert record.parties.get(role="wife").as_written["full_name"] == "Lê Thị Mai"


def test_bad_input_is_refused_quickly(officer: Any) -> None:
    import time

    junk = "Họ tên,Ngày đăng ký\n" + "日本語の名前です,1985\n" * 2000
    for content in (junk.encode("shift_jis", "replace"), b"PK\x03\x04" + b"\x00" * 100_000):
        start = time.perf_counter()
        with pytest.raises(ValidationFailed):
            upload(officer, content, "so.csv" if content[:2] != b"PK" else "so.xlsx")
        assert time.perf_counter() - start < 2


def test_zip_bomb_is_refused(officer: Any) -> None:
    from hotich.core.tests.sheets import bomb_xlsx

    with pytest.raises(ValidationFailed) as caught:
        upload(officer, bomb_xlsx(150 * 1024 * 1024), "bom.xlsx")
    assert "giải nén quá lớn" in caught.value.in_language("vi")


def test_a_million_rows_are_refused_without_reading_them(officer: Any) -> None:
    import time

    from hotich.core.tests.sheets import long_xlsx

    content = long_xlsx(BIRTH_HEADERS, ["1", "1985"], 1_000_000)
    start = time.perf_counter()
    with pytest.raises(ValidationFailed) as caught:
        upload(officer, content, "so.xlsx")
    assert time.perf_counter() - start < 10
    assert "hơn 20.000 dòng" in caught.value.in_language("vi")


def test_large_files_run_in_the_background(
    officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from hotich.legacy.services import import_batch_request
    from hotich.legacy.tests.sheets import birth_rows

    batch = upload(officer, csv_bytes(BIRTH_HEADERS, birth_rows(12), "vni"))
    with django_capture_on_commit_callbacks(execute=True):
        queued = import_batch_request(actor=officer, batch=batch, action="preview")
        assert queued.pending == "preview"
    batch.refresh_from_db()
    assert (batch.pending, batch.status, batch.errors) == ("", BatchStatus.PREVIEWED, [])
    with django_capture_on_commit_callbacks(execute=True):
        import_batch_request(actor=officer, batch=batch, action="accept")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED and len(batch.record_ids) == 12
    assert batch.pending == "" and batch.last_error == ""


def test_a_refused_background_import_keeps_the_reason(
    officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from hotich.legacy.services import import_batch_request

    batch = import_batch_preview(
        actor=officer, batch=upload(officer, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS))
    )
    Record.objects.all().delete()
    # Someone registers entry 2 in the same book between the preview and the import.
    other = import_batch_preview(
        actor=officer,
        batch=upload(officer, csv_bytes(BIRTH_HEADERS, BIRTH_ROWS[1:2]), "other.csv"),
    )
    import_batch_accept(actor=officer, batch=other)
    with django_capture_on_commit_callbacks(execute=True):
        import_batch_request(actor=officer, batch=batch, action="accept")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and batch.pending == ""
    assert "Dòng 3" in batch.last_error
    assert Record.objects.count() == 1  # only the other file's record: nothing partial


def test_xls_from_old_excel_with_number_and_date_cells(officer: Any) -> None:
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "so-khai-sinh-1985-tcvn3.xls"
    batch = upload(officer, fixture.read_bytes(), fixture.name)
    assert batch.file_format == "xls"
    assert batch.headers == BIRTH_HEADERS
    assert batch.rows[0][:3] == ["1", "1985-03-05", "Nguyễn Văn Đức"]
    assert batch.rows[2][1:3] == ["1985", "Hồ Quỳnh Như"]
    assert "tcvn3" in batch.encodings
    batch = import_batch_preview(actor=officer, batch=batch)
    assert batch.errors == []
    assert len(import_batch_accept(actor=officer, batch=batch).record_ids) == 3


def test_title_rows_are_skipped_and_errors_name_the_file_rows(officer: Any) -> None:
    rows = [list(r) for r in BIRTH_ROWS]
    rows[2][4] = "2/30/1985"  # impossible
    body = csv_bytes(BIRTH_HEADERS, rows, "tcvn3").decode("cp1252").splitlines()
    title = ["SỔ ĐĂNG KÝ KHAI SINH NĂM 1985", "UBND xã Nghi Phú", ""]
    # file rows: 1-2 titles, 3 blank, 4 headers, 5 entry, 6 blank, 7 entry, 8 entry
    lines = [*(t and codec_encode(t) for t in title), body[0], body[1], "", body[2], body[3]]
    content = "\n".join(lines).encode("cp1252")
    batch = upload(officer, content)
    assert batch.headers == BIRTH_HEADERS
    assert batch.row_numbers == [5, 7, 8]
    batch = import_batch_preview(actor=officer, batch=batch)
    assert [e["row"] for e in batch.errors] == [8]


def codec_encode(text: str) -> str:
    from hotich.legacy import codec

    return codec.encode(text, "tcvn3")


def test_ministry_style_headers_and_choice_labels(officer: Any) -> None:
    headers = [
        "STT", "Số", "Quyển số", "Ngày đăng ký", "Loại đăng ký",
        "Họ, chữ đệm, tên người được khai sinh", "Giới tính", "Ngày, tháng, năm sinh",
        "Họ, chữ đệm, tên mẹ", "Năm sinh mẹ", "Người ký giấy khai sinh", "Chức vụ người ký",
    ]  # fmt: skip
    guessed = mapping.guess_mapping(headers, "birth")
    assert guessed["1"] == "entry_number" and "0" not in guessed and "2" not in guessed
    assert guessed["4"] == "data.kind" and guessed["11"] == "signer_title"
    rows = [["1", "15", "01", "20/04/1988", "Quá hạn", "Võ Thị Lan", "Nữ", "1987", "Võ Thị Hoa",
             "1960", "Nguyễn Văn Tâm", "Chủ tịch UBND xã"]]  # fmt: skip
    batch = upload(officer, csv_bytes(headers, rows, "vni"), "bo-tu-phap.csv")
    batch = import_batch_accept(
        actor=officer, batch=import_batch_preview(actor=officer, batch=batch)
    )
    record = Record.objects.get(pk=batch.record_ids[0])
    assert record.entry_number == 15 and record.data["kind"] == "late"
    assert record.signer_title == "Chủ tịch UBND xã"
