from __future__ import annotations

import base64
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from hotich.documents.models import Document
from hotich.interconnect.agencies import DIRECTORY
from hotich.interconnect.vocabulary import EDXML_NS

pytestmark = pytest.mark.django_db


def edoc(*args: str) -> str:
    out = StringIO()
    call_command("edoc", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as err:
        edoc(*args)
    message = str(err.value)
    assert "\n" not in message and err.value.returncode == 1
    return message


def test_export_then_import_registers_the_document(issued, codes, tmp_path: Path) -> None:
    out = tmp_path / "cv.edxml"
    assert "cv.edxml" in edoc("export", str(issued.pk), "--out", str(out), "--to", codes["b"])
    before = Document.objects.count()
    assert codes["b"] in edoc("import", str(out))
    assert Document.objects.count() == before + 1
    message = refused("import", str(out))
    assert "Gói tin đã nhận trước đó" in message
    assert Document.objects.count() == before + 1


def test_bad_packages_exit_1_with_one_line(issued, codes, tmp_path: Path) -> None:
    out = tmp_path / "cv.edxml"
    edoc("export", str(issued.pk), "--out", str(out), "--to", codes["b"])
    data = out.read_bytes()
    tree = etree.fromstring(data)
    node = tree.find(
        "{0}AttachmentEncoded/{0}Attachment/{0}ContentTransferEncoded".replace(
            "{0}", f"{{{EDXML_NS}}}"
        )
    )
    pdf = bytearray(base64.b64decode(node.text))
    at = pdf.find(b"/Contents", len(pdf) // 3)
    pdf[at - 40] ^= 0x01
    node.text = base64.b64encode(bytes(pdf)).decode()
    broken = tmp_path / "broken.edxml"
    broken.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    before = Document.objects.count()
    message = refused("import", str(broken))
    assert "Chữ ký số không hợp lệ" in message and "Invalid digital signature" in message
    (tmp_path / "half.edxml").write_bytes(data[:500])
    message = refused("import", str(tmp_path / "half.edxml"))
    assert "Gói tin không đúng cấu trúc edXML" in message and "not well-formed edXML" in message
    (tmp_path / "nobody.edxml").write_bytes(data.replace(codes["b"].encode(), b"000.00.98.H41"))
    assert "000.00.98.H41" in refused("import", str(tmp_path / "nobody.edxml"))
    assert "cannot read" in refused("import", str(tmp_path / "missing.edxml"))
    assert Document.objects.count() == before


def test_export_refuses_what_was_not_issued(issued, codes, tmp_path: Path) -> None:
    draft = Document.objects.exclude(pk=issued.pk).filter(direction="out").first()
    assert draft is None
    assert "Không tìm thấy" in refused("export", "999999", "--out", str(tmp_path / "x.edxml"))
    assert "danh bạ" in refused(
        "export", str(issued.pk), "--out", str(tmp_path / "x.edxml"), "--to", "000.00.98.H41"
    )


def test_the_directory_leaves_out_sections(units, codes) -> None:
    local = {a.code for a in DIRECTORY.local()}
    assert local == {codes["province"], codes["justice"], codes["a"], codes["b"]}
    assert DIRECTORY.by_code("000.01.07.H41") is None
    assert DIRECTORY.of_unit(units["a"]).code == codes["a"]
    assert codes["a"] not in {a.code for a in DIRECTORY.recipients(units["a"])}


def test_the_stand_in_axis_is_refused_in_production(settings) -> None:
    settings.HOTICH_STANDINS = False
    assert "production" in refused("axis", "serve", "--port", "0")


def test_schedule_needs_a_backend_that_defers() -> None:
    # the tests' immediate backend cannot defer: a one-line refusal
    assert "cannot defer" in refused("axis", "schedule")


def test_the_receive_task_without_an_axis_says_so(settings) -> None:
    from hotich.interconnect.tasks import interconnect_axis_receive

    settings.HOTICH_EDOC_AXIS_URL = ""
    result = interconnect_axis_receive.enqueue(reschedule=False)
    assert result.return_value == "no axis"
