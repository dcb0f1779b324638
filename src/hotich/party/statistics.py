"""Statistics of party members (reads): how many members each party organization under a
committee has, by age band, sex, ethnicity, general education, highest diploma, political theory
level and last year's grade.

Each breakdown is one ``GROUP BY`` in the database, by cell and value; the counts of a committee
are the sums of its cells', added up the tree from the paths (a cell belongs to every
organization whose path its own path starts with). Same reach as the member list: the keepers of
the organization or of one above it; the read is audited (the organization and the year, nothing
personal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hotich.accounts.actors import Actor
from hotich.agencies.selectors import organizations_below
from hotich.audit.services import audit_record
from hotich.audit.vocabulary import Action
from hotich.party.models import Member
from hotich.party.rules import birth_range
from hotich.party.scope import PARTY_KINDS, organization_in_reach
from hotich.party.vocabulary import AgeBand, Education, Grade, RatingStatus, Sex, Theory

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: the value of a member for whom a field is not recorded
NOT_RECORDED = "-"


@dataclass(frozen=True)
class StatsRow:
    organization: Organization
    counts: list[int]
    total: int


@dataclass(frozen=True)
class StatsTable:
    #: ``sex``, ``age``, ``ethnicity``, ``general_education``, ``education``, ``theory``,
    #: ``grade``
    key: str
    title: str
    #: (value, label) of each column
    columns: list[tuple[str, str]]
    rows: list[StatsRow]


@dataclass(frozen=True)
class Statistics:
    organization: Organization
    #: the day the ages are counted on
    today: dt.date
    #: the year of the grades counted (last year)
    grade_year: int
    total: int
    tables: list[StatsTable]
    #: every organization of the tree has its row (else: the organization and those right
    #: below it, each with the figures of its whole subtree)
    complete: bool = True


def _choices(
    choices: list[tuple[str, Any]], *, blank: Promise | None = None
) -> list[tuple[str, str]]:
    columns = [(value, str(label)) for value, label in choices]
    if blank is not None:
        columns.append((NOT_RECORDED, str(blank)))
    return columns


def member_statistics(
    actor: Actor,
    organization: Organization,
    *,
    today: dt.date | None = None,
    max_rows: int | None = None,
) -> Statistics:
    """The counts of the members under ``organization`` (a committee: each organization of its
    tree; a cell: itself) by each breakdown. With ``max_rows`` and a larger tree, only the
    organization and those right below it have a row. Audited."""
    max_rows = max_rows if max_rows is not None else 10**9
    organization = organization_in_reach(actor, organization)
    today = today or timezone.localdate()
    grade_year = today.year - 1
    tree = [
        o
        for o in organizations_below(organization, include_self=True, active_only=False)
        if o.kind in PARTY_KINDS
    ]
    by_path = {o.path: i for i, o in enumerate(tree)}
    members = Member.objects.filter(cell__path__startswith=organization.path)
    titles: dict[str, Promise | str] = {
        "sex": _("Giới tính"),
        "age": _("Độ tuổi"),
        "ethnicity": _("Dân tộc"),
        "general_education": _("Giáo dục phổ thông"),
        "education": _("Trình độ chuyên môn"),
        "theory": _("Lý luận chính trị"),
        "grade": _("Xếp loại chất lượng năm %(year)s") % {"year": grade_year},
    }
    # the values of the free-text fields met under the organization, with their counts
    met = {
        key: {
            row[key] or NOT_RECORDED: row["n"]
            for row in members.values(key).annotate(n=Count("pk")).order_by()
        }
        for key in FREE_TEXT
    }
    columns = {key: _columns(key, met.get(key, {})) for key in titles}
    # one pass over the members: per cell, a filtered count for each value of each breakdown
    conditions = {
        (key, value): _condition(key, value, today)
        for key, cols in columns.items()
        for value, _label in cols
    }
    names = {pair: f"c{n}" for n, pair in enumerate(conditions)}
    per_cell = (
        members.annotate(
            last_rating=FilteredRelation(
                "ratings",
                condition=Q(ratings__year=grade_year, ratings__status=RatingStatus.DECIDED),
            )
        )
        .values("cell_id", "cell__path")
        .annotate(**{names[pair]: Count("pk", filter=q) for pair, q in conditions.items()})
        .order_by()
    )
    counts: dict[int, list[int]] = {}
    width = len(conditions)
    for found in per_cell:
        row: dict[str, Any] = dict(found)
        values = [row[names[pair]] for pair in conditions]
        for index in _ancestors(row["cell__path"], by_path):
            bucket = counts.setdefault(index, [0] * width)
            for n, value in enumerate(values):
                bucket[n] += value
    shown = [
        (i, o)
        for i, o in enumerate(tree)
        if len(tree) <= max_rows or o.depth <= organization.depth + 1
    ]
    positions = {pair: n for n, pair in enumerate(conditions)}
    tables: list[StatsTable] = []
    for key, title in titles.items():
        rows = []
        for i, o in shown:
            bucket = counts.get(i, [0] * width)
            cells = [bucket[positions[key, value]] for value, _label in columns[key]]
            rows.append(StatsRow(o, cells, sum(cells)))
        tables.append(StatsTable(key, str(title), columns[key], rows))
    total = tables[0].rows[0].total if tables and tables[0].rows else 0
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="party.member",
        detail={"statistics": organization.pk, "year": grade_year},
    )
    return Statistics(organization, today, grade_year, total, tables, len(shown) == len(tree))


#: the breakdowns whose values are free text (the columns are the values met)
FREE_TEXT = ("ethnicity", "general_education")


def _condition(key: str, value: str, today: dt.date) -> Q:
    """The members counted in the column ``value`` of the breakdown ``key``."""
    if key == "age":
        earliest, latest = birth_range(value, today)
        condition = Q()
        if earliest is not None:
            condition &= Q(birth_date__gte=earliest)
        if latest is not None:
            condition &= Q(birth_date__lte=latest)
        return condition
    if key == "grade":
        if value == NOT_RECORDED:
            return Q(last_rating__decided_grade__isnull=True) | Q(last_rating__decided_grade="")
        return Q(last_rating__decided_grade=value)
    return Q(**{key: "" if value == NOT_RECORDED else value})


def _ancestors(path: str, by_path: dict[str, int]) -> list[int]:
    """The indexes of the organizations of the tree whose path ``path`` starts with."""
    parts = path.rstrip("/").split("/")
    found = []
    for end in range(1, len(parts) + 1):
        index = by_path.get("/".join(parts[:end]) + "/")
        if index is not None:
            found.append(index)
    return found


def _columns(key: str, present: dict[str, int]) -> list[tuple[str, str]]:
    """The columns of a breakdown; ``present``: the values met and their counts in the whole
    tree."""
    if key == "sex":
        return _choices(Sex.choices, blank=_("Chưa ghi") if NOT_RECORDED in present else None)
    if key == "age":
        return _choices(AgeBand.choices)
    if key == "education":
        return _choices(Education.choices, blank=_("Chưa ghi"))
    if key == "theory":
        return _choices(Theory.choices)
    if key == "grade":
        return _choices(Grade.choices, blank=_("Chưa xếp loại"))
    # free text (ethnicity, general education): the values met, the most common first
    ordered = sorted(present, key=lambda v: (v == NOT_RECORDED, -present[v], v))
    return [(v, v if v != NOT_RECORDED else str(_("Chưa ghi"))) for v in ordered]
