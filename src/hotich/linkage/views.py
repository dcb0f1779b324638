"""Staff pages of linkage (/doi-chieu/): runs, the review queue, disagreements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required, staff_user
from hotich.core.words import word
from hotich.linkage import selectors, services
from hotich.linkage.forms import CheckForm, DecisionForm, ResolveForm, RunForm
from hotich.linkage.models import DisagreementField
from hotich.linkage.permissions import RESOLVE, REVIEW, RUN, VIEW
from hotich.linkage.prepare import COLUMN_LABELS, COLUMNS

PAGE = 100


@staff_required(VIEW)
def home(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "linkage/home.html",
        {
            "runs": selectors.runs_visible(request.user)[:50],
            "form": RunForm(),
            "can_run": can(request.user, RUN),
            "review_count": selectors.review_queue(request.user).count(),
            "open_count": selectors.disagreements_visible(request.user, open_only=True).count(),
        },
    )


@require_POST
@staff_required(RUN)
def run_new(request: StaffRequest) -> HttpResponse:
    form = RunForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("linkage:home")
    left, right = form.cleaned_data["left"], form.cleaned_data.get("right")
    with DomainErrors(request):
        run = services.run_create(
            actor=request.user,
            left_name=left.name or "left.csv",
            left_data=left.read(),
            right_name=(right.name or "right.csv") if right else "",
            right_data=right.read() if right else None,
            threshold_low=form.cleaned_data["threshold_low"],
            threshold_high=form.cleaned_data["threshold_high"],
        )
        messages.success(request, _("Đã đưa lần đối chiếu vào hàng đợi."))
        return redirect("linkage:run", run_id=run.pk)
    return redirect("linkage:home")


@staff_required(VIEW)
def run(request: StaffRequest, run_id: int) -> HttpResponse:
    obj = selectors.run_get(actor=request.user, run_id=run_id)
    pairs = obj.pairs.order_by("-probability", "pk")[:PAGE]
    return render(request, "linkage/run.html", {"run": obj, "pairs": pairs})


@staff_required(VIEW)
def review(request: StaffRequest) -> HttpResponse:
    queue = selectors.review_queue(request.user)
    return render(
        request,
        "linkage/review.html",
        {"pairs": queue[:PAGE], "total": queue.count()},
    )


@staff_required(VIEW)
def pair(request: StaffRequest, pair_id: int) -> HttpResponse:
    obj = selectors.pair_get(actor=request.user, pair_id=pair_id, audit=request.method == "GET")
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        staff_user(request, REVIEW)
        if form.is_valid():
            with DomainErrors(request):
                services.pair_decide(
                    actor=request.user,
                    pair=obj,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Đã lưu quyết định."))
                following = selectors.review_queue(request.user).first()
                if following is not None:
                    return redirect("linkage:pair", pair_id=following.pk)
                return redirect("linkage:review")
        else:
            messages.error(request, _("Hãy chọn một quyết định."))
    rows = [
        (COLUMN_LABELS[c], _shown(c, obj.left_record), _shown(c, obj.right_record)) for c in COLUMNS
    ]
    return render(
        request,
        "linkage/pair.html",
        {"pair": obj, "rows": rows, "form": form, "can_review": can(request.user, REVIEW)},
    )


@staff_required(VIEW)
def disagreements(request: StaffRequest) -> HttpResponse:
    show_all = request.GET.get("tat-ca") == "1"
    items = selectors.disagreements_visible(request.user, open_only=not show_all)
    return render(
        request,
        "linkage/disagreements.html",
        {
            "items": items[:PAGE],
            "total": items.count(),
            "show_all": show_all,
            "form": CheckForm(),
            "can_resolve": can(request.user, RESOLVE),
        },
    )


@require_POST
@staff_required(RESOLVE)
def disagreements_check(request: StaffRequest) -> HttpResponse:
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải nêu căn cứ pháp lý."))
        return redirect("linkage:disagreements")
    with DomainErrors(request):
        found = services.disagreements_check(
            actor=request.user, legal_basis=form.cleaned_data["legal_basis"]
        )
        messages.success(request, _("Đã đối chiếu; phát hiện %(n)d khác biệt mới.") % {"n": found})
    return redirect("linkage:disagreements")


@staff_required(VIEW)
def disagreement(request: StaffRequest, disagreement_id: int) -> HttpResponse:
    obj = selectors.disagreement_get(
        actor=request.user, disagreement_id=disagreement_id, audit=request.method == "GET"
    )
    form = ResolveForm(request.POST or None)
    if request.method == "POST":
        staff_user(request, RESOLVE)
        if form.is_valid():
            with DomainErrors(request):
                services.disagreement_resolve(
                    actor=request.user,
                    disagreement=obj,
                    resolution=form.cleaned_data["resolution"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("Đã ghi nhận cách xử lý."))
                return redirect("linkage:disagreements")
        else:
            messages.error(request, _("Hãy chọn cách xử lý."))
    context: dict[str, Any] = {
        "item": obj,
        "form": form,
        "field_label": DisagreementField(obj.field).label,
        "can_resolve": can(request.user, RESOLVE) and obj.is_open,
    }
    return render(request, "linkage/disagreement.html", context)


def _shown(column: str, record: dict[str, Any]) -> str:
    """A value of a record of the pair as a person reads it (the sex as "Nam"/"Nữ")."""
    value = str(record.get(column) or "")
    return word("sex", value) if column == "sex" else value
