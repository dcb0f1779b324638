"""Long processing as ordered steps over one item (ADR 16), as Paperless-ngx's consumer runs its
plugins: each step says whether it applies to the item, runs, and cleans up after itself.

A context declares its steps in order and one task runs the whole pipeline::

    class Derivatives:
        name = "derivatives"
        label = _("Tạo ảnh xem")

        def applies_to(self, item: PageWork) -> bool: return True
        def run(self, item: PageWork) -> None: ...       # raise StepFailed(reason) to stop
        def cleanup(self, item: PageWork) -> None: ...   # always called once run was called

    SCAN = Pipeline("scan", [Derivatives(), Ocr()])
    outcome = SCAN.run(item)                      # or SCAN.run(item, start_at="ocr")

The steps run in order; a step that does not apply is skipped; the first step that fails stops
the pipeline and the outcome names it with its reason (the context records them on the item, so
the item can be rerun from that step). Every step that ran has its ``cleanup`` called, last
first, whatever happened. An unexpected exception in a step is a failure with a generic reason
(the exception is logged, never shown: it may hold personal data).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)

UNEXPECTED = _("Lỗi không lường trước khi xử lý; xem nhật ký máy chủ.")


class Step(Protocol[T_contra]):
    """One step of a pipeline over items of type ``T``."""

    @property
    def name(self) -> str: ...

    def applies_to(self, item: T_contra) -> bool: ...

    def run(self, item: T_contra) -> None: ...

    def cleanup(self, item: T_contra) -> None: ...


class StepFailed(Exception):
    """Raised by a step that cannot do its work: ``reason`` is shown to staff (no personal
    data), in the language of the page that shows it."""

    def __init__(self, reason: str | Promise) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed_step: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed_step


class Pipeline(Generic[T]):
    def __init__(self, name: str, steps: Sequence[Step[T]]) -> None:
        names = [step.name for step in steps]
        if len(set(names)) != len(names):
            raise ValueError(f"{name}: step names repeat: {names}")
        self.name = name
        self.steps = tuple(steps)

    @property
    def step_names(self) -> list[str]:
        return [step.name for step in self.steps]

    def run(self, item: T, *, start_at: str = "") -> Outcome:
        """Run the steps in order (from ``start_at`` when given) until one fails."""
        if start_at and start_at not in self.step_names:
            raise KeyError(f"{self.name}: no step {start_at!r}")
        steps = self.steps[self.step_names.index(start_at) :] if start_at else self.steps
        outcome = Outcome()
        started: list[Step[T]] = []
        try:
            for step in steps:
                if not step.applies_to(item):
                    outcome.skipped.append(step.name)
                    continue
                started.append(step)
                try:
                    step.run(item)
                except StepFailed as exc:
                    outcome.failed_step, outcome.reason = step.name, str(exc.reason)
                    break
                except Exception:  # one bad item must not stop the worker: it is recorded
                    logger.exception("%s: step %s failed", self.name, step.name)
                    outcome.failed_step, outcome.reason = step.name, str(UNEXPECTED)
                    break
                outcome.done.append(step.name)
        finally:
            for step in reversed(started):
                try:
                    step.cleanup(item)
                except Exception:  # a cleanup failure is logged; the outcome stands
                    logger.exception("%s: cleanup of step %s failed", self.name, step.name)
        return outcome
