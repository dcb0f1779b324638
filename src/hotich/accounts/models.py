"""Staff users, each with one role scoped to one administrative unit."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hotich.accounts.vocabulary import Role


class User(AbstractUser):
    """A person who works in the system. Citizens have separate portal accounts."""

    full_name = models.CharField(_("họ và tên"), max_length=120, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        "geo.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


class UserSession(models.Model):
    """The sessions a user holds, so that disabling the user can end all of them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"


class ApiToken(models.Model):
    """A key for scripts calling the API (``Authorization: Token <key>``). Only its SHA-256 is
    kept; ``prefix``, the key's first characters, names it in lists and when revoking it. A token
    acts as its user (same role and unit) until it expires or is revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=80, blank=True)
    prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix} (user {self.user_id})"

    @property
    def state(self) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"
