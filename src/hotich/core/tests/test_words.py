"""One vocabulary: codes shown by their labels; each language named in itself."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from hotich.core.words import vocabulary, word, words_register


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_language_is_named_in_itself(language: str) -> None:
    with translation.override(language):
        html = render_to_string("base_portal.html", request=RequestFactory().get("/"))
    assert '<option value="vi" lang="vi"' in html and ">Tiếng Việt</option>" in html
    assert ">English</option>" in html and "Tiếng Anh" not in html


def test_a_code_reads_as_its_label_in_the_active_language() -> None:
    assert word("role", "signer") == "Lãnh đạo UBND cấp xã (ký)"
    assert word("event_type", "birth") == "Khai sinh"
    assert word("object", "documents.document") == "Văn bản"
    with translation.override("en"):
        assert word("event_type", "birth") == "Birth registration"
    assert word("role", "nobody") == "nobody" and word("no-such-kind", None) == ""
    words_register("test_kind", [("x", "Một")])
    assert vocabulary("test_kind") == {"x": "Một"}
    rendered = Template('{% load words %}{{ r|word:"role" }}').render(Context({"r": "province"}))
    assert rendered == "Chuyên viên Sở Tư pháp"


def test_money_and_shares_are_written_one_way() -> None:
    from hotich.core.words import money, percent

    with translation.override("vi"):
        assert money(16000) == "16.000 đồng" and money(8000, per="copy") == "8.000 đồng/bản"
        assert money(1234567) == "1.234.567 đồng" and money(None) == ""
        assert percent(0.1) == "10 %" and percent(1.0) == "100 %"
        assert percent(0.98765, 1) == "98,8 %"
    with translation.override("en"):
        assert money(16000) == "16,000 dong" and percent(0.98765, 1) == "98.8 %"


def test_signed_paper_kinds_read_in_words() -> None:
    assert word("signed_kind", "extract") == "Trích lục hộ tịch"
    assert word("signed_kind", "portal_result") == "Kết quả thủ tục"
    assert word("signed_kind", "documents.QĐ") == "Quyết định"
