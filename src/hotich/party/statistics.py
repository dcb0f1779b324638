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

from django.db.models import Case, CharField, Count, F, FilteredRelation, Q, Value, When
from django.db.models.functions import Coalesce
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


def _age_case(today: dt.date) -> Case:
    whens = []
    for band in AgeBand.values:
        earliest, latest = birth_range(band, today)
        condition = Q()
        if earliest is not None:
            condition &= Q(birth_date__gte=earliest)
        if latest is not None:
            condition &= Q(birth_date__lte=latest)
        whens.append(When(condition, then=Value(band)))
    return Case(*whens, default=Value(NOT_RECORDED), output_field=CharField())


def _choices(
    choices: list[tuple[str, Any]], *, blank: Promise | None = None
) -> list[tuple[str, str]]:
    columns = [(value, str(label)) for value, label in choices]
    if blank is not None:
        columns.append((NOT_RECORDED, str(blank)))
    return columns


def member_statistics(
    actor: Actor, organization: Organization, *, today: dt.date | None = None
) -> Statistics:
    """The counts of the members under ``organization`` (a committee: each organization of its
    tree; a cell: itself) by each breakdown. Audited."""
    organization = organization_in_reach(actor, organization)
    today = today or timezone.localdate()
    grade_year = today.year - 1
    tree = [
        o
        for o in organizations_below(organization, include_self=True, active_only=False)
        if o.kind in PARTY_KINDS
    ]
    by_path = {o.path: i for i, o in enumerate(tree)}
    members = Member.objects.filter(cell__path__startswith=organization.path).annotate(
        last_rating=FilteredRelation(
            "ratings",
            condition=Q(ratings__year=grade_year, ratings__status=RatingStatus.DECIDED),
        ),
        age_band=_age_case(today),
        grade=Coalesce(F("last_rating__decided_grade"), Value(NOT_RECORDED)),
    )
    dimensions: list[tuple[str, Promise | str, str]] = [
        ("sex", _("Giới tính"), "sex"),
        ("age", _("Độ tuổi"), "age_band"),
        ("ethnicity", _("Dân tộc"), "ethnicity"),
        ("general_education", _("Giáo dục phổ thông"), "general_education"),
        ("education", _("Trình độ chuyên môn"), "education"),
        ("theory", _("Lý luận chính trị"), "theory"),
        ("grade", _("Xếp loại chất lượng năm %(year)s") % {"year": grade_year}, "grade"),
    ]
    cell_paths = dict(
        Member.objects.filter(cell__path__startswith=organization.path)
        .values_list("cell_id", "cell__path")
        .distinct()
        .order_by()
    )
    ancestors: dict[int, list[int]] = {
        cell_id: _ancestors(path, by_path) for cell_id, path in cell_paths.items()
    }
    tables: list[StatsTable] = []
    total = 0
    for key, title, field in dimensions:
        counts: dict[tuple[int, str], int] = {}
        grouped = members.values("cell_id", field).annotate(n=Count("pk")).order_by()
        for row in grouped:
            value = row[field] or NOT_RECORDED
            for index in ancestors.get(row["cell_id"], []):
                counts[index, value] = counts.get((index, value), 0) + row["n"]
        columns = _columns(key, {v: n for (i, v), n in counts.items() if i == 0})
        rows = [
            StatsRow(o, [counts.get((i, v), 0) for v, _label in columns], 0)
            for i, o in enumerate(tree)
        ]
        rows = [StatsRow(r.organization, r.counts, sum(r.counts)) for r in rows]
        total = rows[0].total if rows else 0
        tables.append(StatsTable(key, str(title), columns, rows))
    audit_record(
        actor=actor,
        action=Action.READ,
        object_type="party.member",
        detail={"statistics": organization.pk, "year": grade_year},
    )
    return Statistics(organization, today, grade_year, total, tables)


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
