"""The SQL of the keyed search indexes (ADR 24, ADR 33), shared by their migrations and the
selector: the planner uses an expression index only for the very same expression.

Each word ``w`` of ``content_key`` becomes ``u<unit_id>x<w>`` (``u5xho``), so that a word typed
by a user whose scope is one unit (a commune) reads only that unit's entries of the index, the
last one a prefix (``u5xtich:*``) only that unit's words starting so. In the month-keyed index
it becomes ``m<yyyymm>x<w>`` (``m202612xho``, the month of ``created_at`` in UTC), so that a
search reading the register month by month, newest first, decodes only those months' entries."""

import datetime as dt

UNIT_INDEX = "documents_document_unit_fts"
UNIT_TSVECTOR = (
    'to_tsvector(\'simple\'::regconfig, regexp_replace("documents_document"."content_key", '
    "'(\\S+)', 'u' || \"documents_document\".\"unit_id\"::text || 'x\\1', 'g'))"
)


def unit_word(unit_id: int, word: str) -> str:
    """A typed (folded) word as the unit-keyed index spells it."""
    return f"u{unit_id}x{word}"


MONTH_INDEX = "documents_document_month_fts"
_UTC = '("documents_document"."created_at" AT TIME ZONE \'UTC\')'
MONTH_TSVECTOR = (
    'to_tsvector(\'simple\'::regconfig, regexp_replace("documents_document"."content_key", '
    f"'(\\S+)', 'm' || (date_part('year', {_UTC}) * 100 + date_part('month', {_UTC}))"
    "::integer::text || 'x\\1', 'g'))"
)


def month_word(month: dt.date, word: str) -> str:
    """A typed (folded) word as the month-keyed index spells it for the month of ``month``."""
    return f"m{month.year}{month.month:02d}x{word}"


#: the conditions the selector adds, the typed words as the one parameter (a ``to_tsquery`` text)
CONTENT_MATCH = '"documents_document"."content_tsv" @@ to_tsquery(\'simple\'::regconfig, %s)'
UNIT_MATCH = UNIT_TSVECTOR + " @@ to_tsquery('simple'::regconfig, %s)"
MONTH_MATCH = MONTH_TSVECTOR + " @@ to_tsquery('simple'::regconfig, %s)"
#: the same test as ``CONTENT_MATCH`` written so that no index answers it (ADR 29): the newest
#: documents are read in order (``documents_newest``) and each row's words checked, stopping
#: when the page is full, instead of the GIN index listing every matching document first
CONTENT_CHECK = (
    '("documents_document"."content_tsv" || \'\'::tsvector) '
    "@@ to_tsquery('simple'::regconfig, %s)"
)
