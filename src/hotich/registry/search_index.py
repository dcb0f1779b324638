"""The name index, the same on SQLite and PostgreSQL: one ``NameToken`` row per word of each
person's folded name, with the person's birth year, kept in step with ``Person`` by the services.

A typed word ``w`` matches the persons having a word that starts with ``w``: a range scan
``token >= w AND token < w'`` (``w'`` is ``w`` with its last letter moved one on) over the index
``(birth_year, token, person)`` when a birth year is given, else over ``(token, person)``. Names
are folded (no diacritics, đ → d, lower case), so a wrong tone mark or none still matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import QuerySet

from hotich.core.text import fold
from hotich.registry.models import NameToken

TOKEN_MAX = 40
WORDS_MAX = 120
_BATCH = 500
CANDIDATE_CAP = 5000


def query_words(query: str) -> list[str]:
    """The folded words of a query or a name, letters and digits only."""
    return [w for w in re.split(r"[^0-9a-z]+", fold(query)) if w]


def name_tokens(name_folded: str) -> list[str]:
    """The distinct index words of a folded name, in order."""
    return list(dict.fromkeys(w[:TOKEN_MAX] for w in query_words(name_folded)))


def index_persons(rows: Iterable[tuple[int, str, int | None]]) -> None:
    """(Re)index persons given as (person id, folded full name, birth year)."""
    pending = list(rows)
    for start in range(0, len(pending), _BATCH):
        chunk = pending[start : start + _BATCH]
        NameToken.objects.filter(person_id__in=[pk for pk, _n, _y in chunk]).delete()
        NameToken.objects.bulk_create(
            [
                NameToken(person_id=pk, token=token, birth_year=year, words=words)
                for pk, name, year in chunk
                for words, tokens in [_words_and_tokens(name)]
                for token in tokens
            ],
            batch_size=2000,
        )


def _words_and_tokens(name_folded: str) -> tuple[str, list[str]]:
    tokens = name_tokens(name_folded)
    return words_field(tokens), tokens


def words_field(tokens: list[str]) -> str:
    """All the name words, each after a space (" nguyen thi hang"), so that "a word starts with
    w" is ``words LIKE '% w%'``."""
    return ("".join(f" {t}" for t in tokens))[:WORDS_MAX]


def word_upper_bound(word: str) -> str:
    """The smallest string greater than every string starting with ``word`` (``ha`` → ``hb``)."""
    return word[:-1] + chr(ord(word[-1]) + 1)


def persons_with_word(word: str, birth_year: int | None = None) -> QuerySet[NameToken, int]:
    """Ids of the persons having a name word that starts with ``word`` (born in ``birth_year``)."""
    word = word[:TOKEN_MAX]
    tokens = NameToken.objects.filter(token__gte=word, token__lt=word_upper_bound(word))
    if birth_year is not None:
        tokens = tokens.filter(birth_year=birth_year)
    return tokens.values_list("person_id", flat=True)


def persons_matching(words: list[str], birth_year: int | None = None) -> list[int] | None:
    """Ids of the persons having, for every typed word, a name word that starts with it; None
    when they are more than ``CANDIDATE_CAP`` (the caller then ranks in the database).

    One index range scan: the range of the driving word (the last typed, the given name in a
    Vietnamese name and its most varied part; surnames and "Văn"/"Thị" are shared by a large
    share of people), with the other words checked on the ``words`` column of the same index.
    """
    driver = _drivers(words)[0]
    found = NameToken.objects.filter(
        token__gte=driver[:TOKEN_MAX], token__lt=word_upper_bound(driver[:TOKEN_MAX])
    )
    if birth_year is not None:
        found = found.filter(birth_year=birth_year)
    others = list(words)
    others.remove(driver)
    for word in others:
        found = found.filter(words__contains=f" {word[:TOKEN_MAX]}")
    ids = list(found.values_list("person_id", flat=True)[: CANDIDATE_CAP + 1])
    if len(ids) > CANDIDATE_CAP:
        return None
    return sorted(set(ids))


def _drivers(words: list[str]) -> list[str]:
    """Distinct words, last first, one-letter words last."""
    ordered = list(dict.fromkeys(reversed(words)))
    return [w for w in ordered if len(w) > 1] + [w for w in ordered if len(w) == 1]
