"""A local stand-in for the national population database, speaking docs/popdb-contract.md.

It runs as its own HTTP process (``hotich popdb serve``) with its own SQLite file of synthetic
citizens, assigns valid personal IDs on request, and can be told to be slow or to fail so that
the adapter's timeouts, retries and circuit breaker can be tested over real HTTP.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import sqlite3
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from hotich.core.errors import ValidationFailed
from hotich.core.names import random_name
from hotich.core.standins import require_standins
from hotich.core.text import fold, nfc, split_name
from hotich.people.personal_id import generate_personal_id, parse_personal_id

require_standins(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS citizen (
    personal_id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    birth_place TEXT NOT NULL DEFAULT '',
    place_key TEXT NOT NULL DEFAULT '',
    birth_place_code TEXT NOT NULL DEFAULT '',
    father_name TEXT NOT NULL DEFAULT '',
    mother_name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS citizen_name_key ON citizen(name_key);
CREATE TABLE IF NOT EXISTS assignment (
    request_key TEXT PRIMARY KEY,
    personal_id TEXT NOT NULL REFERENCES citizen(personal_id)
);
"""
COLUMNS = (
    "personal_id",
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "birth_place_code",
    "father_name",
    "mother_name",
)
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SEED_PLACES = (
    ("Phường Trường Thi, Tỉnh Nghệ An", "16681"),
    ("Xã Quế Phong, Tỉnh Nghệ An", "16738"),
    ("Phường Vinh Phú, Tỉnh Nghệ An", "16702"),
    ("Phường Vinh Hưng, Tỉnh Nghệ An", "16708"),
    ("Xã Nghi Lộc, Tỉnh Nghệ An", "17557"),
    ("Xã Diễn Châu, Tỉnh Nghệ An", "17203"),
)


@dataclass
class Faults:
    """Failure and slowness injection, changeable while the service runs (``/_control``)."""

    slow_ms: int = 0
    fail_rate: float = 0.0
    fail_next: int = 0
    fail_status: int = 503

    def as_json(self) -> dict[str, Any]:
        return {
            "slow_ms": self.slow_ms,
            "fail_rate": self.fail_rate,
            "fail_next": self.fail_next,
            "fail_status": self.fail_status,
        }


class CitizenStore:
    """The stand-in's own database (a SQLite file, or memory)."""

    def __init__(self, path: str | Path = ":memory:", *, rng: random.Random | None = None):
        self.lock = threading.Lock()
        self.rng = rng or random.Random()  # noqa: S311 - synthetic data, not secrets
        self.conn = sqlite3.connect(str(path), check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.executescript(SCHEMA)

    def count(self) -> int:
        with self.lock:
            return int(self.conn.execute("SELECT count(*) FROM citizen").fetchone()[0])

    def insert(self, rows: Iterable[dict[str, str]]) -> int:
        now = dt.datetime.now(dt.UTC).isoformat()
        values = [
            (
                r["personal_id"],
                nfc(r.get("full_name", "")),
                fold(r.get("full_name", "")),
                r.get("sex", ""),
                r.get("birth_date", ""),
                nfc(r.get("birth_place", "")),
                fold(r.get("birth_place", "")),
                r.get("birth_place_code", ""),
                nfc(r.get("father_name", "")),
                nfc(r.get("mother_name", "")),
                now,
            )
            for r in rows
        ]
        with self.lock, self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO citizen VALUES (?,?,?,?,?,?,?,?,?,?,?)", values
            )
        return len(values)

    def seed(self, count: int) -> int:
        """``count`` synthetic citizens of Nghệ An: names by real frequencies, valid IDs."""
        rows = []
        for _ in range(count):
            name = random_name(self.rng)
            year = self.rng.randint(1940, 2024)
            born = dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))
            place, code = self.rng.choice(SEED_PLACES)
            father = random_name(self.rng, "M", surname=name.surname)
            mother = random_name(self.rng, "F")
            rows.append(
                {
                    "personal_id": self.new_id(sex=name.sex, birth_year=year),
                    "full_name": name.full,
                    "sex": name.sex,
                    "birth_date": born.isoformat(),
                    "birth_place": place,
                    "birth_place_code": code,
                    "father_name": father.full,
                    "mother_name": mother.full,
                }
            )
        return self.insert(rows)

    def load_csv(self, path: str | Path) -> int:
        """Citizens from a CSV in the linkage interchange format; rows without a valid personal
        ID get a new one (so the generator's population register can be served)."""
        rows = []
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                pid = (row.get("personal_id") or "").strip()
                if not pid:
                    year = int((row.get("birth_date") or "1990")[:4])
                    pid = self.new_id(sex=row.get("sex") or "M", birth_year=year)
                rows.append({**row, "personal_id": pid})
        return self.insert(rows)

    def new_id(self, *, sex: str, birth_year: int, province_code: str = "040") -> str:
        while True:
            number = generate_personal_id(
                self.rng, province_code=province_code, sex=sex, birth_year=birth_year
            )
            if self.get(number) is None:
                return number

    def get(self, personal_id: str) -> dict[str, str] | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT * FROM citizen WHERE personal_id = ?", (personal_id,)
            ).fetchone()
        return {c: row[c] for c in COLUMNS} if row else None

    def search(
        self, *, full_name: str, birth_date: str, birth_place: str, sex: str, limit: int
    ) -> list[dict[str, str]]:
        sql = "SELECT * FROM citizen WHERE name_key = ?"
        args: list[Any] = [fold(full_name)]
        if birth_date:
            # a partial date on either side matches the other's prefix
            sql += " AND (birth_date LIKE ? OR ? LIKE birth_date || '%')"
            args += [birth_date + "%", birth_date]
        if sex:
            sql += " AND (sex = ? OR sex = '')"
            args.append(sex)
        for word in fold(birth_place).replace(",", " ").split():
            sql += " AND place_key LIKE ?"
            args.append(f"%{word}%")
        sql += " ORDER BY personal_id LIMIT ?"
        args.append(limit)
        with self.lock:
            rows = self.conn.execute(sql, args).fetchall()
        return [{c: r[c] for c in COLUMNS} for r in rows]

    def assign(self, key: str, data: dict[str, Any]) -> tuple[dict[str, str], bool]:
        """(citizen, created): the same ``key`` always gives the same citizen."""
        with self.lock:
            row = self.conn.execute(
                "SELECT personal_id FROM assignment WHERE request_key = ?", (key,)
            ).fetchone()
        if row is not None:
            existing = self.get(row[0])
            assert existing is not None
            return existing, False
        year = int(data["birth_date"][:4])
        province = str(data.get("province_code") or "040").zfill(3)
        pid = self.new_id(sex=data["sex"], birth_year=year, province_code=province)
        citizen = {c: str(data.get(c) or "") for c in COLUMNS}
        citizen["personal_id"] = pid
        self.insert([citizen])
        with self.lock, self.conn:
            self.conn.execute("INSERT INTO assignment VALUES (?, ?)", (key, pid))
        stored = self.get(pid)
        assert stored is not None
        return stored, True


class StandInServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        store: CitizenStore,
        *,
        faults: Faults | None = None,
        token: str = "",
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(address, StandInHandler)
        self.store = store
        self.faults = faults or Faults()
        self.token = token
        self.rng = rng or random.Random()  # noqa: S311
        self.fault_lock = threading.Lock()
        self.requests_seen = 0

    @property
    def url(self) -> str:
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        host, port = self.server_address[:2]
        return f"{scheme}://{host!s}:{port}"

    def use_tls(self, *, cert: str, key: str, client_ca: str = "") -> None:
        """Serve HTTPS; with ``client_ca`` require a client certificate (mutual TLS)."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        self.socket = context.wrap_socket(self.socket, server_side=True)

    def injected_fault(self) -> int | None:
        """The status to fail with for this request, if any (after the injected delay)."""
        with self.fault_lock:
            self.requests_seen += 1
            faults = self.faults
            delay = faults.slow_ms
            status: int | None = None
            if faults.fail_next > 0:
                faults.fail_next -= 1
                status = faults.fail_status
            elif faults.fail_rate and self.rng.random() < faults.fail_rate:
                status = faults.fail_status
        if delay:
            time.sleep(delay / 1000)
        return status


class StandInHandler(BaseHTTPRequestHandler):
    server: StandInServer
    protocol_version = "HTTP/1.1"
    server_version = "hotich-popdb-standin/1"

    def log_message(self, format: str, *args: Any) -> None:
        return  # no request lines: paths may hold personal IDs

    # -- plumbing -----------------------------------------------------------------------------

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(status, {"error": code, "message": message})

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw or b"{}")

    def _authorised(self) -> bool:
        token = self.server.token
        if token and self.headers.get("Authorization", "") != f"Bearer {token}":
            self._error(401, "unauthorised", "missing or wrong bearer token")
            return False
        if not unquote(self.headers.get("X-Legal-Basis", "")).strip():
            self._error(400, "legal_basis_required", "X-Legal-Basis header is required")
            return False
        return True

    def _guarded(self) -> bool:
        """Auth, then the injected slowness/failure; False when a response was already sent
        (the request's body is read first, so that the kept-alive connection stays in step)."""
        if not self._authorised():
            self._drain()
            return False
        status = self.server.injected_fault()
        if status is not None:
            self._drain()
            self._error(status, "injected_failure", "failure injected by the stand-in")
            return False
        return True

    def _drain(self) -> None:
        if self.command in {"POST", "PUT"}:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)

    # -- routes -------------------------------------------------------------------------------

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        if path == "/v1/health":
            self._send(200, {"status": "ok", "citizens": self.server.store.count()})
        elif path == "/_control":
            self._send(200, self.server.faults.as_json())
        elif path == "/v1/citizens":
            if self._guarded():
                self._search(parse_qs(parts.query))
        elif path.startswith("/v1/citizens/"):
            if self._guarded():
                self._lookup(path.rsplit("/", 1)[1])
        else:
            self._error(404, "no_route", "unknown path")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path.rstrip("/")
        if path == "/v1/personal-ids":
            if self._guarded():
                self._assign()
        elif path == "/_control":
            self._control()
        else:
            self._error(404, "no_route", "unknown path")

    do_PUT = do_POST

    def _lookup(self, number: str) -> None:
        try:
            pid = parse_personal_id(number).number
        except ValidationFailed:
            self._error(400, "invalid_personal_id", "not a valid personal ID")
            return
        citizen = self.server.store.get(pid)
        if citizen is None:
            self._error(404, "not_found", "no citizen with this personal ID")
        else:
            self._send(200, citizen)

    def _search(self, query: dict[str, list[str]]) -> None:
        def one(name: str) -> str:
            return nfc((query.get(name) or [""])[0])

        full_name, birth_date = one("full_name"), one("birth_date")
        if not full_name:
            self._error(400, "full_name_required", "full_name is required")
            return
        if birth_date and not _PARTIAL_DATE.match(birth_date):
            self._error(400, "invalid_birth_date", "birth_date must be YYYY, YYYY-MM or ISO")
            return
        sex = one("sex")
        if sex not in ("", "M", "F"):
            self._error(400, "invalid_sex", "sex must be M or F")
            return
        try:
            limit = max(1, min(int(one("limit") or 20), 100))
        except ValueError:
            self._error(400, "invalid_limit", "limit must be an integer")
            return
        results = self.server.store.search(
            full_name=full_name,
            birth_date=birth_date,
            birth_place=one("birth_place"),
            sex=sex,
            limit=limit,
        )
        self._send(200, {"count": len(results), "results": results})

    def _assign(self) -> None:
        key = self.headers.get("Idempotency-Key", "").strip()
        if not key:
            self._error(400, "idempotency_key_required", "Idempotency-Key header is required")
            return
        try:
            data = self._body()
        except ValueError:
            self._error(400, "invalid_json", "body must be JSON")
            return
        problems = []
        if not nfc(str(data.get("full_name") or "")):
            problems.append("full_name")
        if data.get("sex") not in ("M", "F"):
            problems.append("sex")
        birth_date = str(data.get("birth_date") or "")
        try:
            dt.date.fromisoformat(birth_date)
        except ValueError:
            problems.append("birth_date")
        if problems:
            self._error(400, "invalid_fields", ", ".join(problems))
            return
        parts = split_name(str(data["full_name"]))
        data["full_name"] = parts.full
        try:
            citizen, created = self.server.store.assign(key, data)
        except (ValidationFailed, ValueError) as exc:  # an unknown province code
            self._error(400, "invalid_fields", f"province_code ({type(exc).__name__})")
            return
        self._send(
            201 if created else 200, {"personal_id": citizen["personal_id"], "citizen": citizen}
        )

    def _control(self) -> None:
        try:
            data = self._body()
            faults = self.server.faults
            with self.server.fault_lock:
                if "slow_ms" in data:
                    faults.slow_ms = max(0, int(data["slow_ms"]))
                if "fail_rate" in data:
                    faults.fail_rate = min(1.0, max(0.0, float(data["fail_rate"])))
                if "fail_next" in data:
                    faults.fail_next = max(0, int(data["fail_next"]))
                if "fail_status" in data:
                    faults.fail_status = int(data["fail_status"])
        except (ValueError, TypeError):
            self._error(400, "invalid_control", "slow_ms, fail_rate, fail_next, fail_status")
            return
        self._send(200, faults.as_json())


def make_server(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    db: str | Path = ":memory:",
    seed: int = 0,
    rng_seed: int | None = None,
    faults: Faults | None = None,
    token: str = "",
    load_csv: str | Path | None = None,
) -> StandInServer:
    """A ready server (not yet serving); ``port=0`` picks a free port."""
    rng = random.Random(rng_seed)  # noqa: S311
    store = CitizenStore(db, rng=rng)
    if load_csv:
        store.load_csv(load_csv)
    if seed:
        store.seed(seed)
    return StandInServer((host, port), store, faults=faults, token=token, rng=rng)
