"""Document-register benchmark (not collected by the test run; run it explicitly)::

    .venv/bin/pytest src/hotich/documents/tests/bench_documents.py -q -s [--bench-n 20]

Single process, SQLite test database, demo PKI (ECDSA P-256 keys, local TSA). For ``N``
outgoing documents of one commune it times each step of the life cycle and prints the median
and p95 per operation and the rate: *draft* (create, submit, approve), *sign* (number, render
the PDF/A with its QR code, sign as the official and the seal with timestamps and validation
data, store, audit), *issue* (send to the province: read the file, verify both signatures and
the QR code on receipt, register the incoming document), and the incoming register page of
the province listing them all.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest

from hotich.documents.models import Document
from hotich.documents.services import document_create, document_transition
from hotich.documents.vocabulary import Status

N = int(os.environ.get("HOTICH_BENCH_N", "20"))


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _line(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return (
        f"| {name} | {len(samples)} | {median * 1000:.0f} ms | {p95 * 1000:.0f} ms "
        f"| {1 / median:.1f}/s |"
    )


@pytest.mark.django_db
def test_bench_document_register(people, units, staff_client) -> None:
    officer, signer = people["officer"], people["signer"]
    # warm-up: fonts, PKI, certificates
    warm = document_create(
        actor=officer, doc_type="BC", title="Khởi động", body="x", recipient_name="Lưu"
    )
    for action, actor in (("submit", officer), ("approve", signer), ("sign", signer)):
        document_transition(actor=actor, document=warm, action=action)
    draft_t, sign_t, issue_t = [], [], []
    for n in range(N):
        holder: dict[str, Document] = {}

        def draft(n: int = n, holder: dict[str, Document] = holder) -> None:
            document = document_create(
                actor=officer,
                doc_type="BC",
                title=f"Báo cáo công tác hộ tịch số {n}",
                body="Ủy ban nhân dân phường báo cáo kết quả đăng ký hộ tịch.\n" * 20,
                recipient_unit_id=units["province"].pk,
            )
            document_transition(actor=officer, document=document, action="submit")
            holder["d"] = document_transition(actor=signer, document=document, action="approve")

        draft_t.append(_timed(draft))
        document = holder["d"]
        sign_t.append(
            _timed(lambda d=document: document_transition(actor=signer, document=d, action="sign"))
        )
        issue_t.append(
            _timed(lambda d=document: document_transition(actor=signer, document=d, action="issue"))
        )
    received = Document.objects.filter(unit=units["province"], status=Status.RECEIVED).count()
    assert received == N
    client = staff_client(people["province"])
    client.get("/van-ban/?so=den")  # warm-up: templates, translations
    page_t = [_timed(lambda: client.get("/van-ban/?so=den")) for _ in range(10)]
    print(f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, N={N}")
    print("| operation | n | median | p95 | rate (1/median) |\n|---|---|---|---|---|")
    for name, samples in (
        ("draft (create + submit + approve)", draft_t),
        ("sign (number + render + 2 signatures + store)", sign_t),
        ("issue to the province (verify on receipt + register)", issue_t),
        (f"incoming register page ({N} rows)", page_t),
    ):
        print(_line(name, samples))
