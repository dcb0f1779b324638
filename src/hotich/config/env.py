"""Reading settings from the environment, failing loudly with the setting's name."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(
            f"Thiếu biến môi trường {name} / The environment variable {name} is required."
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} không hợp lệ: dùng true/false / {name} must be true or false."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} không phải số nguyên / {name} must be an integer."
        ) from None


def env_rate(name: str, default: str) -> str | None:
    """A rate limit: ``N/s``, ``N/m``, ``N/h``, ``N/d`` or ``N/15m`` (per 15 minutes); empty for
    none."""
    value = os.environ.get(name, default).strip()
    if not value:
        return None
    if not re.fullmatch(r"\d+/\d*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name}={value!r} không hợp lệ: dùng dạng 20/h, 60/m, 100/15m / "
            f"{name} must look like 20/h, 60/m or 100/15m."
        )
    return value


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_dir(name: str, default: str) -> Path:
    path = Path(os.environ.get(name, default)).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{name}={path} không tạo được thư mục ({exc.strerror}) / "
            f"cannot create the directory named by {name}."
        ) from None
    return path


def database_from_url(url: str, name: str = "DATABASE_URL") -> dict[str, object]:
    import dj_database_url

    try:
        config = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} không hợp lệ ({exc}) / {name} is not a valid database URL."
        ) from None
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"{name}: chỉ hỗ trợ sqlite và postgres / {name} must be sqlite:// or postgres://."
        )
    if engine.endswith("sqlite3"):
        config["OPTIONS"] = sqlite_options()
        config.pop("CONN_MAX_AGE", None)
    return config


def sqlite_options() -> dict[str, object]:
    return {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
