"""Rate limits of the public endpoints, counted per fixed window in Django's cache
(django-ratelimit).

A limit is a name in ``settings.HOTICH_RATE_LIMITS``: ``(key, rate)``, where the key is ``ip``
(one count per client address; IPv6 per /64) or ``all`` (one count for everyone) and the rate
``N/period`` (``None``: no limit). ``rate_limit(request, *names)`` counts the request against
each limit in turn and raises ``TooManyRequests`` (429) at the first one exceeded; the API maps
it to its error body, ``rate_limited`` views to the 429 page.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from hotich.core.errors import TooManyRequests


def client_ip(request: HttpRequest) -> str:
    """The client's address: from ``HOTICH_CLIENT_IP_HEADER`` when the reverse proxy sets it
    (the last address of a list, the one the proxy added), else the connection's."""
    header = settings.HOTICH_CLIENT_IP_HEADER
    if header:
        given = request.headers.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(given))
        except ValueError:
            pass
    return str(request.META.get("REMOTE_ADDR", ""))


def _everyone(group: str, request: HttpRequest) -> str:
    return "all"


def rate_limit(request: HttpRequest, *names: str) -> None:
    """Count this request against each named limit; ``TooManyRequests`` once one is exceeded."""
    for name in names:
        key, rate = settings.HOTICH_RATE_LIMITS[name]
        usage = get_usage(
            request,
            group=name,
            key="ip" if key == "ip" else _everyone,
            rate=rate,
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            continue
        wait = max(1, int(usage["time_left"]))
        minutes = math.ceil(wait / 60)
        if key == "ip":
            message = format_lazy(
                _("Bạn đã gửi quá nhiều yêu cầu. Xin thử lại sau {minutes} phút."),
                minutes=minutes,
            )
        else:
            message = format_lazy(
                _("Hệ thống đang nhận quá nhiều yêu cầu. Xin thử lại sau {minutes} phút."),
                minutes=minutes,
            )
        raise TooManyRequests(message, retry_after=wait)


def too_many_requests_page(request: HttpRequest, error: TooManyRequests) -> HttpResponse:
    response = render(request, "429.html", {"message": str(error)}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def rate_limited(
    *names: str, methods: Collection[str] = ()
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view counted against the named limits (only for ``methods`` when given), refused with
    the 429 page once one is exceeded."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not methods or request.method in methods:
                try:
                    rate_limit(request, *names)
                except TooManyRequests as error:
                    return too_many_requests_page(request, error)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
