"""The web helpers every staff page and API endpoint uses: who may call, and where a domain
error is shown."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from hotich.accounts.vocabulary import Role
from hotich.accounts.web import DomainErrorMiddleware, DomainErrors, staff_user
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class NameForm(forms.Form):
    name = forms.CharField()


def _request(user=None):
    request = RequestFactory().post("/")
    request.user = user or AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.django_db
def test_staff_user_is_the_permitted_caller_and_404_for_anyone_else(units, make_user):
    officer = make_user(Role.OFFICER, units["a"])
    assert staff_user(_request(officer), "registry.view") is officer
    for caller in (make_user(Role.CLERK, units["a"]), None):
        with pytest.raises(Http404):
            staff_user(_request(caller), "registry.view")


def test_an_error_naming_a_field_of_the_form_is_shown_next_to_it():
    form = NameForm({"name": "An"})
    assert form.is_valid()
    with DomainErrors(form=form) as caught:
        raise ValidationFailed("Tên đã có.", field="name")
    assert form.errors == {"name": ["Tên đã có."]}
    assert caught.status == 400


def test_an_error_naming_no_field_of_the_form_is_shown_above_it():
    form = NameForm({"name": "An"})
    assert form.is_valid()
    with DomainErrors(form=form):
        raise Conflict("Đã khóa.", field="book")
    assert form.non_field_errors() == ["Đã khóa."]


def test_an_error_becomes_a_message_for_the_next_page():
    request = _request()
    with DomainErrors(request) as caught:
        raise PermissionDenied("Bạn không có quyền thực hiện việc này.")
    assert [str(m) for m in get_messages(request)] == ["Bạn không có quyền thực hiện việc này."]
    assert caught.status == 403


def test_an_error_goes_into_the_page_context_and_is_kept():
    context: dict[str, object] = {}
    error = NotFound("Không tìm thấy.")
    with DomainErrors(context=context) as caught:
        raise error
    assert context == {"error": "Không tìm thấy."}
    assert caught.error is error and caught.status == 404


def test_nothing_caught_is_a_200():
    with DomainErrors() as caught:
        pass
    assert caught.error is None and caught.status == 200


def test_passing_errors_and_other_exceptions_go_on():
    with pytest.raises(NotFound), DomainErrors(passing=(NotFound,)):
        raise NotFound("Không tìm thấy.")
    with pytest.raises(KeyError), DomainErrors():
        raise KeyError("x")


def test_not_found_escaping_a_view_is_the_404_page_and_permission_denied_the_403():
    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    request = _request()
    with pytest.raises(Http404):
        middleware.process_exception(request, NotFound("Không tìm thấy."))
    with pytest.raises(Forbidden):
        middleware.process_exception(request, PermissionDenied("Không được."))
    assert middleware.process_exception(request, Conflict("Đã khóa.")) is None
