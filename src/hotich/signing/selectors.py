"""Reads of the signing context: a document by its verify code, whether it is still current, and
signature use per unit and quarter (for reporting's quarterly ranking)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hotich.accounts.authz import Caller, is_staff_user, scoped
from hotich.geo.selectors import units_within
from hotich.signing.models import SignedDocument, SigningIdentity
from hotich.signing.services import status_provider


class State:
    VALID = "valid"
    REVOKED = "revoked"  # withdrawn by the issuer
    SUPERSEDED = "superseded"  # the source changed after issue (corrected, cancelled)


@dataclass(frozen=True)
class DocumentStatus:
    state: str
    reason: str

    @property
    def current(self) -> bool:
        return self.state == State.VALID


def document_for_code(code: str) -> SignedDocument | None:
    """The document a QR code points at; None for a code that does not exist (which reveals
    nothing: the caller answers the same way for every unknown code)."""
    if not code or len(code) > 43:
        return None
    return (
        SignedDocument.objects.select_related("unit", "signed_by").filter(verify_code=code).first()
    )


def document_status(document: SignedDocument) -> DocumentStatus:
    if document.revoked_at is not None:
        return DocumentStatus(
            State.REVOKED,
            document.revocation_reason or _("Giấy này đã bị cơ quan cấp thu hồi."),
        )
    provider = status_provider(document.source_type)
    if provider is not None:
        reason = provider(document.source_id, document.signed_at)
        if reason:
            return DocumentStatus(State.SUPERSEDED, reason)
    return DocumentStatus(State.VALID, "")


def identities_in(units: QuerySet[Any] | None = None) -> QuerySet[SigningIdentity]:
    query = SigningIdentity.objects.select_related("unit", "user")
    return query.filter(unit__in=units) if units is not None else query


def identities_in_scope(user: Caller) -> QuerySet[SigningIdentity]:
    return scoped(user, identities_in()).order_by("unit__path", "usage", "-not_after")


def signature_use_in_scope(user: Caller, year: int, quarter: int) -> list[SignatureUse]:
    """:func:`signature_use` for the units in the user's scope."""
    if not is_staff_user(user) or user.unit is None:
        return []
    units = units_within(user.unit)
    return signature_use(year, quarter, unit_ids=list(units.values_list("pk", flat=True)))


def quarter_bounds(year: int, quarter: int) -> tuple[dt.datetime, dt.datetime]:
    if not 1 <= quarter <= 4:
        raise ValueError(quarter)
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 3 * quarter - 2, 1, tzinfo=tz)
    end = dt.datetime(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1, tzinfo=tz)
    return start, end


@dataclass(frozen=True)
class SignatureUse:
    unit_id: int
    unit_name: str
    by_kind: dict[str, int]
    total: int
    signers: int


def signature_use(
    year: int, quarter: int, *, unit_ids: list[int] | None = None
) -> list[SignatureUse]:
    """Documents signed digitally per issuing unit in a quarter, by kind, with the number of
    distinct officials who signed; sorted by total, most first (the quarterly ranking)."""
    start, end = quarter_bounds(year, quarter)
    return signature_counts(start, end, unit_ids=unit_ids)


def signature_counts(
    start: dt.datetime, end: dt.datetime, *, unit_ids: list[int] | None = None
) -> list[SignatureUse]:
    """Documents signed digitally per issuing unit in ``[start, end)``, by kind, with the
    number of distinct officials who signed; sorted by total, most first (two grouped
    queries; also reporting's computed indicators over any period)."""
    query = SignedDocument.objects.filter(signed_at__gte=start, signed_at__lt=end)
    if unit_ids is not None:
        query = query.filter(unit_id__in=unit_ids)
    rows = query.values("unit_id", "unit__name", "kind").annotate(n=Count("id"))
    signers = dict(
        query.exclude(signed_by=None)
        .values("unit_id")
        .annotate(n=Count("signed_by", distinct=True))
        .values_list("unit_id", "n")
    )
    per_unit: dict[int, SignatureUse] = {}
    for row in rows:
        use = per_unit.get(row["unit_id"]) or SignatureUse(
            row["unit_id"], row["unit__name"], {}, 0, signers.get(row["unit_id"], 0)
        )
        use.by_kind[row["kind"]] = row["n"]
        per_unit[row["unit_id"]] = SignatureUse(
            use.unit_id, use.unit_name, use.by_kind, use.total + row["n"], use.signers
        )
    return sorted(per_unit.values(), key=lambda u: (-u.total, u.unit_name))


@dataclass(frozen=True)
class PersonalCertificates:
    """A person's signing certificates: issued in a period, and in force at its end."""

    issued: int
    in_force: int


def personal_certificates(
    start: dt.datetime, end: dt.datetime, *, user_ids: list[int] | None = None
) -> dict[int, PersonalCertificates]:
    """Per user holding personal certificates: how many were issued in ``[start, end)`` and how
    many were valid at ``end`` (not revoked before it, not expired)."""
    query = SigningIdentity.objects.exclude(user=None)
    if user_ids is not None:
        query = query.filter(user_id__in=user_ids)
    out: dict[int, list[int]] = {}
    for user_id, created, not_before, not_after, revoked in query.values_list(
        "user_id", "created_at", "not_before", "not_after", "revoked_at"
    ):
        counts = out.setdefault(user_id, [0, 0])
        if start <= created < end:
            counts[0] += 1
        if not_before < end <= not_after and (revoked is None or revoked >= end):
            counts[1] += 1
    return {u: PersonalCertificates(issued=c[0], in_force=c[1]) for u, c in out.items()}
