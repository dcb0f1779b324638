"""Settings for a server behind a TLS-terminating reverse proxy. ``check --deploy`` is clean."""

from django.core.exceptions import ImproperlyConfigured

from hotich.config.env import env_bool, env_int, env_str
from hotich.config.settings import *  # noqa: F403

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

HOTICH_SIGNING_DEMO = env_bool("HOTICH_SIGNING_DEMO", False)
HOTICH_SIGNING_SOFTWARE_KEYS = env_bool("HOTICH_SIGNING_SOFTWARE_KEYS", False)
HOTICH_POPDB_ENABLED = env_bool("HOTICH_POPDB_ENABLED", True)
