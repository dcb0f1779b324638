"""The API's error handling: every error of every operation is answered with
``hotich.core.api_errors.ErrorOut``, and the OpenAPI document declares it on every operation."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation

from hotich.core.api_errors import (
    ErrorOut,
    error_body,
    status_error_body,
    validation_error_body,
)
from hotich.core.errors import DomainError, FormInvalid, TooManyRequests

ERROR_REF = {"$ref": REF_TEMPLATE.format(model=ErrorOut.__name__)}
#: ninja's message for a session request without a valid CSRF token
NINJA_CSRF_MESSAGE = "CSRF check Failed"


def _declared_errors(operation: Operation) -> dict[int, str]:
    """The error answers an operation can give, with their descriptions."""
    errors = {
        400: "Yêu cầu bị từ chối / refused by a rule (see code and field)",
        404: "Không tìm thấy, hoặc ngoài phạm vi / not found, or outside your scope",
        422: "Dữ liệu không hợp lệ / invalid input (see errors)",
        429: "Quá nhiều yêu cầu / too many requests (see Retry-After)",
    }
    if operation.auth_callbacks:
        errors[401] = "Cần đăng nhập / authentication required"
        errors[403] = "Không có quyền / forbidden"
    if set(operation.methods) - {"GET", "HEAD"}:
        errors[409] = "Mâu thuẫn với trạng thái hiện tại / conflicts with the current state"
    return dict(sorted(errors.items()))


class _ErrorDeclaringSchema(OpenAPISchema):
    """The OpenAPI document, with the error body declared on each operation for each error it
    can answer (the operation's own declarations come first)."""

    def responses(self, operation: Operation) -> dict[int, dict[str, Any]]:
        result = super().responses(operation)
        for status, description in _declared_errors(operation).items():
            result.setdefault(
                status,
                {
                    "description": description,
                    "content": {self.api.renderer.media_type: {"schema": ERROR_REF}},
                },
            )
        if ErrorOut.__name__ not in self.schemas:
            schema = ErrorOut.model_json_schema(ref_template=REF_TEMPLATE, mode="serialization")
            self.add_schema_definitions(schema.pop("$defs", {}))
            self.schemas[ErrorOut.__name__] = schema
        return result


class HotichAPI(NinjaAPI):
    """The NinjaAPI of /api/v1/, answering every error with the one error body."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.exception_handler(DomainError)(self._on_domain_error)
        self.exception_handler(Http404)(self._on_not_found)
        self.exception_handler(HttpError)(self._on_http_error)
        self.exception_handler(ValidationError)(self._on_invalid)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _ErrorDeclaringSchema(api=self, path_prefix=path_prefix)

    def _error(self, request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
        return self.create_response(request, body, status=status)

    def _on_domain_error(self, request: HttpRequest, exc: DomainError) -> HttpResponse:
        body = error_body(
            exc.code,
            exc.in_language(translation.get_language() or "vi"),
            field=exc.field,
            message_en=exc.in_language("en"),
            # several inputs invalid at once: each of them, so that a form shows them all
            errors=[
                {"loc": [name], "msg": message, "type": exc.code}
                for name, message in exc.errors.items()
            ]
            if isinstance(exc, FormInvalid)
            else (),
        )
        response = self._error(request, body, exc.status)
        if isinstance(exc, TooManyRequests):
            response["Retry-After"] = str(exc.retry_after)
        return response

    def _on_not_found(self, request: HttpRequest, exc: Http404) -> HttpResponse:
        return self._error(request, status_error_body(404), 404)

    def _on_http_error(self, request: HttpRequest, exc: HttpError) -> HttpResponse:
        """ninja's own refusals: 401 (no valid session or token), 403 (a session request
        without its CSRF token), 429 (throttled), …"""
        if exc.status_code == 403 and exc.message == NINJA_CSRF_MESSAGE:
            body = error_body(
                "csrf",
                _(
                    "Thiếu mã chống giả mạo (CSRF): gửi kèm tiêu đề X-CSRFToken, "
                    "hoặc dùng Authorization: Token."
                ),
            )
        else:
            body = status_error_body(exc.status_code)
        return self._error(request, body, exc.status_code)

    def _on_invalid(self, request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return self._error(request, validation_error_body(exc.errors), 422)
