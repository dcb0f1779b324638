"""``hotich link LEFT.csv RIGHT.csv --out MATCHES.csv [--threshold P] [--engine duckdb|spark]``
(docs/interfaces.md).

Writes ``left_id,right_id,match_probability`` for every pair at or above the threshold (default
0.5), each record of one file assigned to at most one of the other (``--all-pairs`` keeps every
candidate pair instead). ``--engine spark`` scores the pairs on Spark (local, or the cluster of
``HOTICH_SPARK_MASTER``) with the same model: the same links. The same file twice finds the
duplicates inside it. Exit 0 on success; exit 2 with one line on stderr for bad input (nothing is
written).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hotich.core.errors import DomainError
from hotich.linkage.engine import ENGINES
from hotich.linkage.services import DEFAULT_THRESHOLD, link_files

EXIT_INVALID = 2


class Command(BaseCommand):
    help = (
        "Đối chiếu hai tệp CSV (hoặc tìm bản trùng trong một tệp) / link two CSV files (or "
        "find duplicates in one)"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", metavar="LEFT.csv")
        parser.add_argument("right", metavar="RIGHT.csv")
        parser.add_argument("--out", required=True, metavar="MATCHES.csv")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, metavar="P")
        parser.add_argument(
            "--engine",
            choices=ENGINES,
            default="duckdb",
            help="nơi chấm điểm các cặp / where the pairs are scored (spark: needs a JDK 17)",
        )
        parser.add_argument(
            "--all-pairs",
            action="store_true",
            help="không ghép một-một / keep every candidate pair (no one-to-one assignment)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = link_files(
                options["left"],
                options["right"],
                out=options["out"],
                threshold=options["threshold"],
                one_to_one=not options["all_pairs"],
                engine=options["engine"],
            )
        except DomainError as error:
            sys.stderr.write(error.bilingual().replace("\n", " ") + "\n")
            sys.stderr.flush()
            sys.exit(EXIT_INVALID)
        if options["verbosity"] > 1:
            timing = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
            self.stderr.write(f"{len(result.matches)} matches ({timing})")
