"""The reports the platform fills itself, as definitions of the indicator engine (ADR 0030,
ADR 0035): a :class:`FormSpec` names a form's categories, computed indicators, rules and the
codes its report names its cells by; :func:`form_define` makes what is missing of it in the
catalogue (a deployment's own changes are kept).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: an option of a category: code, Vietnamese name, English name
Option = tuple[str, str, str]
#: code, name, name_en, unit of measure, value type, aggregation ("sum", or "sum/last": over
#: units, then over time), categories, source
IndicatorSpec = tuple[str, str, str, str, str, str, list[str], str]


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    #: the options, or a function giving them when the form is defined (the kinds of document
    #: the contexts register)
    options: Sequence[Option] | Callable[[], Sequence[Option]]

    def option_list(self) -> Sequence[Option]:
        return self.options() if callable(self.options) else self.options


@dataclass(frozen=True)
class FormSpec:
    code: str
    name: str
    name_en: str
    regime: str
    deadline_days: int
    legal_basis: str
    categories: Sequence[CategorySpec]
    indicators: Sequence[IndicatorSpec]
    #: a ``weighted`` indicator → the indicator weighing it
    weights: dict[str, str] = field(default_factory=dict)
    rules: Sequence[dict[str, str]] = ()
    #: ``DataForm.report_columns``
    columns: Sequence[dict[str, str]] = ()
    cutoff_day: int = 15


def column(
    code: str,
    indicator: str,
    combo: str,
    group: tuple[str, str],
    name: tuple[str, str] | None = None,
) -> dict[str, str]:
    """One entry of ``DataForm.report_columns``: the report's code of one cell."""
    entry = {
        "code": code,
        "indicator": indicator,
        "combo": combo,
        "group": group[0],
        "group_en": group[1],
    }
    if name is not None:
        entry.update(name=name[0], name_en=name[1])
    return entry


def _categories(apps: Any, spec: FormSpec) -> dict[str, Any]:
    """The categories of ``spec`` by code, the missing ones made with their options; a
    category that has options already keeps them (a deployment's own list)."""
    Category = apps.get_model("reporting", "Category")
    CategoryOption = apps.get_model("reporting", "CategoryOption")
    specs = {cat.code: cat for cat in spec.categories}
    existing = set(Category.objects.filter(code__in=specs).values_list("code", flat=True))
    Category.objects.bulk_create(
        [
            Category(code=code, name=cat.name, name_en=cat.name_en)
            for code, cat in specs.items()
            if code not in existing
        ]
    )
    out = {c.code: c for c in Category.objects.filter(code__in=specs)}
    with_options = set(
        CategoryOption.objects.filter(category__in=out.values()).values_list(
            "category_id", flat=True
        )
    )
    CategoryOption.objects.bulk_create(
        [
            CategoryOption(category=category, code=option, name=vi, name_en=en, order=order)
            for code, category in out.items()
            if category.pk not in with_options
            for order, (option, vi, en) in enumerate(specs[code].option_list())
        ]
    )
    return out


def form_define(apps: Any, spec: FormSpec) -> None:
    """Create the form of ``spec``, its categories and indicators where they are missing;
    ``apps``: the app registry (the migration state's when called after ``migrate``). A few
    statements per form, whatever its size: this runs after every ``migrate`` and ``flush``."""
    Indicator = apps.get_model("reporting", "Indicator")
    DataForm = apps.get_model("reporting", "DataForm")
    FormRow = apps.get_model("reporting", "FormRow")
    categories = _categories(apps, spec)
    codes = [row[0] for row in spec.indicators]
    existing = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    made = []
    for code, name, name_en, uom, vtype, how, _cats, source in spec.indicators:
        if code in existing:
            continue
        over_units, _slash, over_time = how.partition("/")
        made.append(
            Indicator(
                code=code,
                name=name,
                name_en=name_en,
                unit_of_measure=uom,
                value_type=vtype,
                aggregation_units=over_units,
                aggregation_time=over_time or over_units,
                legal_basis=spec.legal_basis,
                source=source,
            )
        )
    Indicator.objects.bulk_create(made)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    new_codes = {i.code for i in made}
    Link = Indicator.categories.through
    Link.objects.bulk_create(
        [
            Link(indicator_id=indicators[code].pk, category_id=categories[c].pk)
            for code, *_rest, cats, _source in spec.indicators
            if code in new_codes
            for c in cats
        ]
    )
    for code, weight in spec.weights.items():
        if Indicator.objects.filter(pk=indicators[code].pk, weight=None).update(
            weight=indicators[weight]
        ):  # values stored already weigh from now on in the analytics' summary (ADR 0034)
            from hotich.reporting.summaries import summary_refresh

            summary_refresh(indicator_ids=[indicators[code].pk])
    if DataForm.objects.filter(code=spec.code).exists():
        return
    form = DataForm.objects.create(
        code=spec.code,
        name=spec.name,
        name_en=spec.name_en,
        regime=spec.regime,
        cutoff_day=spec.cutoff_day,
        deadline_days=spec.deadline_days,
        rules=list(spec.rules),
        report_columns=list(spec.columns),
    )
    FormRow.objects.bulk_create(
        FormRow(form=form, indicator=indicators[code], order=order)
        for order, code in enumerate(codes)
    )
