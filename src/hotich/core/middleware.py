"""Request ids: every request gets one, the audit log and application log lines carry it. The
request is also kept for :func:`public_base_url`, the address printed on issued papers, and
each request has a memo (:func:`request_memo`) for what several parts of one page ask again
(the user's membership), emptied when the request ends."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("request_memo", default=None)
#: the address of ``hotich serve`` on this machine, for papers issued outside a request
LOCAL_URL = "http://127.0.0.1:8000"
_VALID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def public_base_url() -> str:
    """The site's public address, without a trailing slash: ``HOTICH_PUBLIC_URL`` when it is set
    (the production settings refuse to start without it), else the address the current request
    came to (development, the demo), else this machine's ``hotich serve`` (a command)."""
    configured: str = getattr(settings, "HOTICH_PUBLIC_URL", "")
    if configured:
        return configured.rstrip("/")
    request = _request.get()
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return LOCAL_URL


T = TypeVar("T")


def request_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per request for ``key`` (the same user's memberships asked by the
    view, the scope helpers and the sidebar); outside a request (commands, tasks, tests calling
    selectors) every time. Only for what the request itself does not change, or what a write
    forgets with :func:`request_memo_clear`."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    value: T = memo[key]
    return value


def request_memo_clear() -> None:
    """Forget everything remembered in this request (after a write the memo may depend on)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request_token = _request.set(request)
        memo_token = _memo.set({})
        try:
            response = self.get_response(request)
        finally:
            _memo.reset(memo_token)
            _request.reset(request_token)
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True
