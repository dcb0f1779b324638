"""Document search benchmark on PostgreSQL: a province's register of official documents.

Usage (from the project root)::

    .venv/bin/python bench/documents_search_bench.py --documents 2000000 \
        --database postgres://postgres@127.0.0.1:5432/hotich_docsearch_bench

The database is dropped and created anew, then migrated. The script loads the units of Nghệ An
(province 40), an organization tree of about 500 organizations (the province's People's
Committee, 40 departments with 2 sections each, and for every commune its People's Committee,
People's Council and party committee), ``--users`` users (10,000) spread over the People's
Committees and departments (a leader, a clerk, specialists) with their positions, then
``--documents`` documents over 5 years in the order of their dates, spread over the People's
Committees and departments (60 % incoming, 40 % outgoing; 2 % of the incoming still open with a
lead handler), written with ``COPY`` (the table's secondary indexes
dropped before and rebuilt after, foreign-key triggers off for the session). Each document has a
title and a body of about 40 words made of administrative phrases and place names; its search
columns (``search_key``, ``content_key``) are built with the app's own ``fold`` and
``content_words``.

Then it times, warm, with random users of the agencies: ``document_search`` (1 to 3 words taken
from titles, bodies and place names, typed without diacritics, or a document's number) and the
day's page selector ``today_for``. Prints the medians and p95s; ``--write`` puts them into
docs/benchmarks.md (replacing the previous section of this benchmark).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TOPICS = [
    "đăng ký khai sinh", "đăng ký kết hôn", "cấp bản sao trích lục hộ tịch", "chứng thực bản sao",
    "giải phóng mặt bằng", "cấp giấy chứng nhận quyền sử dụng đất", "xây dựng nông thôn mới",
    "phòng chống thiên tai", "tuyển sinh lớp 10", "tiêm chủng mở rộng", "bảo hiểm y tế học sinh",
    "quyết toán ngân sách", "mua sắm tài sản công", "chuyển đổi số", "cải cách hành chính",
    "tiếp công dân", "giải quyết khiếu nại tố cáo", "phổ biến giáo dục pháp luật",
    "an toàn thực phẩm", "phòng cháy chữa cháy", "quản lý trật tự đô thị", "lễ hội truyền thống",
    "bảo tồn di tích", "thi đua khen thưởng", "tuyển dụng công chức", "đào tạo bồi dưỡng cán bộ",
    "chính sách người có công", "hỗ trợ hộ nghèo", "nước sạch nông thôn", "giao thông nông thôn",
    "kiểm tra công tác hộ tịch", "số hóa sổ hộ tịch", "chữ ký số chuyên dùng",
    "dịch vụ công trực tuyến", "bầu cử đại biểu Hội đồng nhân dân", "quốc phòng toàn dân",
    "tuyển quân năm sau", "phòng chống dịch bệnh gia súc", "trồng rừng thay thế",
    "khai thác khoáng sản", "bảo vệ môi trường", "thu gom rác thải", "kiểm kê đất đai",
    "quy hoạch sử dụng đất", "nghĩa trang nhân dân", "nhà văn hóa thôn", "điện chiếu sáng",
    "đường điện nông thôn", "kênh mương nội đồng", "vụ xuân", "vụ hè thu", "chăn nuôi",
]  # fmt: skip
SENTENCES = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, đề nghị các đơn vị triển khai nội dung sau.",
    "Báo cáo kết quả thực hiện gửi về trước ngày 25 hằng tháng để tổng hợp.",
    "Giao Văn phòng theo dõi, đôn đốc và báo cáo kết quả thực hiện.",
    "Các cơ quan, đơn vị căn cứ chức năng, nhiệm vụ tổ chức thực hiện nghiêm túc.",
    "Trong quá trình thực hiện nếu có vướng mắc, phản ánh về Sở để được hướng dẫn.",
    "Kinh phí thực hiện từ nguồn ngân sách địa phương năm hiện hành.",
    "Đề nghị Ủy ban nhân dân cấp xã rà soát, thống kê và gửi danh sách kèm theo.",
    "Phòng Văn hóa - Xã hội chủ trì, phối hợp với các ngành liên quan.",
    "Thời gian kiểm tra dự kiến trong quý, lịch cụ thể thông báo sau.",
    "Yêu cầu thủ trưởng các đơn vị chịu trách nhiệm trước Chủ tịch về kết quả.",
    "Công an xã phối hợp bảo đảm an ninh trật tự trên địa bàn.",
    "Hồ sơ gồm tờ khai, giấy tờ tùy thân và các giấy tờ chứng minh liên quan.",
    "Tổ chức hội nghị sơ kết, rút kinh nghiệm và đề xuất khen thưởng.",
    "Niêm yết công khai tại trụ sở và đăng trên cổng thông tin điện tử.",
    "Tăng cường tuyên truyền để nhân dân biết, thực hiện.",
]
TYPES = ["CV", "CV", "CV", "QĐ", "TB", "KH", "BC", "TTr"]
SLUG = {"CV": "CV", "QĐ": "QĐ", "TB": "TB", "KH": "KH", "BC": "BC", "TTr": "TTr"}
YEARS = 5


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--documents", type=int, default=2_000_000)
    p.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/hotich_docsearch_bench"
    )
    p.add_argument("--users", type=int, default=10_000, help="users of the agencies in all")
    p.add_argument("--queries", type=int, default=300)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--write", action="store_true", help="write the figures to docs/benchmarks.md")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="measure a database this script loaded before (migrated, not loaded again)",
    )
    p.add_argument(
        "--sessions",
        type=Path,
        help="write verified sessions of the agencies' users to this file (for the locustfile)",
    )
    return p.parse_args()


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("test", "postgres"):
        raise SystemExit(f"refusing database name {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotich.config.settings")
    os.environ.setdefault("HOTICH_DATA_DIR", "/tmp/hotich-docsearch-bench")
    import django

    django.setup()


def build_tree(rng: random.Random, users_total: int) -> tuple[list[Any], list[Any]]:
    """Organizations and the agencies that keep registers (with their users)."""
    from hotich.accounts.models import User
    from hotich.agencies.models import Membership, Organization
    from hotich.core.text import fold
    from hotich.geo.models import Unit

    province = Unit.objects.get(level="province", era="n", code="40")
    communes = list(Unit.objects.filter(parent=province, era="n").order_by("code"))
    made: list[Any] = []
    counter = iter(range(1, 100_000))

    def org(name: str, kind: str, unit: Any, parent: Any) -> Any:
        o = Organization.objects.create(
            code=f"B{next(counter):012d}",
            name=name,
            kind=kind,
            unit=unit,
            parent=parent,
            path=f"tmp{next(counter)}",
            search_key=fold(name),
        )
        o.path = f"{parent.path if parent else ''}{o.pk}/"
        o.save(update_fields=["path"])
        made.append(o)
        return o

    root = org("Ủy ban nhân dân tỉnh Nghệ An", "ubnd", province, None)
    agencies = [root]
    for n in range(40):
        dept = org(f"Sở chuyên ngành số {n + 1}", "so", province, root)
        agencies.append(dept)
        for s in range(2):
            org(f"Phòng {s + 1} thuộc Sở số {n + 1}", "phong", province, dept)
    for commune in communes:
        pc = org(f"Ủy ban nhân dân {commune.name}", "ubnd", commune, root)
        agencies.append(pc)
        org(f"Hội đồng nhân dân {commune.name}", "hdnd", commune, None)
        org(f"Đảng ủy {commune.name}", "dang_uy", commune, None)
    users = []
    memberships = []
    # a leader, a clerk, then specialists: as many a People's Committee or department as make
    # ``users`` in all (the first five of each agency are the ones the benchmark acts as)
    per_agency = max(5, -(-users_total // len(agencies)))
    roles = [("signer", "giam_doc"), ("province", "van_thu")]
    roles += [("province", "chuyen_vien")] * (per_agency - 2)
    for agency in agencies:
        role_for = "officer" if agency.unit_id != province.pk else None
        for i, (role, position) in enumerate(roles):
            if agency.kind == "ubnd" and position == "giam_doc":
                position = "chu_tich"
            users.append(
                User(
                    username=f"u{agency.pk}_{i}",
                    full_name=f"Cán bộ {agency.pk}-{i}",
                    role=role if role_for is None or role == "signer" else role_for,
                    unit_id=agency.unit_id,
                    password="!",
                )
            )
            memberships.append((len(users) - 1, agency, position))
    created = User.objects.bulk_create(users, batch_size=2000)
    Membership.objects.bulk_create(
        Membership(user=created[i], organization=o, position=p, is_primary=True)
        for i, o, p in memberships
    )
    for agency in agencies:
        agency.staff = []
    by_pk = {agency.pk: agency for agency in agencies}
    for user in created:
        by_pk[int(user.username[1:].split("_")[0])].staff.append(user)
    return made, agencies


def agencies_of_database() -> tuple[list[Any], list[Any]]:
    """The organizations and the agencies with their users of a database loaded before."""
    from hotich.accounts.models import User
    from hotich.agencies.models import Organization

    organizations = list(Organization.objects.select_related("unit").order_by("pk"))
    agencies = [o for o in organizations if o.kind in ("ubnd", "so")]
    staff: dict[int, list[Any]] = {}
    for user in User.objects.filter(username__startswith="u").order_by("pk"):
        staff.setdefault(int(user.username[1:].split("_")[0]), []).append(user)
    for agency in agencies:
        agency.staff = sorted(staff.get(agency.pk, []), key=lambda u: int(u.username.split("_")[1]))
    return organizations, [a for a in agencies if a.staff]


def load_documents(count: int, agencies: list[Any], rng: random.Random) -> float:
    """COPY ``count`` documents; returns the seconds of COPY + index rebuild."""
    from django.db import connection

    from hotich.core.text import fold
    from hotich.documents.models import content_words

    places = sorted({a.unit.name for a in agencies})
    topics = [(t, content_words(t)) for t in TOPICS]
    sentences = [(s, content_words(s)) for s in SENTENCES]
    place_keys = {p: content_words(p) for p in places}
    weights = [
        40 if a.parent_id is None else (25 if a.unit.level == "province" else 4) for a in agencies
    ]
    today = dt.date.today()
    first = today - dt.timedelta(days=YEARS * 365)
    tz = "+07"
    columns = [
        "direction", "unit_id", "organization_id", "doc_type", "status", "title", "summary",
        "body", "section_abbrev", "number", "sequence", "year", "dated", "recipient_name",
        "sender_name", "sender_number", "deadline", "handler_id", "file_path", "file_sha256",
        "file_size", "signed_digitally", "signature_report", "rejection_reason", "search_key",
        "text", "text_source", "text_failure", "content_key", "created_at", "updated_at",
        "signed_at", "issued_at", "received_at",
    ]  # fmt: skip
    counters: dict[tuple[int, str, int, str], int] = {}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'documents_document' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        indexes = cur.fetchall()
        for name, _def in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    started = time.perf_counter()
    raw = connection.connection
    raw.execute("SET session_replication_role = replica")
    raw.execute("SET maintenance_work_mem = '512MB'")
    with (
        raw.cursor() as cur,
        cur.copy(f"COPY documents_document ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        buf = io.StringIO()
        for n in range(count):
            agency = rng.choices(agencies, weights)[0]
            # a register grows day by day: the rows are written in the order of their dates
            day = first + dt.timedelta(days=n * YEARS * 365 // count)
            incoming = rng.random() < 0.6
            doc_type = rng.choice(TYPES)
            topic, topic_key = rng.choice(topics)
            place = rng.choice(places)
            picked = rng.sample(sentences, 3)
            title = f"V/v {topic} tại {place}"
            body = f"{picked[0][0]} Về {topic} tại {place}. {picked[1][0]} {picked[2][0]}"
            key_body = (
                f"{picked[0][1]} ve{topic_key} tai{place_keys[place]}{picked[1][1]}{picked[2][1]}"
            )
            direction = "in" if incoming else "out"
            series = (agency.unit_id, direction, day.year, "den" if incoming else doc_type)
            seq = counters[series] = counters.get(series, 0) + 1
            at = f"{day.isoformat()} 09:{n % 60:02d}:00{tz}"
            handler = "\\N"
            if incoming:
                number = str(seq)
                sender = rng.choice(places)
                sender_name = f"UBND {sender}"
                sender_number = f"{rng.randrange(1, 900)}/{SLUG[doc_type]}-UBND"
                is_open = day > today - dt.timedelta(days=60) and rng.random() < 0.3
                status = rng.choice(["received", "proposed", "assigned"]) if is_open else "closed"
                if status == "assigned":
                    lead = rng.choice(agency.staff[2:])
                    handler = str(lead.pk)
                search = fold(f"{number} {sender_number} {title} {sender_name}")[:700]
                content = (
                    f" {number}{content_words(sender_number)} v v{topic_key} tai{place_keys[place]}"
                    f" ubnd{place_keys[sender]}{key_body}"
                )
                signed_at = issued_at = "\\N"
                received = at
                signed = "f"
                deadline = (day + dt.timedelta(days=10)).isoformat()
            else:
                number = f"{seq}/UBND-VP" if doc_type == "CV" else f"{seq}/{SLUG[doc_type]}-UBND"
                sender_name = sender_number = ""
                status = "issued"
                search = fold(f"{number} {title}")[:700]
                content = f"{content_words(number)} v v{topic_key} tai{place_keys[place]}{key_body}"
                signed_at = issued_at = at
                received = "\\N"
                signed = "t" if rng.random() < 0.85 else "f"
                deadline = "\\N"
            row = [
                direction, str(agency.unit_id), str(agency.pk), doc_type, status, title, "",
                body, "VP", number, str(seq), str(day.year), day.isoformat(), "",
                sender_name, sender_number, deadline, handler, "", "", "0", signed, "{}", "",
                search, "", "", "", content, at, at, signed_at, issued_at, received,
            ]  # fmt: skip
            buf.write("\t".join(row))
            buf.write("\n")
            if n % 20_000 == 19_999:
                copy.write(buf.getvalue())
                buf = io.StringIO()
        copy.write(buf.getvalue())
    raw.commit()
    copied = time.perf_counter() - started
    print(f"COPY {count} documents: {copied:.0f} s", flush=True)
    with connection.cursor() as cur:
        for name, definition in indexes:
            t = time.perf_counter()
            cur.execute(definition)
            print(f"  index {name}: {time.perf_counter() - t:.0f} s", flush=True)
        cur.execute(
            "INSERT INTO documents_assignment (document_id, user_id, role, instruction, "
            "deadline, active, answer, at) SELECT id, handler_id, 'lead', '', deadline, true, "
            "'', created_at FROM documents_document WHERE status = 'assigned'"
        )
        # what autovacuum does to a table written once: statistics and the visibility map
        # (index-only scans of ``documents_newest``)
        cur.execute("VACUUM (ANALYZE) documents_document")
        cur.execute("ANALYZE")
    raw.execute("SET session_replication_role = origin")
    return time.perf_counter() - started


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(agencies: list[Any], rng: random.Random, queries: int) -> dict[str, list[float]]:
    from hotich.accounts.models import User
    from hotich.documents.models import Document
    from hotich.documents.selectors import today_for
    from hotich.documents.selectors_search import SearchQuery, document_search

    places = sorted({a.unit.short_name or a.unit.name for a in agencies})
    numbers = list(
        Document.objects.filter(direction="out").order_by("?").values_list("number", flat=True)[:50]
    )
    staff_ids = [u.pk for a in agencies for u in a.staff]

    def query() -> str:
        return search_text(rng, places, numbers)

    users = list(User.objects.filter(pk__in=rng.sample(staff_ids, 60)))
    results: dict[str, list[float]] = {
        "search": [],
        "search commune": [],
        "search province": [],
        "today": [],
        "hits": [],
    }
    for _ in range(2):  # warm: the first pass fills the caches
        for user in users[:10]:
            document_search(actor=user, query=SearchQuery(text=query()))
            today_for(user)
    for i in range(queries):
        user = users[i % len(users)]
        text = query()
        hits: list[Any] = []
        took = timed(
            lambda u=user, q=text, h=hits: h.extend(
                document_search(actor=u, query=SearchQuery(text=q))
            )
        )
        results["search"].append(took)
        scope = "commune" if user.unit.level == "commune" else "province"
        results[f"search {scope}"].append(took)
        results["hits"].append(len(hits))
    for i in range(queries):
        user = users[i % len(users)]
        results["today"].append(timed(lambda u=user: today_for(u)))
    results.update(measure_pages(agencies, rng, queries, places, numbers))
    results["routing"] = measure_routing(agencies, rng, min(queries, 200))
    return results


def verified_client(user: Any) -> Any:
    """A test client logged in as ``user`` past the second factor (as tests' conftest does)."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"confirmed": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def search_text(rng: random.Random, places: list[str], numbers: list[str]) -> str:
    """What a user types: a document's number, or 1-3 words of a topic (and a place)."""
    from hotich.core.text import fold

    kind = rng.random()
    if kind < 0.1:
        return rng.choice(numbers)
    words = fold(rng.choice(TOPICS)).split()
    start = rng.randrange(len(words))
    text = " ".join(words[start : start + rng.randint(1, 3)])
    if kind < 0.5:
        text += " " + fold(rng.choice(places)).split()[-1]
    return text


def measure_pages(
    agencies: list[Any], rng: random.Random, queries: int, places: list[str], numbers: list[str]
) -> dict[str, list[float]]:
    """The real views (middleware, selector, template) through Django's test client."""
    staff = [u for a in agencies for u in a.staff]
    clients = [verified_client(u) for u in rng.sample(staff, 40)]
    results: dict[str, list[float]] = {"today page": [], "search page": []}

    def get(client: Any, url: str, **params: str) -> None:
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")

    for client in clients[:5]:
        get(client, "/hom-nay/")
        get(client, "/van-ban/tim-kiem/", q=search_text(rng, places, numbers))
    for i in range(queries):
        client = clients[i % len(clients)]
        results["today page"].append(timed(lambda c=client: get(c, "/hom-nay/")))
        text = search_text(rng, places, numbers)
        results["search page"].append(
            timed(lambda c=client, q=text: get(c, "/van-ban/tim-kiem/", q=q))
        )
    return results


def measure_routing(agencies: list[Any], rng: random.Random, count: int) -> list[float]:
    """A leader opens an incoming document of their agency and writes the instruction: a lead
    handler, a co-handler, 10 working days (``document_get`` + ``instruct``)."""
    from hotich.documents.models import Document
    from hotich.documents.selectors import document_get
    from hotich.documents.services import document_transition

    by_pk = {a.pk: a for a in agencies if len(a.staff) >= 4}
    open_ids = list(
        Document.objects.filter(
            direction="in", status__in=["received", "proposed"], organization_id__in=list(by_pk)
        ).values_list("pk", "organization_id")
    )
    picked = rng.sample(open_ids, min(count, len(open_ids)))
    samples = []
    for document_id, organization_id in picked:
        leader, _clerk, lead, co = by_pk[organization_id].staff[:4]

        def route(d: int = document_id, by: Any = leader, to: Any = lead, also: Any = co) -> None:
            document = document_get(actor=by, document_id=d)
            document_transition(
                actor=by,
                document=document,
                action="instruct",
                note="Giao chuyên viên nghiên cứu, tham mưu xử lý.",
                handler_id=to.pk,
                co_ids=[also.pk],
                days=10,
            )

        samples.append(timed(route))
    return samples


def write_sessions(path: Path, agencies: list[Any]) -> None:
    """One verified session a line (the ``sessionid`` cookie) for the first five users (the
    leader, the clerk, three specialists) of every agency."""
    lines = []
    for agency in agencies:
        for user in agency.staff[:5]:
            lines.append(verified_client(user).cookies["sessionid"].value)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} sessions written to {path}", flush=True)


def main() -> None:
    args = parse()
    if not args.reuse:
        recreate_database(args.database)
    setup_django(args.database)
    from django.core.management import call_command
    from django.db import connection

    from hotich.geo.services import units_load

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    if args.reuse:
        organizations, agencies = agencies_of_database()
        with connection.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) documents_document")
            cur.execute("SELECT count(*) FROM documents_document")
            documents = cur.fetchone()[0]
        load_text = "loaded before (migrated to this version, then VACUUM ANALYZE)"
    else:
        units_load(provinces=["40"])
        organizations, agencies = build_tree(rng, args.users)
        load = load_documents(args.documents, agencies, rng)
        documents = args.documents
        load_text = f"Load (COPY, index rebuild, ANALYZE): {load:.0f} s"
    users = sum(len(a.staff) for a in agencies)
    print(
        f"{documents} documents, {len(organizations)} organizations, {users} users: "
        f"{time.perf_counter() - t:.0f} s",
        flush=True,
    )
    if args.sessions:
        write_sessions(args.sessions, agencies)
    r = measure(agencies, rng, args.queries)
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(" on ")[0]
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('documents_document'))")
        size = cur.fetchone()[0]
    cpu = (
        subprocess.run(
            ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        or platform.machine()
    )
    rows = [
        (
            "document_search (1–3 words without diacritics, a place, or a number; "
            f"median {statistics.median(r['hits']):.0f} hits shown of at most 50)",
            "search",
            "p95 < 50 ms",
        ),
        ("— of which users of a commune (the unit-keyed index)", "search commune", ""),
        ("— of which users of the province's agencies", "search province", ""),
        ("the search page `/van-ban/tim-kiem/?q=` (the view, rendered)", "search page", ""),
        ("today_for (the day's page selector)", "today", ""),
        ("the day's page `/hom-nay/` (the view, rendered)", "today page", "p95 < 100 ms"),
        (
            "routing: a leader opens an incoming document and writes the instruction "
            "(lead, co-handler, deadline)",
            "routing",
            "p95 < 150 ms",
        ),
    ]
    lines = [
        "## Document search (bench/documents_search_bench.py)",
        "",
        f"{dt.datetime.now(dt.UTC).date().isoformat()}; {cpu}, {os.cpu_count()} cores "
        "shared with other work; "
        f"{version}. {documents:,} documents over {YEARS} years in {len(agencies)} agencies "
        f"({len(organizations)} organizations), {users} users; "
        f"the documents table with its indexes: {size}. {load_text}. "
        "Warm; random users of the agencies (their scope: unit and agency).",
        "",
        "| operation | n | median | p95 | target |",
        "|---|---|---|---|---|",
        *(
            f"| {label} | {len(r[key])} | {statistics.median(r[key]) * 1000:.1f} ms | "
            f"{p95(r[key]) * 1000:.1f} ms | {target} |"
            for label, key, target in rows
            if r[key]
        ),
        "",
    ]
    print("\n".join(lines))
    if args.write:
        path = ROOT / "docs" / "benchmarks.md"
        text = path.read_text(encoding="utf-8")
        head = lines[0]
        if head in text:
            before, _, rest = text.partition(head)
            after = rest.split("\n## ", 1)
            text = before + "\n".join(lines) + ("\n## " + after[1] if len(after) > 1 else "")
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(lines)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
