"""edXML packages and status messages (QCVN 102:2016/BTTTT), built and read with lxml.

A package is one ``edXML`` document: the envelope (``edXMLEnvelope``: the header with the
``MessageHeader`` — From/To agencies, the code (number and notation), promulgation place and
date, document type, subject, signer, due date, steering type and the unique ``DocumentId`` —
and the ``TraceHeaderList`` of the agencies it passed; the body's ``edXMLManifest`` naming each
attachment) and the attachments themselves (``AttachmentEncoded``: base64). A status message
is an envelope whose header holds a ``Status`` (``ResponseFor`` the package, ``From``,
``StatusCode``, ``Description``, ``Timestamp``).

Reading refuses anything that is not such a document (``MalformedPackage``, with the reason):
no DTD or entities, no network, a size limit, every required element present.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from lxml import etree

from hotich.interconnect.vocabulary import EDXML_NS, StatusCode

MAX_PACKAGE_BYTES = 70 * 1024 * 1024
_N = f"{{{EDXML_NS}}}"
NSMAP = {"edXML": EDXML_NS}


class MalformedPackage(ValueError):
    """The bytes are not a well-formed edXML package or status message (the reason)."""


@dataclass(frozen=True)
class Organ:
    code: str
    name: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes
    content_id: str = "1"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Trace:
    organ_code: str
    at: dt.datetime


@dataclass(frozen=True)
class PackageHeader:
    document_id: str
    sender: Organ
    recipients: tuple[Organ, ...]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: dt.date | None
    type_code: str
    type_name: str
    subject: str
    content: str = ""
    signer_name: str = ""
    signer_position: str = ""
    signer_competence: str = ""
    due_date: dt.date | None = None
    steering_type: str = "0"
    traces: tuple[Trace, ...] = ()

    @property
    def notation(self) -> str:
        return (
            f"{self.code_number}/{self.code_notation}" if self.code_number else self.code_notation
        )


@dataclass(frozen=True)
class Package:
    header: PackageHeader
    attachments: tuple[Attachment, ...] = field(default=())


@dataclass(frozen=True)
class Status:
    document_id: str
    response_for: Organ  # the agency that sent the package
    notation: str
    sender: Organ  # the agency saying this
    code: str
    description: str
    at: dt.datetime
    staff: str = ""


# --- building --------------------------------------------------------------------------------


def _el(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, _N + tag)
    if text is not None:
        child.text = text
    return child


def _organ(parent: etree._Element, tag: str, organ: Organ) -> None:
    node = _el(parent, tag)
    _el(node, "OrganId", organ.code)
    _el(node, "OrganName", organ.name)


def _iso(value: dt.date | dt.datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _root() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(_N + "edXML", nsmap=NSMAP)
    envelope = _el(root, "edXMLEnvelope")
    return root, _el(envelope, "edXMLHeader")


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]


def package_build(package: Package) -> bytes:
    h = package.header
    root, header = _root()
    message = _el(header, "MessageHeader")
    _organ(message, "From", h.sender)
    for recipient in h.recipients:
        _organ(message, "To", recipient)
    code = _el(message, "Code")
    _el(code, "CodeNumber", h.code_number)
    _el(code, "CodeNotation", h.code_notation)
    promulgation = _el(message, "PromulgationInfo")
    _el(promulgation, "Place", h.place)
    _el(promulgation, "PromulgationDate", _iso(h.promulgation_date))
    doc_type = _el(message, "DocumentType")
    _el(doc_type, "Type", h.type_code)
    _el(doc_type, "TypeName", h.type_name)
    _el(message, "Subject", h.subject)
    _el(message, "Content", h.content)
    signer = _el(message, "SignerInfo")
    _el(signer, "Competence", h.signer_competence)
    _el(signer, "Position", h.signer_position)
    _el(signer, "FullName", h.signer_name)
    _el(message, "DueDate", _iso(h.due_date))
    _el(message, "SteeringType", h.steering_type)
    _el(message, "DocumentId", h.document_id)
    traces = _el(header, "TraceHeaderList")
    for trace in h.traces:
        node = _el(traces, "TraceHeader")
        _el(node, "OrganId", trace.organ_code)
        _el(node, "Timestamp", _iso(trace.at))
    envelope = header.getparent()
    assert envelope is not None
    manifest = _el(_el(envelope, "edXMLBody"), "edXMLManifest")
    encoded = _el(root, "AttachmentEncoded")
    for attachment in package.attachments:
        ref = _el(manifest, "Reference")
        _el(ref, "ContentId", attachment.content_id)
        _el(ref, "ContentType", attachment.content_type)
        _el(ref, "AttachmentName", attachment.name)
        _el(ref, "Size", str(len(attachment.data)))
        _el(ref, "Digest", attachment.sha256)
        node = _el(encoded, "Attachment")
        _el(node, "ContentId", attachment.content_id)
        _el(node, "AttachmentName", attachment.name)
        _el(node, "ContentType", attachment.content_type)
        _el(node, "ContentTransferEncoded", base64.b64encode(attachment.data).decode("ascii"))
    return _bytes(root)


def status_build(status: Status) -> bytes:
    root, header = _root()
    node = _el(header, "Status")
    response = _el(node, "ResponseFor")
    _el(response, "OrganId", status.response_for.code)
    _el(response, "Code", status.notation)
    _el(response, "DocumentId", status.document_id)
    _organ(node, "From", status.sender)
    _el(node, "StatusCode", status.code)
    _el(node, "Description", status.description)
    _el(node, "Timestamp", _iso(status.at))
    staff = _el(node, "StaffInfo")
    _el(staff, "Staff", status.staff)
    return _bytes(root)


# --- reading ---------------------------------------------------------------------------------

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, remove_comments=True
)


def _parse(data: bytes) -> etree._Element:
    if not data or not data.strip():
        raise MalformedPackage("tệp rỗng / empty file")
    if len(data) > MAX_PACKAGE_BYTES:
        raise MalformedPackage("gói tin quá lớn / package too large")
    try:
        tree = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise MalformedPackage(f"XML không hợp lệ / invalid XML: {exc.msg}") from None
    if tree.getroottree().docinfo.doctype:
        raise MalformedPackage("XML có khai báo DTD / XML with a DTD")
    if tree.tag != _N + "edXML":
        raise MalformedPackage(
            f"phần tử gốc không phải edXML:edXML / the root is not edXML:edXML ({tree.tag})"
        )
    return tree


def _xpath(path: str) -> str:
    return "/".join(f"edXML:{part}" for part in path.split("/"))


def _find(parent: etree._Element, path: str) -> etree._Element:
    node = parent.find(_xpath(path), NSMAP)
    if node is None:
        raise MalformedPackage(f"thiếu phần tử / missing element: {path}")
    return node


def _text(parent: etree._Element, path: str, *, required: bool = False) -> str:
    node = parent.find(_xpath(path), NSMAP)
    if node is None:
        if required:
            raise MalformedPackage(f"thiếu phần tử / missing element: {path}")
        return ""
    text = (node.text or "").strip()
    if required and not text:
        raise MalformedPackage(f"phần tử rỗng / empty element: {path}")
    return text


def _date(value: str, path: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise MalformedPackage(f"ngày không hợp lệ / invalid date: {path}") from None


def _datetime(value: str, path: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise MalformedPackage(f"thời điểm không hợp lệ / invalid time: {path}") from None
    if moment.tzinfo is None:
        raise MalformedPackage(f"thời điểm thiếu múi giờ / time without zone: {path}")
    return moment


def _organ_read(node: etree._Element, path: str) -> Organ:
    return Organ(
        code=_text(node, f"{path}/OrganId", required=True)[:40],
        name=_text(node, f"{path}/OrganName")[:300],
    )


def _header(tree: etree._Element) -> etree._Element:
    return _find(tree, "edXMLEnvelope/edXMLHeader")


def is_status(data: bytes) -> bool:
    """Whether the bytes are a status message rather than a package (cheap check)."""
    return b"StatusCode>" in data[:8192]


def package_read(data: bytes) -> Package:
    tree = _parse(data)
    header = _header(tree)
    message = _find(header, "MessageHeader")
    recipients = tuple(
        Organ(
            code=(node.findtext("edXML:OrganId", "", NSMAP) or "").strip()[:40],
            name=(node.findtext("edXML:OrganName", "", NSMAP) or "").strip()[:300],
        )
        for node in message.findall("edXML:To", NSMAP)
    )
    if not recipients or not all(r.code for r in recipients):
        raise MalformedPackage("thiếu cơ quan nhận / missing element: MessageHeader/To/OrganId")
    traces = []
    for node in header.findall("edXML:TraceHeaderList/edXML:TraceHeader", NSMAP):
        traces.append(
            Trace(
                organ_code=_text(node, "OrganId", required=True),
                at=_datetime(_text(node, "Timestamp", required=True), "TraceHeader/Timestamp"),
            )
        )
    parsed = PackageHeader(
        document_id=_text(message, "DocumentId", required=True)[:64],
        sender=_organ_read(message, "From"),
        recipients=recipients,
        code_number=_text(message, "Code/CodeNumber")[:20],
        code_notation=_text(message, "Code/CodeNotation")[:40],
        place=_text(message, "PromulgationInfo/Place")[:100],
        promulgation_date=_date(
            _text(message, "PromulgationInfo/PromulgationDate"), "PromulgationDate"
        ),
        type_code=_text(message, "DocumentType/Type", required=True)[:10],
        type_name=_text(message, "DocumentType/TypeName")[:100],
        subject=_text(message, "Subject", required=True),
        content=_text(message, "Content"),
        signer_name=_text(message, "SignerInfo/FullName")[:120],
        signer_position=_text(message, "SignerInfo/Position")[:120],
        signer_competence=_text(message, "SignerInfo/Competence")[:60],
        due_date=_date(_text(message, "DueDate"), "DueDate"),
        steering_type=_text(message, "SteeringType")[:4] or "0",
        traces=tuple(traces),
    )
    manifest = {
        _text(ref, "ContentId", required=True): ref
        for ref in _find(tree, "edXMLEnvelope/edXMLBody/edXMLManifest").findall(
            "edXML:Reference", NSMAP
        )
    }
    attachments = []
    for node in tree.findall("edXML:AttachmentEncoded/edXML:Attachment", NSMAP):
        content_id = _text(node, "ContentId", required=True)
        ref = manifest.pop(content_id, None)
        if ref is None:
            raise MalformedPackage(
                f"tệp đính kèm không có trong danh mục / not in the manifest: {content_id}"
            )
        try:
            raw = base64.b64decode(
                _text(node, "ContentTransferEncoded", required=True), validate=True
            )
        except (binascii.Error, ValueError):
            raise MalformedPackage(
                f"tệp đính kèm không giải mã được / bad base64: {content_id}"
            ) from None
        attachments.append(
            Attachment(
                name=_text(node, "AttachmentName")[:200] or f"{content_id}.bin",
                content_type=_text(node, "ContentType")[:100],
                data=raw,
                content_id=content_id,
            )
        )
    if manifest:
        raise MalformedPackage(
            f"thiếu tệp đính kèm / attachment missing: {', '.join(sorted(manifest))}"
        )
    return Package(header=parsed, attachments=tuple(attachments))


def status_read(data: bytes) -> Status:
    tree = _parse(data)
    node = _find(_header(tree), "Status")
    code = _text(node, "StatusCode", required=True)
    if code not in StatusCode.values:
        raise MalformedPackage(f"mã trạng thái không hợp lệ / unknown status code: {code[:10]}")
    return Status(
        document_id=_text(node, "ResponseFor/DocumentId", required=True)[:64],
        response_for=Organ(code=_text(node, "ResponseFor/OrganId", required=True)[:40]),
        notation=_text(node, "ResponseFor/Code")[:60],
        sender=_organ_read(node, "From"),
        code=code,
        description=_text(node, "Description")[:500],
        at=_datetime(_text(node, "Timestamp", required=True), "Status/Timestamp"),
        staff=_text(node, "StaffInfo/Staff")[:120],
    )
