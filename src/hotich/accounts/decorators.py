"""View guards: logged in, past the second factor, and allowed by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from hotich.accounts.authz import can, is_staff_user
from hotich.accounts.selectors import user_is_verified


def staff_required(
    action: str | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Only verified staff users; with ``action``, only roles allowed to do it (others get 404)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect(f"/dang-nhap/?next={request.path}")
            if not user_is_verified(user):
                return redirect("accounts:otp")
            if not is_staff_user(user) or (action and not can(user, action)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
