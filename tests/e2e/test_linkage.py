"""An officer decides a pair from the review queue (both records side by side) and resolves a
disagreement with the population database (the book wins)."""

from __future__ import annotations

from typing import Any

import pytest

from hotich.accounts.vocabulary import Role
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_resolves_a_review_pair_and_a_disagreement(
    live_server: Any, page: Any, units: Any, make_user: Any
) -> None:
    from hotich.linkage.models import Disagreement, PairStatus, Resolution
    from hotich.linkage.tests.factories import disagreement_in, pair_in

    officer = make_user(Role.OFFICER, units["a"])
    pair = pair_in(units["a"], probability=0.72)
    item = disagreement_in(units["a"])
    base = live_server.url
    login_verified(page, base, officer)

    page.goto(f"{base}/doi-chieu/")
    page.get_by_role("link", name="1 cặp chờ xem xét").click()
    page.get_by_role("link", name=f"Xem xét #{pair.pk}").click()
    table = page.locator("#side-by-side")
    assert "Nguyen Thi Hang" in table.inner_text()
    assert "Nguyễn Thị Hằng" in table.inner_text()
    page.get_by_label("Cùng một người", exact=True).check()
    page.get_by_label("Ghi chú").fill("Cùng cha, cùng năm sinh, nơi sinh cũ và mới khớp")
    page.get_by_role("button", name="Lưu quyết định").click()
    page.wait_for_url(f"{base}/doi-chieu/xem-xet/")
    assert "Không có cặp nào chờ xem xét." in page.content()
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACCEPTED

    page.goto(f"{base}/doi-chieu/khac-biet/")
    page.get_by_role("link", name="Xử lý", exact=True).click()
    assert "Nguyễn Thị Hẳng" in page.locator("#difference").inner_text()
    page.get_by_label("Sổ hộ tịch đúng: đề nghị cập nhật CSDL quốc gia về dân cư").check()
    page.get_by_role("button", name="Ghi nhận").click()
    page.wait_for_url(f"{base}/doi-chieu/khac-biet/")
    assert "Đã ghi nhận cách xử lý." in page.content()
    item = Disagreement.objects.get(pk=item.pk)
    assert item.resolution == Resolution.BOOK_WINS
    assert item.resolved_by == officer
