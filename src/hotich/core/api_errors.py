"""The one error body of the REST API (/api/v1/).

``{"code": "not_found", "message": "Không tìm thấy.", "message_en": "Not found.",
"field": null, "errors": []}``: ``code`` for programs, ``message`` in the request's language
(Vietnamese, or English when the request asks for it with ``Accept-Language: en``),
``message_en`` always in English, ``field`` the input at fault, ``errors`` every invalid input
of a 422 answer. ``ApiErrorMiddleware`` gives this body to the errors answered outside the API's
own handlers (an address no operation has, a method an address does not take, a server error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

API_PREFIX = "/api/v1/"


class ErrorDetail(Schema):
    loc: list[str | int] = Field(description="where: query, path, body, form or file, then names")
    msg: str = Field(description="what is wrong, in the request's language")
    type: str = Field(description="the kind of error (missing, int_parsing, less_than_equal, …)")


class ErrorOut(Schema):
    """Every error the API answers."""

    code: str = Field(
        description="validation, not_found, unauthenticated, forbidden, rate_limited, …"
    )
    message: str = Field(description="Vietnamese, or English with Accept-Language: en")
    message_en: str = Field(description="the same message in English")
    field: str | None = Field(description="the input at fault, when one is")
    errors: list[ErrorDetail] = Field(
        description="every invalid input (422, and 400 when several are invalid at once)"
    )


#: the error of a status code when nothing more precise is known
STATUS_ERRORS: dict[int, tuple[str, Promise]] = {
    400: ("bad_request", _("Yêu cầu không hợp lệ.")),
    401: ("unauthenticated", _("Cần đăng nhập.")),
    403: ("forbidden", _("Không có quyền thực hiện thao tác này.")),
    404: ("not_found", _("Không tìm thấy.")),
    405: ("method_not_allowed", _("Địa chỉ này không nhận phương thức HTTP đã dùng.")),
    409: ("conflict", _("Yêu cầu mâu thuẫn với trạng thái hiện tại.")),
    413: ("too_large", _("Yêu cầu quá lớn.")),
    422: ("validation", _("Dữ liệu không hợp lệ.")),
    429: ("rate_limited", _("Quá nhiều yêu cầu. Hãy thử lại sau.")),
    500: ("server_error", _("Lỗi máy chủ. Hãy thử lại sau.")),
    503: ("unavailable", _("Hệ thống tạm thời không phục vụ được. Hãy thử lại sau.")),
}


def _in(language: str, message: Any) -> str:
    with translation.override(language):
        return str(message)


def error_body(
    code: str,
    message: Any,
    *,
    field: str | None = None,
    errors: Iterable[Mapping[str, Any]] = (),
    message_en: str | None = None,
) -> dict[str, Any]:
    """The body for ``message`` (a lazy translation, shown in the active language)."""
    return {
        "code": code,
        "message": str(message),
        "message_en": message_en if message_en is not None else _in("en", message),
        "field": field,
        "errors": [
            {"loc": list(e["loc"]), "msg": str(e["msg"]), "type": e["type"]} for e in errors
        ],
    }


def status_error_body(status: int) -> dict[str, Any]:
    """The body for an error known only by its status code."""
    code, message = STATUS_ERRORS.get(status) or (
        STATUS_ERRORS[500] if status >= 500 else STATUS_ERRORS[400]
    )
    return error_body(code, message)


# ----- validation errors (pydantic's, as ninja reports them) -----

_REASONS: dict[str, Any] = {
    "missing": _("bắt buộc"),
    "int_parsing": _("phải là số nguyên"),
    "int_type": _("phải là số nguyên"),
    "int_from_float": _("phải là số nguyên"),
    "float_parsing": _("phải là số"),
    "float_type": _("phải là số"),
    "bool_parsing": _("phải là true hoặc false"),
    "bool_type": _("phải là true hoặc false"),
    "string_type": _("phải là chuỗi ký tự"),
    "string_pattern_mismatch": _("sai định dạng"),
    "date_parsing": _("phải là ngày dạng YYYY-MM-DD"),
    "date_from_datetime_parsing": _("phải là ngày dạng YYYY-MM-DD"),
    "date_from_datetime_inexact": _("phải là ngày dạng YYYY-MM-DD"),
    "date_type": _("phải là ngày dạng YYYY-MM-DD"),
    "datetime_parsing": _("phải là thời điểm theo ISO 8601"),
    "datetime_type": _("phải là thời điểm theo ISO 8601"),
    "dict_type": _("phải là một đối tượng JSON"),
    "model_type": _("phải là một đối tượng JSON"),
    "model_attributes_type": _("phải là một đối tượng JSON"),
    "list_type": _("phải là một danh sách"),
    "json_invalid": _("không phải JSON hợp lệ"),
    "value_error": _("giá trị không hợp lệ"),
}

_BOUNDED: dict[str, tuple[str, Any]] = {
    "greater_than_equal": ("ge", _("phải từ {limit} trở lên")),
    "greater_than": ("gt", _("phải lớn hơn {limit}")),
    "less_than_equal": ("le", _("tối đa là {limit}")),
    "less_than": ("lt", _("phải nhỏ hơn {limit}")),
    "string_too_short": ("min_length", _("tối thiểu {limit} ký tự")),
    "string_too_long": ("max_length", _("tối đa {limit} ký tự")),
    "too_short": ("min_length", _("tối thiểu {limit} phần tử")),
    "too_long": ("max_length", _("tối đa {limit} phần tử")),
    "literal_error": ("expected", _("phải là một trong: {limit}")),
    "enum": ("expected", _("phải là một trong: {limit}")),
}


def _reason(error: Mapping[str, Any]) -> Any:
    kind = error.get("type", "")
    if kind in _BOUNDED:
        key, template = _BOUNDED[kind]
        return format_lazy(template, limit=(error.get("ctx") or {}).get(key, "?"))
    return _REASONS.get(kind, _("giá trị không hợp lệ"))


def _field(loc: Iterable[Any]) -> str | None:
    """The input's name as the client wrote it: ``("query", "year")`` → ``year``;
    ``("body", "payload", "parties", "child")`` → ``parties.child`` (the body's own name is
    the operation's, not the client's)."""
    parts = [str(p) for p in loc]
    in_body = parts[:1] in (["body"], ["form"]) and len(parts) > 2
    return ".".join(parts[2:] if in_body else parts[1:]) or None


def validation_error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The 422 body for ninja's validation errors: the first one in ``message``, each one in
    ``errors`` with its reason in the request's language."""
    if not errors:
        return status_error_body(422)
    first = errors[0]
    field = _field(first.get("loc", ()))
    reason = _reason(first)
    if field:
        message = format_lazy(
            _("Dữ liệu không hợp lệ ở trường {field}: {reason}."), field=field, reason=reason
        )
    else:
        message = format_lazy(_("Dữ liệu không hợp lệ: {reason}."), reason=reason)
    details = [
        {"loc": e.get("loc", ()), "msg": _reason(e), "type": e.get("type", "")} for e in errors
    ]
    return error_body("validation", message, field=field, errors=details)


S = TypeVar("S", bound=Schema)


def body_as(request: HttpRequest, schema: type[S]) -> S:
    """The JSON body as ``schema``, for an operation that checks first that the object it names
    is in the caller's scope (so that an object elsewhere answers 404 whatever is posted).
    Invalid: ninja's ``ValidationError``, answered 422 like a body ninja reads itself."""
    try:
        return schema.model_validate_json(request.body or b"{}")
    except PydanticError as exc:
        raise ValidationError(
            [
                {"loc": ("body", "payload", *e["loc"]), "type": e["type"], "ctx": e.get("ctx")}
                for e in exc.errors(include_url=False)
            ]
        ) from None


def body_openapi(schema: type[Schema]) -> dict[str, Any]:
    """The ``openapi_extra`` declaring the body :func:`body_as` reads."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


class ApiErrorMiddleware:
    """Under /api/v1/, an error answered in another form than JSON (Django's HTML 404 for an
    address no operation has, such as a non-numeric id; the 405 of a method an address does not
    take; the page of a server error) becomes the error body for its status code."""

    KEPT_HEADERS = ("Allow", "Retry-After")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replaced = JsonResponse(
            status_error_body(response.status_code),
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for name in self.KEPT_HEADERS:
            if name in response:
                replaced[name] = response[name]
        return replaced
