"""Warnings a user sees: the project's own, never a library's."""

import sys
import warnings


def quiet_third_party_warnings() -> None:
    """Hide warnings raised by third-party code in a ``hotich`` process.

    A library's deprecation notice (pyHanko importing DSA from cryptography, say) is for the
    developers, who see it in the test suite; an explicit ``-W`` or ``PYTHONWARNINGS`` still wins.
    The entry point and the WSGI module call this, so gunicorn and the task worker follow it too.
    """
    if sys.warnoptions:
        return
    warnings.filterwarnings("ignore")
    warnings.filterwarnings("default", module=r"hotich(\.|$)")
