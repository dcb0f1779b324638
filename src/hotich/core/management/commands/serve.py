"""``hotich serve [--port P]``: the web app and API with the embedded defaults.

Runs gunicorn (threads, static files through WhiteNoise) and, beside it, one background-task
worker for the database task backend. Ctrl-C stops both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Chạy ứng dụng web và API / serve the web app and API"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="không chạy tác vụ nền")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "hotich.config.settings"
            ),
        }
        children: list[subprocess.Popen[bytes]] = []
        uses_db_tasks = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
        if uses_db_tasks and not options["no_worker"]:
            children.append(
                subprocess.Popen([sys.executable, "-m", "hotich", "db_worker"], env=env)
            )
        self.stdout.write(f"Hộ tịch số: http://{options['host']}:{options['port']}/")
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hotich.config.wsgi:application",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                str(options["workers"]),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s "%(m)s" %(s)s %(L)ss',
            ],
            env=env,
        )
        children.append(server)
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                child.wait(timeout=10)
