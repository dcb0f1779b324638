"""Adapter to the National Reporting Information System (Decree 09/2019), with a local stand-in.

The real system's exchange encoding (QCVN 125:2021) is unconfirmed; the protocol here is the
project's (docs/reporting-contract.md): ``POST {base}/reports`` with an ``Idempotency-Key``
header, ``GET {base}/reports/{receipt_id}`` for the status.
"""

from hotich.reporting.adapters.national.client import (
    AttemptLog,
    NationalReportingClient,
    Receipt,
    SecretRefused,
    client_from_settings,
    refuse_secret,
)

__all__ = [
    "AttemptLog",
    "NationalReportingClient",
    "Receipt",
    "SecretRefused",
    "client_from_settings",
    "refuse_secret",
]
