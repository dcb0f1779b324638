"""A ``hotich`` process shows the project's own warnings, never a library's."""

import subprocess
import sys

SCRIPT = """
import warnings
from hotich.config.quiet import quiet_third_party_warnings
quiet_third_party_warnings()
warnings.warn_explicit("library notice", DeprecationWarning, "lib.py", 1, module="pyhanko.sign")
warnings.warn_explicit("project notice", UserWarning, "own.py", 1, module="hotich.registry")
"""


def run(*flags: str) -> str:
    result = subprocess.run(
        [sys.executable, *flags, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    return result.stderr


def test_library_warnings_are_hidden_and_the_projects_shown() -> None:
    stderr = run()
    assert "library notice" not in stderr
    assert "project notice" in stderr


def test_an_explicit_warning_option_wins() -> None:
    assert "library notice" in run("-W", "always")


def test_the_console_script_prints_nothing_on_stderr() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hotich", "id", "decode", "040188012345"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stderr == ""
