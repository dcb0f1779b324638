"""Vietnamese text: NFC normalization, folding of diacritics (đ → d), name parts, and the
written forms printed papers use."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")
_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Unicode NFC with runs of white space collapsed and the ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case text without diacritics: ``"Đặng Thị Hằng"`` → ``"dang thi hang"``."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_FOLD_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.lower()


def compact_key(text: str) -> str:
    """Folded text with only letters and digits: ``"Xã Nghi Phú"`` → ``"xanghiphu"``."""
    return re.sub(r"[^0-9a-z]", "", fold(text))


@dataclass(frozen=True)
class NameParts:
    surname: str
    middle: str
    given: str

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.surname, self.middle, self.given) if part)


def split_name(full_name: str) -> NameParts:
    """Split a Vietnamese name written surname, middle name(s), given name."""
    words = nfc(full_name).split(" ")
    words = [w for w in words if w]
    if not words:
        return NameParts("", "", "")
    if len(words) == 1:
        return NameParts("", "", words[0])
    return NameParts(words[0], " ".join(words[1:-1]), words[-1])


def title_case_name(full_name: str) -> str:
    """Capitalize each word of a name the Vietnamese way (``NGUYỄN văn an`` → ``Nguyễn Văn An``)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in nfc(full_name).split(" ") if w)


def lower_first(text: str) -> str:
    """``Phường Thành Vinh`` → ``phường Thành Vinh``, as it reads after ``Ủy ban nhân dân``."""
    return text[:1].lower() + text[1:] if text else text


def vn_long_date(day: dt.date) -> str:
    """``ngày 05 tháng 3 năm 2025``: a zero before days under 10 and months 1 and 2
    (Decree 30/2020/NĐ-CP on the presentation of administrative documents)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
