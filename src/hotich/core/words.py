"""One vocabulary for every code a person may see: a role, an event type, the kind of object an
audit entry names… Each context registers its codes with their labels (Vietnamese, translated on
display) when it starts; a page shows a code through :func:`word` (in templates the ``word``
filter: ``{{ e.role|word:"role" }}``), never the code itself.

Core knows no context: the vocabularies are data the contexts hand in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.functional import Promise

Label = str | Promise
_vocabularies: dict[str, dict[str, Label]] = {}


def words_register(
    kind: str, labels: type[models.TextChoices] | Mapping[str, Label] | Iterable[tuple[str, Label]]
) -> None:
    """Add the labels of ``kind``'s codes (a ``TextChoices``, a mapping or ``choices``)."""
    if isinstance(labels, type):
        pairs: Iterable[tuple[str, Label]] = labels.choices
    elif isinstance(labels, Mapping):
        pairs = labels.items()
    else:
        pairs = labels
    _vocabularies.setdefault(kind, {}).update(pairs)


def word(kind: str, code: object) -> str:
    """The label of ``code`` in ``kind``'s vocabulary, in the active language; an unknown code
    (or an unknown kind) as it is, an empty code as an empty string."""
    text = "" if code is None else str(code)
    label = _vocabularies.get(kind, {}).get(text)
    return str(label) if label is not None else text


def vocabulary(kind: str) -> dict[str, Label]:
    """All the codes of ``kind`` with their labels (the crawl test looks for them on pages)."""
    return dict(_vocabularies.get(kind, {}))
