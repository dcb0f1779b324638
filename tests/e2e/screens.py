"""``make screens``: the main page of each role at 1366×768 and 390×844, into docs/screens/.

Serves a fresh small demo from its own data folder (``var/screens``, so the demo never replaces
your data) with password-only sign-in, signs in as one demo user of each role through the pages, and
writes each page as a palette PNG. Run it after a change to the interface and commit the PNGs.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screens"
DATA = ROOT / "var" / "screens"
HOTICH = [sys.executable, "-m", "hotich"]
PASSWORD = "HoTich@2026"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

#: file name → (demo user or "citizen", the role's main page)
SHOTS: dict[str, tuple[str, str]] = {
    "cong-dan": ("citizen", "/dich-vu-cong/ho-so/"),
    "cong-chuc": ("thanhvinh.hotich", "/mot-cua/"),
    "lanh-dao-ky": ("thanhvinh.chutich", "/"),
    "nhap-lieu": ("thanhvinh.nhaplieu", "/so-hoa/"),
    "doi-chieu": ("thanhvinh.doichieu", "/so-hoa/phan-xu/"),
    "so-tu-phap": ("sotuphap", "/hom-nay/"),
    "kiem-toan": ("kiemtoan", "/nhat-ky/"),
    "quan-tri": ("quantri", "/nguoi-dung/"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env() -> dict[str, str]:
    env = {
        **os.environ,
        "HOTICH_DATA_DIR": str(DATA),
        "HOTICH_REQUIRE_OTP": "false",
        # every run signs the demo citizen in again from the same address
        "HOTICH_RATE_CODES_PER_IP": "1000/h",
    }
    env.pop("DATABASE_URL", None)
    return env


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def save_png(data: bytes, path: Path) -> int:
    """Writes the screenshot as a 256-colour palette PNG (a third of the size, same look)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    return path.stat().st_size


def citizen_code(contact: str) -> str:
    """The one-time code the demo's outbox holds for ``contact`` (read from the database)."""
    out = subprocess.run(
        [
            *HOTICH,
            "shell",
            "--no-imports",
            "-c",
            "from hotich.portal.models import Notification as N; "
            f"print(N.objects.filter(recipient={contact!r}).latest('pk').body)",
        ],
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"\b(\d{6})\b", out)
    assert found, out
    return found.group(1)


def citizen_contact() -> str:
    return subprocess.run(
        [
            *HOTICH,
            "shell",
            "--no-imports",
            "-c",
            "from hotich.portal.models import Dossier as D; "
            "print(D.objects.exclude(citizen=None).order_by('pk').first().citizen.contact)",
        ],
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def sign_in(page: Any, base: str, who: str) -> None:
    if who == "citizen":
        contact = citizen_contact()
        page.goto(f"{base}/dich-vu-cong/dang-nhap/")
        page.locator("input[name=contact]").fill(contact)
        page.locator("form button[type=submit]").first.click()
        page.locator("input[name=code]").fill(citizen_code(contact))
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/dich-vu-cong/ho-so/**")
        return
    page.goto(f"{base}/dang-nhap/")
    page.locator("input[name=username]").fill(who)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)  # the role's own home


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import ARGS, CHROMIUM

    DATA.mkdir(parents=True, exist_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    subprocess.run([*HOTICH, "migrate", "-v0"], env=_env(), check=True)
    # a fresh demo each time: the same data (fixed seed), no codes left from the last run
    subprocess.run([*HOTICH, "demo"], env=_env(), check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*HOTICH, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(f"{base}/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, (who, path) in SHOTS.items():
                for size, viewport in SIZES.items():
                    context = browser.new_context(locale="vi-VN", viewport=viewport)
                    page = context.new_page()
                    sign_in(page, base, who)
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    target = OUT / f"{name}-{size}.png"
                    kb = save_png(page.screenshot(), target) // 1024
                    print(f"{target.relative_to(ROOT)} ({kb} KiB)")
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
