"""Background work a service starts without importing its context's ``tasks`` module.

A task runs a service, and a service often starts a task (a request waits for the population
database, a run is queued, one pipeline step queues the next). If both imported each other, the
services and the tasks of a context would form an import cycle. Instead the service declares the
work it defers as a :class:`Deferred`, and the context's ``tasks`` module, which imports the
services it runs, binds the task to it::

    # services.py
    LINKAGE_RUN = Deferred[[int]]("linkage.linkage_run")
    ...
    LINKAGE_RUN.enqueue_on_commit(run.pk)

    # tasks.py
    @LINKAGE_RUN.bind
    @task()
    def linkage_run(run_id: int) -> str: ...

Imports go one way, tasks → services. The context's ``AppConfig.ready`` imports its ``tasks``
module, so every process has the tasks bound before it serves a request or runs a command.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, ParamSpec, TypeVar

from django.db import transaction
from django_tasks.base import Task

P = ParamSpec("P")
T = TypeVar("T")


class Deferred(Generic[P]):
    """A place for the task that runs some work later; ``name`` is for error messages."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._task: Task[P, Any] | None = None

    def bind(self, task: Task[P, T]) -> Task[P, T]:
        """Bind the task (usable as a decorator above ``@task()``)."""
        if self._task is not None and _path(self._task) != _path(task):
            raise RuntimeError(f"{self.name}: {_path(self._task)} is already bound")
        self._task = task
        return task

    @property
    def task(self) -> Task[P, Any]:
        if self._task is None:
            raise RuntimeError(
                f"{self.name}: no task is bound; the context's AppConfig.ready imports its tasks"
            )
        return self._task

    def enqueue_on_commit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Enqueue the task once the current transaction commits (at once outside one); a
        rolled-back transaction enqueues nothing."""
        task = self.task
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))

    def enqueue_on_commit_after(
        self, run_after: dt.datetime, *args: P.args, **kwargs: P.kwargs
    ) -> bool:
        """The same, to run no earlier than ``run_after``. A backend that cannot defer gets
        nothing (False): the context's sweep picks the work up later."""
        task = self.task
        if not task.get_backend().supports_defer:
            return False
        later = task.using(run_after=run_after)
        transaction.on_commit(lambda: later.enqueue(*args, **kwargs))
        return True


def _path(task: Task[Any, Any]) -> str:
    return f"{task.func.__module__}.{task.func.__qualname__}"
