"""Scope-matrix entries of party records (see tests/test_scope_matrix.py): a committee in
commune B, whose records nobody in commune A keeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _member(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.party.tests.factories import committee, member

    return {"member_id": member(committee(units, make_user, cells=1, unit="b").cells[0]).pk}


def _organization(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.party.tests.factories import committee

    return {"organization_id": committee(units, make_user, cells=1, unit="b").organization.pk}


def _transfer(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.party import services
    from hotich.party.tests.factories import committee, member

    party = committee(units, make_user, cells=2, unit="b")
    transfer = services.transfer_create(
        actor=None,
        member=member(party.cells[0]),
        to_cell=party.cells[1],
        kind="official",
        reason="Chuyển công tác",
    )
    return {"transfer_id": transfer.pk}


def _export(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {**_organization(units, make_user), "what": "members"}


def _directive(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    import datetime as dt

    from hotich.party.models import Directive
    from hotich.party.tests.factories import committee

    party = committee(units, make_user, cells=1, unit="b")
    directive = Directive.objects.create(
        committee=party.organization,
        kind="directive",
        number="01-CT/ĐU",
        title="Chỉ thị",
        body="Nội dung",
        deadline=dt.date(2030, 1, 1),
    )
    return {"directive_id": directive.pk}


SCOPED = {
    "party:directives": _organization,
    "party:directive": _directive,
    "party:directive_pdf": _directive,
    "party:list": _organization,
    "party:fees": _organization,
    "party:ratings": _organization,
    "party:badges": _organization,
    "party:fees_report": _organization,
    "party:statistics": _organization,
    "party:export": _export,
    "party:detail": _member,
    "party:official": _member,
    "party:distinction": _member,
    "party:transfer_new": _member,
    "party:transfer": _transfer,
    "party:transfer_action": _transfer,
    "party:transfer_letter": _transfer,
}
