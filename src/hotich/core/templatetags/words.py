"""``{% load words %}``: the ``word`` filter (:func:`hotich.core.words.word`)."""

from __future__ import annotations

import unicodedata

from django import template
from django.conf import settings

from hotich.core import words

register = template.Library()


@register.filter
def word(code: object, kind: str) -> str:
    """``{{ e.role|word:"role" }}``: the label of a code in a registered vocabulary."""
    return words.word(kind, code)


@register.simple_tag
def languages_in_themselves() -> list[tuple[str, str]]:
    """``(code, name)`` of each language of the site, named in itself ("English", never "Tiếng
    Anh"): the names of ``settings.LANGUAGES``, untranslated, in NFC."""
    return [(code, unicodedata.normalize("NFC", str(name))) for code, name in settings.LANGUAGES]


@register.filter
def money(amount: object, per: str = "") -> str:
    """``{{ fee|money }}``: "16.000 đồng"; ``{{ copy_fee|money:"copy" }}``: "8.000 đồng/bản"."""
    return words.money(amount, per=per)


@register.filter
def percent(ratio: object, decimals: int = 0) -> str:
    """``{{ 0.1|percent }}``: "10 %"; ``{{ 0.9876|percent:1 }}``: "98,8 %"."""
    return words.percent(ratio, decimals)
