"""Register books: opening, allocating entry numbers, closing at year end."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require, unit_in_scope
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, NotFound, ValidationFailed
from hotich.geo.selectors import unit_mapping_for
from hotich.geo.vocabulary import Era
from hotich.registry.models import Book, BookStatus

if TYPE_CHECKING:
    from hotich.geo.models import Unit


def _book_state(book: Book) -> dict[str, Any]:
    return {
        "id": book.pk,
        "unit": book.unit_id,
        "scope_unit": book.scope_unit_id,
        "event_type": book.event_type,
        "year": book.year,
        "volume": book.volume,
        "status": book.status,
        "total_entries": book.total_entries,
        "total_pages": book.total_pages,
    }


def check_unit_scope(actor: Actor, unit: Unit) -> None:
    """The system (actor None) may act anywhere; a user only within their unit subtree."""
    if actor is not None and not unit_in_scope(actor, unit):
        raise NotFound(_("Không tìm thấy đơn vị trong phạm vi được giao."), field="unit")


def current_unit_for(unit: Unit) -> Unit:
    """Today's unit holding the books of ``unit`` (itself when it is current)."""
    if unit.era == Era.CURRENT:
        return unit
    mapping = unit_mapping_for(unit).first()
    if mapping is None:
        raise ValidationFailed(
            _("Đơn vị cũ chưa được ánh xạ sang đơn vị hiện nay, chưa thể mở sổ."), field="unit"
        )
    return mapping.new_unit


@transaction.atomic
def book_open(
    *,
    actor: Actor,
    unit: Unit,
    event_type: str,
    year: int,
    is_historic: bool = False,
    scope_unit: Unit | None = None,
    volume: int = 1,
) -> Book:
    """The book of ``unit`` for ``event_type`` and ``year``, opened if it does not exist yet.

    A historic book names the unit as it was (possibly a legacy unit); ``scope_unit`` is today's
    unit that holds it (the primary mapping by default).
    """
    require(actor, "registry.register", message=_("Bạn không có quyền mở sổ hộ tịch."))
    scope_unit = scope_unit or current_unit_for(unit)
    check_unit_scope(actor, scope_unit)
    if unit.era == Era.LEGACY and not is_historic:
        raise ValidationFailed(_("Đơn vị cũ (trước 01/7/2025) chỉ dùng cho sổ cũ."), field="unit")
    if year > timezone.localdate().year or year < 1800:
        raise ValidationFailed(
            format_lazy(_("Năm của sổ {year} không hợp lệ."), year=year), field="year"
        )
    lookup = {"unit": unit, "event_type": event_type, "year": year, "volume": volume}
    book = Book.objects.filter(**lookup).first()
    if book is not None:
        return book
    try:
        with transaction.atomic():
            book = Book.objects.create(**lookup, scope_unit=scope_unit, is_historic=is_historic)
    except IntegrityError:  # opened by a concurrent registration
        return Book.objects.get(**lookup)
    audit_record(
        actor=actor,
        action="create",
        object_type="registry.book",
        object_id=book.pk,
        after=_book_state(book),
    )
    return book


def book_allocate_entry(*, book: Book, entry_number: int | None = None) -> int:
    """The next entry number of ``book`` (or reserve ``entry_number`` as written in an old book).

    Locks the book row (SELECT … FOR UPDATE) so concurrent registrations get distinct numbers.
    Must run inside the caller's transaction.
    """
    locked = Book.objects.select_for_update().get(pk=book.pk)
    if locked.status == BookStatus.CLOSED:
        raise Conflict(
            format_lazy(_("Sổ {book} đã khóa, không thể ghi thêm."), book=locked.pk), field="book"
        )
    if entry_number is None:
        number = locked.last_entry_number + 1
    else:
        if entry_number < 1:
            raise ValidationFailed(_("Số đăng ký phải là số dương."), field="entry_number")
        if locked.records.filter(entry_number=entry_number).exists():
            raise Conflict(
                format_lazy(_("Số đăng ký {number} đã có trong sổ này."), number=entry_number),
                field="entry_number",
            )
        number = entry_number
    locked.last_entry_number = max(locked.last_entry_number, number)
    locked.save(update_fields=["last_entry_number"])
    book.last_entry_number = locked.last_entry_number
    return number


@transaction.atomic
def book_close(
    *, actor: Actor, book: Book, total_pages: int | None = None, on: dt.date | None = None
) -> Book:
    """Close a book at year end, writing down its totals of entries and pages.

    ``total_pages`` defaults to the highest page number recorded on its entries, or to the
    number of entries when pages were not recorded.
    """
    require(
        actor,
        "registry.register",
        book.scope_unit,
        message=_("Bạn không có quyền khóa sổ hộ tịch."),
    )
    on = on or timezone.localdate()
    locked = Book.objects.select_for_update().get(pk=book.pk)
    if locked.status == BookStatus.CLOSED:
        raise Conflict(_("Sổ đã khóa từ trước."), field="book")
    if on < dt.date(locked.year, 12, 31):
        raise ValidationFailed(
            format_lazy(_("Chỉ khóa sổ năm {year} từ ngày 31/12/{year}."), year=locked.year),
            field="book",
        )
    if locked.records.filter(status="draft").exists():
        raise Conflict(_("Sổ còn bản nháp chưa đăng ký hoặc bỏ."), field="book")
    before = _book_state(locked)
    entries = locked.records.exclude(entry_number=None)
    locked.total_entries = entries.count()
    if total_pages is None:
        pages = max((p for p in entries.values_list("page_number", flat=True) if p), default=0)
        total_pages = pages or locked.total_entries
    if total_pages < 0:
        raise ValidationFailed(_("Tổng số trang không hợp lệ."), field="total_pages")
    locked.total_pages = total_pages
    locked.status = BookStatus.CLOSED
    locked.closed_on = on
    locked.closed_by = str(actor) if actor is not None else "system"
    locked.save()
    audit_record(
        actor=actor,
        action="transition",
        object_type="registry.book",
        object_id=locked.pk,
        before=before,
        after=_book_state(locked),
        detail={"action": "close"},
    )
    return locked
