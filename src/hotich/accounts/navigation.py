"""The staff navigation, in one place: every section a role may open, computed from
``PERMISSIONS``, and the breadcrumb trail of the page being shown.

A link is listed only when the user's role may open it (``can``), so the sidebar never offers a
page that answers 404. The context processor :func:`navigation` puts ``nav`` into every template;
``base.html`` draws the sidebar and the breadcrumbs from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotich.accounts.authz import Caller, can, is_staff_user
from hotich.accounts.selectors import user_is_verified
from hotich.accounts.web import link_condition_holds


@dataclass(frozen=True)
class Link:
    title: Promise
    url_name: str
    action: str | None = None  # None: every staff user
    query: str = ""
    #: a condition a context installs (``web.link_condition_install``): shown when it holds
    when: str = ""


@dataclass(frozen=True)
class Section:
    title: Promise
    links: tuple[Link, ...]  # the first permitted one is the section's own page


SECTIONS: tuple[Section, ...] = (
    Section(
        _("Công việc"),
        (
            Link(_("Hôm nay"), "office:today", "documents.view"),
            Link(_("Cuộc họp"), "meetings:list"),
            Link(_("Nhiệm vụ"), "office:tasks", "documents.view"),
            Link(_("Lịch công tác"), "office:calendar", "documents.view"),
            Link(_("Hồ sơ công việc"), "office:files", "documents.view", when="agency"),
            Link(_("Thống kê văn phòng"), "office:stats", "documents.view"),
        ),
    ),
    Section(
        _("Sổ hộ tịch"),
        (
            Link(_("Sổ hộ tịch"), "registry:home", "registry.view"),
            Link(_("Tra cứu"), "registry:search", "registry.view"),
            Link(_("Cấp bản sao theo yêu cầu"), "registry:copy_request", "registry.extract"),
            Link(_("Nhập dữ liệu phần mềm cũ"), "legacy:home", "registry.register"),
        ),
    ),
    Section(
        _("Số hóa sổ cũ"),
        (
            Link(_("Sổ đang số hóa"), "digitization:home", "digitization.key"),
            Link(_("Nhập liệu không có mạng"), "offline:app", "digitization.key"),
            Link(_("Chờ phân xử"), "digitization:arbitration", "digitization.arbitrate"),
            Link(_("Nhân viên nhập liệu"), "digitization:clerks", "digitization.arbitrate"),
        ),
    ),
    Section(
        _("Một cửa"),
        (
            Link(_("Hồ sơ"), "portal:desk", "portal.view"),
            Link(_("Tiếp nhận hồ sơ"), "portal:desk_new", "portal.receive"),
            Link(_("Tiếp nhận không có mạng"), "offline:app", "portal.receive"),
            Link(_("Hộp thư đi"), "portal:outbox", "portal.view"),
            Link(_("Chỉ số phục vụ"), "portal:metrics", "portal.metrics"),
            Link(_("Danh mục thủ tục"), "portal:catalogue", "portal.catalogue"),
        ),
    ),
    Section(
        _("Văn bản đi, đến"),
        (
            Link(_("Văn bản đi"), "documents:register", "documents.view"),
            Link(_("Văn bản đến"), "documents:register", "documents.view", "so=den"),
            Link(_("Tìm kiếm văn bản"), "documents:search", "documents.view"),
            Link(_("Soạn thảo văn bản"), "documents:draft_new", "documents.draft"),
            Link(_("Vào sổ văn bản đến"), "documents:incoming_new", "documents.draft"),
            Link(_("Thống kê ký số"), "documents:stats", "documents.view"),
            Link(_("Liên thông"), "interconnect:packages", "documents.view"),
        ),
    ),
    Section(
        _("Đối chiếu dân cư"),
        (
            Link(_("Đối chiếu"), "linkage:home", "linkage.view"),
            Link(_("Cặp chờ xem xét"), "linkage:review", "linkage.view"),
            Link(_("Khác biệt với CSDL dân cư"), "linkage:disagreements", "linkage.view"),
        ),
    ),
    Section(
        _("Báo cáo thống kê"),
        (
            Link(_("Báo cáo thống kê"), "reporting:dashboard", "reporting.view"),
            Link(_("Lịch báo cáo"), "reporting:calendar", "reporting.view"),
            Link(_("Chỉ số dịch vụ công"), "reporting:services", "reporting.view"),
            Link(_("Tiến độ số hóa"), "reporting:digitization", "reporting.view"),
            Link(_("Sử dụng chữ ký số"), "reporting:signatures", "reporting.view"),
            Link(_("Báo cáo đã gửi"), "reporting:submissions", "reporting.view"),
            Link(_("Biểu chỉ tiêu"), "reporting:forms", "reporting.view"),
            Link(_("Phân tích số liệu"), "reporting:pivot", "reporting.view"),
            Link(_("Chỉ tiêu chủ yếu"), "reporting:leaders", "reporting.approve"),
            Link(_("Danh mục chỉ tiêu"), "reporting:indicators", "reporting.view"),
        ),
    ),
    Section(
        _("Đảng viên"),
        (
            Link(_("Đảng viên"), "party:home", "party.view", when="party_keeper"),
            Link(_("Chuyển sinh hoạt đảng"), "party:transfers", "party.view", when="party_keeper"),
            Link(_("Nhập đảng viên"), "party:import", "party.manage", when="party_keeper"),
            Link(_("Hồ sơ đảng viên của tôi"), "party:own", when="party_member"),
        ),
    ),
    Section(_("Chữ ký số"), (Link(_("Chữ ký số"), "signing:home", "signing.view"),)),
    Section(_("Nhật ký kiểm toán"), (Link(_("Nhật ký kiểm toán"), "audit:list", "audit.view"),)),
    Section(
        _("Cơ quan, tổ chức"),
        (
            Link(_("Cơ quan, tổ chức"), "agencies:list", "agencies.view"),
            Link(_("Chức vụ của tôi"), "agencies:mine"),
        ),
    ),
    Section(
        _("Người dùng"),
        (
            Link(_("Người dùng"), "accounts:users", "accounts.manage"),
            Link(_("Thiết bị làm việc không có mạng"), "offline:devices", "accounts.manage"),
        ),
    ),
    Section(_("Đơn vị hành chính"), (Link(_("Đơn vị hành chính"), "geo:picker", "geo.view"),)),
    Section(_("Tài khoản của tôi"), (Link(_("Tài khoản của tôi"), "accounts:account"),)),
)


@dataclass
class Entry:
    title: Promise
    href: str
    path: str
    current: bool = False
    exact: bool = False  # the page shown is this link's page (not one below it)


@dataclass
class Group:
    title: Promise
    href: str
    entries: list[Entry] = field(default_factory=list)
    current: bool = False


@dataclass
class Navigation:
    sections: list[Group]
    #: Trang chủ › section › page: (title, href, is the page shown)
    trail: list[tuple[Promise, str, bool]]


def _href(link: Link) -> tuple[str, str] | None:
    try:
        path = reverse(link.url_name)
    except NoReverseMatch:
        return None  # the context that serves it is not installed
    return (f"{path}?{link.query}" if link.query else path), path


def sections_for(user: Caller) -> list[Group]:
    """The sections and links ``user`` may open, in menu order."""
    groups: list[Group] = []
    holds: dict[str, bool] = {}  # each condition asked once, however many links require it
    for section in SECTIONS:
        entries = []
        for link in section.links:
            if link.action is not None and not can(user, link.action):
                continue
            if link.when:
                if link.when not in holds:
                    holds[link.when] = link_condition_holds(link.when, user)
                if not holds[link.when]:
                    continue
            resolved = _href(link)
            if resolved:
                entries.append(Entry(link.title, *resolved))
        if entries:
            groups.append(Group(section.title, entries[0].href, entries))
    return groups


def _mark_current(groups: list[Group], path: str, query: str) -> tuple[Group, Entry] | None:
    """The link the page at ``path`` belongs to: the longest link path it starts with (a link
    with a query string wins when the request carries that query)."""
    best: tuple[int, Group, Entry] | None = None
    for group in groups:
        for entry in group.entries:
            if not path.startswith(entry.path):
                continue
            wanted = entry.href.partition("?")[2]
            if wanted and wanted not in query:
                continue
            score = len(entry.path) * 2 + (1 if wanted else 0)
            if best is None or score > best[0]:
                best = (score, group, entry)
    if best is None:
        return None
    best[1].current = best[2].current = True
    return best[1], best[2]


def build(user: Caller, path: str, query: str = "") -> Navigation:
    groups = sections_for(user)
    home = reverse("accounts:home")
    trail: list[tuple[Promise, str, bool]] = [(_("Trang chủ"), home, path == home)]
    found = _mark_current(groups, path, query) if path != home else None
    if found:
        group, entry = found
        exact = entry.exact = path == entry.path
        if entry is group.entries[0] or entry.title == group.title:
            trail.append((group.title, entry.href, exact))
        else:
            trail.append((group.title, group.href, False))
            trail.append((entry.title, entry.href, exact))
    return Navigation(groups, trail)


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``nav`` for a staff user's page, nothing for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not is_staff_user(user) or not user_is_verified(user):
        return {}
    return {"nav": build(user, request.path, request.META.get("QUERY_STRING", ""))}
