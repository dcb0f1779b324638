"""What the rest of the project may ask of the national population database."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor, acting_user
from hotich.core.errors import ValidationFailed


@dataclass(frozen=True)
class Inquiry:
    """Who asks and on what legal basis; every call carries one and is audited with it."""

    requester: Actor  # the user asking, or None for the system (a retry task)
    legal_basis: str
    purpose: str = ""

    def __post_init__(self) -> None:
        if not (self.legal_basis or "").strip():
            raise ValidationFailed(
                _("Phải nêu căn cứ pháp lý khi tra cứu Cơ sở dữ liệu quốc gia về dân cư."),
                field="legal_basis",
            )

    @property
    def requester_label(self) -> str:
        user = acting_user(self.requester)
        if user is None:
            return "system"
        path = user.unit.path if user.unit is not None else ""
        return f"{user.get_username()}@{path}" if path else user.get_username()


@dataclass(frozen=True)
class Citizen:
    personal_id: str
    full_name: str
    sex: str  # "M" / "F" / ""
    birth_date: str  # ISO 8601, full or partial (YYYY, YYYY-MM)
    birth_place: str = ""
    birth_place_code: str = ""
    father_name: str = ""
    mother_name: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Citizen:
        return cls(
            personal_id=str(data["personal_id"]),
            full_name=str(data.get("full_name") or ""),
            sex=str(data.get("sex") or ""),
            birth_date=str(data.get("birth_date") or ""),
            birth_place=str(data.get("birth_place") or ""),
            birth_place_code=str(data.get("birth_place_code") or ""),
            father_name=str(data.get("father_name") or ""),
            mother_name=str(data.get("mother_name") or ""),
        )

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class IdRequest:
    """A request for a new personal ID at birth registration. ``request_key`` makes the request
    idempotent: asking again with the same key returns the same number (safe retries)."""

    request_key: str
    full_name: str
    sex: str
    birth_date: str
    province_code: str
    birth_place: str = ""
    birth_place_code: str = ""
    father_name: str = ""
    mother_name: str = ""

    def as_json(self) -> dict[str, str]:
        data = asdict(self)
        data.pop("request_key")
        return data


class PopulationDatabase(Protocol):
    def lookup(self, personal_id: str, *, inquiry: Inquiry) -> Citizen | None:
        """The citizen with this personal ID, or None when the database has none."""
        ...

    def search(
        self,
        *,
        full_name: str,
        birth_date: str = "",
        birth_place: str = "",
        sex: str = "",
        limit: int = 20,
        inquiry: Inquiry,
    ) -> list[Citizen]:
        """Citizens with this name (diacritics optional), narrowed by birth date (full or
        partial), birth place words and sex."""
        ...

    def assign_id(self, request: IdRequest, *, inquiry: Inquiry) -> Citizen:
        """Create the citizen and assign a new personal ID (idempotent on ``request_key``)."""
        ...
