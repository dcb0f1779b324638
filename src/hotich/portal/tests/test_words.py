"""The desk speaks Vietnamese: the history names steps, statuses and actors in words, an action
says what it did, assigning names the officer chosen."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.portal.models import DossierEvent, Status
from hotich.portal.tests.factories import dossier_factory

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_history_names_steps_statuses_and_actors(
    units: Any, make_user: Any, staff_client: Any
) -> None:
    client = staff_client(make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương"))
    d = dossier_factory(unit=units["a"])
    DossierEvent.objects.create(
        dossier=d, action="submit", to_status=Status.SUBMITTED, actor_name="citizen", at=d_now()
    )
    DossierEvent.objects.create(
        dossier=d,
        action="pay",
        from_status=Status.SUBMITTED,
        to_status=Status.SUBMITTED,
        actor_name="gateway:local",
        at=d_now(),
    )
    client.post(f"/mot-cua/ho-so/{d.pk}/thao-tac/", {"action": "receive"})
    page = text(client.get(f"/mot-cua/ho-so/{d.pk}/"))
    assert "Nộp hồ sơ · — → Đã nộp, chờ tiếp nhận · Công dân" in page
    assert "Thanh toán lệ phí · Đã nộp, chờ tiếp nhận → Đã nộp, chờ tiếp nhận · Cổng thanh" in page
    assert "→ Đã tiếp nhận · Phạm Thị Hương" in page
    for code in ("citizen", "gateway:", "submitted", "submit ·", "pay ·"):
        assert code not in page


def test_an_action_says_what_it_did_and_assigning_names_the_officer(
    units: Any, make_user: Any, staff_client: Any
) -> None:
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    colleague = make_user(Role.OFFICER, units["a"], full_name="Lê Văn Bình")
    make_user(Role.SIGNER, units["a"], full_name="Hoàng Đức Thắng")  # signs, does not process
    client = staff_client(officer)
    d = dossier_factory(unit=units["a"], status=Status.RECEIVED, received_at=d_now())
    page = client.get(f"/mot-cua/ho-so/{d.pk}/").content.decode()
    assert '<select id="assignee" name="assignee">' in page
    assert "Lê Văn Bình" in page and "Hoàng Đức Thắng" not in page
    refused = client.post(
        f"/mot-cua/ho-so/{d.pk}/thao-tac/", {"action": "assign", "assignee": ""}, follow=True
    )
    assert "Chọn người xử lý hồ sơ." in text(refused)
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
    done = client.post(
        f"/mot-cua/ho-so/{d.pk}/thao-tac/",
        {"action": "assign", "assignee": str(colleague.pk)},
        follow=True,
    )
    d.refresh_from_db()
    assert d.assigned_to == colleague and d.status == Status.IN_PROGRESS
    assert "Đã thực hiện «Phân công xử lý»: hồ sơ nay ở trạng thái «Đang xử lý»." in text(done)
    assert "Đã thực hiện." not in text(done)


def d_now() -> Any:
    from django.utils import timezone

    return timezone.now()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_result_paper_prints_the_signers_position_and_name(
    units: Any, make_user: Any, tmp_path: Any
) -> None:
    from hotich.portal.result import render_result_pdf
    from hotich.registry.tests.test_extract_issue import holds_position

    signer = make_user(Role.SIGNER, units["a"], full_name="Hoàng Đức Thắng")
    holds_position(signer, "pho_chu_tich")
    d = dossier_factory(unit=units["a"])
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(render_result_pdf(d, verify_code="abc", signer=signer))
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    printed = " ".join(out.stdout.split())
    assert "NGƯỜI KÝ PHÓ CHỦ TỊCH Hoàng Đức Thắng" in printed


def test_fees_read_the_same_way_everywhere(
    client: Any, units: Any, make_user: Any, staff_client: Any
) -> None:
    from hotich.portal.tests.factories import procedure

    p = procedure()
    p.fee, p.copy_fee = 16000, 8000
    p.save()
    page = text(client.get(f"/dich-vu-cong/thu-tuc/{p.code}/"))
    assert "16.000 đồng" in page and "8.000 đồng/bản" in page and "16000" not in page
    d = dossier_factory(unit=units["a"], procedure=p, fee=16000)
    desk = text(staff_client(make_user(Role.OFFICER, units["a"])).get(f"/mot-cua/ho-so/{d.pk}/"))
    assert "16.000 đồng" in desk and "16000" not in desk


def test_the_citizens_timeline_shows_each_status_once(client: Any, units: Any) -> None:
    from hotich.portal.tests.test_web import citizen_client

    d = dossier_factory(unit=units["a"])  # the citizen who logs in below
    for action, before in (("submit", ""), ("pay", Status.SUBMITTED)):
        DossierEvent.objects.create(
            dossier=d, action=action, from_status=before, to_status=Status.SUBMITTED, at=d_now()
        )
    citizen_client(client)
    page = text(client.get(f"/dich-vu-cong/ho-so/{d.pk}/"))
    timeline = page[page.index("Quá trình xử lý") :]
    assert timeline.count("Đã nộp, chờ tiếp nhận") == 1 and "Thanh toán lệ phí" in timeline
