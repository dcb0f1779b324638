"""Stand-ins (the payment gateway's page, the population database, the national reporting
receiver, the demo PKI and its time-stamping authority) cannot be reached with the production
settings: not routed, not imported, and a setting naming one stops start-up."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from hotich.core.standins import is_standin
from hotich.core.tests.test_settings import production, run

PRODUCTION_URLCONF = "hotich.config.urls"
STANDIN_URLCONF = "hotich.config.urls_standins"
STANDIN_MODULES = [
    "hotich.portal.adapters.payment.standin",
    "hotich.people.adapters.popdb.standin",
    "hotich.reporting.adapters.national.standin",
    "hotich.signing.standin",
]
STANDIN_PATHS = ["/dich-vu-cong/cong-thanh-toan/TT0123456789ABCD/"]


def production_env(tmp_path: Any, **overrides: str | None) -> dict[str, str]:
    return production(tmp_path, **overrides)


def views(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(route, dotted name of the view or of the included URL conf) of every pattern."""
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            included = p.urlconf_name  # a module, its dotted name, or a list of patterns
            if not isinstance(included, list):
                yield route, included if isinstance(included, str) else included.__name__
            yield from views(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p.lookup_str


def routes(urlconf: str) -> set[tuple[str, str]]:
    return set(views(get_resolver(urlconf).url_patterns))


def test_every_standin_module_follows_the_naming_rule() -> None:
    for name in STANDIN_MODULES:
        assert is_standin(name)
        importlib.import_module(name)  # allowed with the default (and test) settings
    assert not is_standin("hotich.portal.adapters.payment")
    assert not is_standin("hotich.config.urls_standins")


def test_the_production_url_conf_routes_no_standin() -> None:
    routed = routes(PRODUCTION_URLCONF)
    assert len(routed) > 50
    assert [(route, view) for route, view in routed if is_standin(view)] == []
    for path in STANDIN_PATHS:
        with pytest.raises(Resolver404):
            resolve(path, urlconf=PRODUCTION_URLCONF)


def test_the_default_url_conf_adds_the_standins_to_the_production_routes() -> None:
    production, default = routes(PRODUCTION_URLCONF), routes(STANDIN_URLCONF)
    assert production < default
    assert all(is_standin(view) for _route, view in default - production)
    for path in STANDIN_PATHS:
        assert is_standin(resolve(path, urlconf=STANDIN_URLCONF).func.__module__)


PROBE = (
    "import json, sys, django; django.setup(); "
    "from django.urls import get_resolver; "
    "import hotich.config.urls, hotich.config.wsgi; "
    "get_resolver().url_patterns; "
    "from django.conf import settings; "
    "print(json.dumps({'urlconf': settings.ROOT_URLCONF, "
    "'modules': sorted(m for m in sys.modules if m.startswith('hotich'))}))"
)


def _probe(env: dict[str, str]) -> dict[str, Any]:
    result = run_python(PROBE, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run_python(code: str, env: dict[str, str]) -> Any:
    import os
    import subprocess

    base = {k: v for k, v in os.environ.items() if not k.startswith(("HOTICH_", "DATABASE_URL"))}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_loading_the_production_url_conf_imports_no_standin(tmp_path) -> None:
    loaded = _probe(production_env(tmp_path))
    assert loaded["urlconf"] == PRODUCTION_URLCONF
    assert "hotich.portal.views_citizen" in loaded["modules"]
    assert [m for m in loaded["modules"] if is_standin(m) or m == STANDIN_URLCONF] == []


def test_the_default_settings_load_the_standins(tmp_path) -> None:
    loaded = _probe(
        {"DJANGO_SETTINGS_MODULE": "hotich.config.settings", "HOTICH_DATA_DIR": str(tmp_path)}
    )
    assert loaded["urlconf"] == STANDIN_URLCONF
    assert "hotich.portal.adapters.payment.standin" in loaded["modules"]
    assert "hotich.signing.standin" in loaded["modules"]


def test_a_standin_module_refuses_to_load_with_the_production_settings(tmp_path) -> None:
    for module in STANDIN_MODULES:
        result = run_python(
            f"import django; django.setup(); import {module}", production_env(tmp_path)
        )
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and module in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HOTICH_SIGNING_DEMO", "true"),
        ("HOTICH_PAYMENT_GATEWAY", "hotich.portal.adapters.payment.standin.StandInGateway"),
        ("HOTICH_POPDB_URL", None),
        ("HOTICH_POPDB_URL", "http://127.0.0.1:8765"),
        ("HOTICH_POPDB_URL", "http://localhost:8765/"),
        ("HOTICH_REPORTING_URL", "http://127.0.0.1:8798"),
    ],
)
def test_production_refuses_a_setting_that_names_a_standin(
    tmp_path, name: str, value: str | None
) -> None:
    env = production_env(tmp_path, **{name: value})  # type: ignore[arg-type]
    result = run(["check"], **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.strip().splitlines()[-1]


def test_production_accepts_real_systems(tmp_path) -> None:
    env = production_env(
        tmp_path,
        HOTICH_REPORTING_URL="https://baocao.example.gov.vn",
        HOTICH_PAYMENT_GATEWAY="hotich.portal.adapters.payment.SignedCallbackGateway",
        HOTICH_SIGNING_DEMO="false",
    )
    result = run(["check"], **env)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "command",
    [["demo"], ["pki", "demo"], ["popdb", "serve", "--port", "0"], ["report", "receiver"]],
)
def test_standin_commands_refuse_the_production_settings(tmp_path, command: list[str]) -> None:
    result = run(command, **production_env(tmp_path))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr and "production" in last, result.stderr
