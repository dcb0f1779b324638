"""Historic records published from digitized books, and their withdrawal.

The digitization context turns a verified entry of a paper book into a historic record through
:func:`digitized_record_publish`: a registered record written into the historic ``book`` with the
entry number of the paper, linked to its page image and the region of the entry on it. Publishing
the same entry again returns the same record. :func:`digitized_records_withdraw` undoes the
publication of a book as long as nobody has acted on its records (no margin note, no follow-up
record, no issued extract); the audit log keeps the trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, ValidationFailed
from hotich.registry.models import Amendment, Book, NameToken, Party, Person, Record, Transition
from hotich.registry.services.records import OBJECT_TYPE, record_create

#: Roles that may publish digitized entries: those who register, and digitization reviewers.
PUBLISH_ACTIONS = ("registry.register", "digitization.arbitrate")


def _check_publisher(actor: Actor, book: Book) -> None:
    require(
        actor,
        PUBLISH_ACTIONS,
        book.scope_unit,
        message=_("Bạn không có quyền đưa bản ghi số hóa vào sổ."),
    )
    if not book.is_historic:
        raise ValidationFailed(_("Chỉ sổ cũ mới nhận bản ghi số hóa."), field="book")


@transaction.atomic
def digitized_record_publish(
    *,
    actor: Actor,
    book: Book,
    entry_number: int,
    registration_date: object,
    parties: Mapping[str, Mapping[str, Any]],
    data: Mapping[str, Any] | None = None,
    signer_name: str = "",
    page_number: int,
    page_image_id: int,
    page_region: Mapping[str, float],
) -> Record:
    """The historic record of entry ``entry_number`` of ``book`` (created once, registered)."""
    _check_publisher(actor, book)
    existing = Record.objects.filter(book=book, entry_number=entry_number).first()
    if existing is not None:
        if existing.page_image_id == page_image_id:
            return existing
        raise Conflict(
            format_lazy(
                _("Số đăng ký {number} đã có trong sổ này (không phải từ bản số hóa)."),
                number=entry_number,
            ),
            field="entry_number",
        )
    # The publisher's permission and scope are checked above; the record is written as the
    # system (a digitization reviewer does not register new events) and audited as theirs.
    record = record_create(
        actor=None,
        event_type=book.event_type,
        registration_date=registration_date,
        parties=parties,
        data=data or {},
        book=book,
        entry_number=entry_number,
        signer_name=signer_name,
        legal_basis=str(_("Số hóa sổ hộ tịch cũ")),
        page_number=page_number,
    )
    Record.objects.filter(pk=record.pk).update(
        page_image_id=page_image_id, page_region=dict(page_region)
    )
    record.refresh_from_db()
    audit_record(
        actor=actor,
        action="create",
        object_type=OBJECT_TYPE,
        object_id=record.pk,
        after=record.state(),
        detail={"digitized": True, "page_image": page_image_id},
    )
    return record


@transaction.atomic
def digitized_supplement_book(*, actor: Actor, book: Book) -> Book:
    """The supplementary volume of the historic ``book`` (same unit, event type and year, the
    next volume), created the first time: entries of the paper whose numbers are already taken
    by records registered directly are published there, under their own numbers."""
    _check_publisher(actor, book)
    existing = (
        Book.objects.filter(
            unit=book.unit,
            event_type=book.event_type,
            year=book.year,
            is_historic=True,
            volume__gt=book.volume,
        )
        .order_by("volume")
        .first()
    )
    if existing is not None:
        return existing
    last = (
        Book.objects.filter(unit=book.unit, event_type=book.event_type, year=book.year)
        .order_by("-volume")
        .values_list("volume", flat=True)
        .first()
    )
    supplement = Book.objects.create(
        unit=book.unit,
        scope_unit=book.scope_unit,
        event_type=book.event_type,
        year=book.year,
        volume=(last or book.volume) + 1,
        is_historic=True,
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="registry.book",
        object_id=supplement.pk,
        detail={"supplement_of": book.pk, "volume": supplement.volume},
    )
    return supplement


def digitized_records_amended(*, record_ids: Sequence[int]) -> list[int]:
    """Those of ``record_ids`` someone has acted on since publication (cannot be withdrawn)."""
    ids = list(record_ids)
    touched = set(Amendment.objects.filter(record_id__in=ids).values_list("record_id", flat=True))
    touched |= set(
        Record.objects.filter(related_record_id__in=ids).values_list("related_record_id", flat=True)
    )
    touched |= set(
        Record.objects.filter(pk__in=ids, issued_extracts__isnull=False).values_list(
            "pk", flat=True
        )
    )
    return sorted(i for i in touched if i is not None)


@transaction.atomic
def digitized_records_withdraw(*, actor: Actor, book: Book, record_ids: Sequence[int]) -> int:
    """Delete the digitized records ``record_ids`` of ``book``; all or nothing. Returns the count.

    Refused when any of them has been amended, referred to or extracted since publication.
    """
    _check_publisher(actor, book)
    records = list(
        Record.objects.select_for_update()
        .filter(pk__in=list(record_ids), book=book, is_historic=True)
        .exclude(page_image_id=None)
    )
    if len(records) != len(set(record_ids)):
        raise ValidationFailed(
            _("Có bản ghi không phải bản ghi số hóa của sổ này."), field="records"
        )
    touched = digitized_records_amended(record_ids=[r.pk for r in records])
    if touched:
        raise Conflict(
            format_lazy(
                _(
                    "Không thể thu hồi: {n} bản ghi đã được ghi chú, dẫn chiếu hoặc cấp trích "
                    "lục sau khi đưa vào sổ."
                ),
                n=len(touched),
            ),
            field="records",
            code="amended",
        )
    person_ids = set(Party.objects.filter(record__in=records).values_list("person_id", flat=True))
    for record in records:
        audit_record(
            actor=actor,
            action="delete",
            object_type=OBJECT_TYPE,
            object_id=record.pk,
            before=record.state(),
            detail={"digitized": True, "action": "withdraw"},
        )
    ids = [r.pk for r in records]
    try:
        Transition.objects.filter(record_id__in=ids).delete()
        Party.objects.filter(record_id__in=ids).delete()
        Record.objects.filter(pk__in=ids).delete()
        orphans = [pk for pk in person_ids if not Party.objects.filter(person_id=pk).exists()]
        NameToken.objects.filter(person_id__in=orphans).delete()
        Person.objects.filter(pk__in=orphans).delete()
    except ProtectedError as exc:  # something else points at them
        raise Conflict(
            _("Không thể thu hồi: bản ghi đã được sử dụng ở nơi khác."), field="records"
        ) from exc
    return len(ids)
