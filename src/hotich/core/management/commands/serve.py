"""``hotich serve [--port P]``: the web app and API with the embedded defaults.

Runs gunicorn (threads, static files through WhiteNoise) and, beside it, one background-task
worker for the database task backend. SIGTERM (what systemd and process supervisors send) and
SIGINT (Ctrl-C) are passed on to both; the command waits for them to stop (killing what is still
running after ``STOP_SECONDS``) and exits 0. When either child ends on its own, the other is
stopped too and the command exits 1, so a supervisor restarts the whole.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

#: how long the children get to finish what they are doing once asked to stop
STOP_SECONDS = 10


class Command(BaseCommand):
    help = "Chạy ứng dụng web và API / serve the web app and API"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="không chạy tác vụ nền")

    def handle(self, *args: Any, **options: Any) -> None:
        children: list[subprocess.Popen[bytes]] = []
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            call_command("collectstatic", interactive=False, verbosity=0)
            if stopping:
                return
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get(
                    "DJANGO_SETTINGS_MODULE", "hotich.config.settings"
                ),
            }
            uses_db_tasks = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
            if uses_db_tasks and not options["no_worker"]:
                children.append(
                    subprocess.Popen([sys.executable, "-m", "hotich", "db_worker"], env=env)
                )
            self.stdout.write(f"Hộ tịch số: http://{options['host']}:{options['port']}/")
            if stopping:
                return
            children.append(
                subprocess.Popen(  # noqa: S603
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
                        # an idle connection is kept 10 s (gunicorn's default is 2 s): a client
                        # coming back after 2-3 s otherwise reuses a connection the server is
                        # closing and gets a reset (the load test's connection errors)
                        "--keep-alive",
                        str(settings.HOTICH_KEEP_ALIVE_SECONDS),
                        "--graceful-timeout",
                        str(STOP_SECONDS),
                        "--access-logfile",
                        "-",
                        "--access-logformat",
                        '%(t)s "%(m)s" %(s)s %(L)ss',
                    ],
                    env=env,
                )
            )
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if not stopping:
            ended = next(child for child in children if child.returncode is not None)
            name = "gunicorn" if ended is children[-1] else "db_worker"
            raise CommandError(
                f"{name} dừng bất ngờ (mã {ended.returncode}) / {name} ended unexpectedly "
                f"(exit {ended.returncode})"
            )

    @staticmethod
    def _stop(children: list[subprocess.Popen[bytes]]) -> None:
        """SIGTERM to each child still running, then wait; SIGKILL what outlives the wait."""
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS + 2
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
