"""The name index, kept in step with ``Person`` by the services.

SQLite: an FTS5 table ``registry_person_fts`` (rowid = person id) over the folded full name, with
prefix indexes, so a query matches any word of a name by prefix. PostgreSQL: a GIN trigram index
on ``registry_person.name_folded`` (migration 0002), queried with word-start regular expressions;
nothing to maintain here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection

from hotich.core.text import fold

FTS_TABLE = "registry_person_fts"
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} "
    "USING fts5(name, tokenize='unicode61', prefix='1 2 3')"
)


def uses_fts() -> bool:
    return connection.vendor == "sqlite"


def index_persons(rows: Iterable[tuple[int, str]]) -> None:
    """(person id, folded full name) pairs to (re)index."""
    if not uses_fts():
        return
    pairs = [(pk, name) for pk, name in rows]
    if not pairs:
        return
    with connection.cursor() as cursor:
        # FTS_TABLE is a constant; values are bound parameters.
        delete = f"DELETE FROM {FTS_TABLE} WHERE rowid = %s"  # noqa: S608
        insert = f"INSERT INTO {FTS_TABLE}(rowid, name) VALUES (%s, %s)"  # noqa: S608
        cursor.executemany(delete, [(p,) for p, _n in pairs])
        cursor.executemany(insert, pairs)


def query_words(query: str) -> list[str]:
    """The folded words of a query, letters and digits only."""
    return [w for w in re.split(r"[^0-9a-z]+", fold(query)) if w]


def fts_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word, each as a prefix."""
    return " AND ".join(f'"{w}"*' for w in words)


def fts_person_ids_sql() -> str:
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
