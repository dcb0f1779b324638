"""One shape for every life cycle: a declarative table and one ``transition()``.

A context declares its actions (name, label, permission, status after, the function doing the
work) and which actions each status allows. :meth:`Lifecycle.transition` then does what every life
cycle needs, in one transaction and in this order: lock the row, check the object is in the actor's
scope (outside it, the object does not exist), check the actor's permission and that the status
allows the action, run the action's work, set the status, save, write the context's history row
and the audit entry, then run what the work asked to run afterwards.

The core knows no context: the context passes its scope check, its permission test, its history
writer and the audit writer. :meth:`Lifecycle.mermaid` draws the table for the context's README.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import Conflict, PermissionDenied, ValidationFailed

M = TypeVar("M", bound=models.Model)
Label = str | Promise


@dataclass(frozen=True)
class Action:
    """One action of a life cycle.

    ``to`` is the status after the action: one status, ``None`` to stay in the same one, or a
    tuple of statuses when the work chooses (it sets ``step.to_status`` to one of them).
    ``note_required`` is the error shown when the action needs a note (a reason) and has none.
    """

    name: str
    label: Label
    permission: str
    to: str | tuple[str, ...] | None = None
    run: Callable[[Step[Any]], None] | None = None
    note_required: Label | None = None
    #: another permission in some statuses (status → permission)
    permission_in: Mapping[str, str] = field(default_factory=dict)
    #: why the action is refused in a status that does not allow it, when the general message
    #: ("cannot … in status …") would not tell the user what to do (status → message)
    refused_in: Mapping[str, Label] = field(default_factory=dict)

    def permission_at(self, status: str) -> str:
        return self.permission_in.get(status, self.permission)

    def targets(self, status: str) -> tuple[str, ...]:
        if self.to is None:
            return (status,)
        return self.to if isinstance(self.to, tuple) else (self.to,)


@dataclass
class Step(Generic[M]):
    """One transition under way: what an action's work reads and may change."""

    actor: Any
    obj: M
    action: Action
    from_status: str
    to_status: str
    note: str
    params: Mapping[str, Any]
    before: Any
    #: extra values for the history row (an amendment, a handler) set by the work
    history: dict[str, Any] = field(default_factory=dict)
    #: extra values for the audit entry's detail, and the legal basis it records
    detail: dict[str, Any] = field(default_factory=dict)
    legal_basis: str = ""
    _afterwards: list[Callable[[], object]] = field(default_factory=list)
    _on_failure: list[Callable[[], None]] = field(default_factory=list)

    def afterwards(self, work: Callable[[], object]) -> None:
        """Run ``work`` once the object is saved, its history written and the step audited, still
        inside the transaction (a failure there undoes the whole transition)."""
        self._afterwards.append(work)

    def on_failure(self, undo: Callable[[], None]) -> None:
        """Run ``undo`` if the transition fails after this point: what the database cannot roll
        back (a file written to the store, say)."""
        self._on_failure.append(undo)


@dataclass(frozen=True)
class Lifecycle(Generic[M]):
    """A context's status table and the one function that applies it.

    ``scope(actor, obj)`` raises :class:`~hotich.core.errors.NotFound` when the object is outside
    the actor's reach; ``permits(actor, permission)`` says whether the actor may take an action;
    ``history(step)`` writes the context's history row; ``audit(**entry)`` writes the audit entry
    (``hotich.audit.services.audit_record``).
    """

    model: type[M]
    object_type: str
    #: what the object is called in messages ("bản ghi", "văn bản", "hồ sơ")
    noun: Label
    #: the statuses with their labels: a ``TextChoices`` or its ``choices``
    statuses: type[models.TextChoices] | Sequence[tuple[str, Label]]
    actions: Sequence[Action]
    #: status → the names of the actions it allows
    table: Mapping[str, Sequence[str]]
    scope: Callable[[Any, M], None]
    permits: Callable[[Any, str], bool]
    history: Callable[[Step[M]], None]
    audit: Callable[..., Any]
    #: statuses a new object starts in (the diagram's entry points)
    initial: Sequence[str] = ()
    #: labels of the steps outside the table that the history also holds ("create", say)
    other_steps: Mapping[str, Label] = field(default_factory=dict)
    select_related: Sequence[str] = ()
    #: the actor the audit entry names (a citizen, say, is recorded as nobody)
    audit_actor: Callable[[Any], Any] = lambda actor: actor
    #: the audit entry's action, and the id it names (the object's own by default)
    audit_action: str = "transition"
    audit_id: Callable[[Any], Any] = lambda obj: obj.pk
    status_field: str = "status"
    #: check the status before the permission: an action the status does not allow is a 409 for
    #: everyone (the dossier desk's API contract); by default a 403 comes first
    status_first: bool = False

    def __post_init__(self) -> None:
        names = {a.name for a in self.actions}
        unknown = {n for allowed in self.table.values() for n in allowed} - names
        missing = {value for value, _label in self.choices} - set(self.table)
        if unknown or missing:
            raise ValueError(
                f"{self.object_type}: actions {sorted(unknown)} not declared, "
                f"statuses {sorted(missing)} without a row"
            )

    # --- reading the table ------------------------------------------------------------------

    @property
    def choices(self) -> list[tuple[str, Label]]:
        statuses = self.statuses
        return list(statuses.choices if isinstance(statuses, type) else statuses)

    def action(self, name: str) -> Action:
        for candidate in self.actions:
            if candidate.name == name:
                return candidate
        raise ValidationFailed(_("Thao tác không hợp lệ."), field="action")

    def label(self, name: str) -> Label:
        """The translated label of an action, or the name itself for a step outside the table
        (a history may hold steps such as "create")."""
        found = next((a.label for a in self.actions if a.name == name), None)
        return found if found is not None else self.other_steps.get(name, name)

    def status_label(self, status: str) -> Label:
        return dict(self.choices).get(status, status)

    def history_words(
        self, rows: Sequence[Any], actors: Mapping[str, str], *fields: str
    ) -> list[dict[str, Any]]:
        """History rows as a person reads them: ``at``, the ``action``'s label, the ``from`` and
        ``to`` statuses' labels (``from`` empty for the first step), ``actor_name`` through
        ``actors`` (stored name → what to show) and the row's own ``fields``."""
        return [
            {
                "at": row.at,
                "action": self.label(row.action),
                "from": self.status_label(row.from_status) if row.from_status else "",
                "to": self.status_label(row.to_status),
                "actor_name": actors.get(row.actor_name, row.actor_name),
                **{name: getattr(row, name) for name in fields},
            }
            for row in rows
        ]

    def done(self, action: str, obj: M) -> str:
        """What the user is told once ``action`` is applied: what was done and the status now
        (in the active language)."""
        return str(
            format_lazy(
                _("Đã thực hiện «{action}»: {noun} nay ở trạng thái «{status}»."),
                action=self.label(action),
                noun=self.noun,
                status=self.status_label(getattr(obj, self.status_field)),
            )
        )

    def allowed(self, actor: Any, obj: M) -> list[Action]:
        """The actions ``actor`` may take on ``obj`` now."""
        status = getattr(obj, self.status_field)
        allowed = (self.action(name) for name in self.table[status])
        return [a for a in allowed if self.permits(actor, a.permission_at(status))]

    # --- applying it ----------------------------------------------------------------------------

    def transition(self, *, actor: Any, obj: M, action: str, **inputs: Any) -> M:
        """Apply ``action`` to ``obj`` as ``actor``; return the saved object (see :meth:`run`)."""
        return self.run(actor=actor, obj=obj, action=action, **inputs).obj

    @transaction.atomic
    def run(
        self,
        *,
        actor: Any,
        obj: M,
        action: str,
        note: str = "",
        legal_basis: str = "",
        locked: bool = False,
        **params: Any,
    ) -> Step[M]:
        """Apply ``action`` to ``obj`` as ``actor``; return the step, with the saved object and
        what the work recorded in ``detail``. ``note`` is the
        step's note (or reason), ``legal_basis`` what the audit entry records; ``params`` are the
        action's own inputs. ``locked``: the caller already holds the row's lock in this
        transaction and may have changed ``obj`` (the change is saved with the transition)."""
        chosen = self.action(action)
        if not locked:
            obj = (
                self.model._default_manager.select_for_update(of=("self",))
                .select_related(*self.select_related)
                .get(pk=obj.pk)
            )
        self.scope(actor, obj)
        status = getattr(obj, self.status_field)
        if self.status_first:
            self._check_status(chosen, status)
        if not self.permits(actor, chosen.permission_at(status)):
            raise PermissionDenied(_("Bạn không có quyền thực hiện việc này."))
        self._check_status(chosen, status)
        note = " ".join((note or "").split())[:500]
        if chosen.note_required and not note:
            raise ValidationFailed(chosen.note_required, field="note")
        step: Step[M] = Step(
            actor=actor,
            obj=obj,
            action=chosen,
            from_status=status,
            to_status=chosen.targets(status)[0],
            note=note,
            params=params,
            before=self._state(obj),
            legal_basis=legal_basis,
        )
        try:
            self._apply(step)
        except BaseException:
            for undo in reversed(step._on_failure):
                undo()
            raise
        return step

    def _apply(self, step: Step[M]) -> None:
        locked, chosen, status = step.obj, step.action, step.from_status
        if chosen.run is not None:
            chosen.run(step)
        if step.to_status not in chosen.targets(status):
            raise ValueError(f"{self.object_type}.{chosen.name} went to {step.to_status}")
        setattr(locked, self.status_field, step.to_status)
        locked.save()
        self.history(step)
        self.audit(
            actor=self.audit_actor(step.actor),
            action=self.audit_action,
            object_type=self.object_type,
            object_id=self.audit_id(locked),
            before=step.before,
            after=self._state(locked),
            legal_basis=step.legal_basis[:300],
            detail={"action": chosen.name, "from": status, "to": step.to_status, **step.detail},
        )
        for work in step._afterwards:
            work()

    def _check_status(self, chosen: Action, status: str) -> None:
        if chosen.name in self.table[status]:
            return
        if status in chosen.refused_in:
            raise Conflict(chosen.refused_in[status], field="action", code="invalid_transition")
        raise Conflict(
            format_lazy(
                _("Không thể “{action}” {noun} ở trạng thái “{status}”."),
                action=chosen.label,
                noun=self.noun,
                status=self.status_label(status),
            ),
            field="action",
            code="invalid_transition",
        )

    @staticmethod
    def _state(obj: Any) -> Any:
        return obj.state() if hasattr(obj, "state") else None

    # --- drawing it ---------------------------------------------------------------------------

    def edges(self) -> Iterator[tuple[str, str, Action]]:
        for status, names in self.table.items():
            for name in names:
                chosen = self.action(name)
                for target in chosen.targets(status):
                    yield status, target, chosen

    def mermaid(self) -> str:
        """The table as a Mermaid state diagram (``stateDiagram-v2``), for the README."""
        lines = ["stateDiagram-v2"]
        lines += [f'    state "{label}" as {value or "open"}' for value, label in self.choices]
        node = {value: value or "open" for value, _label in self.choices}
        lines += [f"    [*] --> {node[status]}" for status in self.initial]
        lines += [f"    {node[a]} --> {node[b]}: {act.label}" for a, b, act in self.edges()]
        lines += [
            f"    {node[status]} --> [*]" for status, names in self.table.items() if not names
        ]
        return "\n".join(lines)
