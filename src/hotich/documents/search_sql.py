"""The SQL of the unit-keyed search index (ADR 24), shared by its migration and the selector:
the planner uses an expression index only for the very same expression.

Each word ``w`` of ``content_key`` becomes ``u<unit_id>x<w>`` (``u5xho``), so that a word typed
by a user whose scope is one unit (a commune) reads only that unit's entries of the index, the
last one a prefix (``u5xtich:*``) only that unit's words starting so."""

UNIT_INDEX = "documents_document_unit_fts"
UNIT_TSVECTOR = (
    'to_tsvector(\'simple\'::regconfig, regexp_replace("documents_document"."content_key", '
    "'(\\S+)', 'u' || \"documents_document\".\"unit_id\"::text || 'x\\1', 'g'))"
)


def unit_word(unit_id: int, word: str) -> str:
    """A typed (folded) word as the unit-keyed index spells it."""
    return f"u{unit_id}x{word}"


#: the conditions the selector adds, the typed words as the one parameter (a ``to_tsquery`` text)
CONTENT_MATCH = '"documents_document"."content_tsv" @@ to_tsquery(\'simple\'::regconfig, %s)'
UNIT_MATCH = UNIT_TSVECTOR + " @@ to_tsquery('simple'::regconfig, %s)"
#: the same test as ``CONTENT_MATCH`` written so that no index answers it (ADR 29): the newest
#: documents are read in order (``documents_newest``) and each row's words checked, stopping
#: when the page is full, instead of the GIN index listing every matching document first
CONTENT_CHECK = (
    '("documents_document"."content_tsv" || \'\'::tsvector) '
    "@@ to_tsquery('simple'::regconfig, %s)"
)
