"""The record page speaks Vietnamese: labels, never the codes the database stores."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hotich.registry.services import amendment_add, record_transition
from hotich.registry.tests.factories import BirthFactory, UserFactory, person_input
from hotich.registry.vocabulary import EVENT_SLUGS, SPECS, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    officer = UserFactory(role="officer", full_name="Nguyễn Thị Hộ")
    client.force_login(officer)
    client.officer = officer
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_history_shows_action_status_and_actor_labels(officer_client):
    record = BirthFactory(unit=officer_client.officer.unit, register=False)
    record_transition(actor=officer_client.officer, record=record, action="register")
    page = text(officer_client.get(reverse("registry:record", args=[record.pk])))
    assert "Tạo bản ghi · — → Bản nháp · Hệ thống" in page
    assert "Đăng ký · Bản nháp → Đã đăng ký · Nguyễn Thị Hộ" in page
    assert "create ·" not in page and "→ draft" not in page and "registered ·" not in page


def test_margin_notes_name_fields_and_sex_by_their_labels(officer_client):
    record = BirthFactory(
        unit=officer_client.officer.unit,
        parties={"child": person_input(sex="M", birth_date="2026-01-02")},
    )
    amendment_add(
        actor=officer_client.officer,
        record=record,
        changes={"child.birth_place": "Bệnh viện Sản Nhi Nghệ An", "child.sex": "F"},
        legal_basis="Tờ khai số 3",
    )
    page = text(officer_client.get(reverse("registry:record", args=[record.pk])))
    assert "Con – Nơi sinh: — → Bệnh viện Sản Nhi Nghệ An" in page
    assert "Con – Giới tính: Nam → Nữ" in page
    assert "child.birth_place" not in page and "child.sex" not in page
    assert "Giới tính Nữ" in page  # the current values: sex as a word, not F


def test_a_registered_record_offers_no_register_action(officer_client):
    record = BirthFactory(unit=officer_client.officer.unit)
    page = officer_client.get(reverse("registry:record", args=[record.pk])).content.decode()
    assert 'value="register"' not in page and 'value="discard"' not in page
    assert 'value="revoke"' in page and "Thao tác" in page and ">Action<" not in page
    response = officer_client.post(
        reverse("registry:transition", args=[record.pk]), {"action": "register"}, follow=True
    )
    assert "Bản ghi ở trạng thái này không cho phép thao tác đó." in text(response)


def test_a_status_change_says_what_was_done(officer_client):
    record = BirthFactory(unit=officer_client.officer.unit, register=False)
    response = officer_client.post(
        reverse("registry:transition", args=[record.pk]), {"action": "register"}, follow=True
    )
    assert "Đã thực hiện «Đăng ký»: bản ghi nay ở trạng thái «Đã đăng ký»." in text(response)
    record.refresh_from_db()
    assert record.status == Status.REGISTERED


def test_forms_have_vietnamese_addresses_and_old_ones_moved(officer_client):
    assert reverse("registry:record_new", args=["birth"]) == "/ho-tich/dang-ky/khai-sinh/"
    assert officer_client.get("/ho-tich/dang-ky/khai-sinh/").status_code == 200
    moved = officer_client.get("/ho-tich/dang-ky/birth/")
    assert moved.status_code == 301 and moved["Location"] == "/ho-tich/dang-ky/khai-sinh/"
    assert officer_client.get("/ho-tich/dang-ky/nothing/").status_code == 404
    assert set(EVENT_SLUGS) == set(SPECS) and len(set(EVENT_SLUGS.values())) == len(SPECS)
    home = officer_client.get(reverse("registry:home")).content.decode()
    assert 'href="/ho-tich/dang-ky/khai-tu/"' in home and "/dang-ky/death/" not in home


def test_search_results_name_the_event_type(officer_client):
    BirthFactory(
        unit=officer_client.officer.unit,
        parties={"child": person_input(full_name="Võ Thị Thủy", sex="F", birth_date="2026-01-02")},
    )
    body = text(officer_client.get(reverse("registry:search"), {"q": "vo thi thuy"}))
    assert "Võ Thị Thủy" in body and "Khai sinh" in body and " birth " not in body
