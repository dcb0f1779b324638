"""Staff pages of digitization (/so-hoa/). Each view translates input, makes one service or
selector call and maps a DomainError to a message. Objects outside the user's scope are 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.archive.selectors import fixity_latest
from hotich.audit.services import audit_record
from hotich.digitization import selectors, services
from hotich.digitization.access import ARBITRATE, KEY
from hotich.digitization.fields import MARKER_LABELS, display, fields_for
from hotich.digitization.imaging import crop_box, crop_region
from hotich.digitization.intake import MAX_BYTES
from hotich.digitization.models import Clash
from hotich.digitization.views_iiif import stored_jpeg

MAX_UPLOAD = MAX_BYTES
#: the widths the keying page offers the browser for the entry's image (``srcset``): it takes
#: the smallest at least as wide as the image is shown, so the entry is as sharp as the screen
CROP_WIDTHS = (360, 480, 640, 800, 960, 1280)
CROP_MIN_WIDTH, CROP_MAX_WIDTH = 100, 2400
#: JPEG quality of a scaled crop (as the IIIF tiles)
CROP_QUALITY = 75
#: the margin around the entry's box in its crop (a fraction of the page)
CROP_PAD = 0.01


def _posted_values(request: HttpRequest, names: list[str]) -> dict[str, dict[str, str]]:
    return {
        name: {"v": request.POST.get(name, ""), "m": request.POST.get(f"{name}__m", "")}
        for name in names
    }


# --- books -------------------------------------------------------------------------------------


@staff_required(KEY)
def home(request: StaffRequest) -> HttpResponse:
    books = list(selectors.books_in_scope(request.user)[:200])
    rows = [(book, selectors.book_progress(book)) for book in books]
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.pages_text_search(request.user, query) if query else []
    return render(
        request,
        "digitization/home.html",
        {
            "rows": rows,
            "activity": selectors.activity_per_day(request.user),
            "query": query,
            "found": found,
            "fixity": fixity_latest(),
        },
    )


# Mirador (MUI) adds its styles as <style> elements with no nonce: on this page only, styles may
# be inline; scripts stay limited to the site's own files (ADR 17).
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})
@staff_required()
def book_viewer(request: StaffRequest, book_id: int) -> HttpResponse:
    """The book's pages in Mirador, from its IIIF manifest."""
    obj = selectors.book_viewable(request.user, book_id)
    return render(request, "digitization/viewer.html", {"book": obj})


@staff_required(KEY)
def book(request: StaffRequest, book_id: int) -> HttpResponse:
    obj = selectors.book_get(request.user, book_id)
    state = services.digitized_book_for(obj)
    return render(
        request,
        "digitization/book.html",
        {
            "book": obj,
            "state": state,
            "progress": selectors.book_progress(obj),
            "check": selectors.book_reconcile(obj),
            "pages": selectors.pages_of(obj),
            "failed_pages": selectors.pages_failed(obj),
            "can_arbitrate": can(request.user, ARBITRATE),
            "clashes": selectors.book_clashes(request.user, obj)
            if can(request.user, ARBITRATE)
            else [],
            "clash_ways": Clash.choices,
            "max_upload_mb": MAX_UPLOAD // (1024 * 1024),
        },
    )


@require_POST
@staff_required(KEY)
def upload(request: StaffRequest, book_id: int) -> HttpResponse:
    """One file per request (the page's script sends them one by one with a progress bar)."""
    obj = selectors.book_get(request.user, book_id)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        return JsonResponse({"ok": False, "error": _("Chưa chọn tệp.")}, status=400)
    if upload_file.size and upload_file.size > MAX_UPLOAD:
        return JsonResponse({"ok": False, "error": _("Tệp lớn hơn giới hạn cho phép.")}, status=400)
    with DomainErrors() as caught:
        result = services.page_import(
            actor=request.user, book=obj, name=upload_file.name or "", data=upload_file.read()
        )
        return JsonResponse(
            {
                "ok": True,
                "duplicate": result.duplicate,
                "pages": [p.number for p in result.pages],
            }
        )
    return JsonResponse({"ok": False, "error": str(caught.error)}, status=caught.status)


@require_POST
@staff_required(ARBITRATE)
def book_settings(request: StaffRequest, book_id: int) -> HttpResponse:
    obj = selectors.book_get(request.user, book_id)

    def number(name: str) -> int | None:
        raw = request.POST.get(name, "").strip()
        return int(raw) if raw.isdigit() else None

    with DomainErrors(request):
        try:
            share = float(request.POST.get("qa_share", "10").replace(",", ".")) / 100
            services.book_settings_update(
                actor=request.user,
                book=obj,
                qa_share=share,
                closing_pages=number("closing_pages"),
                closing_entries=number("closing_entries"),
            )
            messages.success(request, _("Đã lưu."))
        except ValueError:
            messages.error(request, _("Tỷ lệ kiểm tra phải là một số."))
    return redirect("digitization:book", book_id=obj.pk)


@require_POST
@staff_required(ARBITRATE)
def publish(request: StaffRequest, book_id: int) -> HttpResponse:
    obj = selectors.book_get(request.user, book_id)
    with DomainErrors(request):
        count = services.book_publish(actor=request.user, book=obj)
        messages.success(request, _("Đã đưa %(n)d mục vào sổ điện tử.") % {"n": count})
    return redirect("digitization:book", book_id=obj.pk)


@require_POST
@staff_required(ARBITRATE)
def clash_resolve(request: StaffRequest, book_id: int, entry_id: int) -> HttpResponse:
    """The way out chosen for an entry whose number a directly registered record holds."""
    obj = selectors.book_get(request.user, book_id)
    entry = selectors.entry_get(request.user, entry_id)
    if entry.book_id != obj.pk:
        raise Http404
    with DomainErrors(request):
        services.entry_clash_resolve(
            actor=request.user, entry=entry, way=request.POST.get("way", "")[:12]
        )
        messages.success(
            request,
            _("Đã chọn cách xử lý cho mục số %(n)d.") % {"n": entry.entry_number},
        )
    return redirect(f"{reverse('digitization:book', args=[obj.pk])}#clashes")


@require_POST
@staff_required(ARBITRATE)
def unpublish(request: StaffRequest, book_id: int) -> HttpResponse:
    obj = selectors.book_get(request.user, book_id)
    with DomainErrors(request):
        count = services.book_unpublish(actor=request.user, book=obj)
        messages.success(request, _("Đã thu hồi %(n)d bản ghi.") % {"n": count})
    return redirect("digitization:book", book_id=obj.pk)


@staff_required(KEY)
def key_next(request: StaffRequest, book_id: int) -> HttpResponse:
    obj = selectors.book_get(request.user, book_id)
    after = request.GET.get("sau", "")
    entry = selectors.entry_next_for_keying(
        request.user, obj, after=int(after) if after.isdigit() else 0
    )
    if entry is None:
        messages.info(request, _("Không còn mục nào để bạn nhập trong sổ này."))
        return redirect("digitization:book", book_id=obj.pk)
    return redirect("digitization:key", entry_id=entry.pk)


# --- pages -------------------------------------------------------------------------------------


@staff_required(KEY)
def page(request: StaffRequest, page_id: int) -> HttpResponse:
    obj = selectors.page_get(request.user, page_id)
    entries = list(obj.entries.order_by("entry_number"))
    last = selectors.entries_of(obj.book).order_by("-entry_number").first()
    return render(
        request,
        "digitization/page.html",
        {
            "page": obj,
            "book": obj.book,
            "entries": entries,
            "next_number": (last.entry_number + 1) if last else 1,
            "prev_page": selectors.pages_of(obj.book).filter(number__lt=obj.number).last(),
            "next_page": selectors.pages_of(obj.book).filter(number__gt=obj.number).first(),
            "can_arbitrate": can(request.user, ARBITRATE),
        },
    )


@require_POST
@staff_required(KEY)
def mark(request: StaffRequest, page_id: int) -> HttpResponse:
    obj = selectors.page_get(request.user, page_id)
    with DomainErrors(request):
        try:
            number = int(request.POST.get("entry_number", ""))
            count = int(request.POST.get("count", "") or 0)
            if count:
                services.entries_split(
                    actor=request.user, page=obj, first_number=number, count=count
                )
            else:
                region = {k: request.POST.get(k, "") for k in ("x", "y", "w", "h")}
                services.entry_mark(
                    actor=request.user, page=obj, entry_number=number, region=region
                )
            messages.success(request, _("Đã đánh dấu mục."))
        except ValueError:
            messages.error(request, _("Số thứ tự mục phải là số dương."))
    return redirect("digitization:page", page_id=obj.pk)


@require_POST
@staff_required(KEY)
def page_rerun(request: StaffRequest, page_id: int) -> HttpResponse:
    """Run the page's processing again from the step that failed."""
    obj = selectors.page_get(request.user, page_id)
    with DomainErrors(request):
        services.page_rerun(actor=request.user, page=obj)
        messages.success(request, _("Đã xếp lịch xử lý lại trang."))
    if request.POST.get("next") == "book":
        return redirect("digitization:book", book_id=obj.book_id)
    return redirect("digitization:page", page_id=obj.pk)


def _serve(request: StaffRequest, page_id: int, *, thumb: bool) -> HttpResponse:
    obj = selectors.page_get(request.user, page_id)
    name = obj.thumb_name if thumb else obj.web_name
    if not name or not default_storage.exists(name):
        raise Http404
    if not thumb:
        audit_record(
            actor=request.user,
            action="read",
            object_type="digitization.page",
            object_id=obj.pk,
            detail={"book": obj.book_id, "image": "web"},
        )
    return stored_jpeg(name, max_age=3600)


@staff_required()
def page_image(request: StaffRequest, page_id: int) -> HttpResponse:
    """The web image of a page (for keying and for the register's record view), audited."""
    return _serve(request, page_id, thumb=False)


@staff_required()
def page_thumb(request: StaffRequest, page_id: int) -> HttpResponse:
    return _serve(request, page_id, thumb=True)


@staff_required()
def entry_crop(request: StaffRequest, entry_id: int) -> HttpResponse:
    """The part of the page image holding one entry (for keying, arbitration and QA), audited.
    ``?rong=N``: scaled down to N pixels wide (the keying page asks for the width it shows)."""
    obj = selectors.entry_get(request.user, entry_id)
    selectors.page_get(request.user, obj.page_id)  # same visibility as the page
    if not obj.page.web_name or not default_storage.exists(obj.page.web_name):
        raise Http404
    width = request.GET.get("rong", "")
    if width and not (width.isdigit() and CROP_MIN_WIDTH <= int(width) <= CROP_MAX_WIDTH):
        raise Http404
    with default_storage.open(obj.page.web_name, "rb") as fh:
        data = (
            crop_region(fh.read(), obj.region, width=int(width), quality=CROP_QUALITY)
            if width
            else crop_region(fh.read(), obj.region)
        )
    audit_record(
        actor=request.user,
        action="read",
        object_type="digitization.entry",
        object_id=obj.pk,
        detail={"image": "crop"},
    )
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- keying ------------------------------------------------------------------------------------


def _form_rows(
    event_type: str, values: dict[str, Any], prefill: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for field in fields_for(event_type):
        value = values.get(field.name) or {}
        suggested = (prefill or {}).get(field.name)
        rows.append(
            {
                "field": field,
                "value": value.get("v", "") or (suggested or ""),
                "marker": value.get("m", ""),
                "prefilled": bool(suggested) and not value.get("v"),
            }
        )
    return rows


@staff_required(KEY)
def key(request: StaffRequest, entry_id: int) -> HttpResponse:
    """The keying page: the page image (zoom and pan) beside the form of the book's event."""
    entry = selectors.entry_get(request.user, entry_id)
    event_type = entry.book.event_type
    names = [f.name for f in fields_for(event_type)]
    values: dict[str, Any] = {}
    error = None
    if request.method == "POST":
        values = _posted_values(request, names)
        started = None
        try:
            started = dt.datetime.fromtimestamp(
                float(request.POST.get("started", "")) / 1000, tz=dt.UTC
            )
        except (ValueError, OverflowError, OSError):
            started = None
        with DomainErrors() as caught:
            services.keying_submit(
                actor=request.user, entry=entry, values=values, started_at=started
            )
            messages.success(request, _("Đã lưu mục số %(n)d.") % {"n": entry.entry_number})
            return redirect(
                f"{_url('digitization:key_next', book_id=entry.book_id)}?sau={entry.entry_number}"
            )
        error = caught.error
    return render(
        request,
        "digitization/key.html",
        {
            "entry": entry,
            "book": entry.book,
            "page": entry.page,
            "rows": _form_rows(event_type, values, entry.prefill),
            "markers": MARKER_LABELS,
            "error": error,
            "error_field": getattr(error, "field", None),
            "places": selectors.old_place_options(entry.book),
            "can_key": entry.status in ("new", "keyed_once")
            and not entry.keyings.filter(clerk_id=request.user.pk).exists(),
            "started": int(timezone.now().timestamp() * 1000),
            "entry_image": _entry_image(entry),
        },
        status=400 if error else 200,
    )


def _entry_image(entry: Any) -> dict[str, Any] | None:
    """The entry's crop as the keying page first shows it: its size in the web image and the
    widths offered to the browser (``srcset``), so the page needs no viewer to be legible
    (docs/adr/0032-keying-page-first-load.md)."""
    page = entry.page
    if not (page.web_name and page.web_width and page.web_height):
        return None
    left, top, right, bottom = crop_box(
        (page.web_width, page.web_height), entry.region, pad=CROP_PAD
    )
    width, height = right - left, bottom - top
    url = reverse("digitization:entry_crop", args=[entry.pk])
    widths = [w for w in CROP_WIDTHS if w < width] + [
        min(max(width, CROP_MIN_WIDTH), CROP_MAX_WIDTH)
    ]
    return {
        "src": f"{url}?rong={max([w for w in widths if w <= 800] or widths[:1])}",
        "srcset": ", ".join(f"{url}?rong={w} {w}w" for w in widths),
        "width": width,
        "height": height,
    }


def _url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


@staff_required(ARBITRATE)
def arbitration(request: StaffRequest) -> HttpResponse:
    queue = list(selectors.arbitration_queue(request.user)[:200])
    return render(request, "digitization/arbitration.html", {"queue": queue})


@staff_required(ARBITRATE)
def arbitrate(request: StaffRequest, entry_id: int) -> HttpResponse:
    """Both versions of each differing field beside the image crop; pick one or key a third."""
    entry = selectors.entry_get(request.user, entry_id)
    pending = list(entry.decisions.filter(decided_at=None))
    error = None
    if request.method == "POST":
        decisions: dict[str, tuple[str, Any]] = {}
        for decision in pending:
            choice = request.POST.get(f"{decision.field}__choice", "")
            if not choice:
                continue
            third = {
                "v": request.POST.get(f"{decision.field}__third", ""),
                "m": request.POST.get(f"{decision.field}__third_m", ""),
            }
            decisions[decision.field] = (choice, third if choice == "third" else None)
        with DomainErrors() as caught:
            services.entry_arbitrate(actor=request.user, entry=entry, decisions=decisions)
            messages.success(request, _("Đã phân xử mục số %(n)d.") % {"n": entry.entry_number})
            return redirect("digitization:arbitration")
        error = caught.error
    labels = {f.name: f for f in fields_for(entry.book.event_type)}
    rows = [
        {
            "decision": d,
            "field": labels.get(d.field),
            "first": display(d.first),
            "second": display(d.second),
        }
        for d in pending
    ]
    agreed = [
        (labels[name].label, display(value))
        for name, value in entry.values.items()
        if name in labels
    ]
    return render(
        request,
        "digitization/arbitrate.html",
        {
            "entry": entry,
            "rows": rows,
            "agreed": agreed,
            "error": error,
            "markers": MARKER_LABELS,
        },
        status=400 if error else 200,
    )


@staff_required(ARBITRATE)
def qa(request: StaffRequest, book_id: int) -> HttpResponse:
    obj = selectors.book_get(request.user, book_id)
    state = services.digitized_book_for(obj)
    services.qa_draw_sample(book_state=state)
    return render(
        request,
        "digitization/qa.html",
        {
            "book": obj,
            "state": state,
            "pending": list(selectors.qa_pending(obj)),
            "passed": selectors.qa_passed(obj),
        },
    )


@staff_required(ARBITRATE)
def qa_check(request: StaffRequest, entry_id: int) -> HttpResponse:
    entry = selectors.entry_get(request.user, entry_id)
    event_type = entry.book.event_type
    error = None
    if request.method == "POST":
        passed = request.POST.get("result") == "pass"
        corrections = None
        if not passed:
            names = [f.name for f in fields_for(event_type)]
            corrections = _posted_values(request, names)
        with DomainErrors() as caught:
            services.qa_check(
                actor=request.user, entry=entry, passed=passed, corrections=corrections
            )
            return redirect("digitization:qa", book_id=entry.book_id)
        error = caught.error
    return render(
        request,
        "digitization/qa_check.html",
        {
            "entry": entry,
            "rows": _form_rows(event_type, entry.values),
            "markers": MARKER_LABELS,
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_required(ARBITRATE)
def clerks(request: StaffRequest) -> HttpResponse:
    """Per-clerk accuracy and throughput (supervisors)."""
    since = timezone.localdate() - dt.timedelta(days=30)
    stats = selectors.clerk_stats(request.user, since=since)
    days = sorted({d for s in stats for d in s.per_day})[-14:]
    return render(
        request,
        "digitization/clerks.html",
        {
            "table": [(s, [s.per_day.get(d, 0) for d in days]) for s in stats],
            "days": days,
            "since": since,
        },
    )
