"""Double keying, comparison, arbitration and QA.

Two different clerks key each entry blind. When the second keying arrives the two are compared
field by field after normalization (``fields.normalize``: NFC, spacing, case); agreed entries are
verified (they go to QA), fields that differ become :class:`Decision` rows for an arbitrator, who
picks one version or keys a third value. A clerk's accuracy is the share of their fields that
survived comparison, arbitration and QA (``Keying.fields_kept / fields_total``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import require
from hotich.audit.services import audit_record
from hotich.core.errors import Conflict, ValidationFailed
from hotich.digitization.access import ARBITRATE, KEY, check_scope
from hotich.digitization.fields import clean_values, fields_for, normalize
from hotich.digitization.models import (
    Decision,
    DigitizedBook,
    Entry,
    EntryStatus,
    Keying,
    QaCheck,
)
from hotich.digitization.services.pages import digitized_book_for

Values = dict[str, dict[str, str]]


def compare(first: Mapping[str, Any], second: Mapping[str, Any]) -> tuple[Values, list[str]]:
    """(agreed values, names of differing fields) of two keyings of the same form."""
    agreed: Values = {}
    differing: list[str] = []
    empty = {"v": "", "m": ""}
    names = list(first)
    names.extend(n for n in second if n not in first)
    for name in names:
        a, b = first.get(name), second.get(name)
        if a == b or normalize(a) == normalize(b):  # identical: no need to normalize
            agreed[name] = a or b or empty
        else:
            differing.append(name)
    return agreed, sorted(differing)


def _lock(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("book").get(pk=entry.pk)


def _recount(entry: Entry) -> None:
    """Each keying's fields that survived into the entry's final values."""
    for keying in entry.keyings.all():
        kept = sum(
            1
            for name, value in keying.values.items()
            if normalize(value) == normalize(entry.values.get(name))
        )
        Keying.objects.filter(pk=keying.pk).update(
            fields_total=len(keying.values), fields_kept=kept
        )


@transaction.atomic
def keying_submit(
    *,
    actor: Actor,
    entry: Entry,
    values: Mapping[str, Any],
    started_at: dt.datetime | None = None,
) -> Keying:
    """Record one clerk's keying of ``entry``; the second one triggers the comparison."""
    clerk = require(actor, KEY)
    if clerk is None:
        raise ValidationFailed(_("Mỗi lần nhập phải do một người nhập liệu thực hiện."))
    check_scope(clerk, entry.scope_unit)
    locked = _lock(entry)
    if locked.status not in (EntryStatus.NEW, EntryStatus.KEYED_ONCE):
        raise Conflict(_("Mục này đã được nhập đủ hai lần."), field="entry", code="keyed")
    if locked.keyings.filter(clerk=clerk).exists():
        raise Conflict(
            _("Bạn đã nhập mục này; lần nhập thứ hai phải do người khác thực hiện."),
            field="entry",
            code="same_clerk",
        )
    cleaned = clean_values(locked.book.event_type, dict(values))
    now = timezone.now()
    if started_at is not None and (started_at > now or started_at < now - dt.timedelta(days=1)):
        started_at = None
    seq = locked.keyings.count() + 1
    keying = Keying.objects.create(
        entry=locked,
        seq=seq,
        clerk=clerk,
        values=cleaned,
        started_at=started_at,
        fields_total=len(cleaned),
    )
    before = locked.status
    if seq == 1:
        locked.status = EntryStatus.KEYED_ONCE
    else:
        first = locked.keyings.get(seq=1)
        agreed, differing = compare(first.values, cleaned)
        locked.values = agreed
        for name in differing:
            Decision.objects.create(
                entry=locked,
                field=name,
                first=first.values.get(name, {}),
                second=cleaned.get(name, {}),
            )
        locked.status = EntryStatus.ARBITRATION if differing else EntryStatus.VERIFIED
    locked.save(update_fields=["status", "values", "updated_at"])
    if locked.status == EntryStatus.VERIFIED:
        _recount(locked)
    audit_record(
        actor=actor,
        action="create",
        object_type="digitization.keying",
        object_id=keying.pk,
        after={"entry": locked.pk, "seq": seq, "values": cleaned},
        detail={"entry": locked.pk, "from": before, "to": locked.status},
    )
    return keying


@transaction.atomic
def entry_arbitrate(
    *, actor: Actor, entry: Entry, decisions: Mapping[str, tuple[str, Any]]
) -> Entry:
    """Decide every differing field of ``entry``: ``{field: ("first" | "second", None)}`` or
    ``{field: ("third", {"v", "m"})}`` for a value keyed by the arbitrator."""
    arbitrator = require(actor, ARBITRATE)
    check_scope(actor, entry.scope_unit)
    locked = _lock(entry)
    if locked.status != EntryStatus.ARBITRATION:
        raise Conflict(_("Mục này không chờ phân xử."), field="entry")
    if arbitrator is not None and locked.keyings.filter(clerk=arbitrator).exists():
        raise Conflict(_("Người đã nhập mục này không được phân xử chính mục đó."), field="entry")
    pending = list(locked.decisions.filter(decided_at=None))
    missing = [d.field for d in pending if d.field not in decisions]
    if missing:
        label = next(
            (f.label for f in fields_for(locked.book.event_type) if f.name == missing[0]),
            missing[0],
        )
        raise ValidationFailed(
            format_lazy(_("{label}: chưa chọn giá trị."), label=label), field=missing[0]
        )
    now = timezone.now()
    values = dict(locked.values)
    for decision in pending:
        choice, third = decisions[decision.field]
        if choice == "first":
            value = decision.first
        elif choice == "second":
            value = decision.second
        elif choice == "third":
            value = clean_values(locked.book.event_type, {decision.field: third or {}})[
                decision.field
            ]
        else:
            raise ValidationFailed(_("Lựa chọn phân xử không hợp lệ."), field=decision.field)
        decision.choice = choice
        decision.value = value
        decision.decided_by = arbitrator
        decision.decided_at = now
        decision.save()
        values[decision.field] = value
    locked.values = values
    locked.status = EntryStatus.VERIFIED
    locked.save(update_fields=["values", "status", "updated_at"])
    _recount(locked)
    audit_record(
        actor=actor,
        action="transition",
        object_type="digitization.entry",
        object_id=locked.pk,
        after={"values": values},
        detail={"action": "arbitrate", "fields": len(pending)},
    )
    return locked


# --- QA --------------------------------------------------------------------------------------


def qa_draw_sample(*, book_state: DigitizedBook) -> list[int]:
    """Mark the QA sample of a book once every entry is verified: ``qa_share`` of its entries
    (at least one), drawn reproducibly from the book id. Returns the sampled entry ids."""
    entries = Entry.objects.filter(book_id=book_state.book_id)
    if (
        not entries.exists()
        or entries.exclude(status=EntryStatus.VERIFIED)
        .exclude(status=EntryStatus.PUBLISHED)
        .exists()
    ):
        return []
    sampled = list(entries.filter(qa_sampled=True).values_list("pk", flat=True))
    if sampled:
        return sampled
    ids = sorted(entries.values_list("pk", flat=True))
    size = min(len(ids), max(1, math.ceil(book_state.qa_share * len(ids))))
    chosen = random.Random(book_state.book_id).sample(ids, size)  # noqa: S311 - not security
    Entry.objects.filter(pk__in=chosen).update(qa_sampled=True)
    return chosen


@transaction.atomic
def qa_check(
    *, actor: Actor, entry: Entry, passed: bool, corrections: Mapping[str, Any] | None = None
) -> QaCheck:
    """A reviewer's re-check of a verified entry (normally one of the sample). A failure carries
    the corrected values and widens QA to every entry of the book."""
    reviewer = require(actor, ARBITRATE)
    check_scope(actor, entry.scope_unit)
    locked = _lock(entry)
    if locked.status != EntryStatus.VERIFIED:
        raise Conflict(_("Chỉ kiểm tra được mục đã thống nhất, chưa đưa vào sổ."), field="entry")
    if not locked.qa_sampled:  # a reviewer may check (and correct) any verified entry
        locked.qa_sampled = True
        locked.save(update_fields=["qa_sampled"])
    fixed: Values = {}
    if not passed:
        if not corrections:
            raise ValidationFailed(
                _("Kiểm tra không đạt: hãy nhập giá trị đúng của các trường sai."),
                field="corrections",
            )
        fixed = clean_values(locked.book.event_type, {**locked.values, **corrections})
        fixed = {k: v for k, v in fixed.items() if normalize(v) != normalize(locked.values.get(k))}
        if not fixed:
            raise ValidationFailed(_("Giá trị sửa giống giá trị hiện tại."), field="corrections")
        locked.values = {**locked.values, **fixed}
        locked.save(update_fields=["values", "updated_at"])
        _recount(locked)
        state = digitized_book_for(locked.book)
        if not state.full_qa:
            state.full_qa = True
            state.save(update_fields=["full_qa"])
            Entry.objects.filter(book_id=locked.book_id).update(qa_sampled=True)
    check = QaCheck.objects.create(
        entry=locked, reviewer=reviewer, passed=passed, corrections=fixed
    )
    audit_record(
        actor=actor,
        action="create",
        object_type="digitization.qa",
        object_id=check.pk,
        after={"entry": locked.pk, "passed": passed, "corrections": fixed},
    )
    return check
