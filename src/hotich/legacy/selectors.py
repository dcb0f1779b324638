"""Reads of the legacy import, always within the actor's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import scope_filter
from hotich.core.errors import NotFound
from hotich.geo.selectors import unit_predecessors
from hotich.legacy.models import ImportBatch

if TYPE_CHECKING:
    from hotich.geo.models import Unit


def import_batches_visible(actor: Actor) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.select_related("unit", "created_by")
    if actor is None:
        return qs
    return qs.filter(scope_filter(actor, "unit"))


def import_batch_get(*, actor: Actor, batch_id: int) -> ImportBatch:
    batch = import_batches_visible(actor).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound(_("Không tìm thấy lần nhập dữ liệu."))
    return batch


def registering_units_for(unit: Unit | None) -> list[Unit]:
    """The old (pre-2025) units whose territory makes up ``unit``: the authorities that kept
    the historic books a commune of today now holds."""
    if unit is None:
        return []
    return [m.old_unit for m in unit_predecessors(unit)]
