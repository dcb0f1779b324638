"""hotich.core.pipeline: ordered steps, skipping, the first failure stops, cleanup always."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from hotich.core.pipeline import UNEXPECTED, Pipeline, StepFailed


@dataclass
class Item:
    kind: str = "page"
    log: list[str] = field(default_factory=list)


class Recorder:
    def __init__(self, name: str, *, only: str = "", fail: Exception | None = None) -> None:
        self.name, self.only, self.fail = name, only, fail

    def applies_to(self, item: Item) -> bool:
        return not self.only or item.kind == self.only

    def run(self, item: Item) -> None:
        item.log.append(f"run {self.name}")
        if self.fail is not None:
            raise self.fail

    def cleanup(self, item: Item) -> None:
        item.log.append(f"cleanup {self.name}")


def test_steps_run_in_order_skip_what_does_not_apply_and_clean_up_last_first() -> None:
    pipeline = Pipeline[Item]("t", [Recorder("a"), Recorder("b", only="pdf"), Recorder("c")])
    item = Item()
    outcome = pipeline.run(item)
    assert outcome.ok and outcome.done == ["a", "c"] and outcome.skipped == ["b"]
    assert item.log == ["run a", "run c", "cleanup c", "cleanup a"]


def test_the_first_failure_stops_with_its_reason_and_started_steps_clean_up() -> None:
    pipeline = Pipeline[Item](
        "t", [Recorder("a"), Recorder("b", fail=StepFailed("hỏng")), Recorder("c")]
    )
    item = Item()
    outcome = pipeline.run(item)
    assert not outcome.ok
    assert (outcome.failed_step, outcome.reason, outcome.done) == ("b", "hỏng", ["a"])
    assert item.log == ["run a", "run b", "cleanup b", "cleanup a"]


def test_an_unexpected_error_is_a_failure_with_a_generic_reason() -> None:
    pipeline = Pipeline[Item]("t", [Recorder("a", fail=KeyError("số định danh 0123"))])
    outcome = pipeline.run(Item())
    assert outcome.failed_step == "a" and outcome.reason == str(UNEXPECTED)
    assert "0123" not in outcome.reason


def test_a_failing_cleanup_does_not_hide_the_outcome() -> None:
    class BadCleanup(Recorder):
        def cleanup(self, item: Item) -> None:
            raise OSError("disk")

    outcome = Pipeline[Item]("t", [BadCleanup("a"), Recorder("b")]).run(Item())
    assert outcome.ok and outcome.done == ["a", "b"]


def test_rerun_from_a_step() -> None:
    pipeline = Pipeline[Item]("t", [Recorder("a"), Recorder("b"), Recorder("c")])
    item = Item()
    assert pipeline.run(item, start_at="b").done == ["b", "c"]
    with pytest.raises(KeyError):
        pipeline.run(item, start_at="z")


def test_step_names_are_unique() -> None:
    with pytest.raises(ValueError, match="repeat"):
        Pipeline[Item]("t", [Recorder("a"), Recorder("a")])
