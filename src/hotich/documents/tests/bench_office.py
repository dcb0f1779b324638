"""E-office benchmark (not collected by the test run; run it explicitly)::

    HOTICH_BENCH_DOCS=100000 .venv/bin/pytest src/hotich/documents/tests/bench_office.py -q -s

One process, the test database (SQLite unless ``DATABASE_URL``). Loads ``HOTICH_BENCH_DOCS``
incoming documents of one agency over five years (bulk), with a lead handler each among 40
specialists and a third still open, then times: a specialist's day page (``today_for``: their
open assignments, by role the documents waiting, tasks, calendar) and the page itself; routing a
newly received document (``instruct``: instruction, lead, two co-handlers, deadline, history and
audit); a register search by a word of the subject.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest
from conftest import verified_client

from hotich.accounts.vocabulary import Role
from hotich.agencies.services import membership_add
from hotich.agencies.tests.factories import make_tree
from hotich.agencies.vocabulary import Position
from hotich.documents.models import Assignment, Document
from hotich.documents.selectors import RegisterFilter, document_register, today_for
from hotich.documents.services import document_transition
from hotich.documents.vocabulary import AssignmentRole, Direction, Status

DOCS = int(os.environ.get("HOTICH_BENCH_DOCS", "20000"))
WORDS = ["hộ tịch", "đất đai", "xây dựng", "giáo dục", "y tế", "tài chính", "văn hóa", "nội vụ"]


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _line(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"| {name} | {len(samples)} | {median * 1000:.1f} ms | {p95 * 1000:.1f} ms |"


@pytest.mark.django_db
def test_bench_office(units: dict[str, Any], make_user: Any) -> None:
    rng = random.Random(2026)
    tree = make_tree(units)
    leader = make_user(Role.SIGNER, units["province"], full_name="Đặng Quốc Khánh")
    membership_add(actor=None, user=leader, organization=tree.justice, position=Position.DIRECTOR)
    staff = []
    for n in range(40):
        user = make_user(Role.PROVINCE, units["province"], full_name=f"Chuyên viên {n}")
        membership_add(
            actor=None, user=user, organization=tree.civil_status, position=Position.SPECIALIST
        )
        staff.append(user)
    start = dt.date.today() - dt.timedelta(days=5 * 365)
    batch: list[Document] = []
    for n in range(DOCS):
        year_day = start + dt.timedelta(days=n * 5 * 365 // DOCS)
        batch.append(
            Document(
                direction=Direction.INCOMING,
                unit=units["province"],
                organization=tree.justice,
                doc_type="CV",
                status=Status.ASSIGNED if n % 3 == 0 else Status.CLOSED,
                title=f"V/v {rng.choice(WORDS)} số {n}",
                sender_name="UBND phường Thành Vinh",
                sender_number=f"{n}/UBND-VP",
                number=str(n + 1),
                sequence=n + 1,
                year=year_day.year * 10 + (n % 7),  # unique numbers without a counter
                deadline=year_day + dt.timedelta(days=10),
                handler=staff[n % 40],
            )
        )
    loaded = time.perf_counter()
    Document.objects.bulk_create(batch, batch_size=2000)
    ids = list(Document.objects.filter(status=Status.ASSIGNED).values_list("pk", "handler_id"))
    Assignment.objects.bulk_create(
        (Assignment(document_id=d, user_id=u, role=AssignmentRole.LEAD) for d, u in ids),
        batch_size=2000,
    )
    loaded = time.perf_counter() - loaded
    me = staff[0]
    client = verified_client(me)
    client.get("/hom-nay/")
    today_t = [_timed(lambda: today_for(me)) for _ in range(30)]
    page_t = [_timed(lambda: client.get("/hom-nay/")) for _ in range(30)]
    route_t = []
    for n in range(30):
        fresh = Document.objects.create(
            direction=Direction.INCOMING,
            unit=units["province"],
            organization=tree.justice,
            doc_type="CV",
            status=Status.RECEIVED,
            title=f"Văn bản mới {n}",
            sender_name="Sở Nội vụ",
            sender_number=f"{n}/SNV",
        )
        route_t.append(
            _timed(
                lambda d=fresh: document_transition(
                    actor=leader,
                    document=d,
                    action="instruct",
                    note="Giao Phòng HCTP chủ trì",
                    handler_id=staff[1].pk,
                    co_ids=[staff[2].pk, staff[3].pk],
                    days=5,
                )
            )
        )
    search = RegisterFilter(direction=Direction.INCOMING, query="dat dai")
    search_t = [_timed(lambda: document_register(actor=me, filters=search)) for _ in range(30)]
    machine = platform.processor() or platform.machine()
    print(f"\n{machine}, {os.cpu_count()} cores, {DOCS} documents ({len(ids)} open)")
    print(f"40 specialists; bulk load {loaded:.1f} s")
    print("| operation | n | median | p95 |\n|---|---|---|---|")
    for name, samples in (
        ("today_for (selector)", today_t),
        ("/hom-nay/ page", page_t),
        ("instruct + assign (routing)", route_t),
        ("incoming register search, one word", search_t),
    ):
        print(_line(name, samples))
