"""A local stand-in of the national document interconnection axis (``hotich edoc axis serve``).

It keeps, in memory, the messages (edXML packages and status messages) waiting for each
receiving agency and hands them over on request, speaking the contract of
:class:`~hotich.interconnect.adapters.axis.http.HttpAxis`:

- ``POST /messages`` (body: the edXML; headers ``X-Edxml-Kind`` package/status,
  ``X-Edxml-From``, ``X-Edxml-To``, ``Idempotency-Key``) → 201 ``{"id"}``; the same key again →
  200 ``{"id", "duplicate": true}`` and nothing new is queued;
- ``POST /inbox`` ``{"to": [codes]}`` → ``{"messages": [{"id", "kind", "from", "to"}]}``;
- ``GET /messages/<id>`` → the edXML; ``DELETE /messages/<id>`` → 204 (taken);
- ``GET /healthz``.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from hotich.core.standins import require_standins

require_standins(__name__)

MAX_BODY = 80 * 1024 * 1024
KINDS = ("package", "status")


@dataclass
class Message:
    id: str
    kind: str
    from_code: str
    to_code: str
    data: bytes


class AxisStore:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: dict[str, Message] = {}
        self.keys: dict[str, str] = {}

    def put(
        self, *, kind: str, from_code: str, to_code: str, key: str, data: bytes
    ) -> tuple[str, bool]:
        with self.lock:
            if key in self.keys:
                return self.keys[key], True
            message = Message(uuid.uuid4().hex, kind, from_code, to_code, data)
            self.messages[message.id] = message
            self.keys[key] = message.id
            return message.id, False

    def waiting(self, codes: set[str]) -> list[Message]:
        with self.lock:
            return [m for m in self.messages.values() if m.to_code in codes]

    def get(self, message_id: str) -> Message | None:
        with self.lock:
            return self.messages.get(message_id)

    def take(self, message_id: str) -> bool:
        with self.lock:
            return self.messages.pop(message_id, None) is not None


class AxisServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int) -> None:
        super().__init__((host, port), AxisHandler)
        self.store = AxisStore()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that closes its kept-alive connection is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class AxisHandler(BaseHTTPRequestHandler):
    server: AxisServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no addresses or codes of agencies in the logs

    def _send(self, status: int, body: Any = None, *, raw: bytes | None = None) -> None:
        payload = raw if raw is not None else json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header(
            "Content-Type", "application/xml" if raw is not None else "application/json"
        )
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {"message": "too large"})
            return None
        return self.rfile.read(length)

    def do_GET(self) -> None:
        if self.path == "/healthz":
            self._send(200, {"status": "ok"})
            return
        message = self.server.store.get(self.path.removeprefix("/messages/"))
        if not self.path.startswith("/messages/") or message is None:
            self._send(404, {"message": "not found"})
            return
        self._send(200, raw=message.data)

    def do_DELETE(self) -> None:
        found = self.path.startswith("/messages/") and self.server.store.take(
            self.path.removeprefix("/messages/")
        )
        self._send(204 if found else 404, {} if found else {"message": "not found"})

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        if self.path == "/inbox":
            try:
                codes = {str(c) for c in json.loads(body or b"{}").get("to", [])}
            except (ValueError, AttributeError):
                self._send(400, {"message": "bad JSON"})
                return
            listed = [
                {"id": m.id, "kind": m.kind, "from": m.from_code, "to": m.to_code}
                for m in self.server.store.waiting(codes)
            ]
            self._send(200, {"messages": listed})
            return
        if self.path != "/messages":
            self._send(404, {"message": "not found"})
            return
        kind = self.headers.get("X-Edxml-Kind", "")
        to_code = self.headers.get("X-Edxml-To", "")
        key = self.headers.get("Idempotency-Key", "")
        if kind not in KINDS or not to_code or not key or not body:
            self._send(400, {"message": "kind, to, Idempotency-Key and a body are required"})
            return
        message_id, duplicate = self.server.store.put(
            kind=kind,
            from_code=self.headers.get("X-Edxml-From", ""),
            to_code=to_code,
            key=key,
            data=body,
        )
        self._send(200 if duplicate else 201, {"id": message_id, "duplicate": duplicate})


def make_server(host: str = "127.0.0.1", port: int = 0) -> AxisServer:
    return AxisServer(host, port)


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> tuple[AxisServer, threading.Thread]:
    """Start a stand-in axis in a background thread (the demo, the tests)."""
    server = make_server(host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
