"""A page's processing as one pipeline: a failed step is recorded, shown and can be rerun."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hotich.audit.models import Entry as AuditEntry
from hotich.core.errors import Conflict, NotFound
from hotich.digitization import services
from hotich.digitization.models import PageImage, ScanStep
from hotich.digitization.services import scan
from hotich.digitization.tests.conftest import page_bytes

pytestmark = pytest.mark.django_db


def test_the_pipeline_declares_the_scan_steps_in_order() -> None:
    assert scan.SCAN.step_names == [ScanStep.DERIVATIVES, ScanStep.TILES, ScanStep.OCR]


@pytest.fixture
def broken() -> Iterator[pytest.MonkeyPatch]:
    """Derivatives fail until ``broken.undo()``."""

    def fail(image: Any) -> Any:
        raise OSError("bad image")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan, "derivatives", fail)
        yield patch


def _failed_page(book: Any, people: Any) -> PageImage:
    services.page_import(actor=people["clerk1"], book=book, name="p1.png", data=page_bytes(1))
    return PageImage.objects.get()


def test_a_failed_step_is_recorded_on_the_page(book: Any, people: Any, broken: Any) -> None:
    page = _failed_page(book, people)
    assert page.derivatives == "failed"
    assert page.failed_step == ScanStep.DERIVATIVES
    assert page.failure_reason == str(scan.UNREADABLE)
    assert page.get_failed_step_display() == "Tạo ảnh xem và ảnh nhỏ"


def test_rerun_from_the_failed_step(book: Any, people: Any, broken: Any) -> None:
    page = _failed_page(book, people)
    with pytest.raises(NotFound):
        services.page_rerun(actor=people["outsider"], page=page)
    broken.undo()
    assert services.page_rerun(actor=people["clerk1"], page=page) == ScanStep.DERIVATIVES
    page.refresh_from_db()
    assert page.derivatives == "ready" and page.failed_step == "" and page.failure_reason == ""
    audit = AuditEntry.objects.filter(object_type="digitization.page").order_by("-seq").first()
    assert audit is not None and audit.detail == {"operation": "rerun", "from_step": "derivatives"}
    with pytest.raises(Conflict):
        services.page_rerun(actor=people["clerk1"], page=page)


def test_ocr_failure_is_recorded_and_rerun_starts_at_ocr(
    book: Any, people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    monkeypatch.setattr(scan, "ocr_enabled", lambda: True)

    def read(item: scan.PageWork) -> None:
        ran.append(item.page.derivatives)
        if len(ran) == 1:
            raise scan.StepFailed("Máy nhận dạng chữ không đọc được trang.")

    monkeypatch.setattr(scan.ReadText, "run", lambda self, item: read(item))
    page = _failed_page(book, people)
    assert (page.derivatives, page.failed_step) == ("ready", ScanStep.OCR)
    web_name = page.web_name
    services.page_rerun(actor=people["clerk1"], page=page)
    page.refresh_from_db()
    assert page.failed_step == "" and ran == ["ready", "ready"]
    assert page.web_name == web_name  # the derivatives were not made again


def test_page_and_book_views_show_the_failure_and_the_button_reruns(
    book: Any, people: Any, broken: Any, staff_client: Any
) -> None:
    page = _failed_page(book, people)
    clerk = staff_client(people["clerk1"])
    shown = clerk.get(f"/so-hoa/trang/{page.pk}/").content.decode()
    assert 'data-testid="page-failure"' in shown and "Tạo ảnh xem và ảnh nhỏ" in shown
    assert str(scan.UNREADABLE) in shown and f"/so-hoa/trang/{page.pk}/chay-lai/" in shown
    listed = clerk.get(f"/so-hoa/so/{book.pk}/").content.decode()
    assert 'data-testid="failed-pages"' in listed
    english = clerk.get(f"/so-hoa/trang/{page.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    broken.undo()
    response = clerk.post(f"/so-hoa/trang/{page.pk}/chay-lai/", {"next": "book"})
    assert response.status_code == 302 and response["Location"] == f"/so-hoa/so/{book.pk}/"
    page.refresh_from_db()
    assert page.failed_step == "" and page.derivatives == "ready"
    assert 'data-testid="failed-pages"' not in clerk.get(f"/so-hoa/so/{book.pk}/").content.decode()
    assert english  # the page renders in English too


def test_scan_rerun_command(book: Any, people: Any, broken: Any) -> None:
    page = _failed_page(book, people)
    with pytest.raises(CommandError, match="lại lỗi"):
        call_command("scan", "rerun", str(page.pk), stdout=io.StringIO())
    page.refresh_from_db()
    assert page.failed_step == ScanStep.DERIVATIVES
    broken.undo()
    out = io.StringIO()
    call_command("scan", "rerun", str(page.pk), stdout=out)
    assert "derivatives" in out.getvalue()
    page.refresh_from_db()
    assert page.failed_step == "" and page.derivatives == "ready"
    with pytest.raises(CommandError, match="không có bước"):
        call_command("scan", "rerun", str(page.pk))
    with pytest.raises(CommandError, match="no page"):
        call_command("scan", "rerun", "999999")


def test_a_page_never_processed_is_rerun_from_the_first_step(book: Any, people: Any) -> None:
    services.page_import(actor=people["clerk1"], book=book, name="p1.png", data=page_bytes(1))
    PageImage.objects.update(derivatives="pending", web_name="", thumb_name="")
    page = PageImage.objects.get()
    assert services.page_rerun(actor=people["clerk1"], page=page) == ScanStep.DERIVATIVES
    page.refresh_from_db()
    assert page.derivatives == "ready" and page.web_name
