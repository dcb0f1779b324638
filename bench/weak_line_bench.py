"""Weak-line budgets: bytes and seconds of the pages a remote commune uses, measured in Chromium
with the network throttled through the DevTools protocol to a weak 3G line: 256 kbit/s down,
64 kbit/s up, 400 ms latency.

    .venv/bin/python bench/weak_line_bench.py [--out FILE]

Runs the browser test ``tests/e2e/test_weak_line.py`` (which sets up a book of scanned pages, a
citizen with a dossier and a desk officer on a throw-away database, and serves the static files
compressed as in production, through WhiteNoise after ``collectstatic``), then prints the figures
it measured as a markdown table (and writes them to ``--out``). Each page is loaded cold (the
browser cache off: every script, style sheet and image counted) and then warm (the cache on, as
for the next entry a clerk keys). Bytes are what crossed the line (``encodedDataLength`` of every
response, headers included); seconds run from the navigation to "usable": for the keying page the
form is there and the entry's image has arrived at the size it is shown (then, separately, the
first zoom: OpenSeadragon loaded and every tile of its zoom arrived), for the other pages the
``load`` event.

The measuring functions (``throttle``, ``measure``) are imported by the test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: the weak line: bytes per second down and up, and the round-trip latency
DOWN_BPS = 256 * 1000 // 8
UP_BPS = 64 * 1000 // 8
LATENCY_MS = 400

#: the budgets of issue 19: (bytes, seconds); None: no byte budget
BUDGETS: dict[str, tuple[int | None, float | None]] = {
    "keying": (150_000, 5.0),
    "citizen": (100_000, 3.0),
    "desk": (None, 3.0),
    # the keying page's zoom viewer, loaded when the clerk first zooms: measured, no budget
    "viewer": (None, None),
}


@dataclass
class Measure:
    name: str
    kind: str
    cache: str
    bytes: int
    seconds: float
    requests: int
    #: (address, bytes) of every response, in the order they finished
    items: list[tuple[str, int]] = field(default_factory=list)


class Line:
    """A page's DevTools session: throttles the network and counts the bytes that cross it."""

    def __init__(self, page: Any, *, cache: bool) -> None:
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
        self.session.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": LATENCY_MS,
                "downloadThroughput": DOWN_BPS,
                "uploadThroughput": UP_BPS,
                "connectionType": "cellular3g",
            },
        )
        self.cold = not cache
        self.bytes = 0
        self.requests = 0
        self.urls: dict[str, str] = {}
        self.items: list[tuple[str, int]] = []
        self.session.on("Network.requestWillBeSent", self._sent)
        self.session.on("Network.loadingFinished", self._finished)

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        size = int(event.get("encodedDataLength", 0))
        self.bytes += size
        self.requests += 1
        self.items.append((self.urls.get(event["requestId"], "?"), size))

    def cache(self, on: bool) -> None:
        self.session.send("Network.setCacheDisabled", {"cacheDisabled": not on})
        self.cold = not on

    def reset(self) -> None:
        self.items = []
        self.bytes = 0
        self.requests = 0


def throttle(page: Any, *, cache: bool = False) -> Line:
    return Line(page, cache=cache)


def measure(
    page: Any, line: Line, url: str, *, name: str, kind: str, ready: str | None = None
) -> Measure:
    """Open ``url`` on the throttled line; seconds until ``ready`` (a JavaScript expression)
    holds, or until the ``load`` event."""
    line.reset()
    started = time.perf_counter()
    page.goto(url, wait_until="load", timeout=60_000)
    if ready:
        page.wait_for_function(ready, timeout=60_000, polling=50)
    seconds = time.perf_counter() - started
    page.wait_for_timeout(200)  # the last loadingFinished events
    cache = "cold" if line.cold else "warm"
    return Measure(
        name, kind, cache, line.bytes, round(seconds, 2), line.requests, list(line.items)
    )


def table(measures: list[dict[str, Any]]) -> str:
    lines = [
        "| page | cache | KB | seconds | requests | budget |",
        "|---|---|---:|---:|---:|---|",
    ]
    for m in measures:
        limit_bytes, limit_seconds = BUDGETS[m["kind"]]
        budget = (f"< {limit_seconds:g} s" if limit_seconds else "—") + (
            f", < {limit_bytes // 1000} KB" if limit_bytes else ""
        )
        lines.append(
            f"| {m['name']} | {m['cache']} | {m['bytes'] / 1000:.1f} | {m['seconds']:.2f} | "
            f"{m['requests']} | {budget} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="write the markdown table here too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.json"
        env = {**os.environ, "HOTICH_WEAK_LINE_FIGURES": str(figures)}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-m",
                "browser",
                "-p",
                "no:cacheprovider",
                str(ROOT / "tests" / "e2e" / "test_weak_line.py"),
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        if not figures.exists():
            return result.returncode or 1
        measures = json.loads(figures.read_text())
    text = (
        f"Chromium, {DOWN_BPS * 8 // 1000} kbit/s down, {UP_BPS * 8 // 1000} kbit/s up, "
        f"{LATENCY_MS} ms latency; {os.cpu_count()} cores, {platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}\n\n{table(measures)}\n"
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
