"""Search across the documents a user may see (ADR 24): the number, original number, title,
sender, summary, body and the text read from the file (text layer or OCR of a scan), without
diacritics; each typed word matches a whole word, the last one the start of a word (it may be
still being typed). PostgreSQL answers from a GIN index on
``content_tsv``, a stored ``to_tsvector('simple', content_key)`` column the migration adds there,
when the user's scope is one unit (a commune) from the unit-keyed index (``search_sql``) that
holds only that unit's words, and for wider scopes from the month-keyed index read month by month
(ADR 33); other databases scan ``content_key`` (``LIKE``)."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import is_staff_user
from hotich.core.errors import ValidationFailed
from hotich.core.text import fold
from hotich.documents.models import Document, content_words
from hotich.documents.search_sql import (
    CONTENT_CHECK,
    CONTENT_MATCH,
    MONTH_MATCH,
    UNIT_MATCH,
    month_word,
    unit_word,
)
from hotich.documents.selectors import (
    DOCUMENT_RELATED,
    REGISTER_YEARS,
    _check_year,
    documents_visible,
)
from hotich.geo.vocabulary import Level

#: results on one page, words of a query read
SEARCH_LIMIT = 50
MAX_WORDS = 8
SNIPPET_CHARS = 90
#: the edges of the windows of time a search by a commune's user reads in turn (days before
#: now), and how many of the newest documents other users' searches check row by row (ADR 29)
WINDOW_DAYS = (31, 366, 3 * 366)
RECENT_ROWS = 2000
#: the length from which the last typed word, a prefix, is looked up in the month-keyed index
PREFIX_INDEXED = 3


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    year: int | None = None
    direction: str = ""
    doc_type: str = ""
    sender: str = ""


@dataclass(frozen=True)
class Snippet:
    before: str
    match: str
    after: str


@dataclass
class SearchHit:
    document: Document
    snippet: Snippet | None


@dataclass
class SearchResults:
    """One page of hits, newest first; ``more``: other documents match too (the page is full),
    without counting them."""

    hits: list[SearchHit]
    more: bool

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


def _words(text: str) -> list[str]:
    return content_words(text).split()[:MAX_WORDS]


def _one_unit(actor: Actor) -> int | None:
    """The actor's unit when their scope (``documents_visible``) holds that unit only: a
    commune has no unit below it."""
    if actor is None or not is_staff_user(actor) or actor.unit is None:
        return None
    return actor.unit_id if actor.unit.level == Level.COMMUNE else None


def _all_words(words: list[str], *, prefix: bool = True) -> str:
    """The ``to_tsquery`` text of every word, the last one as a prefix (``dat & dai:*``) unless
    ``prefix`` is false."""
    return " & ".join([*words[:-1], f"{words[-1]}:*" if prefix else words[-1]])


def _match_words(
    qs: QuerySet[Document],
    words: list[str],
    unit_id: int | None = None,
    *,
    scan: bool = False,
    months: list[dt.date] | None = None,
) -> QuerySet[Document]:
    """``qs`` holding every word; ``scan``: checked row by row (the newest documents, read in
    order), not looked up in the word index; ``months``: looked up in the month-keyed index,
    the entries of these months only (the caller bounds ``created_at`` to them)."""
    if not words:
        return qs
    if connection.vendor == "postgresql":
        # words hold only [0-9a-z]; constants, the words a parameter
        if unit_id is not None:
            # the scope is this one unit: its own entries of the unit-keyed index
            sql, tsquery = UNIT_MATCH, _all_words([unit_word(unit_id, w) for w in words])
        elif months:
            return _match_months(qs, words, months)
        else:
            sql, tsquery = (CONTENT_CHECK if scan else CONTENT_MATCH), _all_words(words)
        return qs.filter(RawSQL(sql, (tsquery,), output_field=BooleanField()))  # noqa: S611
    for word in words[:-1]:
        qs = qs.filter(Q(content_key__contains=f" {word} ") | Q(content_key__endswith=f" {word}"))
    return qs.filter(content_key__contains=f" {words[-1]}")


def _match_months(
    qs: QuerySet[Document], words: list[str], months: list[dt.date]
) -> QuerySet[Document]:
    """``qs`` holding every word, found in the month-keyed index (PostgreSQL). GIN gathers
    every word a prefix starts before intersecting: a short last word (``vp``, ``co``) starts
    hundreds, and after a number (``1386 ttr ubnd``, rare) even one common word costs more
    than the rows the number finds. Then the whole words before the last one find the rows,
    each row checked for every word."""
    number = any(ch.isdigit() for word in words[:-1] for ch in word)
    prefix = len(words) == 1 or (len(words[-1]) >= PREFIX_INDEXED and not number)
    indexed = words if prefix else words[:-1]
    ored = " | ".join(
        f"({_all_words([month_word(m, w) for w in indexed], prefix=prefix)})" for m in months
    )
    qs = qs.filter(RawSQL(MONTH_MATCH, (ored,), output_field=BooleanField()))  # noqa: S611
    if prefix:
        return qs
    every = RawSQL(CONTENT_CHECK, (_all_words(words),), output_field=BooleanField())  # noqa: S611
    return qs.filter(every)


def _recent_edge() -> dt.datetime | None:
    """When the ``RECENT_ROWS``-th newest document (of all) was made, or None when there are
    fewer (read from ``documents_newest`` alone)."""
    edge = (
        Document.objects.order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)[RECENT_ROWS - 1 : RECENT_ROWS]
        .first()
    )
    return edge


def _oldest() -> dt.datetime | None:
    """When the oldest document was made (the other end of ``documents_newest``)."""
    oldest = Document.objects.order_by("created_at", "pk").values_list("created_at", flat=True)
    return oldest.first()


def document_search(
    *, actor: Actor, query: SearchQuery, limit: int = SEARCH_LIMIT
) -> SearchResults:
    """Documents in the actor's scope matching every typed word (and the filters), newest first,
    each with the passage of its text where a word was found; at most ``limit``, and whether
    there are more."""
    words = _words(query.text)
    sender = fold(query.sender).strip()
    if not words and not sender:
        raise ValidationFailed(_("Nhập ít nhất một từ để tìm."), field="q")
    if query.year is not None:
        _check_year(query.year, REGISTER_YEARS)
    qs = documents_visible(actor)
    if query.year:
        qs = qs.filter(Q(year=query.year) | Q(year__isnull=True, created_at__year=query.year))
    if query.direction:
        qs = qs.filter(direction=query.direction)
    if query.doc_type:
        qs = qs.filter(doc_type=query.doc_type)
    if sender:
        qs = qs.filter(search_key__contains=sender)
    # the windows' queries read the keys of the rows only; the page's documents are read once
    qs = qs.select_related(None).only("created_at").order_by("-created_at", "-pk")
    limit = min(limit, SEARCH_LIMIT)
    unit_id = _one_unit(actor)
    # newest first (ADR 29), one row more than the page telling whether there are more
    rows: list[Document] = []
    windows = [(None, None)] if query.year else search_windows(timezone.now())
    if unit_id is None and not query.year:
        rows, windows = _newest_then_by_month(qs, words, limit), []
    for since, until in windows:
        if len(rows) > limit:
            break
        part = _match_words(qs, words, unit_id)
        if since is not None:
            part = part.filter(created_at__gte=since)
        if until is not None:
            part = part.filter(created_at__lt=until)
        rows.extend(part[: limit + 1 - len(rows)])
    page = [row.pk for row in rows[:limit]]
    documents = (
        Document.objects.select_related(*DOCUMENT_RELATED)
        .defer("content_key", "signature_report")
        .in_bulk(page)
    )
    return SearchResults(
        hits=[
            SearchHit(document=documents[pk], snippet=snippet_of(documents[pk], words))
            for pk in page
            if pk in documents
        ],
        more=len(rows) > limit,
    )


def _newest_then_by_month(qs: QuerySet[Document], words: list[str], limit: int) -> list[Document]:
    """Up to ``limit`` + 1 rows of ``qs`` holding ``words``, newest first, for a scope wider
    than a commune: the newest ``RECENT_ROWS`` documents read in order, each checked (a common
    word fills the page there), then the month-keyed index over what is older, in the windows
    of ``month_windows``, stopping when the page is full."""
    edge = _recent_edge()
    recent = _match_words(qs, words, scan=True)
    rows = list((recent if edge is None else recent.filter(created_at__gte=edge))[: limit + 1])
    oldest = None if edge is None or len(rows) > limit else _oldest()
    if edge is None or oldest is None:
        return rows
    for since, until, months in month_windows(edge, oldest):
        if len(rows) > limit:
            break
        part = _match_words(qs, words, months=months)
        part = part.filter(created_at__gte=since, created_at__lt=until)
        rows.extend(part[: limit + 1 - len(rows)])
    return rows


def _month_start(month: dt.date) -> dt.datetime:
    return dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC)


def _month_before(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def month_windows(
    edge: dt.datetime, oldest: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, list[dt.date]]]:
    """The windows of ``created_at`` from ``oldest`` up to before ``edge``, newest first, each
    with its months (in UTC, as the month-keyed index has them): the edge's month, then the 2,
    4, 8 … months before, so that a search stopping in a window has read at most about twice
    what it needed, in a few queries however old the register is."""
    month = edge.astimezone(dt.UTC).date().replace(day=1)
    last = oldest.astimezone(dt.UTC).date().replace(day=1)
    windows = []
    until, size = edge, 1
    while month >= last:
        months: list[dt.date] = []
        while month >= last and len(months) < size:
            months.append(month)
            month = _month_before(month)
        since = _month_start(months[-1])
        windows.append((since, until, months))
        until, size = since, size * 2
    return windows


def search_windows(now: dt.datetime) -> list[tuple[dt.datetime | None, dt.datetime | None]]:
    """The windows of ``created_at`` a search reads in turn, newest first, together covering
    all time: the last month, the rest of the last year, the two years before, everything
    older."""
    edges = [now - dt.timedelta(days=days) for days in WINDOW_DAYS]
    starts: list[dt.datetime | None] = [*edges, None]
    ends: list[dt.datetime | None] = [None, *edges]
    return list(zip(starts, ends, strict=True))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(
        c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn"
    ).lower()
    return base if len(base) == 1 else " "


def _folded_chars(text: str) -> str:
    """``fold`` character by character, so that positions in the result are positions in
    ``text`` (a character that folds to nothing or to several is kept as one)."""
    return "".join(map(_fold_char, text))


def _find_word(folded: str, word: str) -> int:
    start = 0
    while True:
        at = folded.find(word, start)
        if at < 0:
            return -1
        if at == 0 or not folded[at - 1].isalnum():
            return at
        start = at + 1


def snippet_of(document: Document, words: list[str]) -> Snippet | None:
    """The passage of the body, the text read from the file or the summary around the first
    typed word found there (words found only in the number or title need no passage)."""
    for source in (document.body, document.text, document.summary):
        if not source:
            continue
        text = " ".join(unicodedata.normalize("NFC", source).split())
        folded = _folded_chars(text)
        for word in words:
            at = _find_word(folded, word)
            if at < 0:
                continue
            end = at + len(word)
            while end < len(text) and folded[end].isalnum():
                end += 1
            start = max(0, at - SNIPPET_CHARS)
            stop = min(len(text), end + SNIPPET_CHARS)
            before = ("…" if start else "") + text[start:at]
            after = text[end:stop] + ("…" if stop < len(text) else "")
            return Snippet(before=before, match=text[at:end], after=after)
    return None


def search_years(today: dt.date) -> list[int]:
    """The years offered by the search form, this year first."""
    return list(range(today.year, today.year - 6, -1))
