"""Extracts rendered from an ExtractDocument (no database): text, fonts and the QR code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hotich.core.qr import qr_data_uri
from hotich.core.text import vn_long_date
from hotich.registry.extracts.document import ExtractDocument, FieldRow, Kind
from hotich.registry.extracts.layouts import (
    RecordData,
    date_in_words,
    document_kind,
    format_date,
    number_suffix,
    number_words,
    sections_for,
)
from hotich.registry.extracts.render import (
    authority_lines,
    pair_rows,
    render_extract_html,
    render_extract_pdf,
)

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)

CODE = "q3Zk-8_VbN2xYtLp0aRc7w"
URL = f"http://127.0.0.1:8000/verify/{CODE}"

BIRTH = RecordData(
    event_type="birth",
    parties={
        "child": {
            "full_name": "Nguyễn Thị Hằng",
            "sex": "F",
            "birth_date": "2024-03-02",
            "birth_place": "Bệnh viện Hữu nghị Đa khoa Nghệ An",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "home_town": "xã Nghi Phú, tỉnh Nghệ An",
            "personal_id": "040324012345",
        },
        "mother": {
            "full_name": "Trần Thị Ngọc Ánh",
            "birth_date": "1995",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": "xóm 5, xã Nghi Phú, tỉnh Nghệ An",
        },
        "father": {
            "full_name": "Đặng Văn Quyết",
            "birth_date": "1990-11-20",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "residence": "xóm 5, xã Nghi Phú, tỉnh Nghệ An",
        },
    },
    data={"kind": "on_time", "declarant_name": "Đặng Văn Quyết", "declarant_relation": "Cha"},
)


def make_doc(record: RecordData = BIRTH, *, copy: bool = False, number: str = "123/GKS"):
    return ExtractDocument(
        kind=document_kind(record.event_type, copy=copy),
        is_copy=copy,
        issuing_authority="Ủy ban nhân dân xã Nghi Phú, tỉnh Nghệ An",
        event_label="khai sinh",
        number=number,
        book="01/2024",
        entry_number="45",
        registration_date="ngày 12 tháng 3 năm 2024",
        sections=sections_for(record),
        place_of_issue="Nghi Phú",
        issue_date=dt.date(2025, 2, 5),
        signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer_name="Hồ Đức Thắng",
        verify_code=CODE,
        verify_url=URL,
        notes=("Ngày 01/06/2024: cải chính quê quán (căn cứ: Tờ khai ngày 20/5/2024).",),
        registering_authority="Ủy ban nhân dân xã Nghi Phú, tỉnh Nghệ An",
    )


def pdf_text(pdf: bytes, tmp_path: Path, *, name: str = "out.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def birth_pdf() -> bytes:
    return render_extract_pdf(make_doc())


def test_birth_certificate_text(birth_pdf: bytes, tmp_path: Path) -> None:
    assert birth_pdf.startswith(b"%PDF-")
    text = pdf_text(birth_pdf, tmp_path)
    for expected in (
        "GIẤY KHAI SINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "XÃ NGHI PHÚ",
        "Số: 123/GKS",
        "NGUYỄN THỊ HẰNG",
        "Trần Thị Ngọc Ánh",
        "Đặng Văn Quyết",
        "02/03/2024",
        "Ngày hai, tháng ba, năm hai nghìn không trăm hai mươi tư",
        "040324012345",
        "Quyển số: 01/2024",
        "Hồ Đức Thắng",
        "PHÓ CHỦ TỊCH",
        "Nghi Phú, ngày 05 tháng 02 năm 2025",
        "cải chính quê quán",
    ):
        assert expected in text, expected
    # The form's order: child, then mother, then father.
    assert text.index("NGUYỄN THỊ HẰNG") < text.index("Trần Thị Ngọc Ánh")
    assert text.index("Trần Thị Ngọc Ánh") < text.index("Đặng Văn Quyết")
    assert "BẢN SAO" not in text
    info = subprocess.run(["pdfinfo", "-"], input=birth_pdf, capture_output=True, check=True)
    pages = info.stdout
    assert re.search(rb"Pages:\s+1\n", pages) and "Trang " not in text  # one page, unnumbered


def test_fonts_are_embedded_serif(birth_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(birth_pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        columns = row.split()
        # name type... emb sub uni object ID: emb is the 5th column from the end
        assert columns[-5] == "yes", row
        assert "Serif" in columns[0], row


def test_the_qr_code_points_to_the_verify_page(birth_pdf: bytes, tmp_path: Path) -> None:
    text = pdf_text(birth_pdf, tmp_path)
    assert URL in text
    assert CODE in text
    # The QR code is embedded as a PNG (decoded below); the link annotation carries the URL too.
    html = render_extract_html(make_doc())
    assert qr_data_uri(URL) in html
    assert f'href="{URL}"' in html


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools is not installed")
def test_the_qr_code_decodes(birth_pdf: bytes, tmp_path: Path) -> None:
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(birth_pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    page = next(tmp_path.glob("page*.png"))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout
    assert URL in out.splitlines()


def test_copy_of_a_death_extract(tmp_path: Path) -> None:
    death = RecordData(
        event_type="death",
        parties={
            "deceased": {
                "full_name": "Lê Thị Xuân",
                "sex": "F",
                "birth_date": "1932",
                "ethnicity": "Kinh",
                "nationality": "Việt Nam",
                "residence": "xóm Đông, xã Hưng Lộc, tỉnh Nghệ An",
            }
        },
        data={"death_date": "2023-12-30", "death_place": "tại nhà", "death_cause": "già yếu"},
    )
    doc = make_doc(death, copy=True, number=f"7/{number_suffix('death', copy=True)}")
    doc = dataclasses.replace(doc, event_label="khai tử")
    assert doc.kind is Kind.EXTRACT
    text = pdf_text(render_extract_pdf(doc), tmp_path)
    assert "TRÍCH LỤC KHAI TỬ" in text
    assert "BẢN SAO" in text
    assert "Số: 7/TLKT-BS" in text
    assert "LÊ THỊ XUÂN" in text
    assert "30/12/2023" in text and "già yếu" in text


def test_layouts() -> None:
    assert document_kind("birth", copy=False) is Kind.BIRTH_CERTIFICATE
    assert document_kind("birth", copy=True) is Kind.EXTRACT
    assert document_kind("marriage", copy=False) is Kind.MARRIAGE_CERTIFICATE
    assert number_suffix("birth", copy=True) == "TLKS-BS"
    assert number_suffix("marriage", copy=False) == "GCNKH"
    assert number_words(2005) == "hai nghìn không trăm linh năm"
    assert number_words(1988) == "một nghìn chín trăm tám mươi tám"
    assert number_words(21) == "hai mươi mốt"
    assert number_words(15) == "mười lăm"
    assert date_in_words(dt.date(2010, 4, 24)) == (
        "Ngày hai mươi tư, tháng tư, năm hai nghìn không trăm mười"
    )
    assert format_date("1990-11") == "11/1990"
    assert vn_long_date(dt.date(2025, 3, 5)) == "ngày 05 tháng 3 năm 2025"
    assert vn_long_date(dt.date(2025, 12, 15)) == "ngày 15 tháng 12 năm 2025"
    assert authority_lines("Ủy ban nhân dân xã Nghi Phú, tỉnh Nghệ An") == [
        "Ủy ban nhân dân",
        "xã Nghi Phú",
        "tỉnh Nghệ An",
    ]
    lines = pair_rows([FieldRow("a", half=True), FieldRow("b", half=True), FieldRow("c")])
    assert [[r.label for r in line] for line in lines] == [["a", "b"], ["c"]]


def test_generic_layout_prints_parties_and_decision_fields() -> None:
    record = RecordData(
        event_type="divorce",
        parties={
            "husband": {"full_name": "Phạm Văn Đức", "birth_date": "1980"},
            "wife": {"full_name": "Vũ Thị Lan"},
        },
        data={
            "decision_number": "12/2024/QĐST-HNGĐ",
            "decision_date": "2024-05-06",
            "authority": "Tòa án nhân dân thành phố Vinh",
        },
    )
    sections = sections_for(record)
    flat = [(s.title, r.label, r.value) for s in sections for r in s.rows]
    values = [v for _, _, v in flat]
    assert "PHẠM VĂN ĐỨC" in values and "VŨ THỊ LAN" in values
    assert "12/2024/QĐST-HNGĐ" in values and "06/05/2024" in values
    assert [s.title for s in sections][-1] == "Nội dung đăng ký"


def test_marriage_certificate(tmp_path: Path) -> None:
    record = RecordData(
        event_type="marriage",
        parties={
            "husband": {"full_name": "Hồ Sỹ Tuấn", "birth_date": "1994-01-09"},
            "wife": {"full_name": "Dương Thị Thùy Dung", "birth_date": "1996-08-18"},
        },
    )
    doc = make_doc(record, number="3/GCNKH")
    assert doc.kind is Kind.MARRIAGE_CERTIFICATE
    text = pdf_text(render_extract_pdf(doc), tmp_path)
    assert "GIẤY CHỨNG NHẬN KẾT HÔN" in text
    assert re.search(r"HỒ SỸ TUẤN", text) and "DƯƠNG THỊ THÙY DUNG" in text
    assert "Thông tin người vợ" in text
