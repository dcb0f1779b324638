"""Every page a demo user can reach holds: the crawl signs in as one demo user of each role (and
as a demo citizen, on a 390×844 phone), follows every same-origin link from the role's home page
(bounded: at most ``PER_PATTERN`` pages of one URL shape and ``PER_ROLE`` pages per role; no
logout, no downloads, no forms) and records, for each page:

- ``status``: any answer other than 200;
- ``vocabulary``: an internal code of the project's vocabularies (the values of its TextChoices:
  ``submitted``, ``birth``, ``officer``…), a dotted or colon-joined identifier
  (``child.birth_place``, ``gateway:local``), or an English UI word, as a whole word of the
  visible text of the Vietnamese page (inputs, selects, ``<code>`` (a file's column names, a
  command) and text marked in another language aside);
- ``iso_date``: a date written as ``yyyy-mm-dd`` in the visible text;
- ``overflow``: a citizen page wider than the phone's screen;
- ``axe``: an axe-core violation of impact *serious* or *critical* on the first page of each URL
  shape (moderate and minor ones are not failures: axe reports them for the most part on pages
  that are still correct);
- ``csp``: a Content-Security-Policy violation;
- ``resource``: a file the page loads (style, script, image, icon) that does not answer 200;
- ``layout``: a staff page without breadcrumbs or sidebar, or whose header wraps at 1366 px.

The crawl runs once (``crawl`` fixture); each check is its own test, and its failure lists every
page and finding, role by role.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.e2e import conftest
from tests.e2e.conftest import login_verified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PER_ROLE = 40
PER_PATTERN = 2
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
AXE_FAILS = {"serious", "critical"}

#: English words that have no place in the Vietnamese interface (whole words, case as written)
ENGLISH = {
    "Action", "Actions", "Status", "Submit", "Save", "Cancel", "Search", "Delete", "Edit",
    "Next", "Previous", "Home", "Login", "Logout", "Download", "Upload", "None", "True",
    "False", "null", "Error", "Warning", "Yes", "Page", "Total", "Name", "Date", "Type",
    "gateway", "local", "pay", "create", "update", "created", "updated",
}  # fmt: skip
CONTEXTS = (
    "accounts|audit|registry|documents|portal|digitization|legacy|linkage|reporting|signing|geo"
    "|people|child|father|mother|subject|husband|wife|deceased"
)
IDENTIFIER = re.compile(rf"\b(?:(?:{CONTEXTS})\.[a-z_]+|[a-z]+:[a-z_]+)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: links the crawl does not follow: files, sign-in and sign-out, the API, the language switch,
#: the vendored IIIF viewer (Mirador's own markup; tests/e2e/test_iiif.py opens it)
SKIP = re.compile(
    r"/(xuat|tep|anh|anh-nho|ket-qua|ky-pdf|dang-xuat|dang-nhap|xac-thuc|api|i18n|static|xem)(/|$)"
    r"|\.(pdf|xlsx|xls|csv|json|zip|png|jpg|xml)$|[?&]format="
)

VISIBLE_TEXT = """() => {
  const skip = "script,style,template,noscript,input,select,textarea,code,[lang]:not([lang|=vi])";
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  return out.join("\\n");
}"""
LINKS = """() => Array.from(document.querySelectorAll("a[href]"))
  .filter(a => !a.hasAttribute("download"))
  .map(a => a.href)"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
STAFF_LAYOUT = """() => {
  const bar = document.querySelector("header.topbar");
  if (!bar) return [];  // a public page (the verification page) has the citizens' layout
  const problems = [];
  if (!document.querySelector("nav.breadcrumbs")) problems.push("no breadcrumbs");
  if (!document.querySelector("nav.sidebar")) problems.push("no sidebar");
  if (bar.getBoundingClientRect().height > 64) problems.push("the header wraps");
  return problems;
}"""


def vocabulary_codes() -> set[str]:
    """The values of every TextChoices of the project that read like an English word."""
    from django.db import models

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    codes: set[str] = set()
    for choices in subclasses(models.TextChoices):
        if choices.__module__.startswith("hotich."):
            codes.update(
                v for v in getattr(choices, "values", ()) if re.fullmatch(r"[a-z][a-z0-9_]{2,}", v)
            )
    return codes


def pattern(url: str) -> str:
    """The shape of a URL: numbers and codes replaced, query values dropped."""
    parts = urlsplit(url)
    path = re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/{n}", parts.path)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return path + ("?" + "&".join(keys) if keys else "")


class Crawl:
    def __init__(self, base: str) -> None:
        self.base = base
        self.findings: dict[str, list[str]] = defaultdict(list)
        self.visited: dict[str, int] = {}
        words = vocabulary_codes() | ENGLISH
        self.words = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words))) + r")\b")

    def add(self, check: str, role: str, url: str, detail: str) -> None:
        self.findings[check].append(f"{role} · {url.removeprefix(self.base)} · {detail}")

    def run(
        self, page: Any, role: str, start: list[str], prefix: str, exclude: str, phone: bool
    ) -> None:
        from axe_playwright_python.sync_playwright import Axe

        axe = Axe()
        failed: list[str] = []

        def on_response(response: Any) -> None:
            if response.request.resource_type != "document" and response.status >= 400:
                failed.append(f"{response.url.removeprefix(self.base)} HTTP {response.status}")

        page.on("response", on_response)
        queue = [f"{self.base}{path}" for path in start]
        seen = set(queue)
        shapes: dict[str, int] = defaultdict(int)
        count = 0
        while queue and count < PER_ROLE:
            url = queue.pop(0)
            shape = pattern(url)
            if shapes[shape] >= PER_PATTERN:
                continue
            shapes[shape] += 1
            count += 1
            failed.clear()
            response = page.goto(url)
            status = response.status if response else 0
            if status != 200:
                self.add("status", role, url, f"HTTP {status}")
                continue
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            page.wait_for_load_state("load")
            self.check_page(page, role, url, axe if shapes[shape] == 1 else None, phone)
            for problem in failed:
                self.add("resource", role, url, problem)
            failed.clear()
            for link in page.evaluate(LINKS):
                link = urldefrag(link)[0]
                path = link.removeprefix(self.base)
                if (
                    link.startswith(self.base)
                    and path.startswith(prefix)
                    and not (exclude and path.startswith(exclude))
                    and not SKIP.search(urlsplit(link).path + "?" + urlsplit(link).query)
                    and link not in seen
                ):
                    seen.add(link)
                    queue.append(link)
        self.visited[role] = count

    def check_page(self, page: Any, role: str, url: str, axe: Any | None, phone: bool) -> None:
        """Checks the page shown; ``axe`` only on the first page of each URL shape."""
        text = page.evaluate(VISIBLE_TEXT)
        found = sorted(set(self.words.findall(text)) | set(IDENTIFIER.findall(text)))
        if found:
            self.add("vocabulary", role, url, ", ".join(found))
        dates = sorted(set(ISO_DATE.findall(text)))
        if dates:
            self.add("iso_date", role, url, ", ".join(dates[:3]))
        if phone:
            wider = page.evaluate(OVERFLOW)
            if wider > 0:
                self.add("overflow", role, url, f"{wider} px wider than the screen")
        else:
            for problem in page.evaluate(STAFF_LAYOUT):
                self.add("layout", role, url, problem)
        violations = axe.run(page).response["violations"] if axe else []
        for violation in violations:
            if violation.get("impact") in AXE_FAILS:
                targets = [str(n["target"]) for n in violation["nodes"][:2]]
                self.add("axe", role, url, f"{violation['id']} ({violation['impact']}) {targets}")
        page.evaluate("0")
        for message in conftest.VIOLATIONS:
            self.add("csp", role, url, message)
        conftest.VIOLATIONS.clear()


def citizen_sign_in(page: Any, base: str) -> None:
    """A demo citizen with dossiers signs in with the one-time code (read from the outbox)."""
    from hotich.portal.models import Dossier, Notification

    dossier = Dossier.objects.exclude(citizen=None).order_by("pk").first()
    assert dossier is not None
    contact = dossier.citizen.contact
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/dich-vu-cong/dang-nhap/")
    page.locator("#contact").fill(contact)
    page.get_by_role("button", name="Gửi mã xác thực").click()
    page.locator("#code").wait_for()
    body = Notification.objects.filter(recipient=contact).latest("pk").body
    code = re.search(r"\b\d{6}\b", body)
    assert code is not None, body
    page.locator("#code").fill(code.group(0))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/dich-vu-cong/ho-so/**")


@pytest.fixture(scope="module")
def crawl(
    browser: Any, live_server: Any, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[Crawl]:
    from django.core.management import call_command

    from hotich.accounts.models import User
    from hotich.accounts.vocabulary import Role
    from hotich.demo.services import DEMO_PASSWORD, DEMO_USERS

    with django_db_blocker.unblock():
        try:
            # the demo signs PDFs with an asyncio loop of its own: not in this thread, where
            # Playwright's loop runs
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(call_command, "demo", "--size", "small").result()
            result = Crawl(live_server.url)
            for role in Role.values:
                username = next(u.username for u in DEMO_USERS if u.role == role)
                context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
                page = context.new_page()
                page.set_default_timeout(30_000)
                login_verified(
                    page,
                    live_server.url,
                    User.objects.get(username=username),
                    DEMO_PASSWORD,
                    landing=None,
                )
                result.run(page, username, ["/"], "/", "/dich-vu-cong/", phone=False)
                context.close()
            context = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True)
            page = context.new_page()
            page.set_default_timeout(30_000)
            citizen_sign_in(page, live_server.url)
            result.run(
                page,
                "citizen",
                ["/dich-vu-cong/ho-so/", "/dich-vu-cong/"],
                "/dich-vu-cong/",
                "",
                phone=True,
            )
            context.close()
            yield result
        finally:  # the next tests start from an empty database
            call_command("flush", interactive=False, verbosity=0)


# Codes and dates still shown as stored are being replaced by their labels and by dd/mm/yyyy
# (issue 15); until that work is merged these two checks report without failing.
CHECKS = [
    "status",
    "vocabulary",
    "iso_date",
    "overflow",
    "axe",
    "csp",
    "layout",
    "resource",
]


@pytest.mark.parametrize("check", CHECKS)
def test_every_page_of_every_role_passes(crawl: Crawl, check: str) -> None:
    assert len(crawl.visited) == 8 and all(n >= 3 for n in crawl.visited.values()), crawl.visited
    findings = crawl.findings.get(check, [])
    assert not findings, (
        f"{len(findings)} page(s) fail the {check} check (pages visited: {crawl.visited}):\n"
        + "\n".join(findings)
    )
