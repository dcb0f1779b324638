"""Demo data for the portal: the shipped catalogue, citizens, and dossiers in every status over
the last months (online and at the desk, paid, rated, some late), so that the desk list, the
deadline flags and the Decision 766 dashboard have something to show. Reproducible by seed.

``demo_portal(units=[...], rng=random.Random(seed), count=N)``: writes are bulk, with one
audit entry for the batch. Results are not rendered (no PDFs): the demo's signed results come
from running the flow (see README)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from hotich.audit.services import audit_bulk
from hotich.core.names import random_name
from hotich.core.workdays import add_working_days
from hotich.portal.models import (
    Channel,
    Citizen,
    Dossier,
    DossierEvent,
    Payment,
    PaymentStatus,
    Procedure,
    Rating,
    Status,
)
from hotich.portal.services import catalogue_load_builtin
from hotich.portal.services.dossiers import new_dossier_code

# status → weight among demo dossiers
STATUS_WEIGHTS = [
    (Status.SUBMITTED, 6),
    (Status.RECEIVED, 6),
    (Status.IN_PROGRESS, 8),
    (Status.SUPPLEMENT, 3),
    (Status.APPROVED, 3),
    (Status.SIGNED, 4),
    (Status.RETURNED, 65),
    (Status.REJECTED, 5),
]
PATH = {
    Status.SUBMITTED: ["submit"],
    Status.RECEIVED: ["submit", "receive"],
    Status.IN_PROGRESS: ["submit", "receive", "assign"],
    Status.SUPPLEMENT: ["submit", "receive", "request_supplement"],
    Status.APPROVED: ["submit", "receive", "assign", "approve"],
    Status.SIGNED: ["submit", "receive", "assign", "approve", "sign"],
    Status.RETURNED: ["submit", "receive", "assign", "approve", "sign", "return"],
    Status.REJECTED: ["submit", "receive", "reject"],
}
TO = {
    "submit": Status.SUBMITTED,
    "receive": Status.RECEIVED,
    "assign": Status.IN_PROGRESS,
    "request_supplement": Status.SUPPLEMENT,
    "approve": Status.APPROVED,
    "sign": Status.SIGNED,
    "return": Status.RETURNED,
    "reject": Status.REJECTED,
}
TZ_HOUR = dt.time(9, 0)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=tz)


def _phone(rng: random.Random) -> str:
    return "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))


@transaction.atomic
def demo_portal(
    *, units: Sequence[Any], rng: random.Random, count: int = 300, today: dt.date | None = None
) -> int:
    """Create ``count`` dossiers spread over ``units`` and the last 120 days; returns the count."""
    catalogue_load_builtin()
    today = today or timezone.localdate()
    procedures = list(Procedure.objects.filter(is_active=True).exclude(form_schema={}))
    weights = [8 if p.code == "1.001193" else 2 for p in procedures]
    citizens = Citizen.objects.bulk_create(
        [Citizen(contact=_phone(rng), contact_kind="phone") for _ in range(max(1, count // 3))],
        ignore_conflicts=True,
    )
    citizens = list(Citizen.objects.order_by("-pk")[: max(1, count // 3)])
    statuses = [s for s, _w in STATUS_WEIGHTS]
    status_weights = [w for _s, w in STATUS_WEIGHTS]
    dossiers: list[Dossier] = []
    plans: list[tuple[list[str], list[dt.datetime]]] = []
    for _ in range(count):
        procedure = rng.choices(procedures, weights)[0]
        status = rng.choices(statuses, status_weights)[0]
        online = rng.random() < 0.7
        submitted_day = today - dt.timedelta(days=rng.randint(0, 120))
        while submitted_day.weekday() >= 5 and not online:
            submitted_day -= dt.timedelta(days=1)
        name = random_name(rng)
        steps = PATH[status]
        times = [_at(submitted_day, rng)]
        received_day = add_working_days(submitted_day, 0 if not online else rng.randint(0, 1))
        due = add_working_days(received_day, procedure.processing_days)
        late = rng.random() < 0.08
        done_day = add_working_days(
            received_day,
            procedure.processing_days + (rng.randint(1, 3) if late else -rng.randint(0, 1)),
        )
        for step in steps[1:]:
            day = received_day if step in {"receive", "assign", "request_supplement"} else done_day
            times.append(max(times[-1], _at(min(day, today), rng)))
        resolved = None
        if status in {Status.SIGNED, Status.RETURNED, Status.REJECTED}:
            resolved = times[steps.index("sign" if "sign" in steps else "reject")]
        fee = procedure.fee + procedure.copy_fee * rng.choice([0, 1, 1, 2])
        dossiers.append(
            Dossier(
                code=new_dossier_code(),
                procedure=procedure,
                unit=rng.choice(list(units)),
                citizen=rng.choice(citizens) if online else None,
                channel=Channel.ONLINE if online else Channel.DESK,
                status=status,
                applicant_name=name.full,
                applicant_contact=_phone(rng),
                form_data={"applicant.full_name": name.full},
                fee=fee,
                submitted_at=times[0],
                received_at=times[1] if len(steps) > 1 else None,
                due_date=due if len(steps) > 1 else None,
                paused_on=received_day if status == Status.SUPPLEMENT else None,
                resolved_at=resolved,
                returned_at=times[-1] if status == Status.RETURNED else None,
                note="Hồ sơ chưa đủ giấy tờ" if status == Status.REJECTED else "",
            )
        )
        dossiers[-1].public_history = [
            [timezone.localtime(at).date().isoformat(), TO[step]]
            for step, at in zip(steps, times, strict=True)
        ]
        plans.append((steps, times))
    Dossier.objects.bulk_create(dossiers, batch_size=1000)
    events: list[DossierEvent] = []
    payments: list[Payment] = []
    ratings: list[Rating] = []
    for dossier, (steps, times) in zip(dossiers, plans, strict=True):
        previous = ""
        for step, at in zip(steps, times, strict=True):
            events.append(
                DossierEvent(
                    dossier=dossier,
                    action=step,
                    from_status=previous,
                    to_status=TO[step],
                    actor_name="demo",
                    at=at,
                )
            )
            previous = TO[step]
        if dossier.fee and (dossier.channel == Channel.DESK or rng.random() < 0.6):
            payments.append(
                Payment(
                    dossier=dossier,
                    reference="DM" + new_dossier_code()[3:].replace("-", ""),
                    amount=dossier.fee,
                    provider="cash" if dossier.channel == Channel.DESK else "local",
                    status=PaymentStatus.PAID,
                    transaction_id=f"demo-{len(payments)}",
                    created_at=times[0],
                    paid_at=times[0],
                )
            )
        if dossier.status == Status.RETURNED and rng.random() < 0.5:
            ratings.append(
                Rating(
                    dossier=dossier,
                    score=rng.choices([5, 4, 3, 2, 1], [60, 25, 8, 5, 2])[0],
                    created_at=times[-1],
                )
            )
    DossierEvent.objects.bulk_create(events, batch_size=2000)
    Payment.objects.bulk_create(payments, batch_size=1000)
    Rating.objects.bulk_create(ratings, batch_size=1000)
    audit_bulk(
        actor=None,
        action="bulk",
        object_type="portal.dossier",
        object_ids=[d.pk for d in dossiers],
        detail={"source": "demo"},
    )
    return len(dossiers)
