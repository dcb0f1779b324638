"""The ``hotich`` console script: a thin wrapper over Django's ``manage.py``."""

import os
import sys

from hotich.config.quiet import quiet_third_party_warnings


def main(argv: list[str] | None = None) -> None:
    quiet_third_party_warnings()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotich.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hotich", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
