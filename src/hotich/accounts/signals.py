"""Login events: sessions are tracked and every login, failure and logout is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from hotich.accounts.services import session_forget, session_register
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request.session.session_key is None:
        request.session.save()
    request.session["login_at"] = timezone.now().timestamp()
    session_register(user=user, session_key=request.session.session_key or "")
    audit_record(actor=user, action=Action.LOGIN, object_type="accounts.user", object_id=user.pk)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request.session.session_key:
        session_forget(session_key=request.session.session_key)
    if user is not None:
        audit_record(
            actor=user, action=Action.LOGOUT, object_type="accounts.user", object_id=user.pk
        )


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        detail={"username": str(credentials.get("username", ""))[:150]},
    )
