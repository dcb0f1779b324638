"""Idle and absolute session timeouts for staff sessions."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

TOUCH_EVERY = 60  # seconds: how stale ``last_seen`` may get before the session is written again


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            last_seen = float(session.get("last_seen", now))
            login_at = float(session.get("login_at", now))
            idle = now - last_seen > settings.HOTICH_SESSION_IDLE_SECONDS
            expired = now - login_at > settings.SESSION_COOKIE_AGE
            if idle or expired:
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn, xin đăng nhập lại."))
            elif now - last_seen > TOUCH_EVERY or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)
