"""Writes of document interconnection: export an issued document as an edXML package, send it
to other agencies over the axis, import a package (verified, registered as incoming, or refused
with the reason), status messages both ways, and the receive job that ties them together.

A received package is refused — nothing registered, the reason sent back to the sender as a
status message ``02`` — when its XML is malformed, an agency is unknown, its signed PDF does
not verify, or it was received before (its ``DocumentId`` is the idempotency key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.archive.services import archive_store
from hotich.audit.services import audit_record
from hotich.core.deferred import Deferred
from hotich.core.errors import NotFound, ValidationFailed
from hotich.documents.selectors import (
    document_issued_file,
    document_route_steps,
    document_statuses,
)
from hotich.documents.services import check_pdf, incoming_receive_signed
from hotich.documents.vocabulary import DocType
from hotich.interconnect import edxml
from hotich.interconnect.adapters.axis.http import HttpAxis
from hotich.interconnect.adapters.axis.protocol import Axis, AxisRefused, AxisUnavailable
from hotich.interconnect.agencies import DIRECTORY, Agency
from hotich.interconnect.models import Package, StatusMessage
from hotich.interconnect.vocabulary import (
    DOCUMENT_STATUS_CODES,
    FINAL_CODES,
    OBJECT_TYPE,
    STATUS_ORDER,
    Direction,
    PackageState,
    RefusalCode,
    StatusCode,
)

if TYPE_CHECKING:
    from hotich.documents.models import Document

#: handing the outbox to the configured axis, after the sending transaction commits
OUTBOX_FLUSH = Deferred[[]]("interconnect.outbox_flush")

#: the namespace of the package ids: one id per issued document (its verify code) and agency
PACKAGE_NS = uuid.UUID("6f1b7a52-4a0e-5d1c-9a8e-0c2f3d4e5a61")


class PackageRefused(ValidationFailed):
    """A received package refused, ``code`` one of :class:`RefusalCode`."""

    def __init__(self, code: str, reason: Any, package: Package | None = None) -> None:
        super().__init__(reason, field="file", code=code)
        self.package = package


@contextmanager
def _axis(axis: Axis | None) -> Iterator[Axis]:
    """The given axis, or the configured one (closed afterwards)."""
    if axis is not None:
        yield axis
        return
    own = default_axis()
    try:
        yield own
    finally:
        own.close()


def default_axis() -> Axis:
    if not settings.HOTICH_EDOC_AXIS_URL:
        raise ValidationFailed(
            _("Chưa cấu hình trục liên thông văn bản (HOTICH_EDOC_AXIS_URL)."), code="no_axis"
        )
    return HttpAxis(
        settings.HOTICH_EDOC_AXIS_URL,
        token=settings.HOTICH_EDOC_AXIS_TOKEN,
        timeout=10.0,
        retries=3,
    )


# --- building --------------------------------------------------------------------------------


def _agency_for(unit: Any) -> Agency:
    agency = DIRECTORY.of_unit(unit)
    if agency is None:
        raise ValidationFailed(_("Đơn vị chưa có mã định danh điện tử của cơ quan."))
    return agency


def _recipient(code: str, sender: Agency) -> Agency:
    agency = DIRECTORY.by_code(code)
    if agency is None:
        raise ValidationFailed(
            _("Cơ quan nhận không có trong danh bạ: %(code)s") % {"code": code[:40]},
            field="to",
            code=RefusalCode.UNKNOWN_AGENCY,
        )
    if agency.code == sender.code:
        raise ValidationFailed(_("Không gửi liên thông cho chính cơ quan mình."), field="to")
    return agency


def package_key(document: Document, to_code: str) -> str:
    seed = document.signed.verify_code if document.signed is not None else str(document.pk)
    return str(uuid.uuid5(PACKAGE_NS, f"{seed}:{to_code}"))


def _signer(document: Document) -> str:
    signers = document.signed.signers if document.signed is not None else []
    names = [s.get("name", "") for s in signers if s.get("usage") != "seal"]
    return names[0] if names else ""


def _build(document: Document, pdf: bytes, sender: Agency, recipient: Agency) -> tuple[str, bytes]:
    key = package_key(document, recipient.code)
    number, _slash, notation = document.number.partition("/")
    header = edxml.PackageHeader(
        document_id=key,
        sender=edxml.Organ(sender.code, sender.name),
        recipients=(edxml.Organ(recipient.code, recipient.name),),
        code_number=number if notation else "",
        code_notation=notation or document.number,
        place=document.unit.name,
        promulgation_date=document.dated,
        type_code=document.doc_type,
        type_name=str(DocType(document.doc_type).label),
        subject=document.title,
        content=document.summary,
        signer_name=_signer(document),
        signer_competence="TM.",
        steering_type="0",
        traces=(edxml.Trace(sender.code, timezone.now()),),
    )
    name = f"{document.number.replace('/', '-') or document.pk}.pdf"
    attachment = edxml.Attachment(name=name, content_type="application/pdf", data=pdf)
    return key, edxml.package_build(edxml.Package(header=header, attachments=(attachment,)))


def package_export(*, actor: Actor, document_id: int, to_code: str = "") -> tuple[str, bytes]:
    """An issued outgoing document as an edXML package addressed to ``to_code`` (by default
    the agency of its recipient unit): (the package id, the bytes)."""
    document, pdf = document_issued_file(actor=actor, document_id=document_id)
    sender = _agency_for(document.unit)
    if not to_code:
        if document.recipient_unit is None:
            raise ValidationFailed(
                _("Văn bản không gửi tới cơ quan nào trong danh bạ: chọn cơ quan nhận."), field="to"
            )
        to_code = _agency_for(document.recipient_unit).code
    return _build(document, pdf, sender, _recipient(to_code, sender))


def _store(data: bytes) -> str:
    path = f"interconnect/{timezone.now().year}/{uuid.uuid4().hex}.edxml"
    return archive_store(path=path, content=data, source="interconnect").path


def _read_file(package: Package) -> bytes:
    with default_storage.open(package.file_path, "rb") as handle:
        data: bytes = handle.read()
    return data


def package_send(
    *, actor: Actor, document_id: int, to_codes: list[str], axis: Axis | None = None
) -> list[Package]:
    """Send an issued outgoing document to agencies over the axis ("gửi liên thông"): one
    package per agency, queued, then handed to the axis — ``axis`` at once, or the configured
    one by a background task once the transaction commits (what the axis cannot take now is
    retried by the receive job). Sending again to the same agency returns the package already
    sent."""
    require(actor, "documents.issue")
    document, pdf = document_issued_file(actor=actor, document_id=document_id)
    if actor is not None and document.unit_id != getattr(actor, "unit_id", None):
        raise NotFound(_("Không tìm thấy văn bản."), field="document_id")
    codes = list(dict.fromkeys(c.strip() for c in to_codes if c.strip()))
    if not codes:
        raise ValidationFailed(_("Chọn ít nhất một cơ quan nhận."), field="to")
    sender = _agency_for(document.unit)
    packages = []
    with transaction.atomic():
        recipients = [_recipient(code, sender) for code in codes]
        for recipient in recipients:
            key = package_key(document, recipient.code)
            existing = Package.objects.filter(
                direction=Direction.OUTGOING, document_key=key, to_code=recipient.code
            ).exclude(state=PackageState.REFUSED)
            if (found := existing.first()) is not None:
                packages.append(found)
                continue
            key, data = _build(document, pdf, sender, recipient)
            package = Package.objects.create(
                direction=Direction.OUTGOING,
                document_key=key,
                from_code=sender.code,
                from_name=sender.name,
                to_code=recipient.code,
                to_name=recipient.name,
                notation=document.number,
                subject=document.title[:300],
                document=document,
                state=PackageState.QUEUED,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                file_path=_store(data),
            )
            audit_record(
                actor=actor,
                action="send",
                object_type=OBJECT_TYPE,
                object_id=package.pk,
                detail={"document": document.pk, "to": recipient.code},
            )
            packages.append(package)
        if axis is None:
            OUTBOX_FLUSH.enqueue_on_commit()
    if axis is not None:
        outbox_flush(axis=axis)
    for package in packages:
        package.refresh_from_db()
    return packages


# --- receiving -------------------------------------------------------------------------------


def _queue_status(package: Package, code: str, description: str = "") -> StatusMessage:
    return StatusMessage.objects.create(
        package=package,
        direction=Direction.OUTGOING,
        code=code,
        description=description[:500],
        organ_code=package.to_code,
        at=timezone.now(),
        message_key=uuid.uuid4().hex,
    )


def _refuse(
    code: str, detail: object, header: edxml.PackageHeader | None, to: edxml.Organ | None
) -> PackageRefused:
    """Record the refusal (when the package says who sent it) with a status ``02`` for the
    sender, in its own transaction; the error to raise."""
    reason = format_lazy("{label}: {detail}", label=RefusalCode(code).label, detail=detail)
    package = None
    if header is not None and to is not None:
        with transaction.atomic():
            package = Package.objects.create(
                direction=Direction.INCOMING,
                document_key=header.document_id,
                from_code=header.sender.code,
                from_name=header.sender.name,
                to_code=to.code,
                to_name=to.name,
                notation=header.notation[:60],
                subject=header.subject[:300],
                state=PackageState.REFUSED,
                refusal=code,
                reason=str(reason)[:500],
            )
            _queue_status(package, StatusCode.REFUSED, str(reason))
    return PackageRefused(code, reason, package)


def _doc_type(header: edxml.PackageHeader) -> str:
    if header.type_code in DocType.values:
        return header.type_code
    by_name = {str(label).lower(): value for value, label in DocType.choices}
    return by_name.get(header.type_name.lower(), DocType.OFFICIAL_LETTER)


def _pdf_of(package: edxml.Package) -> edxml.Attachment:
    pdfs = [
        a
        for a in package.attachments
        if a.content_type == "application/pdf" or a.name.lower().endswith(".pdf")
    ]
    if len(pdfs) != 1:
        raise edxml.MalformedPackage(
            "gói tin phải có đúng một tệp PDF đã ký / the package must carry one signed PDF"
        )
    return pdfs[0]


def package_import(*, actor: Actor, data: bytes) -> Package:
    """Receive an edXML package for one of our agencies: verified, registered in that agency's
    incoming register, acknowledged to the sender (status ``01`` then ``03``); or refused
    (:class:`PackageRefused`, the reason sent back as status ``02``) with nothing registered."""
    if actor is not None:
        require(actor, "documents.draft")
    try:
        parsed = edxml.package_read(data)
    except edxml.MalformedPackage as exc:
        raise _refuse(RefusalCode.MALFORMED, exc, None, None) from None
    header = parsed.header
    local = [(to, DIRECTORY.by_code(to.code)) for to in header.recipients]
    ours = [
        (to, agency, agency.unit)
        for to, agency in local
        if agency is not None and agency.unit is not None
    ]
    if not ours:
        to = header.recipients[0]
        raise _refuse(RefusalCode.UNKNOWN_AGENCY, to.code, header, to)
    to, recipient, unit = ours[0]
    if actor is not None and getattr(actor, "unit_id", None) != unit.pk:
        raise NotFound(_("Gói tin không gửi tới cơ quan của bạn."), field="file")
    if DIRECTORY.by_code(header.sender.code) is None:
        raise _refuse(RefusalCode.UNKNOWN_AGENCY, header.sender.code, header, to)
    received = Package.objects.filter(
        direction=Direction.INCOMING, document_key=header.document_id, to_code=to.code
    ).exclude(state=PackageState.REFUSED)
    if (first := received.first()) is not None:
        when = timezone.localtime(first.created_at).strftime("%d/%m/%Y %H:%M")
        raise _refuse(RefusalCode.DUPLICATE, f"{header.document_id} ({when})", header, to)
    try:
        pdf = _pdf_of(parsed)
        check_pdf(pdf.name, pdf.data)
    except (edxml.MalformedPackage, ValidationFailed) as exc:
        raise _refuse(RefusalCode.MALFORMED, exc, header, to) from None
    try:
        with transaction.atomic():
            document = incoming_receive_signed(
                actor=actor,
                unit=unit,
                doc_type=_doc_type(header),
                title=header.subject[:300],
                summary=header.content[:2000],
                data=pdf.data,
                sender_name=header.sender.name or header.sender.code,
                sender_number=header.notation[:60],
                dated=header.promulgation_date,
            )
            package = Package.objects.create(
                direction=Direction.INCOMING,
                document_key=header.document_id,
                from_code=header.sender.code,
                from_name=header.sender.name,
                to_code=to.code,
                to_name=to.name or recipient.name,
                notation=header.notation[:60],
                subject=header.subject[:300],
                document=document,
                state=PackageState.ACCEPTED,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),  # the signed PDF is kept with the incoming document
            )
            _queue_status(package, StatusCode.ARRIVED)
            _queue_status(package, StatusCode.ACCEPTED, document.number)
            audit_record(
                actor=actor,
                action="receive",
                object_type=OBJECT_TYPE,
                object_id=package.pk,
                detail={"document": document.pk, "from": header.sender.code},
            )
    except ValidationFailed as exc:
        code = RefusalCode.BAD_SIGNATURE if exc.code == "bad_signature" else RefusalCode.MALFORMED
        raise _refuse(code, exc, header, to) from None
    except IntegrityError:
        raise _refuse(RefusalCode.DUPLICATE, header.document_id, header, to) from None
    return package


@transaction.atomic
def status_receive(*, data: bytes) -> StatusMessage | None:
    """A status message about a package we sent: recorded (once) and the package's state
    moved on (never back; a refusal or return ends it). None when it is about no package of
    ours."""
    status = edxml.status_read(data)
    key = hashlib.sha256(data).hexdigest()[:64]
    if (seen := StatusMessage.objects.filter(message_key=key).first()) is not None:
        return seen
    package = (
        Package.objects.select_for_update()
        .filter(
            direction=Direction.OUTGOING,
            document_key=status.document_id,
            to_code=status.sender.code,
        )
        .first()
    )
    if package is None:
        return None
    message = StatusMessage.objects.create(
        package=package,
        direction=Direction.INCOMING,
        code=status.code,
        description=status.description,
        organ_code=status.sender.code,
        at=status.at,
        message_key=key,
    )
    current = package.state
    if status.code in FINAL_CODES:
        moves = current in (PackageState.QUEUED, PackageState.SENT, PackageState.ARRIVED) or (
            status.code == StatusCode.RETURNED
        )
    else:
        moves = current not in FINAL_CODES and STATUS_ORDER.get(status.code, 0) > STATUS_ORDER.get(
            current, 0
        )
    if moves:
        package.state = status.code
        if status.code in FINAL_CODES:
            package.reason = status.description
        package.save(update_fields=["state", "reason", "updated_at"])
    return message


def _codes_due(status: str, steps: set[str]) -> list[str]:
    """The status messages an incoming document's route has earned, in order: ``04`` once it
    was assigned, ``05`` once a handler acted on it, ``06`` once processed or closed."""
    codes: list[str] = []
    if "assigned" in steps:
        codes.append(StatusCode.ASSIGNED)
    if "handling" in steps:
        codes.append(StatusCode.PROCESSING)
    if status in ("processed", "closed"):
        codes.append(StatusCode.DONE)
    code = DOCUMENT_STATUS_CODES.get(status)
    return codes or ([code] if code is not None else [])


def statuses_sync() -> int:
    """Queue the statuses the sender of each package we accepted has not had yet, as its
    incoming document moves on in our register (assigned: ``04``, a handler acting on it:
    ``05``, processed or closed: ``06``); returns how many were queued."""
    packages = list(
        Package.objects.filter(direction=Direction.INCOMING, document__isnull=False).exclude(
            state__in=[PackageState.REFUSED, PackageState.DONE, PackageState.RETURNED]
        )
    )
    ids = [p.document_id for p in packages if p.document_id]
    statuses, steps = document_statuses(ids), document_route_steps(ids)
    queued = 0
    for package in packages:
        document_id = package.document_id or 0
        due = _codes_due(statuses.get(document_id, ""), steps.get(document_id, set()))
        new = [c for c in due if STATUS_ORDER.get(c, 0) > STATUS_ORDER.get(package.state, 0)]
        if not new:
            continue
        with transaction.atomic():
            for code in new:
                _queue_status(package, code)
            package.state = new[-1]
            package.save(update_fields=["state", "updated_at"])
        queued += len(new)
    return queued


def packages_resend_stuck(*, hours: int, axis: Axis | None = None) -> AxisRun:
    """Send again, under the same idempotency key, each package sent more than ``hours`` hours
    ago that no status message has answered yet; ``resent`` says how many."""
    if not 1 <= hours <= 24 * 30:
        raise ValidationFailed(_("Số giờ chờ: từ 1 đến 720."), field="hours")
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    stuck = Package.objects.filter(
        direction=Direction.OUTGOING, state=PackageState.SENT, updated_at__lt=cutoff
    )
    count = 0
    for package in stuck:
        package.state = PackageState.QUEUED
        package.reason = str(
            format_lazy(_("Gửi lại: chưa nhận được trạng thái sau {hours} giờ."), hours=hours)
        )
        package.save(update_fields=["state", "reason", "updated_at"])
        audit_record(
            actor=None,
            action="update",
            object_type=OBJECT_TYPE,
            object_id=package.pk,
            detail={"resend": True, "hours": hours},
        )
        count += 1
    with _axis(axis) as using:
        run = outbox_flush(axis=using)
    run.resent = count
    return run


@transaction.atomic
def package_return(*, actor: Actor, package_id: int, reason: str) -> Package:
    """Return a received package to its sender ("trả lại", status ``07``) with the reason."""
    require(actor, "documents.handle")
    package = (
        Package.objects.select_for_update()
        .filter(
            pk=package_id,
            direction=Direction.INCOMING,
            state__in=[PackageState.ACCEPTED, PackageState.ASSIGNED, PackageState.PROCESSING],
        )
        .first()
    )
    agency = DIRECTORY.by_code(package.to_code) if package is not None else None
    unit = agency.unit if agency is not None else None
    own = getattr(actor, "unit_id", None)
    if package is None or (actor is not None and getattr(unit, "pk", None) != own):
        raise NotFound(_("Không tìm thấy gói tin."), field="package_id")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("Trả lại: cần ghi lý do."), field="reason")
    _queue_status(package, StatusCode.RETURNED, reason)
    package.state = PackageState.RETURNED
    package.reason = reason[:500]
    package.save(update_fields=["state", "reason", "updated_at"])
    audit_record(actor=actor, action="return", object_type=OBJECT_TYPE, object_id=package.pk)
    return package


# --- the axis --------------------------------------------------------------------------------


@dataclass
class AxisRun:
    sent: int = 0
    statuses_sent: int = 0
    received: int = 0
    refused: int = 0
    statuses_received: int = 0
    waiting: int = 0  # could not reach the axis: left for the next run
    resent: int = 0  # packages without a status sent again
    reasons: list[str] | None = None


def outbox_flush_default() -> AxisRun:
    """:func:`outbox_flush` to the configured axis (the background task)."""
    with _axis(None) as using:
        return outbox_flush(axis=using)


def outbox_flush(*, axis: Axis) -> AxisRun:
    """Hand queued packages and status messages to the axis; what the axis cannot take now
    stays queued for the next run."""
    run = AxisRun()
    for package in Package.objects.filter(direction=Direction.OUTGOING, state=PackageState.QUEUED):
        package.attempts += 1
        try:
            axis.send(
                kind="package",
                from_code=package.from_code,
                to_code=package.to_code,
                key=package.document_key,
                data=_read_file(package),
            )
        except AxisUnavailable as exc:
            package.reason = str(exc)[:500]
            run.waiting += 1
        except AxisRefused as exc:
            package.state, package.reason = PackageState.REFUSED, str(exc)[:500]
        else:
            package.state, package.reason = PackageState.SENT, ""
            run.sent += 1
        package.save(update_fields=["state", "reason", "attempts", "updated_at"])
    outbox = StatusMessage.objects.filter(
        direction=Direction.OUTGOING, delivered_at__isnull=True
    ).select_related("package")
    for message in outbox:
        package = message.package
        status = edxml.Status(
            document_id=package.document_key,
            response_for=edxml.Organ(package.from_code, package.from_name),
            notation=package.notation,
            sender=edxml.Organ(package.to_code, package.to_name),
            code=message.code,
            description=message.description,
            at=message.at,
        )
        try:
            axis.send(
                kind="status",
                from_code=package.to_code,
                to_code=package.from_code,
                key=message.message_key,
                data=edxml.status_build(status),
            )
        except AxisUnavailable:
            run.waiting += 1
            continue
        except AxisRefused:
            pass  # the sender is not on the axis: nobody to tell
        message.delivered_at = timezone.now()
        message.save(update_fields=["delivered_at"])
        run.statuses_sent += 1
    return run


def axis_receive(*, axis: Axis | None = None) -> AxisRun:
    """One run of the receive job: take what waits on the axis for our agencies (packages are
    imported or refused, status messages recorded), queue the statuses of our incoming
    documents that moved on, and hand the outbox to the axis."""
    with _axis(axis) as using:
        return _receive_run(using)


def _receive_run(axis: Axis) -> AxisRun:
    run = AxisRun(reasons=[])
    codes = [agency.code for agency in DIRECTORY.local()]
    for waiting in axis.waiting(codes):
        data = axis.fetch(waiting.id)
        if waiting.kind == "status":
            try:
                if status_receive(data=data) is not None:
                    run.statuses_received += 1
            except edxml.MalformedPackage:
                pass  # an unreadable status message changes nothing
        else:
            try:
                package_import(actor=None, data=data)
                run.received += 1
            except PackageRefused as exc:
                run.refused += 1
                run.reasons.append(str(exc))  # type: ignore[union-attr]
        axis.ack(waiting.id)
    statuses_sync()
    flushed = outbox_flush(axis=axis)
    run.sent, run.statuses_sent, run.waiting = flushed.sent, flushed.statuses_sent, flushed.waiting
    return run
