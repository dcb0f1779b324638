"""Pre-filling keying fields from the OCR text of a typed page region.

Typed register pages print each value after its label: ``Họ và tên: Nguyễn Văn An``,
``Giới tính: Nam   Dân tộc: Kinh``. :func:`prefill_fields` finds the labels (compared without
diacritics, so OCR slips on marks still match), takes the text up to the next label as the
value, and returns it with the confidence of its words. :func:`merge_prefill` never overwrites
a value a person keyed and tells which fields were pre-filled, so the form can mark them for
the second keyer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hotich.digitization.adapters.ocr.base import OcrResult

#: Person-field labels as typed forms print them (the longest matching label wins).
PERSON_LABELS: dict[str, tuple[str, ...]] = {
    "full_name": ("họ và tên", "họ, chữ đệm, tên", "họ, chữ đệm và tên", "họ tên"),
    "birth_date": ("ngày, tháng, năm sinh", "ngày tháng năm sinh", "ngày sinh", "năm sinh"),
    "sex": ("giới tính",),
    "ethnicity": ("dân tộc",),
    "nationality": ("quốc tịch",),
    "birth_place": ("nơi sinh",),
    "home_town": ("quê quán",),
    "residence": ("nơi cư trú", "nơi thường trú", "địa chỉ"),
    "personal_id": ("số định danh cá nhân", "số định danh"),
}
#: How a typed page names each role next to a field label ("Họ và tên cha").
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "father": ("cha",),
    "mother": ("mẹ",),
    "husband": ("chồng", "bên nam"),
    "wife": ("vợ", "bên nữ"),
    "deceased": ("người chết", "người đã chết"),
}
#: The principal role of each event type: its fields carry no role word.
PRINCIPAL = {"birth": "child", "marriage": "", "death": "deceased"}
EVENT_ROLES = {
    "birth": ("child", "father", "mother"),
    "marriage": ("husband", "wife"),
    "death": ("deceased",),
}
RECORD_LABELS: dict[str, tuple[str, ...]] = {
    "entry_number": ("số đăng ký", "số"),
    "registration_date": ("ngày đăng ký", "ngày, tháng, năm đăng ký"),
}
DATA_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "death": {
        "data.death_date": ("ngày, giờ chết", "ngày chết", "ngày mất"),
        "data.death_place": ("nơi chết", "nơi mất"),
        "data.death_cause": ("nguyên nhân chết", "nguyên nhân"),
    },
    "birth": {"data.declarant_name": ("họ và tên người đi khai", "người đi khai")},
}


def labels_for(event_type: str) -> dict[str, tuple[str, ...]]:
    """Target field → label texts for a typed page of ``event_type`` (birth, marriage, death;
    other types get the principal person's fields under ``subject``)."""
    out: dict[str, tuple[str, ...]] = dict(RECORD_LABELS)
    roles = EVENT_ROLES.get(event_type, ("subject",))
    principal = PRINCIPAL.get(event_type, "subject")
    for role in roles:
        for key, labels in PERSON_LABELS.items():
            if role == principal:
                out[f"{role}.{key}"] = labels
            else:
                out[f"{role}.{key}"] = tuple(
                    f"{label} {word}" for label in labels for word in ROLE_WORDS.get(role, ())
                )
    out.update(DATA_LABELS.get(event_type, {}))
    return out


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    return base.lower()


def fold_keep_length(text: str) -> str:
    """Lower case without diacritics, one character for one (positions stay valid)."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True)
class Prefill:
    value: str
    confidence: float  # 0-100, mean of the value's words (0 when unknown)
    source: str = "ocr"


_SEPARATOR = re.compile(r"^\s*[:：]\s*")


def prefill_fields(ocr: OcrResult | str, labels: Mapping[str, Sequence[str]]) -> dict[str, Prefill]:
    """``target → Prefill`` for each label found followed by ``:`` and a value."""
    result = ocr if isinstance(ocr, OcrResult) else OcrResult(text=ocr)
    text = unicodedata.normalize("NFC", result.text)
    confidence = {w.text: w.confidence for w in result.words}
    patterns: list[tuple[str, str]] = sorted(
        ((fold_keep_length(label), target) for target, ls in labels.items() for label in ls),
        key=lambda item: -len(item[0]),
    )
    found: dict[str, Prefill] = {}
    for line in text.splitlines():
        folded = fold_keep_length(line)
        hits: list[tuple[int, int, str]] = []  # start, end of label (with separator), target
        taken: list[tuple[int, int]] = []
        for label, target in patterns:
            for match in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", folded):
                start, end = match.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                sep = _SEPARATOR.match(folded[end:])
                if sep is None:
                    continue
                taken.append((start, end))
                hits.append((start, end + sep.end(), target))
        hits.sort()
        for i, (_start, value_start, target) in enumerate(hits):
            value_end = hits[i + 1][0] if i + 1 < len(hits) else len(line)
            value = line[value_start:value_end].strip(" \t.;,")
            if not value or target in found:
                continue
            scores = [confidence[w] for w in value.split() if w in confidence]
            found[target] = Prefill(
                value=value, confidence=sum(scores) / len(scores) if scores else 0.0
            )
    return found


def merge_prefill(
    keyed: Mapping[str, str], prefill: Mapping[str, Prefill]
) -> tuple[dict[str, str], set[str]]:
    """The keyed values completed with pre-filled ones where nothing was keyed, and the names
    of the fields that were pre-filled (OCR never overwrites what a person keyed)."""
    merged = dict(keyed)
    filled: set[str] = set()
    for name, suggestion in prefill.items():
        if not str(merged.get(name) or "").strip():
            merged[name] = suggestion.value
            filled.add(name)
    return merged, filled
