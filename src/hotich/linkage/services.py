"""Linkage services: link two files (``hotich link``), find duplicates inside one."""

from __future__ import annotations

import csv
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.accounts.authz import can, require, unit_in_scope
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.deferred import Deferred
from hotich.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action as LifecycleAction
from hotich.core.lifecycle import Lifecycle, Step
from hotich.core.text import nfc
from hotich.linkage.engine import (
    Engine,
    LinkResult,
    Match,
    connect,
    link_prepared,
    link_tables,
)
from hotich.linkage.models import (
    CandidatePair,
    Disagreement,
    DisagreementField,
    LinkageRun,
    PairStatus,
    Resolution,
    RunKind,
    RunStatus,
)
from hotich.linkage.permissions import RESOLVE, REVIEW, RUN
from hotich.linkage.prepare import (
    COLUMNS,
    RawRecord,
    check_file,
    geo_place_converter,
    parse_records,
    prepare,
    prepare_checked,
)
from hotich.people.adapters.popdb.adapter import population_database
from hotich.people.adapters.popdb.protocol import Inquiry, PopulationDatabase
from hotich.registry.selectors import records_visible
from hotich.registry.services import current_values

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.5
#: a queued run (its id), run by the worker
LINKAGE_RUN = Deferred[[int]]("linkage.linkage_run")


def check_threshold(threshold: float) -> float:
    if not 0.0 <= threshold <= 1.0:
        raise ValidationFailed(
            format_lazy(_("Ngưỡng {value} phải nằm trong khoảng 0 đến 1."), value=threshold),
            field="threshold",
        )
    return threshold


def write_matches(matches: Sequence[Match], out: str | Path) -> None:
    """``left_id,right_id,match_probability``, written to a temporary file and renamed, so no
    half-written output is ever left behind."""
    out = Path(out)
    directory = out.parent if str(out.parent) else Path()
    if not directory.is_dir():
        raise ValidationFailed(
            format_lazy(_("Thư mục {name} của tệp kết quả không tồn tại."), name=str(directory)),
            field="out",
        )
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["left_id", "right_id", "match_probability"])
            for m in matches:
                writer.writerow([m.left_id, m.right_id, f"{m.match_probability:.6f}"])
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def link_files(
    left: str | Path,
    right: str | Path,
    *,
    out: str | Path | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    one_to_one: bool = True,
    engine: Engine = "duckdb",
) -> LinkResult:
    """Link two interchange CSV files (docs/interfaces.md). When both name the same file, find
    the duplicates inside it. Both files are checked whole before any work starts. ``engine``
    scores the candidate pairs in DuckDB or on Spark (the same links)."""
    check_threshold(threshold)
    started = time.monotonic()
    same = Path(left).resolve() == Path(right).resolve()
    with connect() as con:
        # both files are read and checked (in DuckDB, or in Python when DuckDB finds anything
        # wrong, to name the lines) before any preparation starts
        left_checked = check_file(con, left, "left_raw")
        right_checked = None if same else check_file(con, right, "right_raw")
        convert = geo_place_converter()
        left_rows = prepare_checked(
            con, left_checked, "left_raw", "left_prepared", convert_place=convert
        )
        right_rows = (
            left_rows
            if same
            else prepare_checked(
                con, right_checked, "right_raw", "right_prepared", convert_place=convert
            )
        )
        prepared = time.monotonic() - started
        if not left_rows or not right_rows:
            result = LinkResult(matches=[], candidate_pairs=0)
        else:
            result = link_tables(
                con,
                "left_prepared",
                None if same else "right_prepared",
                threshold=threshold,
                assign_one_to_one=one_to_one,
                engine=engine,
            )
    result.seconds["prepare"] = prepared
    if out is not None:
        started = time.monotonic()
        write_matches(result.matches, out)
        result.seconds["write"] = time.monotonic() - started
    return result


# -- background runs and the review queue ------------------------------------------------------


def run_create(
    *,
    actor: Actor,
    left_name: str,
    left_data: bytes,
    right_name: str = "",
    right_data: bytes | None = None,
    threshold_low: float = 0.5,
    threshold_high: float = 0.95,
) -> LinkageRun:
    """Check both files now (bad input is refused before anything is stored), store them and
    queue the run; without a right file the run finds duplicates inside the left one."""
    user = require(actor, RUN, system=False)
    check_threshold(threshold_low)
    check_threshold(threshold_high)
    if threshold_low > threshold_high:
        raise ValidationFailed(
            _("Ngưỡng dưới phải nhỏ hơn hoặc bằng ngưỡng trên."), field="threshold_low"
        )
    if user.unit is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với đơn vị."))
    left_rows = parse_records(left_name or "left.csv", left_data)
    right_rows = parse_records(right_name, right_data) if right_data is not None else None
    with transaction.atomic():
        run = LinkageRun.objects.create(
            unit=user.unit,
            kind=RunKind.LINK if right_rows is not None else RunKind.DEDUPE,
            left_name=(left_name or "left.csv")[:200],
            right_name=(right_name or "")[:200] if right_rows is not None else "",
            threshold_low=threshold_low,
            threshold_high=threshold_high,
            left_count=len(left_rows),
            right_count=len(right_rows) if right_rows is not None else 0,
            created_by=user,
        )
        folder = f"linkage/runs/{run.pk}-{uuid.uuid4().hex[:8]}"
        run.left_path = default_storage.save(f"{folder}/left.csv", ContentFile(left_data))
        if right_data is not None:
            run.right_path = default_storage.save(f"{folder}/right.csv", ContentFile(right_data))
        run.save(update_fields=["left_path", "right_path"])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="linkage.run",
            object_id=run.pk,
            after=run.state(),
        )
        LINKAGE_RUN.enqueue_on_commit(run.pk)
    return run


def _read_stored(name: str, path: str) -> list[RawRecord]:
    with default_storage.open(path, "rb") as fh:
        return parse_records(name, fh.read())


def _as_dict(record: RawRecord) -> dict[str, str]:
    return {c: getattr(record, c) for c in COLUMNS}


def run_execute(*, run_id: int) -> LinkageRun:
    """The background part of a run: link, then store the pairs at or above the lower threshold
    (those at or above the upper one are matched automatically, the rest wait for review).
    Earlier decisions on the same pair are kept, and "same person" decisions train the model."""
    with transaction.atomic():
        run = LinkageRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        run.status = RunStatus.RUNNING
        run.save(update_fields=["status"])
    started = time.monotonic()
    try:
        left = _read_stored(run.left_name, run.left_path)
        right = _read_stored(run.right_name, run.right_path) if run.right_path else None
        decided = {
            (p.left_id, p.right_id): p.status
            for p in CandidatePair.objects.filter(
                unit=run.unit, status__in=[PairStatus.ACCEPTED, PairStatus.REJECTED]
            ).order_by("decided_at")
        }
        left_ids = {r.id for r in left}
        right_ids = {r.id for r in right} if right is not None else left_ids
        labels = [
            pair
            for pair, status in decided.items()
            if status == PairStatus.ACCEPTED and pair[0] in left_ids and pair[1] in right_ids
        ]
        convert = geo_place_converter()
        result = link_prepared(
            prepare(left, convert_place=convert),
            prepare(right, convert_place=convert) if right is not None else None,
            threshold=run.threshold_low,
            labels=labels,
        )
    except Exception as exc:
        message = exc.bilingual() if isinstance(exc, DomainError) else type(exc).__name__
        logger.exception("linkage run %s failed", run.pk)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=message[:2000], finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    by_left = {r.id: _as_dict(r) for r in left}
    by_right = {r.id: _as_dict(r) for r in right} if right is not None else by_left
    pairs = []
    for m in result.matches:
        previous = decided.get((m.left_id, m.right_id))
        if previous is not None:
            status = previous
        elif m.match_probability >= run.threshold_high:
            status = PairStatus.AUTO
        else:
            status = PairStatus.REVIEW
        pairs.append(
            CandidatePair(
                run=run,
                unit=run.unit,
                left_id=m.left_id,
                right_id=m.right_id,
                probability=m.match_probability,
                left_record=by_left.get(m.left_id, {}),
                right_record=by_right.get(m.right_id, {}),
                status=status,
            )
        )
    with transaction.atomic():
        CandidatePair.objects.bulk_create(pairs, batch_size=1000)
        run.status = RunStatus.DONE
        run.pair_count = len(pairs)
        run.auto_count = sum(1 for p in pairs if p.status == PairStatus.AUTO)
        run.review_count = sum(1 for p in pairs if p.status == PairStatus.REVIEW)
        run.label_count = len(labels)
        run.seconds = time.monotonic() - started
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=None,
            action=Action.UPDATE,
            object_type="linkage.run",
            object_id=run.pk,
            after=run.state(),
            detail={"pairs": run.pair_count, "review": run.review_count},
        )
    return run


def _decide(step: Step[CandidatePair]) -> None:
    pair = step.obj
    pair.note = nfc(step.note)[:300]
    pair.decided_by = step.actor
    pair.decided_at = timezone.now()
    step.detail["decision"] = step.to_status


def _pair_in_scope(actor: Actor, pair: CandidatePair) -> None:
    if not unit_in_scope(actor, pair.unit):
        raise NotFound(_("Không tìm thấy cặp bản ghi."))


#: a pair the engine scored between the thresholds waits for an officer's decision
PAIR_LIFECYCLE = Lifecycle(
    model=CandidatePair,
    object_type="linkage.pair",
    noun=_("cặp bản ghi"),
    statuses=PairStatus,
    actions=[
        LifecycleAction("accept", _("Cùng một người"), REVIEW, PairStatus.ACCEPTED, _decide),
        LifecycleAction(
            "reject", _("Không phải cùng một người"), REVIEW, PairStatus.REJECTED, _decide
        ),
    ],
    table={
        PairStatus.AUTO: (),
        PairStatus.REVIEW: ("accept", "reject"),
        PairStatus.ACCEPTED: (),
        PairStatus.REJECTED: (),
    },
    initial=(PairStatus.AUTO, PairStatus.REVIEW),
    scope=_pair_in_scope,
    permits=can,
    history=lambda step: None,  # the pair itself keeps who decided, when and why
    audit=audit_record,
    audit_action=Action.UPDATE,
)
_DECISIONS: dict[str, str] = {PairStatus.ACCEPTED: "accept", PairStatus.REJECTED: "reject"}


def pair_decide(
    *, actor: Actor, pair: CandidatePair, decision: str, note: str = ""
) -> CandidatePair:
    """An officer's decision on a pair waiting for review: the same person (``accepted``) or
    not (``rejected``)."""
    if decision not in _DECISIONS:
        raise ValidationFailed(_("Quyết định không hợp lệ."), field="decision")
    return PAIR_LIFECYCLE.transition(actor=actor, obj=pair, action=_DECISIONS[decision], note=note)


# -- disagreements with the population database ------------------------------------------------

PRINCIPAL_ROLES = ("child", "deceased", "subject", "husband", "wife")
CHECKED_FIELDS = ("full_name", "sex", "birth_date")


def _differs(field: str, book: str, popdb: str) -> bool:
    if field == "full_name":
        return nfc(book) != nfc(popdb)
    if field == "birth_date":
        # a partial date in the book agrees with a full date it is a prefix of
        return bool(book) and bool(popdb) and not (popdb.startswith(book) or book == popdb)
    return bool(book) and bool(popdb) and book != popdb


def disagreements_check(
    *, actor: Actor, legal_basis: str, database: PopulationDatabase | None = None, limit: int = 500
) -> int:
    """Compare every registered record in the actor's scope that names a person with a personal
    ID (name, sex, birth date as the book writes them, margin notes applied) with the population
    database; store each new difference. Returns how many were found."""
    require(actor, RESOLVE, system=False)
    inquiry = Inquiry(actor, legal_basis, purpose="đối chiếu dữ liệu hộ tịch")
    db = database or population_database()
    records = (
        records_visible(actor)
        .filter(
            status="registered",
            parties__role__in=PRINCIPAL_ROLES,
            parties__person__personal_id__gt="",
        )
        .distinct()
        .prefetch_related("parties", "amendments")
        .order_by("pk")[:limit]
    )
    found = 0
    for record in records:
        values = current_values(record)
        for role in PRINCIPAL_ROLES:
            party = values["parties"].get(role)
            if not party or not (party.get("personal_id") or "").strip():
                continue
            citizen = db.lookup(party["personal_id"], inquiry=inquiry)
            if citizen is None:
                diffs: list[tuple[str, str, str]] = [
                    (str(DisagreementField.MISSING), str(party["personal_id"]), "")
                ]
            else:
                diffs = [
                    (f, str(party.get(f) or ""), str(getattr(citizen, f) or ""))
                    for f in CHECKED_FIELDS
                    if _differs(f, str(party.get(f) or ""), str(getattr(citizen, f) or ""))
                ]
            for field, book, popdb in diffs:
                with transaction.atomic():
                    _, created = Disagreement.objects.get_or_create(
                        record=record,
                        role=role,
                        field=field,
                        resolution="",
                        defaults={
                            "unit": record.unit,
                            "personal_id": party["personal_id"],
                            "book_value": book[:255],
                            "popdb_value": popdb[:255],
                            "page_image_id": record.page_image_id,
                            "is_historic": record.is_historic,
                        },
                    )
                found += int(created)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="linkage.disagreement",
        object_id=f"check:{found}",
        legal_basis=legal_basis,
        detail={"found": found},
    )
    return found


def _resolve(step: Step[Disagreement]) -> None:
    resolution = step.params["resolution"]
    if resolution not in Resolution.values:
        raise ValidationFailed(_("Cách xử lý không hợp lệ."), field="resolution")
    disagreement = step.obj
    step.to_status = resolution
    disagreement.note = nfc(step.note)[:300]
    disagreement.resolved_by = step.actor
    disagreement.resolved_at = timezone.now()


def _disagreement_in_scope(actor: Actor, disagreement: Disagreement) -> None:
    if not unit_in_scope(actor, disagreement.unit):
        raise NotFound(_("Không tìm thấy khác biệt."))


#: a difference found against the population database stays open until an officer records how
#: it was settled (the book wins unless it is itself wrong)
DISAGREEMENT_LIFECYCLE = Lifecycle(
    model=Disagreement,
    object_type="linkage.disagreement",
    noun=_("khác biệt"),
    statuses=[("", _("Chưa xử lý")), *Resolution.choices],
    actions=[
        LifecycleAction(
            "resolve",
            _("Xử lý khác biệt"),
            RESOLVE,
            tuple(Resolution.values),
            _resolve,
            refused_in={r: _("Khác biệt này đã được xử lý.") for r in Resolution.values},
        )
    ],
    table={"": ("resolve",), **{r: () for r in Resolution.values}},
    initial=("",),
    scope=_disagreement_in_scope,
    permits=can,
    history=lambda step: None,  # the disagreement keeps who settled it, when and how
    audit=audit_record,
    audit_action=Action.UPDATE,
    status_field="resolution",
)


def disagreement_resolve(
    *, actor: Actor, disagreement: Disagreement, resolution: str, note: str = ""
) -> Disagreement:
    """Record how a difference was settled (the book wins unless it is itself wrong)."""
    return DISAGREEMENT_LIFECYCLE.transition(
        actor=actor, obj=disagreement, action="resolve", note=note, resolution=resolution
    )
