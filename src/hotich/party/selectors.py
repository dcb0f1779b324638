"""Reading party data, always within the organizations the actor keeps (``party.scope``); a
member's record read is audited, and so is a list of members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from hotich.accounts.actors import Actor
from hotich.agencies.selectors import (
    organization_find,
    organizations_below,
    organizations_of_province,
)
from hotich.agencies.vocabulary import OrganizationKind
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.core.errors import NotFound
from hotich.core.text import fold
from hotich.party.models import (
    BadgeAward,
    Directive,
    DirectiveTarget,
    Distinction,
    FeePayment,
    FeeRemittance,
    Member,
    Rating,
    Transfer,
    TransferStep,
)
from hotich.party.rules import add_months, badge_due, birth_range, probation_ends
from hotich.party.scope import PARTY_KINDS, organization_in_reach, reach_paths, reach_q, reaches
from hotich.party.services.fees import dues_of
from hotich.party.services.ratings import RATING_LIFECYCLE
from hotich.party.services.transfers import TRANSFER_LIFECYCLE
from hotich.party.vocabulary import (
    RATING_SEASON_MONTH,
    AgeBand,
    RatingAction,
    Sex,
    Theory,
    TransferAction,
    TransferKind,
)

if TYPE_CHECKING:
    from hotich.agencies.models import Organization


def party_organizations(actor: Actor) -> list[Organization]:
    """The party organizations whose records the actor keeps, each with those below it, in tree
    order."""
    seen: dict[int, Organization] = {}
    for path in reach_paths(actor):
        root = organization_find(path.rstrip("/").split("/")[-1]) if path else None
        if root is None:
            continue
        for organization in organizations_below(root, include_self=True):
            if organization.kind in PARTY_KINDS:
                seen.setdefault(organization.pk, organization)
    return sorted(seen.values(), key=lambda o: o.path)


def party_organization_get(actor: Actor, organization_id: object) -> Organization:
    return organization_in_reach(actor, organization_find(organization_id))


def cell_choices(organization: Organization) -> list[tuple[int, str]]:
    """(id, name) of the party organizations right below ``organization``, for the filter of
    its member list (a committee of a thousand cells lists its grassroots committees; the list
    of one of those, its cells)."""
    return list(
        organizations_below(organization)
        .filter(parent=organization, kind__in=PARTY_KINDS)
        .values_list("pk", "name")
    )


@dataclass(frozen=True)
class MemberFilters:
    #: a cell, or a committee, under the organization listed
    cell: int | None = None
    sex: str = ""
    age_band: str = ""
    probationary: bool | None = None
    theory: str = ""
    name: str = ""


def members_list(
    actor: Actor,
    organization: Organization,
    filters: MemberFilters = MemberFilters(),
    *,
    today: dt.date | None = None,
) -> QuerySet[Member]:
    """The members of the cells under ``organization`` (itself a cell, or a committee: down the
    tree), filtered, by name. The read is audited (the organization and the filters: nothing
    personal)."""
    organization = organization_in_reach(actor, organization)
    today = today or timezone.localdate()
    # the organization is in reach, so is every cell below it: no second filter on the reach
    queryset = Member.objects.filter(cell__path__startswith=organization.path)
    if filters.cell:
        below = organization_find(filters.cell)
        if below is not None and below.path.startswith(organization.path):
            queryset = queryset.filter(cell__path__startswith=below.path)
        else:
            queryset = queryset.none()
    if filters.sex in Sex.values:
        queryset = queryset.filter(sex=filters.sex)
    if filters.age_band in AgeBand.values:
        earliest, latest = birth_range(filters.age_band, today)
        if earliest is not None:
            queryset = queryset.filter(birth_date__gte=earliest)
        if latest is not None:
            queryset = queryset.filter(birth_date__lte=latest)
    if filters.probationary is not None:
        queryset = queryset.filter(official_on__isnull=filters.probationary)
    if filters.theory in Theory.values:
        queryset = queryset.filter(theory=filters.theory)
    folded = fold(filters.name)
    if folded:
        queryset = queryset.filter(search_key__contains=folded)
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="party.member",
        detail={
            "list": organization.pk,
            "cell": filters.cell or "",
            "sex": filters.sex,
            "age": filters.age_band,
            "probationary": "" if filters.probationary is None else filters.probationary,
            "theory": filters.theory,
        },
    )
    return queryset.select_related("cell").order_by("search_key", "pk")


def member_get(actor: Actor, member_id: object) -> Member:
    """One member's record, when the actor keeps their cell's records (else 404); the read is
    audited."""
    try:
        member = Member.objects.select_related("cell", "attending", "user").get(
            pk=int(str(member_id))
        )
    except (Member.DoesNotExist, ValueError):
        raise NotFound("") from None
    paths = reach_paths(actor)
    cells = [member.cell] + ([member.attending] if member.attending is not None else [])
    if not any(cell.path.startswith(path) for cell in cells for path in paths):
        raise NotFound("")
    audit_record(actor=actor, action=Action.READ, object_type="party.member", object_id=member.pk)
    return member


@dataclass(frozen=True)
class Probation:
    probationary: bool
    ends_on: dt.date | None
    overdue: bool


def probation(member: Member, today: dt.date | None = None) -> Probation:
    """Whether the member is on probation, the day its 12 months end, and whether that day has
    passed without the member being recognized as official."""
    if not member.probationary:
        return Probation(False, None, False)
    ends = probation_ends(member.admitted_on)
    return Probation(True, ends, ends < (today or timezone.localdate()))


def member_distinctions(member: Member) -> QuerySet[Distinction]:
    return Distinction.objects.filter(member=member)


def member_transfers(member: Member) -> QuerySet[Transfer]:
    return Transfer.objects.filter(member=member).select_related("from_cell", "to_cell")


def transfers_visible(actor: Actor) -> QuerySet[Transfer]:
    """The transfers from or to the cells the actor keeps, newest first."""
    query = reach_q(actor, "from_cell__") | reach_q(actor, "to_cell__")
    return Transfer.objects.filter(query).select_related("member", "from_cell", "to_cell")


def transfer_get(actor: Actor, transfer_id: object) -> Transfer:
    """One transfer, when the actor keeps the sending or the receiving cell (else 404); the
    read is audited (it names the member)."""
    try:
        transfer = (
            transfers_visible(actor)
            .select_related("letter_signed", "document")
            .get(pk=int(str(transfer_id)))
        )
    except (Transfer.DoesNotExist, ValueError):
        raise NotFound("") from None
    audit_record(
        actor=actor, action=Action.READ, object_type="party.transfer", object_id=transfer.pk
    )
    return transfer


def destination_cells(member: Member) -> list[Organization]:
    """The active cells of the member's province a member may be transferred to."""
    return [
        o
        for o in organizations_of_province(member.cell.unit)
        if o.kind == OrganizationKind.PARTY_CELL and o.pk != member.cell_id
    ]


def transfer_actions(actor: Actor, transfer: Transfer) -> list[tuple[str, str]]:
    """The actions the actor may take on the transfer now: (name, label)."""
    keeps_from = reaches(actor, transfer.from_cell, "party.manage")
    keeps_to = reaches(actor, transfer.to_cell, "party.manage")
    mine: dict[str, bool] = {
        TransferAction.SIGN: keeps_from,
        TransferAction.CANCEL: keeps_from,
        TransferAction.ACCEPT: keeps_to,
        TransferAction.REFUSE: keeps_to,
        TransferAction.RETURN: (keeps_from or keeps_to)
        and transfer.kind == TransferKind.TEMPORARY
        and transfer.member.attending_id == transfer.to_cell_id,
    }
    return [
        (a.name, str(a.label))
        for a in TRANSFER_LIFECYCLE.allowed(actor, transfer)
        if mine.get(a.name, False)
    ]


def transfer_history(transfer: Transfer) -> QuerySet[TransferStep]:
    return TransferStep.objects.filter(transfer=transfer)


@dataclass(frozen=True)
class LedgerRow:
    member: Member
    due: int
    paid: int | None


@dataclass(frozen=True)
class Ledger:
    cell: Organization
    period: str
    rows: list[LedgerRow]
    due: int
    paid: int
    remittance: FeeRemittance | None


def fee_ledger(actor: Actor, cell: Organization, period: str) -> Ledger:
    """A cell's fees for one month: each member's due (as recorded, or by the rate) and what
    they paid (None: not recorded yet), the totals, and the closing when done."""
    cell = organization_in_reach(actor, cell)
    members = list(Member.objects.filter(cell=cell).order_by("search_key", "pk"))
    # one read of the month's payments: those of the members, and of members who have left
    paid = list(FeePayment.objects.filter(cell=cell, period=period).select_related("member"))
    payments = {p.member_id: p for p in paid}
    current = {m.pk for m in members}
    recorded = sorted(
        (p.member for p in paid if p.member_id not in current), key=lambda m: (m.search_key, m.pk)
    )
    dues = dues_of(members)
    rows = [
        LedgerRow(
            m,
            payments[m.pk].due if m.pk in payments else dues[m.pk],
            payments[m.pk].paid if m.pk in payments else None,
        )
        for m in [*members, *recorded]
    ]
    return Ledger(
        cell=cell,
        period=period,
        rows=rows,
        due=sum(r.due for r in rows),
        paid=sum(r.paid or 0 for r in rows),
        remittance=FeeRemittance.objects.filter(organization=cell, period=period).first(),
    )


@dataclass(frozen=True)
class FeeReportRow:
    organization: Organization
    months: int
    collected: int
    kept: int
    remitted: int


def fee_report(
    actor: Actor, organization: Organization, start: str, end: str
) -> list[FeeReportRow]:
    """For ``organization`` and each party organization under it, the months closed from
    ``start`` to ``end`` (``yyyy-mm``) and the fees collected, kept and sent up over them."""
    organization = organization_in_reach(actor, organization)
    sums: dict[int, dict[str, Any]] = {
        row["organization_id"]: dict(row)
        for row in FeeRemittance.objects.filter(
            organization__path__startswith=organization.path, period__gte=start, period__lte=end
        )
        .values("organization_id")
        .annotate(
            months=Count("pk"), collected=Sum("collected"), kept=Sum("kept"), sent=Sum("remitted")
        )
    }
    return [
        FeeReportRow(
            o,
            sums.get(o.pk, {}).get("months", 0),
            sums.get(o.pk, {}).get("collected", 0),
            sums.get(o.pk, {}).get("kept", 0),
            sums.get(o.pk, {}).get("sent", 0),
        )
        for o in organizations_below(organization, include_self=True)
        if o.kind in PARTY_KINDS
    ]


@dataclass(frozen=True)
class RatingRow:
    label: str
    member: Member | None
    organization: Organization | None
    rating: Rating | None
    #: what the actor may do now: ``self``, ``review``, ``decide`` or empty
    next_step: str


def ratings_board(actor: Actor, organization: Organization, year: int) -> list[RatingRow]:
    """The year's ratings of the party organizations under ``organization`` (itself included)
    and of their members, each with the step the actor may take next."""
    organization = organization_in_reach(actor, organization)
    organizations = [
        o for o in organizations_below(organization, include_self=True) if o.kind in PARTY_KINDS
    ]
    members = list(
        Member.objects.filter(cell__path__startswith=organization.path)
        .select_related("cell", "cell__parent")
        .order_by("cell__path", "search_key", "pk")
    )
    ratings = Rating.objects.filter(year=year).select_related(
        "member__cell", "organization__parent"
    )
    by_member = {r.member_id: r for r in ratings.filter(member__in=members)}
    by_org = {r.organization_id: r for r in ratings.filter(organization__in=organizations)}
    rows: list[RatingRow] = []
    for o in organizations:
        rows.append(RatingRow(o.name, None, o, by_org.get(o.pk), ""))
    for m in members:
        rows.append(RatingRow(m.full_name, m, None, by_member.get(m.pk), ""))
    return [
        RatingRow(r.label, r.member, r.organization, r.rating, _next_step(actor, r)) for r in rows
    ]


def _next_step(actor: Actor, row: RatingRow) -> str:
    rating = row.rating
    subject = row.member.cell if row.member is not None else row.organization
    assert subject is not None
    if rating is None:
        return "self" if reaches(actor, subject, "party.manage") else ""
    allowed = {a.name for a in RATING_LIFECYCLE.allowed(actor, rating)}
    if RatingAction.REVIEW in allowed:
        reviewer = subject if row.member is not None else subject.parent
        if reviewer is not None and reaches(actor, reviewer, "party.manage"):
            return RatingAction.REVIEW
    if RatingAction.DECIDE in allowed and any(
        subject.path.startswith(p) and subject.path != p for p in reach_paths(actor, "party.manage")
    ):
        return RatingAction.DECIDE
    return ""


def rating_find(actor: Actor, rating_id: object) -> Rating:
    try:
        rating = Rating.objects.select_related("member__cell", "organization__parent").get(
            pk=int(str(rating_id))
        )
    except (Rating.DoesNotExist, ValueError):
        raise NotFound("") from None
    subject = rating.member.cell if rating.member is not None else rating.organization
    if subject is None or (
        not reaches(actor, subject)
        and not (subject.parent is not None and reaches(actor, subject.parent))
    ):
        raise NotFound("")
    return rating


def member_ratings(member: Member) -> QuerySet[Rating]:
    return Rating.objects.filter(member=member).order_by("-year")


@dataclass(frozen=True)
class BadgeDue:
    member: Member
    years: int


def badges_due(actor: Actor, organization: Organization, occasion: dt.date) -> list[BadgeDue]:
    """The members under ``organization`` whose years of membership reached a badge (30, 40,
    45, 50…) in the twelve months up to ``occasion``, most years first. The read is audited."""
    organization = organization_in_reach(actor, organization)
    earliest = add_months(occasion, -12 * 30)
    candidates = Member.objects.filter(
        cell__path__startswith=organization.path, admitted_on__lte=earliest
    ).select_related("cell")
    due = [
        BadgeDue(m, years) for m in candidates if (years := badge_due(m.admitted_on, occasion) or 0)
    ]
    # a member who has received that badge already is not due it again
    awarded = set(
        BadgeAward.objects.filter(member__in=[b.member.pk for b in due]).values_list(
            "member_id", "years"
        )
    )
    due = [b for b in due if (b.member.pk, b.years) not in awarded]
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="party.member",
        detail={"badges": organization.pk, "occasion": occasion.isoformat()},
    )
    return sorted(due, key=lambda b: (-b.years, b.member.search_key))


@dataclass(frozen=True)
class TargetRow:
    target: DirectiveTarget
    #: ``done``, ``late`` (done after the deadline), ``open`` or ``overdue``
    state: str


@dataclass(frozen=True)
class DirectiveBoard:
    directive: Directive
    rows: list[TargetRow]
    done: int
    overdue: int


def _target_state(target: DirectiveTarget, deadline: dt.date, today: dt.date) -> str:
    task = target.task
    if task is not None and task.status == "done":
        finished = timezone.localdate(task.completed_at) if task.completed_at else today
        return "late" if finished > deadline else "done"
    return "overdue" if deadline < today else "open"


def directives_of(actor: Actor, organization: Organization) -> dict[str, list[DirectiveBoard]]:
    """The directives ``organization`` sent (``sent``: each with who has done it and who is
    late) and those it received (``received``: its own row only)."""
    organization = organization_in_reach(actor, organization)
    today = timezone.localdate()
    sent = list(
        Directive.objects.filter(committee=organization).prefetch_related(
            Prefetch(
                "targets",
                DirectiveTarget.objects.select_related("organization", "task", "task__owner"),
            )
        )[:100]
    )
    received = list(
        DirectiveTarget.objects.filter(organization=organization)
        .select_related("directive", "directive__committee", "task", "task__owner", "organization")
        .order_by("-directive__created_at")[:100]
    )

    def board(directive: Directive, targets: list[DirectiveTarget]) -> DirectiveBoard:
        rows = [TargetRow(t, _target_state(t, directive.deadline, today)) for t in targets]
        return DirectiveBoard(
            directive,
            rows,
            sum(r.state in ("done", "late") for r in rows),
            sum(r.state == "overdue" for r in rows),
        )

    return {
        "sent": [board(d, list(d.targets.all())) for d in sent],
        "received": [board(t.directive, [t]) for t in received],
    }


def directive_get(actor: Actor, directive_id: object) -> DirectiveBoard:
    """One directive with its receiving organizations' progress, for the keepers of the
    committee that sent it (else 404)."""
    try:
        directive = Directive.objects.select_related("committee", "signed").get(
            pk=int(str(directive_id))
        )
    except (Directive.DoesNotExist, ValueError):
        raise NotFound("") from None
    organization_in_reach(actor, directive.committee)
    today = timezone.localdate()
    targets = DirectiveTarget.objects.filter(directive=directive).select_related(
        "organization", "task", "task__owner", "document"
    )
    rows = [TargetRow(t, _target_state(t, directive.deadline, today)) for t in targets]
    audit_record(
        actor=actor, action=Action.READ, object_type="party.directive", object_id=directive.pk
    )
    return DirectiveBoard(
        directive,
        rows,
        sum(r.state in ("done", "late") for r in rows),
        sum(r.state == "overdue" for r in rows),
    )


def directive_targets_choices(organization: Organization) -> list[Organization]:
    """The party organizations under a committee a directive may go to, in tree order."""
    return [o for o in organizations_below(organization) if o.kind in PARTY_KINDS]


def badges_awarded(member: Member) -> QuerySet[BadgeAward]:
    return BadgeAward.objects.filter(member=member).select_related("organization")


@dataclass(frozen=True)
class OwnRecord:
    member: Member
    ratings: list[Rating]
    #: the year the member may assess now when not yet assessed, else None
    open_year: int | None


def own_record(actor: Actor) -> OwnRecord:
    """The party record of the signed-in member (404 for a user who is not a member); the
    read is audited."""
    member = (
        Member.objects.select_related("cell")
        .filter(user_id=getattr(actor, "pk", None) or 0)
        .first()
        if actor is not None
        else None
    )
    if member is None:
        raise NotFound("")
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="party.member",
        object_id=member.pk,
        detail={"own": True},
    )
    ratings = list(Rating.objects.filter(member=member).order_by("-year"))
    today = timezone.localdate()
    # the annual rating is made at the year's end: this year's from November, else last year's
    year = today.year if today.month >= RATING_SEASON_MONTH else today.year - 1
    return OwnRecord(member, ratings, None if any(r.year == year for r in ratings) else year)


def badges_awarded_at(
    actor: Actor, organization: Organization, occasion: dt.date
) -> QuerySet[BadgeAward]:
    """The badges awarded at ``occasion`` to members under ``organization``."""
    organization = organization_in_reach(actor, organization)
    return (
        BadgeAward.objects.filter(
            occasion=occasion, member__cell__path__startswith=organization.path
        )
        .select_related("member", "member__cell")
        .order_by("-years", "member__search_key")
    )


def member_of_user(user: Actor) -> int | None:
    """The id of the member record of a signed-in user, if any (nothing else is read)."""
    return (
        Member.objects.filter(user_id=getattr(user, "pk", None) or 0)
        .values_list("pk", flat=True)
        .first()
    )


def member_counts(
    actor: Actor, organization: Organization, *, start: dt.date, end: dt.date
) -> dict[str, int]:
    """The members under ``organization`` today, those on probation, and those admitted from
    ``start`` to ``end``: what a party organization reports up each period. Audited (the
    organization and the dates)."""
    organization = organization_in_reach(actor, organization)
    counts = Member.objects.filter(cell__path__startswith=organization.path).aggregate(
        total=Count("pk"),
        probationary=Count("pk", filter=Q(official_on=None)),
        admitted=Count("pk", filter=Q(admitted_on__gte=start, admitted_on__lte=end)),
    )
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="party.member",
        detail={"counts": organization.pk, "from": start.isoformat(), "to": end.isoformat()},
    )
    return {k: int(v or 0) for k, v in counts.items()}
