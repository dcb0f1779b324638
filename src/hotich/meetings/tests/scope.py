"""Scope-matrix entries of meetings (see tests/test_scope_matrix.py): a meeting of an
organization in commune B, which nobody in commune A belongs to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _meeting_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    from hotich.meetings import services
    from hotich.meetings.tests.factories import body, tomorrow

    cell = body(units, make_user, kind="chi_bo", size=2, unit="b")
    meeting = services.meeting_create(
        actor=None,
        organization=cell.organization,
        kind="regular",
        title="Sinh hoạt chi bộ",
        starts_at=tomorrow(),
        place="Hội trường",
        chair_id=cell.chair.pk,
        secretary_id=cell.secretary.pk,
    )
    services.item_add(actor=None, meeting=meeting, title="Biểu quyết", vote=True)
    return meeting


def _meeting(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"meeting_id": _meeting_in_b(units, make_user).pk}


def _item(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"item_id": _meeting_in_b(units, make_user).items.get().pk}


def _participant(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"participant_id": _meeting_in_b(units, make_user).participants.first().pk}


def _organization(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    return {"organization_id": _meeting_in_b(units, make_user).organization_id}


def _paper(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.meetings.models import Paper

    item = _meeting_in_b(units, make_user).items.get()
    paper = Paper.objects.create(item=item, name="a.pdf", file_path="x.pdf", sha256="0", size=1)
    return {"paper_id": paper.pk}


def _committee(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    """A party committee in commune B with a cell under it, scheduled."""
    from hotich.agencies.demo import tree_create
    from hotich.meetings.services import cells_schedule

    cell = _meeting_in_b(units, make_user).organization
    code = f"000.00.{cell.pk % 100:02d}.H44"
    committee = tree_create(f"{code} | - | dang_uy | b | Đảng ủy B | ĐU", units=units)[code]
    cell.parent = committee
    cell.path = f"{committee.path}{cell.pk}/"
    cell.save(update_fields=["parent", "path"])
    cells_schedule(actor=None, year=2026, month=1, cells=[cell])
    return {"organization_id": committee.pk}


#: an outside guest's pages are reached by their signed link alone
PUBLIC = {"meetings:guest", "meetings:guest_checkin", "meetings:guest_paper"}

SCOPED = {
    "meetings:new": _organization,
    "meetings:committee": _committee,
    "meetings:guest_new": _meeting,
    "meetings:detail": _meeting,
    "meetings:live": _meeting,
    "meetings:action": _meeting,
    "meetings:item_new": _meeting,
    "meetings:respond": _meeting,
    "meetings:notes": _meeting,
    "meetings:checkin": _meeting,
    "meetings:speak": _meeting,
    "meetings:speak_next": _meeting,
    "meetings:minutes": _meeting,
    "meetings:minutes_pdf": _meeting,
    "meetings:mark": _participant,
    "meetings:paper_new": _item,
    "meetings:vote": _item,
    "meetings:conclusion": _item,
    "meetings:resolution": _item,
    "meetings:task": _item,
    "meetings:paper": _paper,
}
