"""The stand-in SMS carrier: each message is appended, as one JSON line, to the local SMS outbox
``$HOTICH_DATA_DIR/sms-outbox.jsonl`` (what a phone would have received), for the demo,
development and tests. Nothing leaves the machine, so this module refuses to load with the
production settings."""

from __future__ import annotations

import fcntl
import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from hotich.core.standins import require_standins

require_standins(__name__)


def outbox_path() -> Path:
    return Path(settings.DATA_DIR) / "sms-outbox.jsonl"


class LocalSmsOutbox:
    def send_sms(self, number: str, text: str) -> bool:
        path = outbox_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": timezone.now().isoformat(), "to": number, "text": text}, ensure_ascii=False
        )
        with path.open("a", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.write(line + "\n")
        return True


def sent_messages() -> list[dict[str, str]]:
    """What the local outbox holds, oldest first."""
    path = outbox_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
