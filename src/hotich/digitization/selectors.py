"""Reads of digitization: books in scope, reconciliation against the closing totals, the next
entry to key, the arbitration queue, progress and per-clerk statistics."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from hotich.accounts.actors import Actor
from hotich.accounts.authz import scoped
from hotich.core.dates import display as display_date
from hotich.core.text import fold
from hotich.digitization.access import can_view_pages
from hotich.digitization.fields import display as keyed_display
from hotich.digitization.fields import fields_for
from hotich.digitization.models import (
    DigitizedBook,
    Entry,
    EntryStatus,
    Keying,
    PageImage,
    QaCheck,
)
from hotich.geo.selectors import place_options, within_unit
from hotich.registry.selectors import historic_books, record_current_values, records_numbered

if TYPE_CHECKING:
    from hotich.accounts.models import User
    from hotich.registry.models import Book


def books_in_scope(actor: Actor) -> QuerySet[Book]:
    """The books being digitized in the actor's scope (every one for the system)."""
    return historic_books(actor=actor)


def book_get(actor: Actor, book_id: int) -> Book:
    """A historic book in the actor's scope, or 404."""
    book = books_in_scope(actor).filter(pk=book_id).first()
    if book is None:
        raise Http404
    return book


def _in_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if actor is None else scoped(actor, qs, "scope_unit")


def page_get(actor: Actor, page_id: int) -> PageImage:
    page: PageImage | None = (
        _in_scope(actor, PageImage.objects.select_related("book")).filter(pk=page_id).first()
    )
    if page is None or not can_view_pages(actor):
        raise Http404
    return page


def entry_get(actor: Actor, entry_id: int) -> Entry:
    qs = Entry.objects.select_related("book", "page")
    entry: Entry | None = _in_scope(actor, qs).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def pages_of(book: Book) -> QuerySet[PageImage]:
    return PageImage.objects.filter(book=book).order_by("number")


def pages_failed(book: Book) -> QuerySet[PageImage]:
    """The book's pages whose processing stopped at a failed step, by number."""
    return pages_of(book).exclude(failed_step="")


def entries_of(book: Book) -> QuerySet[Entry]:
    return Entry.objects.filter(book=book).order_by("entry_number")


@dataclass
class Reconciliation:
    closing_pages: int | None
    closing_entries: int | None
    pages: int
    entries: int
    missing_pages: int = 0
    missing_entries: list[int] = field(default_factory=list)
    extra_entries: list[int] = field(default_factory=list)
    empty_pages: list[int] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.closing_pages is not None and self.closing_entries is not None

    @property
    def ok(self) -> bool:
        return (
            self.known
            and self.missing_pages == 0
            and self.pages == self.closing_pages
            and not self.missing_entries
            and not self.extra_entries
        )


def book_reconcile(book: Book) -> Reconciliation:
    """Pages and entries found against the totals of the book's closing page."""
    state = DigitizedBook.objects.filter(book=book).first()
    closing_pages = state.closing_pages if state else (book.total_pages or None)
    closing_entries = state.closing_entries if state else (book.total_entries or None)
    pages = PageImage.objects.filter(book=book).count()
    numbers = set(Entry.objects.filter(book=book).values_list("entry_number", flat=True))
    result = Reconciliation(closing_pages, closing_entries, pages, len(numbers))
    if closing_pages is not None:
        result.missing_pages = max(0, closing_pages - pages)
    if closing_entries is not None:
        result.missing_entries = [n for n in range(1, closing_entries + 1) if n not in numbers]
        result.extra_entries = sorted(n for n in numbers if n > closing_entries)
    else:
        top = max(numbers, default=0)
        result.missing_entries = [n for n in range(1, top + 1) if n not in numbers]
    with_entries = set(Entry.objects.filter(book=book).values_list("page_id", flat=True))
    result.empty_pages = [
        n
        for pk, n in PageImage.objects.filter(book=book).values_list("pk", "number")
        if pk not in with_entries
    ]
    return result


def book_progress(book: Book) -> dict[str, int]:
    """Counts of a book's pages and entries at each stage."""
    counts = dict(Entry.objects.filter(book=book).values_list("status").annotate(n=Count("pk")))
    return {
        "pages": PageImage.objects.filter(book=book).count(),
        "pages_ready": PageImage.objects.filter(book=book, derivatives="ready").count(),
        "entries": sum(counts.values()),
        **{status: counts.get(status, 0) for status in EntryStatus.values},
    }


@dataclass
class UnitProgress:
    """The historic books a unit holds (its ``scope_unit``) and how far their digitization
    has come: pages, the entries the closed books hold (their closing totals), the entries
    marked on the page images and how many are at each step."""

    unit_id: int
    books: int = 0
    expected: int = 0
    pages: int = 0
    stages: dict[str, int] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        return sum(self.stages.values())


def progress_per_unit(actor: Actor, unit_ids: list[int]) -> dict[int, UnitProgress]:
    """:func:`book_progress` added up per unit holding the books, for the books in the actor's
    scope (every one for the system) held by ``unit_ids``: three grouped queries however many
    books (reporting's computed indicators)."""
    books = books_in_scope(actor).filter(scope_unit_id__in=unit_ids)
    out: dict[int, UnitProgress] = {}
    for unit_id, n, expected in (
        books.order_by().values("scope_unit_id").annotate(n=Count("pk"), total=Sum("total_entries"))
        .values_list("scope_unit_id", "n", "total")
    ):  # fmt: skip
        out[unit_id] = UnitProgress(unit_id, books=n, expected=expected or 0)
    ids = books.values("pk")
    for unit_id, n in (
        PageImage.objects.filter(book__in=ids).order_by().values("book__scope_unit_id")
        .annotate(n=Count("pk")).values_list("book__scope_unit_id", "n")
    ):  # fmt: skip
        out[unit_id].pages = n
    for unit_id, status, n in (
        Entry.objects.filter(book__in=ids).order_by().values("book__scope_unit_id", "status")
        .annotate(n=Count("pk")).values_list("book__scope_unit_id", "status", "n")
    ):  # fmt: skip
        out[unit_id].stages[status] = n
    return out


def entry_next_for_keying(actor: User, book: Book, *, after: int = 0) -> Entry | None:
    """The next entry of ``book`` the actor may key (not keyed twice, not keyed by them)."""
    qs = (
        Entry.objects.filter(book=book, status__in=[EntryStatus.NEW, EntryStatus.KEYED_ONCE])
        .exclude(keyings__clerk=actor)
        .order_by("entry_number")
    )
    return qs.filter(entry_number__gt=after).first() or qs.first()


def arbitration_queue(actor: Actor, book: Book | None = None) -> QuerySet[Entry]:
    qs = _in_scope(actor, Entry.objects.filter(status=EntryStatus.ARBITRATION))
    if book is not None:
        qs = qs.filter(book=book)
    if actor is not None:
        qs = qs.exclude(keyings__clerk=actor)
    return qs.select_related("book", "page").order_by("book_id", "entry_number")


def qa_pending(book: Book) -> QuerySet[Entry]:
    """Sampled verified entries of ``book`` not yet re-checked."""
    return (
        Entry.objects.filter(book=book, qa_sampled=True, status=EntryStatus.VERIFIED)
        .exclude(pk__in=QaCheck.objects.values("entry_id"))
        .order_by("entry_number")
    )


def qa_passed(book: Book) -> bool:
    """Every sampled entry re-checked (a failure widened the sample to the whole book)."""
    sampled = Entry.objects.filter(book=book, qa_sampled=True)
    return sampled.exists() and not qa_pending(book).exists()


#: The share of two keyers' errors on the same field that are the same wrong value (and so pass
#: the comparison unseen). 1 assumes every coincident error is identical: an upper bound.
COINCIDENT_SAME_VALUE = 1.0


def error_rate(errors: int, fields: int) -> float:
    """A keyer's estimated error rate per field: the errors comparison, arbitration and QA found,
    by Laplace's rule ``(errors + 1) / (fields + 2)``, so that a finite count never claims 0."""
    return (errors + 1) / (fields + 2)


@dataclass
class ClerkStats:
    clerk_id: int
    username: str
    keyings: int
    fields_total: int
    fields_kept: int
    per_day: dict[str, int]
    median_seconds: float | None
    #: estimated share of this clerk's kept fields that are errors both keyers made identically
    undetected: float | None = None

    @property
    def accuracy(self) -> float | None:
        """The share of fields kept: errors both keyers made identically count as kept."""
        return self.fields_kept / self.fields_total if self.fields_total else None

    @property
    def accuracy_at_least(self) -> float | None:
        """Accuracy less the estimated undetected errors, in percent, rounded down to 0.1."""
        if self.accuracy is None or self.undetected is None:
            return None
        return math.floor((self.accuracy - self.undetected) * 1000 + 1e-9) / 10

    @property
    def undetected_at_most(self) -> float | None:
        """The estimated undetected errors in percent, rounded up to 0.01."""
        if self.undetected is None:
            return None
        return math.ceil(self.undetected * 10000 - 1e-9) / 100


def clerk_stats(actor: User | None, *, since: dt.date | None = None) -> list[ClerkStats]:
    """Per clerk, in the actor's scope: keyings, accuracy over finished entries (share of their
    fields that survived comparison, arbitration and QA), the estimated undetected error share
    (see ``undetected_errors``), entries per day, median keying time."""
    qs = Keying.objects.select_related("clerk")
    if actor is not None:
        qs = within_unit(qs, actor.unit, "entry__scope_unit")
    if since is not None:
        qs = qs.filter(submitted_at__date__gte=since)
    done = [EntryStatus.VERIFIED, EntryStatus.PUBLISHED]
    finished = list(
        qs.filter(entry__status__in=done).values_list(
            "entry_id", "clerk_id", "fields_total", "fields_kept"
        )
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for _entry, clerk, total, kept in finished:
        totals[clerk][0] += total
        totals[clerk][1] += kept
    undetected = undetected_errors(finished)
    by_clerk: dict[int, ClerkStats] = {}
    durations: dict[int, list[float]] = {}
    for k in qs.order_by("submitted_at").only(
        "clerk_id", "clerk__username", "submitted_at", "started_at"
    ):
        stats = by_clerk.get(k.clerk_id)
        if stats is None:
            total, kept = totals.get(k.clerk_id, (0, 0))
            stats = by_clerk[k.clerk_id] = ClerkStats(
                k.clerk_id,
                k.clerk.username,
                0,
                total,
                kept,
                {},
                None,
                undetected.get(k.clerk_id),
            )
        stats.keyings += 1
        day = k.submitted_at.date().isoformat()
        stats.per_day[day] = stats.per_day.get(day, 0) + 1
        if k.started_at:
            durations.setdefault(k.clerk_id, []).append(
                (k.submitted_at - k.started_at).total_seconds()
            )
    for clerk_id, values in durations.items():
        by_clerk[clerk_id].median_seconds = round(median(values), 1)
    return sorted(by_clerk.values(), key=lambda s: s.username)


def undetected_errors(
    keyings: list[tuple[int, int, int, int]], *, q: float = COINCIDENT_SAME_VALUE
) -> dict[int, float]:
    """Per clerk, the estimated share of their kept fields that are undetected errors.

    ``keyings``: ``(entry, clerk, fields_total, fields_kept)`` of finished entries. Two keyers
    erring independently at rates ``a`` and ``b`` per field both err on a field with chance
    ``a·b``; a share ``q`` of those are the same wrong value, which the comparison cannot see.
    So clerk ``c`` has ``q · a_c · b`` undetected errors per field, ``b`` being the rate of
    whoever keyed the same entry (weighted by fields; a partner outside the rows: the rate of
    all rows together). Rates are :func:`error_rate`.
    """
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    by_entry: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for entry, clerk, total, kept in keyings:
        totals[clerk][0] += total
        totals[clerk][1] += total - kept
        by_entry[entry].append((clerk, total))
    rate = {clerk: error_rate(errors, fields) for clerk, (fields, errors) in totals.items()}
    pooled = error_rate(
        sum(errors for _f, errors in totals.values()), sum(f for f, _e in totals.values())
    )
    weighted: dict[int, float] = defaultdict(float)
    for pair in by_entry.values():
        for clerk, fields in pair:
            partners = [rate[other] for other, _n in pair if other != clerk]
            weighted[clerk] += fields * (partners[0] if partners else pooled)
    return {
        clerk: q * rate[clerk] * weighted[clerk] / fields
        for clerk, (fields, _errors) in totals.items()
        if fields
    }


def old_place_options(book: Book, limit: int = 400) -> list[tuple[str, str]]:
    """Place names of the time for the keying form: (``"Xã A, Huyện B"``, today's unit) for the
    communes of the district the book's unit belonged to (old units, mapped to today's)."""
    return place_options(book.unit.parent or book.unit, era=book.unit.era, limit=limit)


def activity_per_day(actor: User | None, *, days: int = 30) -> list[dict[str, Any]]:
    """Per day over the last ``days`` days in the actor's scope: keyings, arbitrated entries and
    pages scanned (for the progress chart)."""
    since = timezone.now() - dt.timedelta(days=days)
    keyings = Keying.objects.filter(submitted_at__gte=since)
    pages = PageImage.objects.filter(created_at__gte=since)
    if actor is not None:
        keyings = within_unit(keyings, actor.unit, "entry__scope_unit")
        pages = within_unit(pages, actor.unit, "scope_unit")

    def per_day(qs: QuerySet[Any], field: str) -> dict[dt.date, int]:
        return dict(qs.annotate(day=TruncDate(field)).values_list("day").annotate(n=Count("pk")))

    keyed = per_day(keyings, "submitted_at")
    scanned = per_day(pages, "created_at")
    today = timezone.localdate()
    out: list[dict[str, Any]] = []
    for offset in range(days - 1, -1, -1):
        day = today - dt.timedelta(days=offset)
        out.append({"day": day, "keyings": keyed.get(day, 0), "pages": scanned.get(day, 0)})
    top = max((max(r["keyings"], r["pages"]) for r in out), default=0) or 1
    for row in out:
        row["keyings_pct"] = round(100 * row["keyings"] / top)
        row["pages_pct"] = round(100 * row["pages"] / top)
    return out


def pages_text_search(actor: Actor, query: str, limit: int = 50) -> list[PageImage]:
    """Pages whose OCR text contains every word of ``query`` (diacritics and case as typed or
    not: both sides are folded), in the actor's scope."""
    words = [w for w in fold(query).split() if len(w) > 1][:6]
    if not words:
        return []
    qs = _in_scope(actor, PageImage.objects.exclude(ocr_text="").select_related("book"))
    if not can_view_pages(actor):
        return []
    out = []
    for page in qs.order_by("book_id", "number").iterator():
        text = fold(page.ocr_text)
        if all(w in text for w in words):
            out.append(page)
            if len(out) >= limit:
                break
    return out


@dataclass
class EntryClash:
    """A verified entry of the paper whose number a record registered directly already holds,
    the two side by side: ``rows`` are ``(label, on the paper, in the record)``."""

    entry: Entry
    record: Any
    rows: list[tuple[Any, str, str]]


def book_clashes(actor: Actor, book: Book) -> list[EntryClash]:
    """The unpublished entries of ``book`` whose numbers clash with directly registered records,
    with the way chosen for each (``entry.clash``; empty: not chosen yet)."""
    entries = list(Entry.objects.filter(book=book, record_id=None).order_by("entry_number"))
    taken = records_numbered(book=book, numbers=[e.entry_number for e in entries])
    out = []
    for entry in entries:
        record = taken.get(entry.entry_number)
        if record is None:
            continue
        current = record_current_values(actor=actor, record=record, purpose="digitized_clash")
        rows = []
        for f in fields_for(book.event_type):
            if f.name == "registration_date":
                theirs = display_date(record.registration)
            elif "." in f.name:
                role, key = f.name.split(".", 1)
                theirs = str(current["parties"].get(role, {}).get(key, ""))
                if key == "birth_date":
                    theirs = display_date(theirs)
            else:
                theirs = str(current["data"].get(f.name, ""))
            paper = keyed_display(entry.values.get(f.name))
            if f.kind == "date" and not (entry.values.get(f.name) or {}).get("m"):
                paper = display_date(paper)
            rows.append((f.label, paper, theirs))
        out.append(EntryClash(entry=entry, record=record, rows=rows))
    return out


def book_viewable(actor: Actor, book_id: int) -> Book:
    """A book whose pages the actor may see (the page rules: scope, and a role that sees page
    images), or 404."""
    book = book_get(actor, book_id)
    if not can_view_pages(actor):
        raise Http404
    return book


def book_canvases(book: Book) -> list[tuple[PageImage, list[Entry]]]:
    """The book's pages that have an image, in order, each with its marked entries."""
    pages = list(pages_of(book).filter(derivatives="ready"))
    by_page: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries_of(book).filter(page__in=pages):
        by_page[entry.page_id].append(entry)
    return [(page, by_page[page.pk]) for page in pages]


# --- offline keying (hotich.offline) -----------------------------------------------------------


def entry_version(entry: Entry) -> str:
    """The version of an entry a keying is based on: what the clerk reads it from (the page, the
    box on it, the number). Another clerk's blind keying does not change it; marking the entry
    again does."""
    basis = json.dumps([entry.page_id, entry.entry_number, entry.region], sort_keys=True)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def entries_to_key(actor: User, *, limit: int) -> list[Entry]:
    """The entries the actor may key, in scope, oldest books first: not keyed twice, not keyed by
    them, each with a marked region on a page whose image is ready."""
    qs = (
        _in_scope(
            actor,
            Entry.objects.filter(
                status__in=[EntryStatus.NEW, EntryStatus.KEYED_ONCE],
                page__derivatives="ready",
            ),
        )
        .exclude(keyings__clerk=actor)
        .select_related("book", "book__unit", "page")
        .order_by("book_id", "entry_number")
    )
    return list(qs[:limit])


def keying_form(event_type: str) -> list[dict[str, Any]]:
    """The keying form of an event type as plain data (name, label, kind, choices, length)."""
    return [
        {
            "name": f.name,
            "label": str(f.label),
            "kind": f.kind,
            "choices": [[value, str(label)] for value, label in f.choices],
            "max_length": f.max_length,
        }
        for f in fields_for(event_type)
    ]


def keying_state(entry: Entry, clerk: User) -> dict[str, Any]:
    """What the server holds for ``entry`` as the clerk may see it, to put beside the clerk's own
    version when theirs cannot be applied: their own keying when they made one, the values
    decided when the entry is verified or published (a keying of someone else stays blind)."""
    own = entry.keyings.filter(clerk=clerk).first()
    decided = entry.status in (EntryStatus.VERIFIED, EntryStatus.PUBLISHED)
    return {
        "status": entry.status,
        "status_label": str(entry.get_status_display()),
        "version": entry_version(entry),
        "values": own.values if own is not None else (entry.values if decided else {}),
        "by_you": own is not None,
    }


def arbitration_version(entry: Entry) -> str:
    """The version of an entry in arbitration an arbitrator's decision is based on: its box on
    the page and the two keyings that differ (the fields to decide and both values). Drawing the
    box again, a keying replaced or a field decided changes it."""
    pending = sorted((d.field, d.first, d.second) for d in entry.decisions.filter(decided_at=None))
    basis = json.dumps([entry_version(entry), entry.status, pending], sort_keys=True)
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def arbitration_item(entry: Entry) -> dict[str, Any]:
    """An entry in arbitration as the arbitrator sees it to decide: the fields both keyings
    agree on and, for each field where they differ, both values (raw and as shown)."""
    labels = {f.name: str(f.label) for f in fields_for(entry.book.event_type)}
    return {
        "decisions": [
            {
                "field": d.field,
                "label": labels.get(d.field, d.field),
                "first": d.first,
                "second": d.second,
                "first_shown": str(keyed_display(d.first)),
                "second_shown": str(keyed_display(d.second)),
            }
            for d in entry.decisions.filter(decided_at=None).order_by("pk")
        ],
        "agreed": [
            [labels[name], str(keyed_display(value))]
            for name, value in entry.values.items()
            if name in labels
        ],
    }


def arbitration_to_take(actor: User, *, limit: int) -> list[Entry]:
    """The entries in arbitration the actor may decide, in scope, with an image ready."""
    qs = arbitration_queue(actor).filter(page__derivatives="ready").select_related("book__unit")
    return list(qs[:limit])


def arbitration_state(entry: Entry) -> dict[str, Any]:
    """What the server holds for an entry an arbitrator decided offline, to put beside the
    decision when it cannot be applied: the values decided once verified, else the fields
    still to decide with both keyings' values."""
    decided = entry.status in (EntryStatus.VERIFIED, EntryStatus.PUBLISHED)
    return {
        "status": entry.status,
        "status_label": str(entry.get_status_display()),
        "version": arbitration_version(entry),
        "values": entry.values if decided else {},
        **({} if decided else arbitration_item(entry)),
    }
