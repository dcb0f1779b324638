"""Publishing a verified, QA-passed, reconciled book into the register, and undoing it.

Each entry becomes a historic record through the registry's ``digitized_record_publish`` (linked
to its page image and region, book and entry number). The whole book is published in one
transaction: any entry the registry refuses leaves nothing published. Publishing again changes
nothing. Undo withdraws the records while nobody has amended, referred to or extracted them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, actor_name
from hotich.accounts.authz import permits, require
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, DomainError, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.digitization.access import ARBITRATE, check_scope
from hotich.digitization.models import BookStage, Clash, DigitizedBook, Entry, EntryStatus
from hotich.digitization.selectors import book_reconcile, qa_passed
from hotich.digitization.services.pages import digitized_book_for
from hotich.registry.selectors import records_numbered
from hotich.registry.services.digitized import (
    digitized_record_publish,
    digitized_records_withdraw,
    digitized_supplement_book,
)
from hotich.registry.vocabulary import spec_for

if TYPE_CHECKING:
    from hotich.registry.models import Book


def record_input(book: Book, values: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The registry's ``record_create`` input from an entry's agreed values (markers: empty)."""

    def text(name: str) -> str:
        item = values.get(name) or {}
        return "" if item.get("m") else str(item.get("v", ""))

    spec = spec_for(book.event_type)
    parties: dict[str, dict[str, str]] = {}
    for name in values:
        if "." in name:
            role, key = name.split(".", 1)
            if text(name):
                parties.setdefault(role, {})[key] = text(name)
    for party in spec.parties:
        fields = parties.get(party.role)
        # A party whose name cannot be read is left out unless the book requires it.
        if fields and not fields.get("full_name") and not party.required:
            del parties[party.role]
    data = {f.name: text(f.name) for f in spec.fields if text(f.name)}
    return {
        "registration_date": text("registration_date") or str(book.year),
        "parties": parties,
        "data": data,
        "signer_name": text("signer_name"),
    }


def _check_ready(book: Book, state: DigitizedBook) -> list[Entry]:
    entries = list(Entry.objects.filter(book=book).select_related("page").order_by("entry_number"))
    if not entries:
        raise Conflict(_("Sổ chưa có mục nào để đưa vào sổ."), field="book")
    unfinished = [
        e.entry_number
        for e in entries
        if e.status not in (EntryStatus.VERIFIED, EntryStatus.PUBLISHED)
    ]
    if unfinished:
        raise Conflict(
            format_lazy(
                _("Còn {n} mục chưa được thống nhất (ví dụ mục số {first})."),
                n=len(unfinished),
                first=unfinished[0],
            ),
            field="book",
        )
    if not qa_passed(book):
        raise Conflict(_("Sổ chưa qua kiểm tra chất lượng (còn mục trong mẫu chưa kiểm tra)."))
    check = book_reconcile(book)
    if not check.known:
        raise Conflict(
            _("Chưa nhập tổng số trang và số mục ghi ở trang khóa sổ, chưa đối chiếu được."),
            field="closing_entries",
        )
    if not check.ok:
        raise Conflict(
            format_lazy(
                _(
                    "Sổ chưa khớp với trang khóa sổ: có {pages}/{closing} trang, thiếu {missing} "
                    "mục, thừa {extra} mục."
                ),
                pages=check.pages,
                closing=check.closing_pages,
                missing=len(check.missing_entries),
                extra=len(check.extra_entries),
            ),
            field="book",
        )
    return entries


@transaction.atomic
def entry_clash_resolve(*, actor: Actor, entry: Entry, way: str) -> Entry:
    """Choose how the unpublished ``entry``, whose number a directly registered record already
    holds, is published: into the supplementary book under its own number, as the same event as
    that record (no second record), or not at all. ``way`` "" undoes the choice."""
    require(actor, ARBITRATE, entry.scope_unit)
    check_scope(actor, entry.scope_unit)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if way not in {"", *Clash.values}:
        raise ValidationFailed(_("Cách xử lý không hợp lệ."), field="way")
    if entry.record_id is not None:
        raise Conflict(_("Mục này đã được đưa vào sổ."), field="way")
    if not records_numbered(book=entry.book, numbers=[entry.entry_number]):
        raise Conflict(_("Số đăng ký của mục này không trùng với bản ghi nào."), field="way")
    before = entry.clash
    entry.clash = way
    entry.save(update_fields=["clash", "updated_at"])
    audit_record(
        actor=actor,
        action="update",
        object_type="digitization.entry",
        object_id=entry.pk,
        before={"clash": before},
        after={"clash": way},
        detail={"book": entry.book_id, "entry_number": entry.entry_number},
    )
    return entry


def _clashes(book: Book, entries: list[Entry]) -> dict[int, Any]:
    """The directly registered records the unpublished ``entries`` clash with, by entry number;
    refused while any clash has no way out chosen."""
    waiting = [e for e in entries if e.record_id is None]
    taken = records_numbered(book=book, numbers=[e.entry_number for e in waiting])
    open_ = [e.entry_number for e in waiting if e.entry_number in taken and not e.clash]
    if open_:
        raise Conflict(
            format_lazy(
                _(
                    "{n} mục trùng số đăng ký với bản ghi đã đăng ký trực tiếp (ví dụ mục số "
                    "{first}); hãy xem từng cặp và chọn cách xử lý."
                ),
                n=len(open_),
                first=open_[0],
            ),
            field="book",
            code="entry_clash",
        )
    return taken


def _publish(step: Step[DigitizedBook]) -> None:
    state, actor = step.obj, step.actor
    book = state.book
    entries = _check_ready(book, state)
    taken = _clashes(book, entries)
    created = 0
    for entry in entries:
        if entry.record_id is not None or entry.clash == Clash.WITHDRAWN:
            continue
        if entry.clash == Clash.LINKED and entry.entry_number in taken:
            Entry.objects.filter(pk=entry.pk).update(
                record_id=taken[entry.entry_number].pk, status=EntryStatus.PUBLISHED
            )
            continue
        target = book
        if entry.clash == Clash.SUPPLEMENT and entry.entry_number in taken:
            target = digitized_supplement_book(actor=actor, book=book)
        try:
            record = digitized_record_publish(
                actor=actor,
                book=target,
                entry_number=entry.entry_number,
                **record_input(book, entry.values),
                page_number=entry.page.number,
                page_image_id=entry.page_id,
                page_region=entry.region,
            )
        except DomainError as exc:
            raise ValidationFailed(
                format_lazy(_("Mục số {n}: {reason}"), n=entry.entry_number, reason=exc.message),
                field=exc.field,
            ) from exc
        Entry.objects.filter(pk=entry.pk).update(record_id=record.pk, status=EntryStatus.PUBLISHED)
        created += 1
    if step.from_status == BookStage.INTAKE:
        state.published_at = timezone.now()
        state.published_by = actor_name(actor)
    step.detail["records"] = created


def _unpublish(step: Step[DigitizedBook]) -> None:
    state = step.obj
    entries = Entry.objects.filter(book=state.book).exclude(record_id=None)
    count = 0
    # A linked entry only let go of the record registered directly; the others' records are
    # withdrawn from the book they were written in.
    for clash, book in ((Clash.SUPPLEMENT, None), ("", state.book)):
        ids = [
            pk
            for pk in entries.filter(clash=clash).values_list("record_id", flat=True)
            if pk is not None
        ]
        if ids:
            target = book or digitized_supplement_book(actor=step.actor, book=state.book)
            count += digitized_records_withdraw(actor=step.actor, book=target, record_ids=ids)
    entries.update(record_id=None, status=EntryStatus.VERIFIED)
    state.published_at = None
    state.published_by = ""
    step.detail["records"] = count


#: a book is keyed, verified and checked while in intake, then published as a whole (again:
#: only what is new), and withdrawn while nobody has acted on its records
BOOK_LIFECYCLE = Lifecycle(
    model=DigitizedBook,
    object_type="digitization.book",
    noun=_("sổ"),
    statuses=BookStage,
    actions=[
        Action("publish", _("Đưa vào sổ điện tử"), ARBITRATE, BookStage.PUBLISHED, _publish),
        Action(
            "unpublish",
            _("Rút khỏi sổ điện tử"),
            ARBITRATE,
            BookStage.INTAKE,
            _unpublish,
            refused_in={BookStage.INTAKE: _("Sổ chưa được đưa vào sổ điện tử.")},
        ),
    ],
    table={
        BookStage.INTAKE: ("publish",),
        BookStage.PUBLISHED: ("publish", "unpublish"),
    },
    initial=(BookStage.INTAKE,),
    scope=lambda actor, state: check_scope(actor, state.scope_unit),
    permits=permits,
    history=lambda step: None,  # the book keeps who published it and when; the audit log the rest
    audit=audit_record,
    audit_id=lambda state: state.book_id,
    select_related=("book", "scope_unit"),
    status_field="stage",
)


def book_publish(*, actor: Actor, book: Book) -> int:
    """Publish every entry of ``book`` as a historic record; returns how many were created."""
    state = digitized_book_for(book)
    step = BOOK_LIFECYCLE.run(actor=actor, obj=state, action="publish")
    return int(step.detail["records"])


def book_unpublish(*, actor: Actor, book: Book) -> int:
    """Withdraw the published records of ``book`` (only before anyone acted on them)."""
    state = digitized_book_for(book)
    step = BOOK_LIFECYCLE.run(actor=actor, obj=state, action="unpublish")
    return int(step.detail["records"])
