"""A local stand-in for the national reporting system's receiver (HTTP, standard library).

``POST /reports`` with ``Idempotency-Key``: 201 and a receipt for a new report; 200 and the same
receipt (``"duplicate": true``) for a key already received with the same body; 409 for a key
reused with another body; 422 ``{"status": "rejected", "message", "errors"}`` for a payload
that breaks the schema or reports a period that has not ended. ``GET /reports/<receipt_id>``
gives the status. Tests (and a demo) can make it fail the next requests with
:meth:`StandInReceiver.fail_next` or refuse the next report with :meth:`reject_next`.
Run it with ``hotich report receiver --port 8798``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema

from hotich.core.standins import require_standins

require_standins(__name__)


class StandInReceiver:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.reports: dict[str, dict[str, Any]] = {}  # receipt id → stored report
        self.by_key: dict[str, tuple[str, str]] = {}  # key → (body sha256, receipt id)
        self.requests = 0
        self._fail: list[int] = []
        self._reject: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, count: int = 1, status: int = 503) -> None:
        with self._lock:
            self._fail += [status] * count

    def reject_next(self, message: str) -> None:
        with self._lock:
            self._reject.append(message)

    def start(self) -> StandInReceiver:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- request handling ------------------------------------------------------------------

    def receive(self, key: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests += 1
            if self._fail:
                return self._fail.pop(0), {"message": "Hệ thống tạm thời không sẵn sàng."}
            if not key:
                return 400, {"status": "rejected", "message": "Thiếu Idempotency-Key."}
            digest = hashlib.sha256(raw).hexdigest()
            if key in self.by_key:
                seen_digest, receipt = self.by_key[key]
                if seen_digest != digest:
                    return 409, {
                        "status": "rejected",
                        "message": "Idempotency-Key đã dùng cho một báo cáo khác.",
                    }
                return 200, {**self._receipt(receipt), "duplicate": True}
            if self._reject:
                return 422, {"status": "rejected", "message": self._reject.pop(0), "errors": []}
            try:
                payload = json.loads(raw)
            except ValueError:
                return 400, {"status": "rejected", "message": "Dữ liệu không phải JSON."}
            errors = self._check(payload)
            if errors:
                return 422, {
                    "status": "rejected",
                    "message": "Báo cáo không hợp lệ.",
                    "errors": errors,
                }
            receipt = f"BC-{uuid.uuid4().hex[:12].upper()}"
            self.by_key[key] = (digest, receipt)
            self.reports[receipt] = {
                "receipt_id": receipt,
                "status": "received",
                "received_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "key": key,
                "payload": payload,
            }
            return 201, {**self._receipt(receipt), "duplicate": False}

    def _receipt(self, receipt: str) -> dict[str, Any]:
        stored = self.reports[receipt]
        return {k: stored[k] for k in ("receipt_id", "status", "received_at")}

    def _check(self, payload: Any) -> list[str]:
        validator = jsonschema.Draft202012Validator(self.schema)
        errors = [
            f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(payload)
        ][:5]
        if not errors:
            end = dt.date.fromisoformat(payload["period"]["to"])
            if end >= dt.datetime.now(dt.UTC).date():
                errors.append("period/to: kỳ báo cáo chưa kết thúc.")
        return errors

    def status_of(self, receipt: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if receipt not in self.reports:
                return 404, {"message": "Không có báo cáo này."}
            return 200, self._receipt(receipt)

    def _handler(self) -> Callable[..., BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                if self.path.rstrip("/") != "/reports":
                    self._send(404, {"message": "Not found"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                self._send(*receiver.receive(self.headers.get("Idempotency-Key", ""), raw))

            def do_GET(self) -> None:
                if not self.path.startswith("/reports/"):
                    self._send(404, {"message": "Not found"})
                    return
                self._send(*receiver.status_of(self.path.removeprefix("/reports/").strip("/")))

            def log_message(self, format: str, *args: Any) -> None:
                return  # no request logs (they could carry unit names into shared logs)

        return Handler
