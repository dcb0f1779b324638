"""Limits of offline work."""

from __future__ import annotations

#: entries a clerk may take onto a device at once
BATCH_MAX = 50
#: entries taken when the clerk does not say how many
BATCH_DEFAULT = 20
#: an idempotency key: 8 to 64 letters, digits, dashes
IDEMPOTENCY_PATTERN = r"^[A-Za-z0-9-]{8,64}$"
#: the name of the device as the person gives it
DEVICE_NAME_MAX = 80
#: who may take work offline: those who key (accounts.authz.PERMISSIONS)
KEY_ACTION = "digitization.key"
#: who registers and revokes the devices of their scope
MANAGE_ACTION = "accounts.manage"
#: who may decide entries in arbitration offline (accounts.authz.PERMISSIONS)
ARBITRATE_ACTION = "digitization.arbitrate"
#: a decision offline: the keying's first value, the second, or a third keyed by the arbitrator
CHOICES = ("first", "second", "third")
#: who may take paper dossiers at the desk offline
INTAKE_ACTION = "portal.receive"
#: who may register a device: any of those who work offline
DEVICE_ACTIONS = (KEY_ACTION, ARBITRATE_ACTION, INTAKE_ACTION)
#: a paper dossier taken offline must reach the server within this many days of its receipt
INTAKE_MAX_AGE_DAYS = 30
#: the scans of a dossier taken offline, all together (bytes)
INTAKE_MAX_BYTES = 15 * 1024 * 1024
