from __future__ import annotations

from typing import Any

import pytest
from weasyprint import HTML

from hotich.signing.services import new_verify_code


def sample_pdf(code: str) -> bytes:
    html = (
        "<html><body><h1>Trích lục khai sinh</h1><p>Họ, chữ đệm, tên: Nguyễn Thị Ánh</p>"
        f'<p><a href="http://127.0.0.1:8000/verify/{code}">Kiểm tra</a></p></body></html>'
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/a-2b")  # type: ignore[no-any-return]


@pytest.fixture
def rendered() -> tuple[str, bytes]:
    code = new_verify_code()
    return code, sample_pdf(code)


@pytest.fixture
def unit(units: dict[str, Any]) -> Any:
    return units["a"]
