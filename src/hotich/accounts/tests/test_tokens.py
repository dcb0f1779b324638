"""API tokens: hashed storage, expiry and revocation, the command and the account page."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from hotich.accounts.models import ApiToken
from hotich.accounts.services import api_token_create, api_token_revoke, user_disable
from hotich.accounts.vocabulary import Role
from hotich.audit.models import Entry

pytestmark = pytest.mark.django_db


def _me(key: str) -> object:
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")


def _tokens(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Runs ``hotich tokens ARGS``: (exit status, stdout, stderr)."""
    out = StringIO()
    try:
        call_command("tokens", *args, stdout=out)
        status = 0
    except SystemExit as stop:
        status = int(stop.code or 0)
    return status, out.getvalue(), capsys.readouterr().err


def test_only_the_hash_is_stored(units, make_user) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    key = api_token_create(actor=officer, user=officer, name="báo cáo")
    token = ApiToken.objects.get()
    assert token.prefix == key[:8] and len(key) >= 40
    assert token.expires_at - timezone.now() > dt.timedelta(days=89)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                assert not any(key in str(value) for value in row), table
    assert Entry.objects.filter(object_type="accounts.apitoken", action="create").count() == 1


def test_expired_and_revoked_tokens_are_refused(units, make_user) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    key = api_token_create(actor=officer, user=officer, days=1)
    assert _me(key).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = _me(key)
    assert expired.status_code == 401
    assert expired.json()["message"] == "Mã truy cập API đã hết hạn."
    assert expired.json()["message_en"] == "The API token has expired."

    other = api_token_create(actor=officer, user=officer)
    api_token_revoke(actor=officer, token=ApiToken.objects.get(prefix=other[:8]))
    revoked = _me(other)
    assert revoked.status_code == 401
    assert revoked.json()["message"] == "Mã truy cập API đã bị thu hồi."
    assert revoked.json()["message_en"] == "The API token has been revoked."
    assert Entry.objects.filter(object_type="accounts.apitoken", action="update").count() == 1


def test_disabling_a_user_revokes_their_tokens(units, make_user) -> None:
    admin = make_user(Role.ADMIN, units["province"])
    officer = make_user(Role.OFFICER, units["a"])
    key = api_token_create(actor=officer, user=officer)
    user_disable(actor=admin, user=officer)
    assert _me(key).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_command_create_list_revoke(units, make_user, capsys) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    status, out, err = _tokens(capsys, "create", officer.username, "--days", "7")
    assert status == 0 and err == ""
    assert out.count("\n") == 1
    key = out.strip()
    assert _me(key).status_code == 200
    token = ApiToken.objects.get()
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)

    status, out, _ = _tokens(capsys, "list", officer.username)
    assert status == 0
    prefix, state, *_ = out.splitlines()[0].split("\t")
    assert prefix == key[:8] and state == "active"
    assert key not in out

    status, out, _ = _tokens(capsys, "revoke", prefix)
    assert status == 0 and out.strip() == f"{prefix}\trevoked"
    assert _me(key).status_code == 401
    assert _tokens(capsys, "list", officer.username)[1].split("\t")[1] == "revoked"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["create", "nobody"], "no such user"),
        (["create", "{user}", "--days", "0"], "1 đến 365"),
        (["create", "{user}", "--days", "400"], "1 đến 365"),
        (["revoke", "zzzzzzzz"], "no token with this prefix"),
        (["revoke", "abc"], "no token with this prefix"),
    ],
)
def test_command_errors(units, make_user, capsys, args: list[str], reason: str) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    status, out, err = _tokens(capsys, *[a.format(user=officer.username) for a in args])
    assert status != 0 and out == ""
    assert reason in err and err.count("\n") == 1
    assert not ApiToken.objects.exists()


def test_revoking_twice_is_an_error(units, make_user, capsys) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    key = api_token_create(actor=None, user=officer)
    assert _tokens(capsys, "revoke", key)[0] == 0  # the whole token names it too
    status, _, err = _tokens(capsys, "revoke", key[:8])
    assert status == 1 and "đã bị thu hồi" in err


def test_account_page_creates_a_token_shown_once(units, make_user, staff_client) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Lô Thị Mai")
    client = staff_client(officer)
    page = client.get("/tai-khoan/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mã truy cập API" in body and "Bạn chưa có mã truy cập nào." in body

    created = client.post("/tai-khoan/ma-truy-cap/", {"name": "Xuất báo cáo", "days": "30"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    token = ApiToken.objects.get()
    body = created.content.decode()
    key = body.split('data-testid="new-token"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert key.startswith(token.prefix) and _me(key).status_code == 200
    assert "đây là lần duy nhất mã được hiển thị" in body
    main = body[body.index("<main") : body.index("</main>")]
    assert not re.search(r"<script|\son[a-z]+=", main)  # nothing inline for the CSP

    again = client.get("/tai-khoan/").content.decode()
    assert key not in again
    assert token.prefix in again and "Xuất báo cáo" in again and "Còn hiệu lực" in again


def test_account_page_refuses_a_bad_duration(units, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    response = client.post("/tai-khoan/ma-truy-cap/", {"days": "0"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_account_page_revokes_only_ones_own_tokens(units, make_user, staff_client) -> None:
    officer = make_user(Role.OFFICER, units["a"])
    colleague = make_user(Role.OFFICER, units["a"])
    api_token_create(actor=None, user=officer)
    theirs = api_token_create(actor=None, user=colleague)
    mine = ApiToken.objects.get(user=officer)
    client = staff_client(officer)
    other = ApiToken.objects.get(prefix=theirs[:8])
    assert client.post(f"/tai-khoan/ma-truy-cap/{other.pk}/thu-hoi/").status_code == 404
    response = client.post(f"/tai-khoan/ma-truy-cap/{mine.pk}/thu-hoi/", follow=True)
    assert "Đã thu hồi mã truy cập" in response.content.decode()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.revoked_at is not None and other.revoked_at is None


def test_account_page_in_english(units, make_user, staff_client) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"]))
    body = client.get("/tai-khoan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My account" in body and "API tokens" in body and "Create a token" in body


def test_account_page_needs_a_login(client: Client) -> None:
    assert client.get("/tai-khoan/")["Location"].startswith("/dang-nhap/")
    assert client.post("/tai-khoan/ma-truy-cap/", {"days": "30"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_never_starts_with_a_dash(units, make_user, monkeypatch) -> None:
    """A token (and its prefix) is typed on command lines: one starting with "-" would be read
    as an option by ``hotich tokens revoke``."""
    draws = iter(["-" + "a" * 42, "b" * 43])
    monkeypatch.setattr("hotich.accounts.services.secrets.token_urlsafe", lambda n: next(draws))
    key = api_token_create(actor=None, user=make_user(Role.OFFICER, units["a"]))
    assert key == "b" * 43
