"""What an issued extract or certificate says, independent of the ORM and of the renderer.

An :class:`ExtractDocument` is built from a register record (``extracts.build``) or by hand (tests,
previews) and rendered to PDF by ``extracts.render``. Every value is already a display string:
the renderer formats nothing but the issue date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


class Kind(StrEnum):
    BIRTH_CERTIFICATE = "birth_certificate"  # Giấy khai sinh
    MARRIAGE_CERTIFICATE = "marriage_certificate"  # Giấy chứng nhận kết hôn
    EXTRACT = "extract"  # Trích lục <event>


#: The form title of the two certificates; extracts are titled from their event.
CERTIFICATE_TITLES = {
    Kind.BIRTH_CERTIFICATE: "GIẤY KHAI SINH",
    Kind.MARRIAGE_CERTIFICATE: "GIẤY CHỨNG NHẬN KẾT HÔN",
}


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One line of the form: a label and the value written on its dotted line.

    ``half`` rows are set two to a line (``Giới tính: ... Dân tộc: ...``).
    """

    label: str
    value: str = ""
    half: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """A block of rows (the child, the mother, the wife...). ``title`` may be empty."""

    title: str
    rows: tuple[FieldRow, ...]


@dataclass(frozen=True, slots=True)
class ExtractDocument:
    kind: Kind
    is_copy: bool
    #: "Ủy ban nhân dân xã Nghi Phú, tỉnh Nghệ An"
    issuing_authority: str
    #: The event in the title of an extract: "khai tử", "thay đổi, cải chính hộ tịch"...
    event_label: str
    #: "123/TLKS-BS" (printed as "Số: 123/TLKS-BS")
    number: str
    #: the register book ("01/2024") and the entry number in it
    book: str
    entry_number: str
    registration_date: str
    sections: tuple[Section, ...]
    #: where and when this paper is issued: "Nghi Phú", date
    place_of_issue: str
    issue_date: dt.date
    #: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"; one title per line
    signer_title: str
    signer_name: str
    verify_code: str
    verify_url: str
    #: margin notes and other remarks printed under the sections
    notes: tuple[str, ...] = ()
    national_name: str = NATIONAL_NAME
    national_motto: str = NATIONAL_MOTTO
    #: the registering authority, when the paper is issued by another one (copies)
    registering_authority: str = ""

    @property
    def title(self) -> str:
        if self.kind in CERTIFICATE_TITLES:
            return CERTIFICATE_TITLES[self.kind]
        return f"TRÍCH LỤC {self.event_label.upper()}".strip()

    @property
    def copy_label(self) -> str:
        return "BẢN SAO" if self.is_copy else "BẢN CHÍNH"

    @property
    def file_title(self) -> str:
        """The PDF's document title (no personal data)."""
        return f"{self.title} ({self.copy_label.lower()}) số {self.number}"
