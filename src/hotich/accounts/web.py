"""The web side of every staff page and API endpoint, in one place.

- ``staff_required(permission)``: only verified staff users, and only roles allowed to do it;
  the view then reads ``request.user`` as a :class:`StaffRequest`'s ``User``.
- ``staff_user(request, permission)``: the same check for an API endpoint (or a view whose
  permission depends on the method), which returns the user; others get 404.
- ``DomainErrors``: the domain error a service raises inside a view's ``with`` block is shown where
  that page shows errors: next to the form's field, as a message on the next page, or kept for the
  view to render.
- ``home_page_install(page)``: a context offers a user's home page (the e-office's day page);
  ``home_page_for(user)`` is the first one that answers, or None (the cards).
- ``link_condition_install(name, test)``: a context names a condition a sidebar link may require
  (the link to the work files is shown only to those who hold a position in an agency).
- ``DomainErrorMiddleware``: a ``NotFound`` escaping a view is the 404 page, a
  ``PermissionDenied`` the 403 page. The API maps every domain error itself
  (``hotich.config.api_errors``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from types import TracebackType
from typing import Any, Self

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from hotich.accounts.authz import Caller, can, is_staff_user
from hotich.accounts.models import User
from hotich.accounts.selectors import user_is_verified
from hotich.core.errors import DomainError, FormInvalid, NotFound, PermissionDenied
from hotich.core.guards import staff_guard_install


class StaffRequest(HttpRequest):
    """The request of a view behind :func:`staff_required`: its user is a staff user."""

    user: User


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


staff_guard_install(staff_required)


def staff_user(request: HttpRequest, action: str) -> User:
    """The caller of an API endpoint (or of a view whose permission depends on the method), when
    a staff user whose role may do ``action``; anyone else gets 404."""
    user = request.user
    if not is_staff_user(user) or not can(user, action):
        raise Http404
    return user


class DomainErrors:
    """``with DomainErrors(...):`` around a view's service call catches the domain error it raises
    and shows it: with ``form``, next to the field it names (or above the form when the form has
    no such field); with ``request``, as an error message on the page the view redirects to; with
    ``context``, as the page's ``error``. It is kept in ``error`` (and its HTTP status in
    ``status``) for the view. Errors of the ``passing`` types go on (a ``NotFound`` to the 404
    page, say)."""

    def __init__(
        self,
        request: HttpRequest | None = None,
        *,
        form: BaseForm | None = None,
        context: dict[str, Any] | None = None,
        passing: tuple[type[DomainError], ...] = (),
    ):
        self.request = request
        self.form = form
        self.context = context
        self.passing = passing
        self.error: DomainError | None = None

    @property
    def status(self) -> int:
        """The caught error's HTTP status; 200 when nothing went wrong."""
        return self.error.status if self.error is not None else 200

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        if not isinstance(error, DomainError) or isinstance(error, self.passing):
            return False
        self.error = error
        if self.form is not None:
            by_field = (
                error.errors if isinstance(error, FormInvalid) else {error.field: error.message}
            )
            for name, message in by_field.items():
                field = name if name in self.form.fields else None
                self.form.add_error(field, str(message))
        if self.request is not None:
            messages.error(self.request, str(error))
        if self.context is not None:
            self.context["error"] = str(error)
        return True


class DomainErrorMiddleware:
    """A domain error a view lets escape: ``NotFound`` is the 404 page (what is outside the scope
    does not exist), ``PermissionDenied`` the 403 page; any other is a fault (500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, PermissionDenied):
            raise Forbidden from exception


#: pages a context offers as a user's home instead of the cards (the e-office's day page for
#: those who act in an organization): each takes the user and answers a URL or None
_home_pages: list[Callable[[Caller], str | None]] = []


_link_conditions: dict[str, Callable[[Caller], bool]] = {}


def link_condition_install(name: str, test: Callable[[Caller], bool]) -> None:
    """A context names a condition a sidebar link may require (``"agency"``: the user holds a
    position in an agency); a link whose condition is not installed is not shown."""
    _link_conditions[name] = test


def link_condition_holds(name: str, user: Caller) -> bool:
    test = _link_conditions.get(name)
    return test is not None and test(user)


def home_page_install(page: Callable[[Caller], str | None]) -> None:
    if page not in _home_pages:
        _home_pages.append(page)


def home_page_for(user: Caller) -> str | None:
    """The URL of the user's home page, when a context offers one; else the cards."""
    for page in _home_pages:
        url = page(user)
        if url:
            return url
    return None
