"""Pages of the organization tree: the list, one organization with its people, the import, and
the user's own positions (where they switch the organization they act in)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can, unit_in_scope
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.agencies.selectors import (
    members_of,
    membership_find,
    organization_find,
    organizations_below,
    organizations_visible,
    user_organizations,
)
from hotich.agencies.services import ImportFailed, membership_make_primary, organizations_import


@staff_required("agencies.view")
def organization_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    organizations = list(organizations_visible(request.user, query=query)[:500])
    return render(
        request,
        "agencies/list.html",
        {
            "organizations": organizations,
            "q": query,
            "can_manage": can(request.user, "agencies.manage"),
        },
    )


@staff_required("agencies.view")
def organization_detail(request: StaffRequest, organization_id: int) -> HttpResponse:
    organization = organization_find(organization_id)
    if organization is None or not unit_in_scope(request.user, organization.unit):
        raise Http404
    return render(
        request,
        "agencies/detail.html",
        {
            "organization": organization,
            "members": list(members_of(organization)),
            "children": list(organizations_below(organization).filter(parent=organization)),
        },
    )


@staff_required("agencies.manage")
def organization_import(request: StaffRequest) -> HttpResponse:
    context: dict[str, object] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Hãy chọn tệp .xlsx hoặc .csv.")
        else:
            errors = DomainErrors(context=context)
            with errors:
                result = organizations_import(
                    actor=request.user, data=upload.read(), name=upload.name or ""
                )
            if isinstance(errors.error, ImportFailed):
                context["row_errors"] = errors.error.errors
            if errors.error is None:
                messages.success(
                    request,
                    format_lazy(
                        _("Đã nhập {created} tổ chức mới, cập nhật {updated}, {members} chức vụ."),
                        created=result.organizations_created,
                        updated=result.organizations_updated,
                        members=result.memberships,
                    ),
                )
                return redirect("agencies:list")
    return render(
        request, "agencies/import.html", context, status=400 if "error" in context else 200
    )


@staff_required()
def my_positions(request: StaffRequest) -> HttpResponse:
    return render(
        request, "agencies/mine.html", {"memberships": list(user_organizations(request.user))}
    )


@require_POST
@staff_required()
def switch(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = membership_find(membership_id)
    if membership is None or membership.user_id != request.user.pk:
        raise Http404
    with DomainErrors(request):
        membership_make_primary(actor=request.user, membership=membership)
        messages.success(
            request,
            format_lazy(_("Bạn đang làm việc tại {name}."), name=membership.organization.name),
        )
    return redirect("agencies:mine")
