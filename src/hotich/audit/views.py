"""The auditor's view of the log: filter, page, and check the chain."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hotich.audit.selectors import audit_chain_status, entry_list
from hotich.audit.services import audit_chain_recheck
from hotich.audit.vocabulary import Action
from hotich.core.forms import DateField
from hotich.core.guards import staff_required


class EntryFilterForm(forms.Form):
    username = forms.CharField(label=_("Người dùng"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("Hành động"), required=False, choices=[("", "—"), *Action.choices]
    )
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False, max_length=80)
    object_id = forms.CharField(label=_("Mã đối tượng"), required=False, max_length=64)
    date_from = DateField(label=_("Từ ngày"), required=False, help_text="")
    date_to = DateField(label=_("Đến ngày"), required=False, help_text="")


@staff_required("audit.view")
def entry_list_view(request: HttpRequest) -> HttpResponse:
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(entry_list(filters=filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "chain_break": audit_chain_status(),
        },
    )


@staff_required("audit.view")
def chain_check(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/_chain.html", {"broken": audit_chain_recheck(), "checked": True})
