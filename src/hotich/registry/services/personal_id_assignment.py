"""One attempt at a newborn's personal ID request, and the sweep that retries the pending ones.

The population database answers with the number, which is written as a margin note on the
record; while it is down the request stays pending and is asked again with backoff
(:mod:`hotich.registry.services.personal_ids` opens the requests).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hotich.core.errors import DomainError
from hotich.core.http import UpstreamUnavailable
from hotich.people.adapters.popdb.adapter import population_database
from hotich.people.adapters.popdb.protocol import IdRequest, Inquiry
from hotich.registry.models import PersonalIdRequest, Record
from hotich.registry.services.personal_ids import PERSONAL_ID_REQUEST, child_of
from hotich.registry.services.records import record_transition
from hotich.registry.vocabulary import Role

logger = logging.getLogger(__name__)

LEGAL_BASIS = "Luật Căn cước 2023, Điều 12; Luật Hộ tịch 2014, Điều 16"
NOTE = "Bổ sung số định danh cá nhân do Cơ sở dữ liệu quốc gia về dân cư cấp"
MAX_BACKOFF = dt.timedelta(hours=6)


def _backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** min(attempts, 10)), MAX_BACKOFF)


def _id_request(record: Record, child: Any) -> IdRequest:
    parents = {
        p.role: p.person.full_name
        for p in record.parties.select_related("person").exclude(role=Role.CHILD)
    }
    birth = child.birth_date.isoformat() if child.birth_date else str(child.birth_year or "")
    return IdRequest(
        request_key=f"birth-{record.pk}",
        full_name=child.full_name,
        sex=child.sex,
        birth_date=birth,
        province_code=record.unit.province_code.zfill(3),
        birth_place=child.birth_place,
        father_name=parents.get(Role.FATHER, ""),
        mother_name=parents.get(Role.MOTHER, ""),
    )


def personal_id_request_process(*, request_id: int) -> PersonalIdRequest:
    """One attempt: ask the database; on an answer, write the number as a margin note."""
    with transaction.atomic():
        request = (
            PersonalIdRequest.objects.select_for_update()
            .select_related("record", "record__unit")
            .get(pk=request_id)
        )
        if request.state != PersonalIdRequest.State.PENDING:
            return request
        record = request.record
        child = child_of(record)
        if child is None or child.personal_id:
            request.state = PersonalIdRequest.State.ASSIGNED
            request.personal_id = child.personal_id if child is not None else ""
            request.save(update_fields=["state", "personal_id", "updated_at"])
            return request
        request.attempts += 1
        try:
            citizen = population_database().assign_id(
                _id_request(record, child), inquiry=Inquiry(None, LEGAL_BASIS, "birth")
            )
        except UpstreamUnavailable as exc:
            request.last_error = exc.code[:60]
            request.next_attempt_at = timezone.now() + _backoff(request.attempts)
            request.save(update_fields=["attempts", "last_error", "next_attempt_at", "updated_at"])
            logger.warning("Personal ID request %s pending: %s", request.pk, exc.code)
            # without a backend that defers, ``hotich records assign-ids`` (or the next sweep)
            # picks it up
            PERSONAL_ID_REQUEST.enqueue_on_commit_after(request.next_attempt_at, request_id)
            return request
        except DomainError as exc:
            logger.warning("Personal ID request %s refused: %s", request.pk, exc.bilingual())
            request.state = PersonalIdRequest.State.FAILED
            request.last_error = exc.code[:60]
            request.save(update_fields=["state", "attempts", "last_error", "updated_at"])
            return request
        record_transition(
            actor=None,
            record=record,
            action="amend",
            legal_basis=LEGAL_BASIS,
            changes={"child.personal_id": citizen.personal_id},
            note=NOTE,
        )
        request.state = PersonalIdRequest.State.ASSIGNED
        request.personal_id = citizen.personal_id
        request.last_error = ""
        request.save(update_fields=["state", "attempts", "personal_id", "last_error", "updated_at"])
        return request


def personal_id_requests_retry(*, limit: int = 500, now: bool = False) -> dict[str, int]:
    """Process the pending requests that are due (the sweep after an outage); with ``now``,
    every pending request whatever its backoff."""
    due = PersonalIdRequest.objects.filter(state=PersonalIdRequest.State.PENDING)
    if not now:
        due = due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()))
    counts = {"assigned": 0, "pending": 0, "failed": 0}
    for request_id in list(due.order_by("pk").values_list("pk", flat=True)[:limit]):
        counts[personal_id_request_process(request_id=request_id).state] += 1
    return counts
