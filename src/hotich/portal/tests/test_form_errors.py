"""The citizen's form says everything at once and keeps the files chosen."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from hotich.portal.models import Dossier
from hotich.portal.tests.factories import birth_form
from hotich.portal.tests.test_web import citizen_client

URL = "/dich-vu-cong/nop/1.001193/"


def _png(png: bytes, name: str = "chung-sinh.png") -> io.BytesIO:
    upload = io.BytesIO(png)
    upload.name = name
    return upload


@pytest.mark.django_db
def test_empty_form_reports_every_error_with_links(client: Client, units: Any) -> None:
    citizen_client(client)
    page = client.get(URL).content.decode()
    # Prefilling from the population database comes first, before the fields it fills.
    assert page.index('name="prefill"') < page.index('name="unit"') < page.index("child.full_name")
    assert 'type="date"' not in page and 'placeholder="dd/mm/yyyy"' in page
    text = client.post(URL, {}).content.decode()
    assert "data-error-summary" in text
    count = int(text.split("Có ", 1)[1].split(" lỗi cần sửa", 1)[0])
    assert count >= 3
    assert 'href="#unit"' in text and "Chưa chọn cơ quan giải quyết." in text
    assert 'href="#f-child-full_name"' in text
    assert 'href="#file-chung_sinh"' in text
    assert Dossier.objects.count() == 0


@pytest.mark.django_db
def test_files_are_kept_after_an_error_and_sent_with_the_form(
    client: Client, units: Any, png: bytes
) -> None:
    citizen_client(client)
    bad = client.post(
        URL,
        {
            **birth_form(**{"child.birth_date": "31/02/2026"}),
            "unit": units["a"].pk,
            "file_chung_sinh": _png(png),
        },
    )
    text = bad.content.decode()
    assert "Đã đính kèm: chung-sinh.png" in text and Dossier.objects.count() == 0
    token = text.split('name="held" value="', 1)[1].split('"', 1)[0]
    ok = client.post(URL, {**birth_form(), "unit": units["a"].pk, "held": token})
    assert ok.status_code == 302
    d = Dossier.objects.get()
    assert [f.name for f in d.files.all()] == ["chung-sinh.png"]
    # A token another session did not receive is ignored.
    other = Client()
    citizen_client(other)
    again = other.post(URL, {**birth_form(), "unit": units["a"].pk, "held": token})
    assert again.status_code == 200 and "Đã đính kèm" not in again.content.decode()


@pytest.mark.django_db
def test_abandoned_held_files_are_removed(settings: Any) -> None:
    import datetime as dt

    from django.core.files.storage import default_storage
    from django.utils import timezone

    from hotich.portal.services import files

    first = files.uploads_hold([files.Upload(doc_key="a", name="a.png", data=b"1")])
    path = f"{files.HELD_PREFIX}/{first[0].token}"
    assert default_storage.exists(path)
    files._held_purge(older_than=timezone.now() - dt.timedelta(hours=1))
    assert default_storage.exists(path)  # still fresh
    files._held_purge(older_than=timezone.now() + dt.timedelta(seconds=1))
    assert not default_storage.exists(path)
    assert files.uploads_held(first) == []


@pytest.mark.django_db
def test_tracking_shows_days_as_people_write_them(client: Client, units: Any) -> None:
    from hotich.portal.tests.factories import dossier_factory

    d = dossier_factory(unit=units["a"])
    Dossier.objects.filter(pk=d.pk).update(public_history=[["2026-12-06", "submitted"]])
    found = client.post("/dich-vu-cong/tra-cuu/", {"code": d.code}).content.decode()
    assert "06/12/2026 · " in found and "2026-12-06" not in found
