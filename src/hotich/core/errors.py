"""Domain errors: raised by services, mapped to responses by views, the API and commands.

Messages are written in Vietnamese (the message id) and translated to English through gettext,
so ``str(error)`` follows the active language and ``error.bilingual()`` gives both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils import translation
from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the request. ``field`` names the input at fault."""

    status = 400
    code = "invalid"

    def __init__(
        self, message: str | Promise, *, field: str | None = None, code: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)

    def in_language(self, language: str) -> str:
        with translation.override(language):
            return str(self.message)

    def bilingual(self) -> str:
        vi, en = self.in_language("vi"), self.in_language("en")
        return vi if vi == en else f"{vi} / {en}"


class ValidationFailed(DomainError):
    code = "validation"


class FormInvalid(ValidationFailed):
    """Several inputs are invalid at once; ``errors`` maps each field name to its message (the
    first one is also the error's own message and field)."""

    def __init__(self, errors: Mapping[str, str | Promise]):
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = dict(errors)

    @classmethod
    def collect(cls, errors: Sequence[DomainError]) -> DomainError:
        """One error for ``errors`` (in order; the first of each field kept): the error itself
        when there is one, else a ``FormInvalid``."""
        if len(errors) == 1:
            return errors[0]
        by_field: dict[str, str | Promise] = {}
        for error in errors:
            own: Iterable[tuple[str | None, str | Promise]] = (
                error.errors.items()
                if isinstance(error, FormInvalid)
                else [(error.field, error.message)]
            )
            for name, message in own:
                by_field.setdefault(name or "__all__", message)
        return cls(by_field)


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """A rate limit refused the request; ``retry_after`` is in seconds."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str | Promise, *, retry_after: int = 60, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = max(1, retry_after)
