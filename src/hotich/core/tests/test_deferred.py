"""hotich.core.deferred: a service enqueues its task without importing the tasks module."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from hotich.core.deferred import Deferred

ran: list[tuple[int, str]] = []

LATER = Deferred[[int, str]]("core.tests.record_call")


@LATER.bind
@task()
def record_call(number: int, word: str) -> str:
    ran.append((number, word))
    return word


@task()
def another_task(number: int, word: str) -> str:
    return word


@pytest.fixture(autouse=True)
def _empty() -> None:
    ran.clear()


@pytest.mark.django_db(transaction=True)
def test_the_task_runs_once_the_transaction_commits() -> None:
    with transaction.atomic():
        LATER.enqueue_on_commit(1, "một")
        assert ran == []
    assert ran == [(1, "một")]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        LATER.enqueue_on_commit(2, "hai")
        raise RuntimeError
    assert ran == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_task_is_enqueued_at_once() -> None:
    LATER.enqueue_on_commit(3, "ba")
    assert ran == [(3, "ba")]


def test_binding_returns_the_task_and_is_idempotent() -> None:
    assert LATER.bind(record_call) is record_call
    assert LATER.task is record_call


def test_another_task_cannot_take_the_place() -> None:
    with pytest.raises(RuntimeError, match="record_call is already bound"):
        LATER.bind(another_task)


def test_an_unbound_deferred_names_itself() -> None:
    unbound = Deferred[[int]]("core.tests.nothing")
    with pytest.raises(RuntimeError, match=r"core\.tests\.nothing: no task is bound"):
        unbound.enqueue_on_commit(1)


@pytest.mark.django_db(transaction=True)
def test_later_work_waits_for_a_backend_that_defers(settings: Any) -> None:
    # the immediate backend of the tests cannot defer: nothing is queued, the sweep picks it up
    assert LATER.enqueue_on_commit_after(timezone.now(), 4, "bốn") is False
    assert ran == []
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    with transaction.atomic():
        assert LATER.enqueue_on_commit_after(timezone.now(), 5, "năm") is True
        assert default_task_backend.results == []
    (queued,) = default_task_backend.results
    assert queued.args == [5, "năm"] and queued.task.run_after is not None
