"""One vocabulary for every code a person may see: a role, an event type, the kind of object an
audit entry names… Each context registers its codes with their labels (Vietnamese, translated on
display) when it starts; a page shows a code through :func:`word` (in templates the ``word``
filter: ``{{ e.role|word:"role" }}``), never the code itself.

Core knows no context: the vocabularies are data the contexts hand in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.numberformat import format as number_format
from django.utils.translation import gettext as _

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


def _number(value: float, decimals: int) -> str:
    """``value`` grouped by thousands, as the active language writes numbers (16.000; 2,5)."""
    return number_format(
        value,
        str(get_format("DECIMAL_SEPARATOR")),
        decimals,
        grouping=3,
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )


def money(amount: object, *, per: str = "") -> str:
    """An amount of money as a person reads it: "16.000 đồng"; ``per="copy"``: "8.000 đồng/bản".
    The one way a page or a message writes an amount; empty for no amount."""
    if amount in (None, ""):
        return ""
    text = _number(int(str(amount)), 0)
    if per == "copy":
        return _("{amount} đồng/bản").format(amount=text)
    return _("{amount} đồng").format(amount=text)


def percent(ratio: object, decimals: int = 0) -> str:
    """A share or a probability (0 to 1) as a percentage: 0.1 → "10 %", 0.9876 with one
    decimal → "98,8 %"; empty for none."""
    if ratio in (None, ""):
        return ""
    return f"{_number(round(float(str(ratio)) * 100, decimals), decimals)} %"
