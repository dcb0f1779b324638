from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hotich.accounts.models import UserSession
from hotich.accounts.services import user_disable
from hotich.accounts.vocabulary import Role
from hotich.audit.models import Entry

PASSWORD = "Mật-khẩu-thử-2026"


def _login(client: Client, username: str, password: str = PASSWORD) -> object:
    return client.post("/dang-nhap/", {"username": username, "password": password})


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@pytest.mark.django_db
def test_login_page_is_vietnamese(client: Client) -> None:
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body and "Mật khẩu" in body


@pytest.mark.django_db
def test_login_page_in_english(client: Client) -> None:
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Password" in body


@pytest.mark.django_db
def test_password_then_totp_setup_then_home(client: Client, units, make_user, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise delay the next
    user = make_user(Role.OFFICER, units["a"])
    response = _login(client, user.username)
    assert response.status_code == 302 and response["Location"].startswith("/xac-thuc/")
    # Not yet through the second factor: the home sends back to the code page.
    assert client.get("/")["Location"].startswith("/xac-thuc/")
    page = client.get("/xac-thuc/")
    assert "Khóa bí mật" in page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    wrong = client.post(
        "/xac-thuc/", {"token": "000000" if _token(device) != "000000" else "111111"}
    )
    assert "không đúng" in wrong.content.decode()
    ok = client.post("/xac-thuc/", {"token": _token(device)})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    home = client.get("/")
    assert home.status_code == 200
    assert "Xin chào" in home.content.decode()
    assert Entry.objects.filter(action="login", username=user.username).exists()


@pytest.mark.django_db
def test_wrong_password_is_refused_and_audited(client: Client, units, make_user) -> None:
    user = make_user(Role.OFFICER, units["a"])
    response = _login(client, user.username, "sai-mat-khau")
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()
    assert Entry.objects.filter(action="login_failed").count() == 1


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(
    client: Client, units, make_user, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(Role.OFFICER, units["a"])
    for _ in range(3):
        _login(client, user.username, "sai")
    response = _login(client, user.username)  # right password, but locked out now
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()


@pytest.mark.django_db
def test_idle_timeout_logs_out(units, make_user, staff_client, settings) -> None:
    settings.HOTICH_SESSION_IDLE_SECONDS = 60
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] = time.time() - 120
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.django_db
def test_absolute_timeout_logs_out(units, make_user, staff_client, settings) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    session = client.session
    session["login_at"] = time.time() - settings.SESSION_COOKIE_AGE - 1
    session.save()
    assert "/dang-nhap/" in client.get("/")["Location"]


@pytest.mark.django_db
def test_disabling_a_user_ends_their_sessions(client: Client, units, make_user) -> None:
    admin = make_user(Role.ADMIN, units["province"])
    user = make_user(Role.OFFICER, units["a"])
    _login(client, user.username)
    assert UserSession.objects.filter(user=user).count() == 1
    key = UserSession.objects.get(user=user).session_key
    user_disable(actor=admin, user=user)
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/")["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
def test_logout_requires_post_and_ends_session(units, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    assert client.get("/dang-xuat/").status_code == 405
    client.post("/dang-xuat/")
    assert client.get("/")["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
def test_open_redirect_is_refused(client: Client, units, make_user, settings) -> None:
    settings.HOTICH_REQUIRE_OTP = False
    user = make_user(Role.OFFICER, units["a"])
    response = client.post(
        "/dang-nhap/",
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
