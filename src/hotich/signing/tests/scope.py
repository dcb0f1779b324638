from __future__ import annotations

from collections.abc import Callable
from typing import Any

PUBLIC = {"signing:verify", "api:signing_verify", "api:signing_document_status"}


def _identity_in_b(units: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from hotich.signing.models import Usage
    from hotich.signing.standin import identity_enroll_demo

    return {"identity_id": identity_enroll_demo(unit=units["b"], usage=Usage.SEAL).pk}


SCOPED = {"signing:identity_revoke": _identity_in_b}
