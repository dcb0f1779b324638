"""Settings for a server behind a TLS-terminating reverse proxy. ``check --deploy`` is clean.

No stand-in (``hotich.core.standins``) runs here: their pages are not routed, their modules
refuse to load, and a variable that names one stops start-up with a message naming it.
"""

import os
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured

from hotich.config.env import env_bool, env_int, env_str
from hotich.config.settings import *  # noqa: F403
from hotich.core.standins import (
    EDOC_AXIS_PORT,
    POPDB_PORT,
    REPORTING_PORT,
    is_standin,
    is_standin_address,
)


def _refuse_standin(name: str, vi: str, en: str) -> NoReturn:
    raise ImproperlyConfigured(f"{name}: {vi} / {name}: {en}")


DEBUG = False
SECRET_KEY = env_str("HOTICH_SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured(
        "HOTICH_SECRET_KEY phải dài ít nhất 50 ký tự ngẫu nhiên / "
        "HOTICH_SECRET_KEY must be at least 50 random characters."
    )
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("HOTICH_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HOTICH_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

HOTICH_STANDINS = False

if not HOTICH_PUBLIC_URL.startswith(("https://", "http://")):  # noqa: F405
    raise ImproperlyConfigured(
        "HOTICH_PUBLIC_URL: cần địa chỉ công khai của trang (in trong mã QR của giấy tờ đã cấp), "
        "ví dụ https://hotich.nghean.gov.vn / HOTICH_PUBLIC_URL: the site's public address "
        "(printed in the QR code of issued papers) is required, e.g. https://hotich.nghean.gov.vn"
    )
ROOT_URLCONF = "hotich.config.urls"

HOTICH_SIGNING_DEMO = env_bool("HOTICH_SIGNING_DEMO", False)
if HOTICH_SIGNING_DEMO:
    _refuse_standin(
        "HOTICH_SIGNING_DEMO",
        "PKI thử nghiệm và dịch vụ cấp dấu thời gian cục bộ không dùng trong môi trường chính "
        "thức; đặt false, nhập chứng thư số thật và HOTICH_TSA_URL",
        "the demo PKI and the local time-stamping authority are stand-ins; set it to false, "
        "import real certificates and set HOTICH_TSA_URL",
    )
HOTICH_SIGNING_SOFTWARE_KEYS = env_bool("HOTICH_SIGNING_SOFTWARE_KEYS", False)
HOTICH_POPDB_ENABLED = env_bool("HOTICH_POPDB_ENABLED", True)

HOTICH_PAYMENT_GATEWAY = env_str(
    "HOTICH_PAYMENT_GATEWAY", "hotich.portal.adapters.payment.SignedCallbackGateway"
)
if is_standin(HOTICH_PAYMENT_GATEWAY):
    _refuse_standin(
        "HOTICH_PAYMENT_GATEWAY",
        "cổng thanh toán giả lập xác nhận mọi giao dịch; chọn cổng thật",
        "the stand-in gateway confirms any payment; name a real gateway",
    )
# SMS to citizens: the local SMS outbox is the stand-in carrier (the default when none is named).
HOTICH_SMS_CARRIER = env_str("HOTICH_SMS_CARRIER", "")
if is_standin(HOTICH_SMS_CARRIER) or (
    os.environ.get("HOTICH_NOTIFIER", "").endswith(".SmsNotifier") and not HOTICH_SMS_CARRIER
):
    _refuse_standin(
        "HOTICH_SMS_CARRIER",
        "hộp thư SMS cục bộ không gửi tin nào đến điện thoại; chọn bộ kết nối nhà mạng thật",
        "the local SMS outbox sends nothing to a phone; name a real carrier adapter",
    )
# The population-database adapter reads its address from the environment when it is called.
if not os.environ.get("HOTICH_POPDB_URL", "").strip():
    _refuse_standin(
        "HOTICH_POPDB_URL",
        "cần địa chỉ CSDL quốc gia về dân cư (mặc định là dịch vụ giả lập)",
        "the national population database's address is required (the default is the stand-in)",
    )
if is_standin_address(os.environ["HOTICH_POPDB_URL"], POPDB_PORT):
    _refuse_standin(
        "HOTICH_POPDB_URL",
        "đây là địa chỉ của dịch vụ giả lập (hotich popdb serve)",
        "this is the address of the stand-in (hotich popdb serve)",
    )
if is_standin_address(os.environ.get("HOTICH_REPORTING_URL", ""), REPORTING_PORT):
    _refuse_standin(
        "HOTICH_REPORTING_URL",
        "đây là địa chỉ của dịch vụ giả lập (hotich report receiver)",
        "this is the address of the stand-in (hotich report receiver)",
    )
# No axis address: interconnection over the axis is off (packages still go by file).
HOTICH_EDOC_AXIS_URL = env_str("HOTICH_EDOC_AXIS_URL", "")
if is_standin_address(HOTICH_EDOC_AXIS_URL, EDOC_AXIS_PORT):
    _refuse_standin(
        "HOTICH_EDOC_AXIS_URL",
        "đây là địa chỉ của trục liên thông giả lập (hotich edoc axis serve)",
        "this is the address of the stand-in axis (hotich edoc axis serve)",
    )
