"""Pages of offline work: the offline keying app (its page, service worker and web manifest) and
the administrators' list of devices, where a lost one is revoked."""

from __future__ import annotations

import hashlib
import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotich.accounts.authz import can
from hotich.accounts.web import DomainErrors, StaffRequest, staff_required
from hotich.offline import selectors, services
from hotich.offline.vocabulary import (
    ARBITRATE_ACTION,
    BATCH_DEFAULT,
    BATCH_MAX,
    DEVICE_ACTIONS,
    INTAKE_ACTION,
    KEY_ACTION,
    MANAGE_ACTION,
)

#: the files the service worker keeps so that the app opens without the network
SHELL_STATIC = (
    "hotich/css/app.css",
    "hotich/favicon.svg",
    "hotich/vendor/htmx.min.js",
    "hotich/js/app.js",
    "offline/offline.css",
    "offline/store.js",
    "offline/app.js",
    "offline/signout.js",
)


@staff_required()
def app(request: StaffRequest) -> HttpResponse:
    """The app that works offline: take a batch of entries to key or to arbitrate, or the desk's
    intake forms; work without the line; send it all when the line returns."""
    if not any(can(request.user, action) for action in DEVICE_ACTIONS):
        raise Http404
    response = render(
        request,
        "offline/app.html",
        {
            "batch_default": BATCH_DEFAULT,
            "batch_sizes": sorted({5, 10, BATCH_DEFAULT, BATCH_MAX}),
            "can_key": can(request.user, KEY_ACTION),
            "can_arbitrate": can(request.user, ARBITRATE_ACTION),
            "can_intake": can(request.user, INTAKE_ACTION),
        },
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the app's folder so that its scope is the app."""
    shell = [reverse("offline:app"), *(static(name) for name in SHELL_STATIC)]
    response = render(
        request,
        "offline/sw.js",
        {
            "shell": json.dumps(shell),
            "version": json.dumps(_shell_version(shell)),
            "api": json.dumps("/api/v1/offline/"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


def _shell_version(shell: list[str]) -> str:
    return hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]


def manifest(request: HttpRequest) -> HttpResponse:
    """The web manifest: the app installs as "Nhập liệu" and opens on its own page."""
    start = reverse("offline:app")
    body = {
        "name": _("Hộ tịch số — nhập liệu không có mạng"),
        "short_name": _("Nhập liệu"),
        "lang": "vi",
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [{"src": static("hotich/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@staff_required(MANAGE_ACTION)
def devices(request: StaffRequest) -> HttpResponse:
    """The devices of the users in the administrator's scope, each revocable."""
    rows = list(selectors.devices_in_scope(request.user).order_by("-created_at")[:500])
    return render(request, "offline/devices.html", {"devices": rows})


@require_POST
@staff_required(MANAGE_ACTION)
def device_revoke(request: StaffRequest, device_id: int) -> HttpResponse:
    device = selectors.device_get(request.user, device_id)  # out of scope: 404
    with DomainErrors(request):
        services.device_revoke(actor=request.user, device_id=device.pk)
        messages.success(
            request,
            _("Đã thu hồi thiết bị “%(name)s”: các mục nhập còn trên đó sẽ không được nhận.")
            % {"name": device.name},
        )
    return redirect("offline:devices")
