"""The name index, the same on SQLite and PostgreSQL: one ``NameToken`` row per word of each
person's folded name, with the person's birth year, kept in step with ``Person`` by the services.

A typed word ``w`` matches the persons having a word that starts with ``w``: a range scan
``token >= w AND token < w'`` (``w'`` is ``w`` with its last letter moved one on) over the index
``(birth_year, token, person)`` when a birth year is given, else over ``(token, person)``. Names
are folded (no diacritics, đ → d, lower case), so a wrong tone mark or none still matches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from hotich.core.text import fold
from hotich.registry.models import NameToken

TOKEN_MAX = 40
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
                NameToken(person_id=pk, token=token, birth_year=year)
                for pk, name, year in chunk
                for token in name_tokens(name)
            ],
            batch_size=2000,
        )


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


def persons_matching(
    words: list[str], birth_year: int | None = None, *, given_exact: bool = False
) -> list[int] | None:
    """Ids of the persons matching every word, found from one driving word; None when every
    word names more than ``CANDIDATE_CAP`` persons (the caller then uses other indexes).

    The driving word is tried from the last one typed (the given name in a Vietnamese name, its
    most varied part; surnames and "Văn"/"Thị" are shared by a large share of people) towards
    the first. Its persons come from one index range scan, stopped past the cap; the other
    words are checked against those candidates' tokens. The database only ever runs short
    index scans, whatever the size of the register.

    With ``given_exact`` only the last word drives, matched whole: the persons that can rank
    first (their given name is that word) and a few more, from a much shorter scan.
    """
    for driver in [words[-1]] if given_exact else _drivers(words):
        if given_exact:
            found = NameToken.objects.filter(token=driver[:TOKEN_MAX])
            if birth_year is not None:
                found = found.filter(birth_year=birth_year)
            scan = found.values_list("person_id", flat=True)
        else:
            scan = persons_with_word(driver, birth_year)
        others = list(words)
        others.remove(driver)
        if others and birth_year is not None:  # narrow in the database by the first word too
            scan = scan.filter(person_id__in=persons_with_word(others[0], birth_year))
        candidates = list(scan[: CANDIDATE_CAP + 1])
        if len(candidates) > CANDIDATE_CAP:
            continue
        if not others:
            return sorted(set(candidates))
        tokens: dict[int, list[str]] = defaultdict(list)
        pairs = NameToken.objects.filter(person_id__in=set(candidates))
        for person_id, token in pairs.values_list("person_id", "token"):
            tokens[person_id].append(token)
        return sorted(
            pk
            for pk, have in tokens.items()
            if all(any(t.startswith(w[:TOKEN_MAX]) for t in have) for w in others)
        )
    return None


def _drivers(words: list[str]) -> list[str]:
    """Distinct words, last first, one-letter words last."""
    ordered = list(dict.fromkeys(reversed(words)))
    return [w for w in ordered if len(w) > 1] + [w for w in ordered if len(w) == 1]
