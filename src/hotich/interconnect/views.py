"""Staff pages of document interconnection: the packages sent and received with their status
messages, sending an issued document to other agencies, importing a package from a file and
returning a received one. Each view makes one domain call."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.core.errors import NotFound
from hotich.interconnect.forms import ImportForm
from hotich.interconnect.selectors import packages_of
from hotich.interconnect.services import package_import, package_return, package_send
from hotich.interconnect.vocabulary import Direction

MAX_UPLOAD = 70 * 1024 * 1024


@staff_required("documents.view")
def packages(request: StaffRequest) -> HttpResponse:
    direction = Direction.INCOMING if request.GET.get("chieu") == "den" else Direction.OUTGOING
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with DomainErrors(form=form):
                if upload.size > MAX_UPLOAD:
                    form.add_error("file", _("Gói tin quá lớn."))
                else:
                    package = package_import(actor=request.user, data=upload.read())
                    number = package.document.number if package.document else ""
                    messages.success(request, _("Đã nhận gói tin, số đến %(n)s.") % {"n": number})
                    return redirect(f"{reverse('interconnect:packages')}?chieu=den")
            direction = Direction.INCOMING
    return render(
        request,
        "interconnect/packages.html",
        {
            "rows": packages_of(actor=request.user, direction=direction),
            "incoming": direction == Direction.INCOMING,
            "form": form,
            "can_import": can(request.user, "documents.draft"),
            "can_return": can(request.user, "documents.handle"),
        },
    )


@require_POST
@staff_required("documents.issue")
def send(request: StaffRequest, document_id: int) -> HttpResponse:
    with DomainErrors(request, passing=(NotFound,)):
        sent = package_send(
            actor=request.user, document_id=document_id, to_codes=request.POST.getlist("to")
        )
        messages.success(request, _("Đã gửi liên thông tới %(n)s cơ quan.") % {"n": len(sent)})
    return redirect("documents:document", document_id=document_id)


@require_POST
@staff_required("documents.handle")
def give_back(request: StaffRequest, package_id: int) -> HttpResponse:
    with DomainErrors(request, passing=(NotFound,)):
        package_return(
            actor=request.user, package_id=package_id, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Đã trả lại văn bản cho cơ quan gửi."))
    return redirect(f"{reverse('interconnect:packages')}?chieu=den")
