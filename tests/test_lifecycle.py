"""hotich.core.lifecycle: the one table shape and transition() every life cycle uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from hotich.accounts.vocabulary import Role
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.digitization.services.publishing import BOOK_LIFECYCLE
from hotich.documents.models import Document
from hotich.documents.services import DOCUMENT_LIFECYCLE, FILE_LIFECYCLE, TASK_LIFECYCLE
from hotich.documents.vocabulary import Direction, Status
from hotich.legacy.services import BATCH_LIFECYCLE
from hotich.linkage.services import DISAGREEMENT_LIFECYCLE, PAIR_LIFECYCLE
from hotich.meetings.services.meetings import MEETING_LIFECYCLE
from hotich.party.services import RATING_LIFECYCLE, TRANSFER_LIFECYCLE
from hotich.portal.services.dossiers import DOSSIER_LIFECYCLE
from hotich.registry.services.records import RECORD_LIFECYCLE
from hotich.reporting.datasets import FORM_REPORT_LIFECYCLE
from hotich.reporting.services import SUBMISSION_LIFECYCLE

SRC = Path(__file__).resolve().parents[1] / "src" / "hotich"


@pytest.mark.parametrize(
    ("lifecycle", "readme"),
    [
        (RECORD_LIFECYCLE, "registry"),
        (DOCUMENT_LIFECYCLE, "documents"),
        (TASK_LIFECYCLE, "documents"),
        (FILE_LIFECYCLE, "documents"),
        (DOSSIER_LIFECYCLE, "portal"),
        (PAIR_LIFECYCLE, "linkage"),
        (BATCH_LIFECYCLE, "legacy"),
        (SUBMISSION_LIFECYCLE, "reporting"),
        (FORM_REPORT_LIFECYCLE, "reporting"),
        (BOOK_LIFECYCLE, "digitization"),
        (DISAGREEMENT_LIFECYCLE, "linkage"),
        (MEETING_LIFECYCLE, "meetings"),
        (TRANSFER_LIFECYCLE, "party"),
        (RATING_LIFECYCLE, "party"),
    ],
)
def test_each_readme_draws_its_table(lifecycle: Lifecycle[Any], readme: str) -> None:
    with translation.override("vi"):
        diagram = lifecycle.mermaid()
    text = (SRC / readme / "README.md").read_text(encoding="utf-8")
    assert f"```mermaid\n{diagram}\n```" in text, f"paste into {readme}/README.md:\n{diagram}"


def _toy(**overrides: Any) -> Lifecycle[Document]:
    settings: dict[str, Any] = {
        "model": Document,
        "object_type": "documents.document",
        "noun": "văn bản",
        "statuses": Status,
        "actions": [Action("submit", "Trình", "documents.draft", Status.SUBMITTED)],
        "table": {status: () for status in Status.values} | {Status.DRAFT: ("submit",)},
        "scope": lambda actor, obj: None,
        "permits": lambda actor, permission: True,
        "history": lambda step: None,
        "audit": lambda **entry: None,
    }
    return Lifecycle(**(settings | overrides))


def test_a_table_naming_an_undeclared_action_or_missing_a_status_is_refused() -> None:
    with pytest.raises(ValueError, match="fly"):
        _toy(table={status: ("fly",) for status in Status.values})
    with pytest.raises(ValueError, match="closed"):
        _toy(table={Status.DRAFT: ("submit",)})


def test_labels_for_actions_other_steps_and_unknown_names() -> None:
    lifecycle = _toy(other_steps={"create": "Tạo"})
    assert (lifecycle.label("submit"), lifecycle.label("create"), lifecycle.label("x")) == (
        "Trình",
        "Tạo",
        "x",
    )
    with pytest.raises(ValidationFailed):
        lifecycle.action("fly")


def test_a_chosen_target_is_drawn_as_every_possible_edge() -> None:
    back = Action("back", "Về", "p", (Status.DRAFT, Status.SUBMITTED))
    lifecycle = _toy(
        actions=[back],
        table={status: () for status in Status.values} | {Status.APPROVED: ("back",)},
        initial=(Status.APPROVED,),
    )
    diagram = lifecycle.mermaid()
    assert "approved --> draft: Về" in diagram and "approved --> submitted: Về" in diagram
    assert "[*] --> approved" in diagram and "closed --> [*]" in diagram


def test_permission_may_differ_by_status() -> None:
    act = Action("x", "X", "a.general", permission_in={Status.SUBMITTED: "a.desk"})
    assert (act.permission_at(Status.DRAFT), act.permission_at(Status.SUBMITTED)) == (
        "a.general",
        "a.desk",
    )


@pytest.mark.django_db
class TestTransition:
    @pytest.fixture
    def draft(self, make_user: Any, units: Any) -> Document:
        self.officer = make_user(Role.OFFICER, units["a"])
        return Document.objects.create(
            direction=Direction.OUTGOING,
            unit=units["a"],
            status=Status.DRAFT,
            doc_type="cv",
            title="T",
        )

    def test_order_scope_then_permission_then_status(self, draft: Document) -> None:
        def outside(actor: Any, obj: Any) -> None:
            raise NotFound("ngoài phạm vi")

        with pytest.raises(NotFound):
            _toy(scope=outside, permits=lambda a, p: False).transition(
                actor=self.officer, obj=draft, action="submit"
            )
        draft.status = Status.CLOSED
        draft.save()
        with pytest.raises(PermissionDenied):
            _toy(permits=lambda a, p: False).transition(
                actor=self.officer, obj=draft, action="submit"
            )
        with pytest.raises(Conflict):
            _toy(permits=lambda a, p: False, status_first=True).transition(
                actor=self.officer, obj=draft, action="submit"
            )

    def test_history_audit_afterwards_in_order_and_undo_on_failure(self, draft: Document) -> None:
        seen: list[str] = []

        def work(step: Step[Document]) -> None:
            step.afterwards(lambda: seen.append("afterwards"))
            step.on_failure(lambda: seen.append("undo"))

        def audit(**entry: Any) -> None:
            seen.append(f"audit {entry['detail']['from']}→{entry['detail']['to']}")

        lifecycle = _toy(
            actions=[Action("submit", "Trình", "p", Status.SUBMITTED, work)],
            history=lambda step: seen.append(f"history {step.obj.status}"),
            audit=audit,
        )
        saved = lifecycle.transition(actor=self.officer, obj=draft, action="submit")
        assert saved.status == Status.SUBMITTED
        assert Document.objects.get(pk=draft.pk).status == Status.SUBMITTED
        assert seen == ["history submitted", "audit draft→submitted", "afterwards"]

        def broken_history(step: Step[Document]) -> None:
            raise RuntimeError("history store down")

        seen.clear()
        draft.status = Status.DRAFT
        draft.save()
        failing = _toy(
            actions=[Action("submit", "Trình", "p", Status.SUBMITTED, work)],
            history=broken_history,
        )
        with pytest.raises(RuntimeError):
            failing.transition(actor=self.officer, obj=draft, action="submit")
        assert seen == ["undo"]
        assert Document.objects.get(pk=draft.pk).status == Status.DRAFT

    def test_a_required_note_is_asked_for(self, draft: Document) -> None:
        lifecycle = _toy(
            actions=[Action("submit", "Trình", "p", Status.SUBMITTED, note_required="Ghi lý do")]
        )
        with pytest.raises(ValidationFailed, match="Ghi lý do"):
            lifecycle.transition(actor=self.officer, obj=draft, action="submit", note="   ")
