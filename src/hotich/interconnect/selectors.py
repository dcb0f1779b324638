"""Reads of document interconnection: the packages an agency sent and received with their
status messages, the statuses of one sent document, the agencies a document can be sent to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.core.errors import NotFound
from hotich.interconnect.agencies import DIRECTORY, Agency
from hotich.interconnect.models import Package, StatusMessage
from hotich.interconnect.vocabulary import Direction

if TYPE_CHECKING:
    from hotich.documents.models import Document
    from hotich.geo.models import Unit


def _with_statuses(qs: QuerySet[Package]) -> QuerySet[Package]:
    return qs.prefetch_related(
        Prefetch("statuses", queryset=StatusMessage.objects.order_by("at", "pk"))
    )


def own_agency(actor: Actor) -> Agency | None:
    unit: Unit | None = getattr(actor, "unit", None)
    return DIRECTORY.of_unit(unit) if unit is not None else None


def _scoped(actor: Actor) -> QuerySet[Package]:
    """The packages of the agencies serving the actor's unit (all of them for the system)."""
    qs = Package.objects.all()
    if actor is None:
        return qs
    require(actor, "documents.view")
    unit: Unit | None = getattr(actor, "unit", None)
    codes = [agency.code for agency in DIRECTORY.serving(unit)] if unit is not None else []
    return qs.filter(
        Q(direction=Direction.OUTGOING, from_code__in=codes)
        | Q(direction=Direction.INCOMING, to_code__in=codes)
    )


def packages_of(*, actor: Actor, direction: str = "", limit: int = 200) -> list[Package]:
    """The packages the actor's agency sent or received (every package for the system),
    newest first, each with its status messages."""
    qs = _scoped(actor)
    if direction:
        qs = qs.filter(direction=direction)
    return list(_with_statuses(qs).order_by("-created_at", "-pk")[:limit])


def packages_for_document(*, actor: Actor, document_id: int) -> list[Package]:
    """The packages of one document of the actor's scope (sent, or the one it came in),
    with their status messages."""
    return list(_with_statuses(_scoped(actor).filter(document_id=document_id)).order_by("pk"))


def package_get(*, actor: Actor, package_id: int) -> Package:
    package = _with_statuses(_scoped(actor)).filter(pk=package_id).first()
    if package is None:
        raise NotFound(_("Không tìm thấy gói tin."), field="package_id")
    return package


def recipients_for(actor: Actor) -> list[Agency]:
    """The agencies of the directory the actor's agency can send to."""
    unit: Unit | None = getattr(actor, "unit", None)
    return DIRECTORY.recipients(unit)


def received_document(document_key: str) -> Document | None:
    """The incoming document registered from the package with this id, if accepted."""
    package = (
        Package.objects.filter(direction=Direction.INCOMING, document_key=document_key)
        .exclude(document=None)
        .select_related("document")
        .first()
    )
    return package.document if package is not None else None
