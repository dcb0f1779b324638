"""Stand-ins: local imitations of the outside systems, for the demo, development and tests.

They are the payment gateway's checkout page (``hotich.portal.adapters.payment.standin``), the
national population database (``hotich.people.adapters.popdb.standin``), the national reporting
system's receiver (``hotich.reporting.adapters.national.standin``), the national document
interconnection axis (``hotich.interconnect.adapters.axis.standin``) and the demo PKI with its local
time-stamping authority (``hotich.signing.standin``). Each lives in a module named ``standin``;
their pages are routed only by ``hotich.config.urls_standins``. The production settings set
``HOTICH_STANDINS = False``: a stand-in module then refuses to load, and the settings refuse any
environment variable that names one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

MODULE_NAME = "standin"
# Where the stand-in services listen by default (``hotich popdb serve``, ``hotich report
# receiver``): a URL of this machine at one of these ports names a stand-in.
POPDB_PORT = 8765
REPORTING_PORT = 8798
EDOC_AXIS_PORT = 8799
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_standin(dotted_path: str) -> bool:
    """Whether a dotted path (a module, or something in one) is a stand-in."""
    return MODULE_NAME in dotted_path.split(".")


def is_standin_address(url: str, port: int) -> bool:
    """Whether ``url`` is the default address of the stand-in listening on ``port``."""
    parts = urlsplit(url.strip())
    try:
        url_port = parts.port
    except ValueError:
        return False
    return (parts.hostname or "") in LOOPBACK and url_port == port


def standins_allowed() -> bool:
    return bool(getattr(settings, "HOTICH_STANDINS", False))


def require_standins(name: str) -> None:
    """Refuse, naming ``name``, when stand-ins are not allowed (the production settings)."""
    if not standins_allowed():
        raise ImproperlyConfigured(
            f"{name}: chỉ dành cho bản demo, phát triển và kiểm thử, không dùng với cấu hình "
            f"chính thức (hotich.config.production) / {name} is for the demo, development and "
            "tests only, refused with the production settings (hotich.config.production)."
        )


def command_requires_standins(name: str) -> None:
    """:func:`require_standins` for a command: a one-line error instead of a traceback."""
    try:
        require_standins(name)
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None
