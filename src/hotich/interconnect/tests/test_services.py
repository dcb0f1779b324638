from __future__ import annotations

import base64

import pytest
from lxml import etree

from hotich.documents.models import Document
from hotich.documents.services import document_transition
from hotich.documents.vocabulary import Direction, Status
from hotich.interconnect import edxml
from hotich.interconnect.models import Package, StatusMessage
from hotich.interconnect.services import (
    PackageRefused,
    axis_receive,
    package_export,
    package_import,
    package_return,
    package_send,
)
from hotich.interconnect.vocabulary import EDXML_NS, PackageState, RefusalCode

pytestmark = pytest.mark.django_db
NS = {"e": EDXML_NS}


def incoming_count() -> int:
    return Document.objects.filter(direction=Direction.INCOMING, sender_unit__isnull=True).count()


def test_export_is_an_edxml_package_with_the_signed_pdf(issued, codes) -> None:
    key, data = package_export(actor=None, document_id=issued.pk, to_code=codes["b"])
    tree = etree.fromstring(data)
    assert tree.tag == f"{{{EDXML_NS}}}edXML"
    header = tree.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)
    assert header.findtext("e:From/e:OrganId", namespaces=NS) == codes["a"]
    assert header.findtext("e:To/e:OrganId", namespaces=NS) == codes["b"]
    assert header.findtext("e:DocumentId", namespaces=NS) == key
    number, notation = issued.number.split("/")
    assert header.findtext("e:Code/e:CodeNumber", namespaces=NS) == number
    assert header.findtext("e:Code/e:CodeNotation", namespaces=NS) == notation
    assert header.findtext("e:Subject", namespaces=NS) == issued.title
    assert header.findtext("e:SignerInfo/e:FullName", namespaces=NS)
    encoded = tree.findtext(
        "e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", namespaces=NS
    )
    assert base64.b64decode(encoded).startswith(b"%PDF-")
    # the same document to the same agency is the same package id (the idempotency key)
    assert package_export(actor=None, document_id=issued.pk, to_code=codes["b"])[0] == key


def test_round_trip_export_import_registers_it_incoming(issued, codes, units) -> None:
    _key, data = package_export(actor=None, document_id=issued.pk, to_code=codes["b"])
    package = package_import(actor=None, data=data)
    document = package.document
    assert document.unit == units["b"] and document.direction == Direction.INCOMING
    assert document.status == Status.RECEIVED and document.signature_valid is True
    assert document.sender_number == issued.number and document.title == issued.title
    assert package.state == PackageState.ACCEPTED
    assert [s.code for s in package.statuses.all()] == ["01", "03"]


def _refused(data: bytes, code: str) -> PackageRefused:
    before = incoming_count()
    with pytest.raises(PackageRefused) as err:
        package_import(actor=None, data=data)
    assert err.value.code == code
    assert incoming_count() == before  # nothing registered
    return err.value


def _tamper_pdf(data: bytes) -> bytes:
    tree = etree.fromstring(data)
    node = tree.find("e:AttachmentEncoded/e:Attachment/e:ContentTransferEncoded", NS)
    pdf = bytearray(base64.b64decode(node.text))
    at = pdf.find(b"/Contents", len(pdf) // 3)
    pdf[at - 40] ^= 0x01  # one byte inside the signed range
    node.text = base64.b64encode(bytes(pdf)).decode()
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def test_each_bad_package_is_refused_with_its_reason(issued, codes) -> None:
    _key, data = package_export(actor=None, document_id=issued.pk, to_code=codes["b"])
    err = _refused(_tamper_pdf(data), RefusalCode.BAD_SIGNATURE)
    assert "Chữ ký số không hợp lệ" in str(err)
    assert err.package.state == PackageState.REFUSED
    assert err.package.statuses.get().code == "02"
    err = _refused(data.replace(codes["b"].encode(), b"000.00.99.H99"), RefusalCode.UNKNOWN_AGENCY)
    assert "000.00.99.H99" in str(err)
    err = _refused(data[: len(data) // 2], RefusalCode.MALFORMED)
    assert "XML" in str(err) and err.package is None
    err = _refused(data.replace(b"<edXML:Subject>", b"<edXML:Subjec>", 1), RefusalCode.MALFORMED)
    package_import(actor=None, data=data)  # a refused package may come again, right
    count = incoming_count()
    err = _refused(data, RefusalCode.DUPLICATE)
    assert "đã nhận" in str(err) and incoming_count() == count


def test_a_dtd_is_refused() -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    with pytest.raises(edxml.MalformedPackage):
        edxml.package_read(evil)


def test_sent_through_the_axis_comes_back_with_its_statuses(issued, codes, people, axis) -> None:
    sent = package_send(
        actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=axis
    )
    assert [p.state for p in sent] == [PackageState.SENT]
    # sending again is the same package
    again = package_send(
        actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=axis
    )
    assert [p.pk for p in again] == [p.pk for p in sent]
    run = axis_receive(axis=axis)  # the receiving agency takes it, acknowledges it
    assert run.received == 1 and run.statuses_sent == 2
    received = Package.objects.get(direction="in")
    run = axis_receive(axis=axis)  # the sender takes the statuses
    assert run.statuses_received == 2
    outgoing = Package.objects.get(direction="out")
    assert outgoing.state == PackageState.ACCEPTED
    incoming = received.document
    document_transition(
        actor=people["officer_b"],
        document=incoming,
        action="assign",
        handler_id=people["officer_b"].pk,
        days=5,
    )
    axis_receive(axis=axis)
    axis_receive(axis=axis)
    outgoing.refresh_from_db()
    assert outgoing.state == PackageState.ASSIGNED
    codes_seen = list(outgoing.statuses.values_list("code", flat=True))
    assert codes_seen == ["01", "03", "04"]
    package_return(actor=people["officer_b"], package_id=received.pk, reason="Sai thẩm quyền")
    axis_receive(axis=axis)
    axis_receive(axis=axis)
    outgoing.refresh_from_db()
    assert outgoing.state == PackageState.RETURNED and outgoing.reason == "Sai thẩm quyền"


def test_a_refusal_goes_back_to_the_sender(issued, codes, people, axis) -> None:
    _key, data = package_export(actor=None, document_id=issued.pk, to_code=codes["b"])
    package_send(actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=axis)
    package_import(actor=None, data=data)  # it came first by file
    run = axis_receive(axis=axis)  # then over the axis: a duplicate
    assert run.refused == 1 and "đã nhận" in run.reasons[0]
    axis_receive(axis=axis)
    outgoing = Package.objects.get(direction="out")
    # the import by file acknowledged it; the refused duplicate does not undo that
    assert outgoing.state == PackageState.ACCEPTED
    assert "02" in outgoing.statuses.values_list("code", flat=True)


def test_an_unreachable_axis_leaves_the_package_queued(issued, codes, people) -> None:
    from hotich.interconnect.adapters.axis.http import HttpAxis

    sleeps: list[float] = []
    dead = HttpAxis("http://127.0.0.1:9", retries=3, backoff=0.1, sleep=sleeps.append, timeout=0.5)
    [package] = package_send(
        actor=people["officer"], document_id=issued.pk, to_codes=[codes["b"]], axis=dead
    )
    assert package.state == PackageState.QUEUED and package.attempts == 1
    assert sleeps == [0.1, 0.2] and "không trả lời" in package.reason


def test_only_the_agency_unit_may_send(issued, codes, people) -> None:
    from hotich.core.errors import NotFound

    with pytest.raises(NotFound):
        package_send(actor=people["officer_b"], document_id=issued.pk, to_codes=[codes["a"]])
    assert not StatusMessage.objects.exists() and not Package.objects.exists()
