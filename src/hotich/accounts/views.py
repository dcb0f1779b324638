"""Login with a second factor, logout, the back-office home, the user's own account page (with
their API tokens), and user management."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from hotich.accounts import services
from hotich.accounts.authz import get_in_scope
from hotich.accounts.forms import ApiTokenForm, LoginForm, OtpForm
from hotich.accounts.home import home_cards
from hotich.accounts.models import User
from hotich.accounts.selectors import api_tokens_of, otp_required, user_is_verified, user_list
from hotich.accounts.web import DomainErrors, StaffRequest, home_page_for, staff_required


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("accounts:home")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("Tên đăng nhập hoặc mật khẩu không đúng."))
        else:
            login(request, user)
            if otp_required():
                return redirect(f"{reverse('accounts:otp')}?next={_next_url(request)}")
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def otp_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the user's authenticator app; first time, set the app up."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user_is_verified(user):
        return redirect(_next_url(request))
    device = services.totp_device_get_or_create(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                services.totp_device_confirm(user=user, device=device)
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    context: dict[str, object] = {
        "form": form,
        "next": _next_url(request),
        "setup": not device.confirmed,
    }
    if not device.confirmed:
        secret = base64.b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        buffer = io.BytesIO()
        qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
        context["qr_svg"] = base64.b64encode(buffer.getvalue()).decode()
    return render(request, "accounts/otp.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Đã đăng xuất."))
    return redirect("accounts:login")


@staff_required()
def home(request: StaffRequest) -> HttpResponse:
    page = home_page_for(request.user) if "the" not in request.GET else None
    if page:
        return redirect(page)
    return render(request, "accounts/home.html", {"cards": home_cards(request.user)})


def _account_page(
    request: StaffRequest, form: ApiTokenForm, new_key: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "tokens": api_tokens_of(user=request.user),
        "form": form,
        "new_key": new_key,
    }
    return render(request, "accounts/account.html", context, status=status)


@staff_required()
def account(request: StaffRequest) -> HttpResponse:
    return _account_page(request, ApiTokenForm())


@never_cache
@require_POST
@staff_required()
def api_token_create(request: StaffRequest) -> HttpResponse:
    """A new token for oneself, shown on this response only (never stored, never redirected)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    with DomainErrors(form=form):
        key = services.api_token_create(
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
        )
        return _account_page(request, ApiTokenForm(), new_key=key)
    return _account_page(request, form, status=400)


@require_POST
@staff_required()
def api_token_revoke(request: StaffRequest, token_id: int) -> HttpResponse:
    token = api_tokens_of(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    with DomainErrors(request):
        services.api_token_revoke(actor=request.user, token=token)
        done = _("Đã thu hồi mã truy cập %(prefix)s.") % {"prefix": token.prefix}
        messages.success(request, done)
    return redirect("accounts:account")


@staff_required("accounts.manage")
def users(request: StaffRequest) -> HttpResponse:
    return render(request, "accounts/users.html", {"users": user_list(actor=request.user)})


@require_POST
@staff_required("accounts.manage")
def user_disable(request: StaffRequest, user_id: int) -> HttpResponse:
    target = get_in_scope(request.user, User.objects.all(), pk=user_id)
    services.user_disable(actor=request.user, user=target)
    messages.success(request, _("Đã khóa tài khoản %(name)s.") % {"name": target.username})
    return redirect("accounts:users")
