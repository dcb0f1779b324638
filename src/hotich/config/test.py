"""Settings for the test suite: tasks run eagerly, hashing is fast, no OTP device required
unless a test asks for it."""

import tempfile
from pathlib import Path

from hotich.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True

# Files the tests store (extracts, signed documents, the demo PKI) go to a fresh folder per run.
DATA_DIR = Path(tempfile.mkdtemp(prefix="hotich-test-"))
MEDIA_ROOT = DATA_DIR / "files"
STORAGES["default"] = {
    "BACKEND": "hotich.core.storage.LocalStorage",
    "OPTIONS": {"location": str(MEDIA_ROOT)},
}
