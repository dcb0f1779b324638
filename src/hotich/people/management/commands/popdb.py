"""``hotich popdb serve``: the local stand-in for the national population database.

    hotich popdb serve [--port 8765] [--db FILE] [--seed N] [--slow MS] [--fail-rate P]
                       [--load CSV] [--token T] [--tls-cert PEM --tls-key PEM [--client-ca PEM]]

A separate HTTP process with its own SQLite database of synthetic citizens (contract:
docs/popdb-contract.md). Slowness and failures can also be changed while it runs via
``POST /_control``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotich.core.standins import POPDB_PORT, command_requires_standins


class Command(BaseCommand):
    help = (
        "Dịch vụ giả lập CSDL quốc gia về dân cư / local stand-in for the national population "
        "database"
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="chạy dịch vụ / run the service")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument(
            "--port", type=int, default=POPDB_PORT, help="0 = cổng trống / a free port"
        )
        serve.add_argument(
            "--db", default="", help="tệp SQLite (mặc định trong bộ nhớ) / SQLite file"
        )
        serve.add_argument(
            "--seed",
            type=int,
            default=0,
            metavar="N",
            help="tạo N công dân giả lập / create N synthetic citizens",
        )
        serve.add_argument("--rng-seed", type=int, default=None)
        serve.add_argument(
            "--load", default="", metavar="CSV", help="nạp công dân từ CSV / load citizens"
        )
        serve.add_argument("--slow", type=int, default=0, metavar="MS")
        serve.add_argument("--fail-rate", type=float, default=0.0, metavar="P")
        serve.add_argument("--token", default=os.environ.get("HOTICH_POPDB_TOKEN", ""))
        serve.add_argument("--tls-cert", default="")
        serve.add_argument("--tls-key", default="")
        serve.add_argument("--client-ca", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        command_requires_standins("hotich popdb serve")
        from hotich.people.adapters.popdb.standin import Faults, make_server

        if not 0.0 <= options["fail_rate"] <= 1.0:
            raise CommandError("--fail-rate phải trong [0, 1] / --fail-rate must be in [0, 1]")
        if options["slow"] < 0 or options["seed"] < 0:
            raise CommandError("--slow, --seed không được âm / must not be negative")
        try:
            server = make_server(
                host=options["host"],
                port=options["port"],
                db=options["db"] or ":memory:",
                seed=options["seed"],
                rng_seed=options["rng_seed"],
                faults=Faults(slow_ms=options["slow"], fail_rate=options["fail_rate"]),
                token=options["token"],
                load_csv=options["load"] or None,
            )
            if options["tls_cert"]:
                server.use_tls(
                    cert=options["tls_cert"],
                    key=options["tls_key"],
                    client_ca=options["client_ca"],
                )
        except OSError as exc:
            raise CommandError(
                f"Không khởi động được dịch vụ / cannot start the service: {exc.strerror or exc}"
            ) from exc
        sys.stdout.write(f"popdb stand-in: {server.url} ({server.store.count()} citizens)\n")
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
