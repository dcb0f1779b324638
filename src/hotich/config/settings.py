"""Base settings. Every value that differs between machines comes from the environment.

See the README's table of environment variables. ``hotich.config.production`` tightens these for
a server; ``hotich.config.test`` adjusts them for the test suite.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from hotich.config.env import (
    database_from_url,
    env_bool,
    env_dir,
    env_int,
    env_list,
    env_rate,
    env_str,
)
from hotich.core.s3 import s3_transfer_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env_dir("HOTICH_DATA_DIR", "./var")
MEDIA_ROOT = DATA_DIR / "files"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)

DEBUG = env_bool("HOTICH_DEBUG", False)
SECRET_KEY = env_str(
    "HOTICH_SECRET_KEY", "insecure-development-key-set-HOTICH_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = env_list("HOTICH_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("HOTICH_CSRF_TRUSTED_ORIGINS", "")
# The address printed on issued documents (QR codes point to HOTICH_PUBLIC_URL/verify/<code>).
# Empty: the address the request came to (hotich.core.middleware.public_base_url); the
# production settings refuse to start without it.
HOTICH_PUBLIC_URL = env_str("HOTICH_PUBLIC_URL", "").rstrip("/")

# Stand-ins of the outside systems (hotich.core.standins): allowed here, refused by production.
HOTICH_STANDINS = True

# Signing. Demo mode enrols missing seal/official certificates from the demo CA under
# $HOTICH_DATA_DIR/pki/ and time-stamps with the local TSA (hotich.signing.standin).
HOTICH_SIGNING_DEMO = env_bool("HOTICH_SIGNING_DEMO", True)
HOTICH_SIGNING_SOFTWARE_KEYS = env_bool("HOTICH_SIGNING_SOFTWARE_KEYS", True)
HOTICH_TSA_URL = env_str("HOTICH_TSA_URL", "")
HOTICH_TRUST_ROOTS = env_list("HOTICH_TRUST_ROOTS", "")
# Birth registration asks the national population database (HOTICH_POPDB_URL, see
# docs/popdb-contract.md) for the child's personal ID.
HOTICH_POPDB_ENABLED = env_bool("HOTICH_POPDB_ENABLED", False)
# The national document interconnection axis packages are sent over (hotich.interconnect);
# by default the stand-in of `hotich edoc axis serve`.
HOTICH_EDOC_AXIS_URL = env_str("HOTICH_EDOC_AXIS_URL", "http://127.0.0.1:8799")
HOTICH_EDOC_AXIS_TOKEN = env_str("HOTICH_EDOC_AXIS_TOKEN", "")
HOTICH_EDOC_AXIS_POLL_SECONDS = env_int("HOTICH_EDOC_AXIS_POLL_SECONDS", 60)
HOTICH_PKCS11_MODULE = env_str("HOTICH_PKCS11_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
# The gateway citizens pay their fees through (docs/payment-contract.md): by default the
# stand-in bank, whose checkout page confirms any payment.
HOTICH_PAYMENT_GATEWAY = env_str(
    "HOTICH_PAYMENT_GATEWAY", "hotich.portal.adapters.payment.standin.StandInGateway"
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hotich.core",
    "hotich.geo",
    "hotich.accounts",
    "hotich.audit",
    "hotich.archive",
    "hotich.backup",
    "hotich.people",
    "hotich.signing",
    "hotich.registry",
    "hotich.agencies",
    "hotich.digitization",
    "hotich.legacy",
    "hotich.linkage",
    "hotich.documents",
    "hotich.interconnect",
    "hotich.portal",
    "hotich.reporting",
    "hotich.meetings",
    "hotich.party",
    "hotich.offline",
    "hotich.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # pages compressed for weak lines (static files come compressed from WhiteNoise, above);
    # Django pads each response against BREACH
    "django.middleware.gzip.GZipMiddleware",
    "hotich.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "hotich.core.api_errors.ApiErrorMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hotich.accounts.web.DomainErrorMiddleware",
    "hotich.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response: scripts and styles only from the site's own static
# files (no inline <script>, event-handler attribute or style attribute anywhere), images also as
# data: (QR codes) and blob: (the page viewer), nothing may frame the site, forms post only to it.
# The one inline style allowed, by its hash, is the rule the page viewer (OpenSeadragon 6.1.1)
# adds to the page; config/tests/test_csp.py recomputes it from the vendored file.
VIEWER_STYLE_HASH = "'sha256-9xTiqzfwFaL2SGb1rmr8gysEwVVjIvqWAgmZgqFqpEE='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, VIEWER_STYLE_HASH],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

ROOT_URLCONF = "hotich.config.urls_standins"
WSGI_APPLICATION = "hotich.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hotich.accounts.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hotich.sqlite3'}")
    )
}
# A PostgreSQL streaming replica (off when unset): search, reports and dashboards read from it
# (hotich.core.replica); writes and every other read go to DATABASE_URL.
HOTICH_REPLICA_URL = env_str("HOTICH_REPLICA_URL", "")
HOTICH_REPLICA_MAX_LAG_SECONDS = env_int("HOTICH_REPLICA_MAX_LAG_SECONDS", 30)
# How long `hotich serve` keeps an idle client connection open (0: one request per connection,
# for a load balancer that should spread every request).
HOTICH_KEEP_ALIVE_SECONDS = env_int("HOTICH_KEEP_ALIVE_SECONDS", 10)
if HOTICH_REPLICA_URL:
    DATABASES["replica"] = database_from_url(HOTICH_REPLICA_URL, "HOTICH_REPLICA_URL")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["hotich.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: an absolute lifetime (cookie age) and an idle timeout (middleware).
SESSION_COOKIE_AGE = env_int("HOTICH_SESSION_ABSOLUTE_SECONDS", 8 * 3600)
HOTICH_SESSION_IDLE_SECONDS = env_int("HOTICH_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HOTICH_REQUIRE_OTP = env_bool("HOTICH_REQUIRE_OTP", True)

# Login throttling.
AXES_FAILURE_LIMIT = env_int("HOTICH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
# Each language named in itself (the language menu shows these, never translated).
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Dates typed and shown as dd/mm/yyyy in both languages (hotich/core/formats).
FORMAT_MODULE_PATH = ["hotich.core.formats"]

STATIC_URL = "/static/"
STORAGE_BACKEND = env_str("HOTICH_STORAGE", "local")
if STORAGE_BACKEND == "local":
    _default_storage: dict[str, object] = {
        "BACKEND": "hotich.core.storage.LocalStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
elif STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("HOTICH_S3_BUCKET"),
            "endpoint_url": env_str("HOTICH_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("HOTICH_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("HOTICH_S3_SECRET_KEY", "") or None,
            "region_name": env_str("HOTICH_S3_REGION", "") or None,
            "default_acl": None,
            "file_overwrite": False,
            "transfer_config": s3_transfer_config(env_int("HOTICH_S3_MULTIPART_MB", 16)),
        },
    }
else:
    raise ImproperlyConfigured(
        f"HOTICH_STORAGE={STORAGE_BACKEND!r}: dùng 'local' hoặc 's3' / must be 'local' or 's3'."
    )
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": env_str("HOTICH_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

NINJA_PAGINATION_PER_PAGE = 50

# The cache is a table of the database (created by ``migrate``): shared by every process and
# server with no other service to run. It holds the rate-limit counters.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hotich_cache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}
# Several machines may share a Redis instead (HOTICH_REDIS_URL, e.g. redis://10.0.0.5:6379/0):
# faster counters, one more service to run.
HOTICH_REDIS_URL = env_str("HOTICH_REDIS_URL", "")
if HOTICH_REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": HOTICH_REDIS_URL,
    }
# Rate limits of the public endpoints (hotich.core.ratelimit): per client IP address, or one
# count for everyone ("all"), per fixed window.
HOTICH_RATE_LIMITS = {
    "codes-ip": ("ip", env_rate("HOTICH_RATE_CODES_PER_IP", "20/h")),
    "codes-all": ("all", env_rate("HOTICH_RATE_CODES", "1000/h")),
    "verify": ("ip", env_rate("HOTICH_RATE_VERIFY", "60/m")),
    "status": ("ip", env_rate("HOTICH_RATE_STATUS", "30/m")),
}
RATELIMIT_ENABLE = env_bool("HOTICH_RATE_LIMITS", True)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = "hotich.core.ratelimit.client_ip"
# Behind a reverse proxy: the header in which it passes the client's address (X-Forwarded-For,
# whose last address is taken, or X-Real-IP). Empty: the connection's address.
HOTICH_CLIENT_IP_HEADER = env_str("HOTICH_CLIENT_IP_HEADER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "filters": {"request_id": {"()": "hotich.core.middleware.RequestIdLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("HOTICH_LOG_LEVEL", "INFO")},
    # Request logs carry URLs and user input; keep them out of the application log.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        # one line per request, with its address (a personal ID may be in it): not at INFO
        "httpx": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Signing embeds the validation data it has locally and never fetches, by design.
        "pyhanko.sign.signers.pdf_signer": {"level": "ERROR"},
    },
}
