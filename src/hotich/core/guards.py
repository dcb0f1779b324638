"""The staff guard for the views of a context that the accounts context itself imports.

Accounts writes to the audit log, so the audit context cannot import accounts' view guard (the
layers contract). Its views are decorated with :func:`staff_required` from here instead, and
accounts installs its guard when it starts (:func:`staff_guard_install`). The guarded view
answers exactly as one decorated with accounts' guard: the login page, the second factor, or 404.
Every context above accounts uses accounts' guard directly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]
Guard = Callable[[str | None], Callable[[View], View]]

_guard: list[Guard] = []


def staff_guard_install(guard: Guard) -> None:
    """Install the guard ``guard(action)(view)`` (the accounts context does, when it starts)."""
    _guard[:] = [guard]


def staff_required(action: str | None = None) -> Callable[[View], View]:
    """Only what the installed guard lets through: verified staff users, with ``action`` only
    roles allowed to do it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _guard:
                raise ImproperlyConfigured("No staff guard is installed (hotich.accounts).")
            return _guard[0](action)(view)(request, *args, **kwargs)

        return wrapped

    return decorator
