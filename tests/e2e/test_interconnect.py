"""An issued document is sent to another agency over the stand-in interconnection axis: the
receiving commune finds it among its received packages and returns it with a reason, and the
sender sees each status message, with its time, on the document's page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from hotich.agencies.services import organization_create
from hotich.agencies.vocabulary import OrganizationKind
from hotich.documents.services import document_create, document_transition
from hotich.interconnect.adapters.axis.http import HttpAxis
from hotich.interconnect.services import axis_receive
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def off_the_loop(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread: signing and verifying run their own event loop, and Playwright's
    runs in the test's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result()


@pytest.fixture
def axis(settings: Any) -> Iterator[HttpAxis]:
    from hotich.interconnect.adapters.axis.standin import serve_in_thread

    server, thread = serve_in_thread()
    settings.HOTICH_EDOC_AXIS_URL = server.url
    client = HttpAxis(server.url, retries=2, backoff=0.0)
    yield client
    client.close()
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_send_receive_return_with_statuses(
    live_server: Any, browser: Any, units, make_user, axis
) -> None:
    base = live_server.url
    officer = make_user(Role.OFFICER, units["a"], full_name="Phạm Thị Hương")
    signer = make_user(Role.SIGNER, units["a"], full_name="Nguyễn Văn Hùng")
    clerk = make_user(Role.OFFICER, units["b"], full_name="Lê Văn Nam")
    kind = OrganizationKind.PEOPLES_COMMITTEE
    root = organization_create(
        actor=None,
        code="000.00.00.H41",
        name="Ủy ban nhân dân tỉnh",
        kind=kind,
        unit=units["province"],
    )
    organization_create(
        actor=None,
        code="000.00.31.H41",
        name="Ủy ban nhân dân phường Thành Vinh",
        kind=kind,
        unit=units["a"],
        parent=root,
    )
    organization_create(
        actor=None,
        code="000.00.32.H41",
        name="Ủy ban nhân dân xã Quế Phong",
        kind=kind,
        unit=units["b"],
        parent=root,
    )
    document = document_create(
        actor=officer,
        doc_type="CV",
        title="Về việc phối hợp xác minh hồ sơ khai sinh",
        body="Đề nghị Ủy ban nhân dân xã phối hợp xác minh.",
        recipient_unit_id=units["province"].pk,
    )
    for actor, action in (
        (officer, "submit"),
        (signer, "approve"),
        (signer, "sign"),
        (officer, "issue"),
    ):
        off_the_loop(
            lambda a=actor, b=action: document_transition(actor=a, document=document, action=b)
        )
    document.refresh_from_db()

    sender = browser.new_context(locale="vi-VN").new_page()
    login_verified(sender, base, officer)
    url = f"{base}/van-ban/{document.pk}/"
    sender.goto(url)
    sender.get_by_label("Ủy ban nhân dân xã Quế Phong (000.00.32.H41)").check()
    sender.get_by_role("button", name="Gửi liên thông").click()
    sender.wait_for_url(url)
    assert "Đã gửi lên trục" in sender.get_by_test_id("package-state").inner_text()

    off_the_loop(lambda: axis_receive(axis=axis))  # Quế Phong's receive job
    receiver = browser.new_context(locale="vi-VN").new_page()
    login_verified(receiver, base, clerk)
    receiver.goto(f"{base}/lien-thong/?chieu=den")
    row = receiver.get_by_test_id("package").filter(has_text=document.number)
    assert "Đã tiếp nhận" in row.inner_text()
    row.get_by_label("Lý do trả lại").fill("Không thuộc thẩm quyền của xã")
    row.get_by_role("button", name="Trả lại").click()
    receiver.wait_for_url("**/lien-thong/?chieu=den")
    assert "Không thuộc thẩm quyền" in receiver.get_by_test_id("package").inner_text()

    off_the_loop(lambda: axis_receive(axis=axis))  # Quế Phong's statuses go out
    off_the_loop(lambda: axis_receive(axis=axis))  # Thành Vinh takes them
    sender.goto(url)
    statuses = sender.get_by_test_id("package-statuses").inner_text()
    assert "Đã đến" in statuses and "Đã tiếp nhận" in statuses
    assert "Trả lại · Không thuộc thẩm quyền của xã" in statuses
    assert "Trả lại" in sender.get_by_test_id("package-state").inner_text()
