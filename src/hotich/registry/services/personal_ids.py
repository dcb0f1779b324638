"""Asking the national population database for a newborn's personal ID.

Registering a birth whose child has no personal ID opens a :class:`PersonalIdRequest`
(``HOTICH_POPDB_ENABLED``); a background task asks the database through the people context's
adapter. The record is registered whatever the answer: while the service is down the request
stays pending and is retried with backoff, always under the key ``birth-<record id>`` so that a
retry never creates a second number. The number is written as a margin note on the record
(:mod:`hotich.registry.services.personal_id_assignment`, which the task runs).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from hotich.core.deferred import Deferred
from hotich.registry.models import PersonalIdRequest, Record
from hotich.registry.vocabulary import EventType, Role

#: one attempt at a request (its id), run by the worker (``registry.tasks``)
PERSONAL_ID_REQUEST = Deferred[[int]]("registry.personal_id_request_task")


def enabled() -> bool:
    return bool(getattr(settings, "HOTICH_POPDB_ENABLED", False))


def child_of(record: Record) -> Any:
    party = record.parties.select_related("person").filter(role=Role.CHILD).first()
    return party.person if party is not None else None


def personal_id_request_open(*, record: Record) -> PersonalIdRequest | None:
    """Called on registration: open the request of a birth whose child has no personal ID, and
    ask once the registration has committed."""
    if not enabled() or record.event_type != EventType.BIRTH:
        return None
    child = child_of(record)
    if child is None or child.personal_id:
        return None
    request, _created = PersonalIdRequest.objects.get_or_create(record=record)
    PERSONAL_ID_REQUEST.enqueue_on_commit(request.pk)
    return request
