"""Reads of the linkage context, scoped to the actor's unit (outside: NotFound, 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, scoped
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import NotFound
from hotich.linkage.models import CandidatePair, Disagreement, LinkageRun, PairStatus
from hotich.linkage.permissions import VIEW


def _visible(actor: Actor, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not can(actor, VIEW):
        return queryset.none()
    return scoped(actor, queryset)


def runs_visible(actor: Actor) -> QuerySet[LinkageRun]:
    return _visible(actor, LinkageRun.objects.select_related("unit", "created_by"))


def run_get(*, actor: Actor, run_id: int) -> LinkageRun:
    run = runs_visible(actor).filter(pk=run_id).first()
    if run is None:
        raise NotFound(_("Không tìm thấy lần đối chiếu."), field="run_id")
    return run


def pairs_visible(actor: Actor) -> QuerySet[CandidatePair]:
    return _visible(actor, CandidatePair.objects.select_related("run", "unit"))


def review_queue(actor: Actor) -> QuerySet[CandidatePair]:
    """Pairs between the two thresholds still waiting for an officer, most doubtful first."""
    return pairs_visible(actor).filter(status=PairStatus.REVIEW).order_by("probability", "pk")


def pair_get(*, actor: Actor, pair_id: int, audit: bool = True) -> CandidatePair:
    pair = pairs_visible(actor).filter(pk=pair_id).first()
    if pair is None:
        raise NotFound(_("Không tìm thấy cặp bản ghi."), field="pair_id")
    if audit:  # both records' personal data are shown
        audit_record(actor=actor, action=Action.READ, object_type="linkage.pair", object_id=pair.pk)
    return pair


def disagreements_visible(actor: Actor, *, open_only: bool = False) -> QuerySet[Disagreement]:
    qs = _visible(actor, Disagreement.objects.select_related("unit", "record", "resolved_by"))
    return qs.filter(resolution="") if open_only else qs


def disagreement_get(*, actor: Actor, disagreement_id: int, audit: bool = True) -> Disagreement:
    item = disagreements_visible(actor).filter(pk=disagreement_id).first()
    if item is None:
        raise NotFound(_("Không tìm thấy khác biệt."), field="disagreement_id")
    if audit:
        audit_record(
            actor=actor, action=Action.READ, object_type="linkage.disagreement", object_id=item.pk
        )
    return item
