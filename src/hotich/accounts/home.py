"""What each role sees on the back-office home: the things it can do, with links."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotich.accounts.authz import Caller, can


@dataclass(frozen=True)
class Card:
    action: str
    title: Promise
    text: Promise
    url_name: str


CARDS = [
    Card(
        "registry.register",
        _("Đăng ký hộ tịch"),
        _("Đăng ký khai sinh, kết hôn, khai tử và các việc hộ tịch khác."),
        "registry:home",
    ),
    Card(
        "registry.view",
        _("Tra cứu sổ hộ tịch"),
        _("Tìm bản ghi theo họ tên (có hoặc không dấu), năm sinh, số định danh."),
        "registry:search",
    ),
    Card(
        "registry.extract",
        _("Cấp trích lục, bản sao"),
        _("Cấp bản chính trích lục khi đăng ký và bản sao bất cứ lúc nào."),
        "registry:search",
    ),
    Card(
        "registry.sign",
        _("Ký số"),
        _("Ký giấy tờ hộ tịch đã được công chức trình."),
        "registry:search",
    ),
    Card(
        "digitization.key",
        _("Nhập liệu sổ cũ"),
        _("Nhập các trường của từng mục trong sổ hộ tịch đã quét."),
        "digitization:home",
    ),
    Card(
        "digitization.arbitrate",
        _("Đối chiếu và kiểm tra"),
        _("Quyết định các trường hai người nhập khác nhau; kiểm tra mẫu."),
        "digitization:home",
    ),
    Card(
        "registry.register",
        _("Nhập dữ liệu phần mềm cũ"),
        _("Nhập sổ hộ tịch đã đánh máy trong phần mềm cũ (xlsx, xls, csv; TCVN3, VNI)."),
        "legacy:home",
    ),
    Card(
        "portal.receive",
        _("Một cửa"),
        _("Tiếp nhận, xử lý và trả kết quả hồ sơ dịch vụ công, đúng hạn theo ngày làm việc."),
        "portal:desk",
    ),
    Card(
        "portal.metrics",
        _("Chỉ số phục vụ"),
        _("Tỷ lệ đúng hạn, trực tuyến, thanh toán trực tuyến, số hóa và hài lòng."),
        "portal:metrics",
    ),
    Card(
        "documents.view",
        _("Văn bản đi, đến"),
        _("Sổ văn bản đi, đến; soạn thảo, trình ký, ký số và gửi văn bản."),
        "documents:register",
    ),
    Card(
        "agencies.view",
        _("Cơ quan, tổ chức"),
        _("Cây cơ quan, đơn vị, phòng ban; chức vụ và người giữ chức vụ."),
        "agencies:list",
    ),
    Card(
        "linkage.view",
        _("Đối chiếu dân cư"),
        _("Đối chiếu bản ghi với Cơ sở dữ liệu quốc gia về dân cư; xét các cặp chưa chắc chắn."),
        "linkage:home",
    ),
    Card(
        "reporting.view",
        _("Báo cáo thống kê"),
        _("Thống kê hộ tịch, số hóa, dịch vụ công và chữ ký số; xuất và gửi báo cáo."),
        "reporting:dashboard",
    ),
    Card(
        "signing.view",
        _("Chữ ký số"),
        _("Chứng thư số của đơn vị và thống kê sử dụng chữ ký số theo quý."),
        "signing:home",
    ),
    Card(
        "audit.view",
        _("Nhật ký kiểm toán"),
        _("Xem, lọc và kiểm tra tính toàn vẹn của nhật ký."),
        "audit:list",
    ),
    Card(
        "accounts.manage",
        _("Người dùng"),
        _("Xem và khóa tài khoản cán bộ trong đơn vị."),
        "accounts:users",
    ),
    Card(
        "geo.view",
        _("Đơn vị hành chính"),
        _("Tìm đơn vị hành chính cũ và mới, có hoặc không dấu."),
        "geo:picker",
    ),
]


def home_cards(user: Caller) -> list[dict[str, object]]:
    cards: list[dict[str, object]] = []
    for card in CARDS:
        if not can(user, card.action):
            continue
        try:
            url: str | None = reverse(card.url_name)
        except NoReverseMatch:
            url = None  # the context that serves it is not installed
        cards.append({"title": card.title, "text": card.text, "url": url})
    return cards
