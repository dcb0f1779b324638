"""The REST API at /api/v1/: one NinjaAPI, routers from each context, one error body
(``hotich.core.api_errors.ErrorOut``, answered by ``hotich.config.api_errors.HotichAPI``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyHeader, SessionAuth

from hotich.accounts.api import router as accounts_router
from hotich.accounts.selectors import user_is_verified
from hotich.accounts.services import api_token_authenticate
from hotich.config.api_errors import HotichAPI
from hotich.digitization.api import router as digitization_router
from hotich.documents.api import router as documents_router
from hotich.geo.api import router as geo_router
from hotich.linkage.api import router as linkage_router
from hotich.offline.api import router as offline_router
from hotich.portal.api import router as portal_router
from hotich.registry.api import router as registry_router
from hotich.reporting.api import router as reporting_router
from hotich.signing.api import router as signing_router


class VerifiedSessionAuth(SessionAuth):
    """The browser session, once past the second factor (CSRF-checked for writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user_is_verified(user) else None


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>`` for scripts, without CSRF (no cookie is involved); browsers
    use the session. An unknown, expired or revoked token is refused with 401."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key or not key.startswith("Token "):
            return None
        user = api_token_authenticate(key=key.removeprefix("Token ").strip())
        request.user = user
        return user


api = HotichAPI(
    title="Hộ tịch số API",
    version="1",
    description="API của Hộ tịch số / the Hộ tịch số API",
    # The token first: the session's CSRF check would refuse a script's write before it.
    auth=[TokenAuth(), VerifiedSessionAuth()],
    urls_namespace="api",
)


api.add_router("/", accounts_router)
api.add_router("/units", geo_router)
api.add_router("/registry", registry_router)
api.add_router("/digitization", digitization_router)
api.add_router("/offline", offline_router)
api.add_router("/linkage", linkage_router)
api.add_router("/signing", signing_router)
api.add_router("/documents", documents_router)
api.add_router("/portal", portal_router)
api.add_router("/reporting", reporting_router)
