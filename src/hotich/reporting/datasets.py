"""Forms (data sets), data entry, validation rules, completeness and approval up the tree.

A :class:`DataForm` lists indicators (rows; their disaggregation options are the columns), has a
regime of Decree 09/2019 (periodicity, cut-off day, deadline) and is assigned to organizations.
Each organization enters its values per period, cell by cell; the form's rules (``NU <= TONG``)
are evaluated with ``simpleeval`` over each indicator's total, never with ``eval``. The
organization submits the form (:data:`FORM_REPORT_LIFECYCLE`); a leader of an organization above
it approves it or returns it with a reason; an approved form is reopened only with a reason.
Values add up the organization tree following each indicator's aggregation.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simpleeval import InvalidExpression, SimpleEval

from hotich.accounts.actors import Actor, acting_user
from hotich.accounts.authz import permits, require
from hotich.agencies.selectors import organizations_below, primary_membership
from hotich.audit.services import audit_record
from hotich.core.deferred import Deferred
from hotich.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hotich.core.lifecycle import Action, Lifecycle, Step
from hotich.core.text import nfc
from hotich.reporting.approval_flags import approved_elsewhere, approved_refresh
from hotich.reporting.computed import computed_fill
from hotich.reporting.indicators import combos, parse_value
from hotich.reporting.models import (
    Aggregation,
    DataForm,
    DataValue,
    FormReport,
    FormReportStatus,
    FormReportStep,
    FormRow,
    Indicator,
)
from hotich.reporting.periods import Period, Regime, periods_of_year
from hotich.reporting.reach import in_reach
from hotich.reporting.summaries import summary_refresh

if TYPE_CHECKING:
    from hotich.agencies.models import Organization

#: the push of an approved form report to the national system (bound in ``tasks``)
FORM_PUSH = Deferred[[int]]("reporting.form_report_push")
_MANAGE = _("Bạn không có quyền quản lý biểu mẫu báo cáo.")
_ENTER = _("Bạn không có quyền nhập số liệu báo cáo.")
_COMPUTED = _("Chỉ tiêu này được tính tự động từ dữ liệu của hệ thống; không nhập tay.")
FUNCTIONS = {"abs": abs, "min": min, "max": max}


# --- forms ----------------------------------------------------------------------------------


def rule_names(expression: str) -> set[str]:
    """The indicator codes a rule reads, or ValidationFailed when it is not an expression."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ValidationFailed(
            format_lazy(_("Quy tắc “{rule}” không đúng cú pháp."), rule=expression), field="rules"
        ) from None
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - set(FUNCTIONS)


def rule_holds(expression: str, values: dict[str, Decimal]) -> bool | None:
    """Whether the rule holds over ``values``; None when a value it reads is missing (DHIS2's
    "skip if any value is missing")."""
    if rule_names(expression) - set(values):
        return None
    evaluator = SimpleEval(names=values, functions=FUNCTIONS)
    try:
        return bool(evaluator.eval(expression))
    except (InvalidExpression, ArithmeticError, TypeError):
        return None


def _check_rules(rules: Sequence[dict[str, str]], codes: set[str]) -> list[dict[str, str]]:
    checked = []
    for rule in rules:
        expression = str(rule.get("expression", "")).strip()
        unknown = rule_names(expression) - codes
        if not expression or unknown:
            raise ValidationFailed(
                format_lazy(
                    _("Quy tắc “{rule}” dùng chỉ tiêu không có trong biểu: {codes}."),
                    rule=expression,
                    codes=", ".join(sorted(unknown)),
                ),
                field="rules",
            )
        if rule_holds(expression, dict.fromkeys(codes, Decimal(1))) is None:
            raise ValidationFailed(
                format_lazy(_("Quy tắc “{rule}” không tính được."), rule=expression),
                field="rules",
            )
        checked.append(
            {
                "code": str(rule.get("code") or expression)[:40],
                "expression": expression,
                "message": nfc(str(rule.get("message") or expression))[:300],
            }
        )
    return checked


def form_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    regime: str,
    indicators: Sequence[str],
    name_en: str = "",
    cutoff_day: int = 15,
    deadline_days: int = 5,
    rules: Sequence[dict[str, str]] = (),
    is_secret: bool = False,
) -> DataForm:
    """Create or replace a form: its indicators in row order, regime and rules."""
    require(actor, "reporting.indicators", message=_MANAGE)
    if regime not in Regime.values:
        raise ValidationFailed(_("Chế độ báo cáo không hợp lệ."), field="regime")
    Period(regime=regime, year=2000, cutoff_day=cutoff_day)  # checks the cut-off day
    found = {i.code: i for i in Indicator.objects.filter(code__in=indicators)}
    missing = [c for c in indicators if c not in found]
    if missing or not indicators:
        raise ValidationFailed(
            format_lazy(_("Không có chỉ tiêu: {codes}."), codes=", ".join(missing) or "-"),
            field="indicators",
        )
    checked = _check_rules(rules, set(found))
    with transaction.atomic():
        form, _created = DataForm.objects.update_or_create(
            code=code.strip(),
            defaults={
                "name": nfc(name),
                "name_en": name_en,
                "regime": regime,
                "cutoff_day": cutoff_day,
                "deadline_days": deadline_days,
                "rules": checked,
                "is_secret": is_secret,
            },
        )
        before = set(FormRow.objects.filter(form=form).values_list("indicator_id", flat=True))
        FormRow.objects.filter(form=form).delete()
        FormRow.objects.bulk_create(
            FormRow(form=form, indicator=found[c], order=i) for i, c in enumerate(indicators)
        )
        after = {found[c].pk for c in indicators}
        if before != after and form.reports.filter(status=FormReportStatus.APPROVED).exists():
            # an approved report now covers other indicators
            approved_refresh(indicator_ids=before ^ after)
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.form",
            object_id=form.code,
            detail={"indicators": list(indicators), "rules": len(checked)},
        )
    return form


def form_assign(*, actor: Actor, form: DataForm, organizations: Iterable[Organization]) -> DataForm:
    """The organizations that report ``form`` (replacing the previous list)."""
    require(actor, "reporting.indicators", message=_MANAGE)
    chosen = list(organizations)
    with transaction.atomic():
        form.organizations.set(chosen)
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.form",
            object_id=form.code,
            detail={"organizations": [o.code for o in chosen]},
        )
    return form


def form_period(form: DataForm, code: str, *, today: dt.date | None = None) -> Period:
    """The period ``code`` of the form's regime, refused when it has not started yet."""
    period = Period.parse(code, cutoff_day=form.cutoff_day)
    if period.regime != form.regime:
        raise ValidationFailed(
            format_lazy(
                _("Biểu {form} báo cáo {regime}, không theo kỳ {period}."),
                form=form.code,
                regime=Regime(form.regime).label,
                period=code,
            ),
            field="period",
        )
    if today is not None and today < period.start:
        raise ValidationFailed(
            format_lazy(_("Kỳ {period} chưa mở để nhập số liệu."), period=period.label),
            field="period",
            code="period_not_open",
        )
    return period


def _secret_hidden(actor: Actor, form: DataForm) -> None:
    if form.is_secret and not permits(actor, "reporting.secret"):
        raise NotFound(_("Không có biểu báo cáo này."))


def _assigned(actor: Actor, form: DataForm, organization: Organization) -> None:
    _secret_hidden(actor, form)
    if not in_reach(actor, organization):
        raise NotFound(_("Không tìm thấy cơ quan, đơn vị."), field="organization")
    if not form.organizations.filter(pk=organization.pk).exists():
        raise ValidationFailed(
            format_lazy(
                _("{org} không được giao báo cáo biểu {form}."),
                org=organization.name,
                form=form.code,
            ),
            field="organization",
            code="not_assigned",
        )


# --- the grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    combo: str
    label: str
    value: Decimal | None
    #: filled from the platform's data, read-only
    computed: bool = False
    comment: str = ""
    #: the value is far from the organization's own history (a warning, not a refusal)
    warning: str = ""

    @property
    def text(self) -> str:
        return "" if self.value is None else value_of(self.value)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    cells: list[Cell]


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    indicators: list[str]


@dataclass
class Grid:
    form: DataForm
    organization: Organization
    period: Period
    report: FormReport | None
    rows: list[Row] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.report.status if self.report else FormReportStatus.OPEN

    @property
    def editable(self) -> bool:
        return self.status in (FormReportStatus.OPEN, FormReportStatus.RETURNED)

    @property
    def filled(self) -> int:
        return sum(c.value is not None for r in self.rows for c in r.cells)

    @property
    def expected(self) -> int:
        return sum(len(r.cells) for r in self.rows)


def _form_rows(form: DataForm, actor: Actor = None) -> list[Indicator]:
    """The form's indicators in row order; secret ones only for an actor who may see them."""
    rows = form.rows.select_related("indicator").prefetch_related("indicator__categories__options")
    if not permits(actor, "reporting.secret"):
        rows = rows.filter(indicator__is_secret=False)
    return [r.indicator for r in rows]


def _totals(rows: Iterable[Row]) -> dict[str, Decimal]:
    """Each indicator's total over its combinations (missing when no cell holds a value)."""
    totals: dict[str, Decimal] = {}
    for row in rows:
        values = [c.value for c in row.cells if c.value is not None]
        if values:
            totals[row.indicator.code] = sum(values, Decimal(0))
    return totals


def violations(form: DataForm, rows: Iterable[Row]) -> list[Violation]:
    totals = _totals(rows)
    return [
        Violation(rule["code"], rule["message"], sorted(rule_names(rule["expression"])))
        for rule in form.rules
        if rule_holds(rule["expression"], totals) is False
    ]


def form_grid(
    *, actor: Actor, form: DataForm, organization: Organization, period_code: str
) -> Grid:
    """The form of ``organization`` for a period: its cells with their values, the rules broken
    and the approval status."""
    require(actor, "reporting.view", message=_("Bạn không có quyền xem báo cáo."))
    _assigned(actor, form, organization)
    return _grid(form, organization, form_period(form, period_code), _form_rows(form, actor))


#: how many earlier periods of the organization an entered value is compared with
HISTORY_PERIODS = 8
#: at least this many earlier values before a value is called unusual
HISTORY_MIN = 3


def _earlier_periods(period: Period, count: int) -> list[str]:
    codes: list[str] = []
    for year in range(period.year, period.year - count - 1, -1):
        if year < 1900:
            break
        for p in reversed(periods_of_year(period.regime, year, cutoff_day=period.cutoff_day)):
            if p.code < period.code or year < period.year:
                codes.append(p.code)
        if len(codes) >= count:
            break
    return codes[:count]


def _cell_history(
    organization: Organization, period: Period, indicators: list[Indicator]
) -> dict[tuple[int, str], list[Decimal]]:
    """The organization's values in its last :data:`HISTORY_PERIODS` periods, per cell (one
    query)."""
    out: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    earlier = _earlier_periods(period, HISTORY_PERIODS)
    for indicator_id, combo, value in DataValue.objects.filter(
        organization=organization, period_code__in=earlier, indicator__in=indicators
    ).values_list("indicator_id", "combo", "value"):
        out[(indicator_id, combo)].append(Decimal(value))
    return out


def outlier_warning(value: Decimal | None, history: Sequence[Decimal]) -> str:
    """A message when ``value`` is beyond the mean ± 3 standard deviations of ``history`` or
    more than three times (or under a third of) its median; empty otherwise or with too short a
    history."""
    if value is None or len(history) < HISTORY_MIN:
        return ""
    ordered = sorted(history)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    mean = sum(ordered, Decimal(0)) / len(ordered)
    deviation = (sum(((v - mean) ** 2 for v in ordered), Decimal(0)) / len(ordered)).sqrt()
    far = deviation > 0 and abs(value - mean) > 3 * deviation
    jump = median > 0 and (value > 3 * median or value * 3 < median)
    if not (far or jump):
        return ""
    return str(
        format_lazy(
            _("Giá trị khác thường so với {n} kỳ trước của đơn vị (trung vị {median})."),
            n=len(ordered),
            median=value_of(median),
        )
    )


def _rows(
    organization: Organization,
    period: Period,
    indicators: list[Indicator],
    *,
    history_of: list[Indicator] | None = None,
) -> list[Row]:
    """The grid's rows (two queries); warnings for the cells of ``history_of`` (default:
    all)."""
    stored = {
        (indicator_id, combo): (value, comment)
        for indicator_id, combo, value, comment in DataValue.objects.filter(
            organization=organization, period_code=period.code, indicator__in=indicators
        ).values_list("indicator_id", "combo", "value", "comment")
    }
    history = _cell_history(organization, period, indicators if history_of is None else history_of)
    rows = []
    for i in indicators:
        cells = []
        for key, label in combos(i):
            value, comment = stored.get((i.pk, key), (None, ""))
            warning = "" if i.source else outlier_warning(value, history.get((i.pk, key), []))
            cells.append(Cell(key, label, value, bool(i.source), comment, warning))
        rows.append(Row(indicator=i, cells=cells))
    return rows


def _grid(
    form: DataForm, organization: Organization, period: Period, indicators: list[Indicator]
) -> Grid:
    rows = _rows(organization, period, indicators)
    report = FormReport.objects.filter(
        form=form, organization=organization, period_code=period.code
    ).first()
    return Grid(form, organization, period, report, rows, violations(form, rows))


@dataclass(frozen=True)
class Saved:
    value: Decimal | None
    violations: list[Violation]
    filled: int
    expected: int
    warning: str = ""


def value_save(
    *,
    actor: Actor,
    form: DataForm,
    organization: Organization,
    period_code: str,
    indicator_code: str,
    combo: str,
    raw: str,
    comment: str = "",
    today: dt.date | None = None,
) -> Saved:
    """Save one cell (an empty ``raw`` clears it); refused for a form submitted or approved, a
    period not open, a unit not assigned, or a value of the wrong type."""
    require(actor, "reporting.submit", message=_ENTER)
    _assigned(actor, form, organization)
    period = form_period(form, period_code, today=today or timezone.localdate())
    indicators = _form_rows(form, actor)
    indicator = next((i for i in indicators if i.code == indicator_code), None)
    if indicator is None:
        raise ValidationFailed(_("Chỉ tiêu không có trong biểu."), field="indicator")
    if combo not in {key for key, _label in combos(indicator)}:
        raise ValidationFailed(_("Phân tổ không đúng với chỉ tiêu."), field="combo")
    if indicator.source:
        raise ValidationFailed(_COMPUTED, field="indicator", code="computed")
    value = parse_value(indicator, raw) if str(raw).strip() else None
    with transaction.atomic():
        report, _created = FormReport.objects.select_for_update().get_or_create(
            form=form, organization=organization, period_code=period.code
        )
        if report.status not in (FormReportStatus.OPEN, FormReportStatus.RETURNED):
            raise Conflict(
                format_lazy(
                    _("Biểu đã {status}; không sửa được số liệu."),
                    status=FormReportStatus(report.status).label.lower(),
                ),
                code="locked",
            )
        # the report's lock serialises the writes of this cell: read it once, then write
        stored = DataValue.objects.filter(
            indicator=indicator, organization=organization, period_code=period.code, combo=combo
        ).first()
        previous = None if stored is None else stored.value
        approved = stored is not None and stored.approved
        if value is None:
            if stored is not None:
                stored.delete()
        elif stored is None:  # a new value: approved when another form holding it is
            approved = approved_elsewhere(
                indicator_id=indicator.pk, organization_id=organization.pk, period_code=period.code
            )
            DataValue.objects.create(
                indicator=indicator,
                organization=organization,
                period_code=period.code,
                combo=combo,
                value=value,
                comment=nfc(comment.strip())[:500],
                updated_by=acting_user(actor),
                approved=approved,
            )
        else:  # a stored value keeps its flag
            stored.value, stored.updated_by = value, acting_user(actor)
            fields = ["value", "updated_by", "updated_at"]
            if comment:
                stored.comment = nfc(comment.strip())[:500]
                fields.append("comment")
            stored.save(update_fields=fields)
        if approved or Indicator.objects.filter(weight=indicator).exists():
            # the analytics' summary holds approved values and what weighs them (ADR 0034)
            summary_refresh(
                indicator_ids=[indicator.pk],
                organization_id=organization.pk,
                period_code=period.code,
            )
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.data_value",
            object_id=f"{indicator.code}/{organization.code}/{period.code}/{combo}",
            before=None if previous is None else {"value": str(previous)},
            after=None if value is None else {"value": str(value)},
        )
    # the answer from the form's values of this period and the one cell's history only
    rows = _rows(organization, period, indicators, history_of=[indicator])
    warning = next(
        (
            c.warning
            for r in rows
            if r.indicator.pk == indicator.pk
            for c in r.cells
            if c.combo == combo
        ),
        "",
    )
    filled = sum(c.value is not None for r in rows for c in r.cells)
    expected = sum(len(r.cells) for r in rows)
    return Saved(value, violations(form, rows), filled, expected, warning)


def value_comment(
    *,
    actor: Actor,
    form: DataForm,
    organization: Organization,
    period_code: str,
    indicator_code: str,
    combo: str,
    text: str,
) -> str:
    """Set (or clear, with an empty ``text``) the comment of one cell that holds a value; the
    same rules as :func:`value_save` (scope, assignment, form open). Audited."""
    require(actor, "reporting.submit", message=_ENTER)
    _assigned(actor, form, organization)
    period = form_period(form, period_code)
    indicator = next((i for i in _form_rows(form, actor) if i.code == indicator_code), None)
    if indicator is None:
        raise ValidationFailed(_("Chỉ tiêu không có trong biểu."), field="indicator")
    text = nfc(text.strip())
    if len(text) > 500:
        raise ValidationFailed(_("Ghi chú dài quá 500 ký tự."), field="comment")
    with transaction.atomic():
        report = FormReport.objects.filter(
            form=form, organization=organization, period_code=period.code
        ).first()
        if report is not None and report.status not in (
            FormReportStatus.OPEN,
            FormReportStatus.RETURNED,
        ):
            raise Conflict(_("Biểu đã nộp hoặc đã được phê duyệt; không sửa được ghi chú."))
        found = (
            DataValue.objects.select_for_update()
            .filter(
                indicator=indicator, organization=organization, period_code=period.code, combo=combo
            )
            .first()
        )
        if found is None:
            raise ValidationFailed(_("Ô này chưa có số liệu để ghi chú."), field="comment")
        before = found.comment
        found.comment = text
        found.save(update_fields=["comment", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            object_type="reporting.data_value",
            object_id=f"{indicator.code}/{organization.code}/{period.code}/{combo}",
            before={"comment": before},
            after={"comment": text},
            detail={"comment": True},
        )
    return text


def form_computed_fill(
    *, actor: Actor, form: DataForm, organization: Organization, period_code: str
) -> int:
    """Fill the form's computed cells for an organization and period from the platform's data
    (nothing when the form is submitted or approved, or the actor may not enter it); returns
    how many changed."""
    if not permits(actor, "reporting.submit"):
        return 0
    _assigned(actor, form, organization)
    period = form_period(form, period_code)
    report = FormReport.objects.filter(
        form=form, organization=organization, period_code=period.code
    ).first()
    if report is not None and report.status not in (
        FormReportStatus.OPEN,
        FormReportStatus.RETURNED,
    ):
        return 0
    return computed_fill(
        actor=actor, indicators=_form_rows(form), organization=organization, period=period
    )


# --- completeness ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    organization: Organization
    filled: int
    expected: int
    status: str
    on_time: bool | None

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.expected) if self.expected else 0


def form_completeness(*, actor: Actor, form: DataForm, period_code: str) -> list[Completeness]:
    """For each organization assigned the form in the actor's scope: cells filled of expected,
    the approval status, and whether it was submitted by the deadline."""
    require(actor, "reporting.view", message=_("Bạn không có quyền xem báo cáo."))
    _secret_hidden(actor, form)
    period = form_period(form, period_code)
    return _completeness(actor, form, [period])[period.code]


def form_completeness_year(
    *, actor: Actor, form: DataForm, year: int
) -> dict[str, list[Completeness]]:
    """:func:`form_completeness` of every period of ``year`` (period code → rows, in time
    order), in one grouped query for the values and one for the reports."""
    require(actor, "reporting.view", message=_("Bạn không có quyền xem báo cáo."))
    _secret_hidden(actor, form)
    return _completeness(
        actor, form, periods_of_year(form.regime, year, cutoff_day=form.cutoff_day)
    )


def _completeness(
    actor: Actor, form: DataForm, periods: Sequence[Period]
) -> dict[str, list[Completeness]]:
    indicators = _form_rows(form)
    expected = sum(len(combos(i)) for i in indicators)
    codes = [p.code for p in periods]
    counts = {
        (row["organization_id"], row["period_code"]): row["n"]
        for row in DataValue.objects.filter(period_code__in=codes, indicator__in=indicators)
        .values("organization_id", "period_code")
        .annotate(n=Count("id"))
        .order_by()
    }
    # tuples, not models: a year of 500 organizations' monthly reports is 6,000 rows
    reports = {
        (org_id, code): (status, submitted)
        for org_id, code, status, submitted in FormReport.objects.filter(
            form=form, period_code__in=codes
        ).values_list("organization_id", "period_code", "status", "submitted_at")
    }
    organizations = [
        org
        for org in form.organizations.select_related("unit").order_by("path")
        if in_reach(actor, org)
    ]
    out: dict[str, list[Completeness]] = {}
    for period in periods:
        deadline, code = period.deadline(form.deadline_days), period.code
        rows = out[code] = []
        for org in organizations:
            status, submitted = reports.get((org.pk, code), (FormReportStatus.OPEN, None))
            rows.append(
                Completeness(
                    organization=org,
                    filled=counts.get((org.pk, code), 0),
                    expected=expected,
                    status=status,
                    on_time=(
                        None if submitted is None else timezone.localdate(submitted) <= deadline
                    ),
                )
            )
    return out


# --- approval -------------------------------------------------------------------------------


def _report_scope(actor: Actor, report: FormReport) -> None:
    if not in_reach(actor, report.organization):
        raise NotFound(_("Không tìm thấy biểu báo cáo."))


def _submit(step: Step[FormReport]) -> None:
    report = step.obj
    form_grid(
        actor=step.actor,
        form=report.form,
        organization=report.organization,
        period_code=report.period_code,
    )
    # the computed cells as they stand when the form is submitted
    computed_fill(
        actor=step.actor,
        indicators=_form_rows(report.form),
        organization=report.organization,
        period=form_period(report.form, report.period_code),
    )
    # the rules hold over every row, secret ones included (whoever submits)
    grid = _grid(
        report.form,
        report.organization,
        form_period(report.form, report.period_code),
        _form_rows(report.form),
    )
    if grid.violations:
        raise ValidationFailed(
            format_lazy(
                _("Chưa nộp được: số liệu vi phạm quy tắc: {rules}."),
                rules="; ".join(v.message for v in grid.violations),
            ),
            code="rules_broken",
        )
    if grid.filled == 0:
        raise ValidationFailed(_("Chưa nộp được: biểu chưa có số liệu."), code="empty")
    report.submitted_at = timezone.now()
    report.reason = ""


def _from_above(step: Step[FormReport]) -> None:
    """Only a member of an organization above the reporting one decides on its form."""
    if step.action.name in ("approve", "reopen"):
        report = step.obj
        step.afterwards(
            lambda: approved_refresh(
                indicator_ids=report.form.rows.values_list("indicator_id", flat=True),
                organization_id=report.organization_id,
                period_code=report.period_code,
            )
        )
    if step.actor is None:
        return  # the system's own steps (the demo) answer to no organization above
    membership = primary_membership(step.actor)
    org = step.obj.organization
    if (
        membership is None
        or membership.organization.pk == org.pk
        or not org.path.startswith(membership.organization.path)
    ):
        raise PermissionDenied(
            _("Chỉ cơ quan cấp trên của đơn vị báo cáo mới phê duyệt hoặc trả lại biểu.")
        )
    step.obj.reason = step.note[:500]
    if step.action.name == "approve":
        step.obj.approved_at = timezone.now()
        if not step.obj.form.is_secret:  # a secret form is never queued for the national system
            FORM_PUSH.enqueue_on_commit(step.obj.pk)


def _history(step: Step[FormReport]) -> None:
    FormReportStep.objects.create(
        report=step.obj,
        action=step.action.name,
        from_status=step.from_status,
        to_status=step.to_status,
        note=step.note[:500],
        by=acting_user(step.actor),
    )


S = FormReportStatus
FORM_REPORT_LIFECYCLE = Lifecycle(
    model=FormReport,
    object_type="reporting.form_report",
    noun=_("biểu báo cáo"),
    statuses=FormReportStatus,
    actions=[
        Action("submit", _("Nộp"), "reporting.submit", S.SUBMITTED, _submit),
        Action("approve", _("Phê duyệt"), "reporting.approve", S.APPROVED, _from_above),
        Action(
            "return",
            _("Trả lại"),
            "reporting.approve",
            S.RETURNED,
            _from_above,
            note_required=_("Cần ghi lý do trả lại."),
        ),
        Action(
            "reopen",
            _("Mở lại để sửa"),
            "reporting.approve",
            S.OPEN,
            _from_above,
            note_required=_("Cần ghi lý do mở lại biểu đã duyệt."),
        ),
    ],
    table={
        S.OPEN: ("submit",),
        S.RETURNED: ("submit",),
        S.SUBMITTED: ("approve", "return"),
        S.APPROVED: ("reopen",),
    },
    initial=(S.OPEN,),
    scope=_report_scope,
    permits=permits,
    history=_history,
    audit=audit_record,
    select_related=("organization", "organization__unit", "form"),
)


def form_report_act(
    *,
    actor: Actor,
    form: DataForm,
    organization: Organization,
    period_code: str,
    action: str,
    note: str = "",
) -> FormReport:
    """Submit, approve, return (with a reason) or reopen (with a reason) one form's report."""
    _assigned(actor, form, organization)
    period = form_period(form, period_code)
    report, _created = FormReport.objects.get_or_create(
        form=form, organization=organization, period_code=period.code
    )
    return FORM_REPORT_LIFECYCLE.transition(
        actor=actor, obj=report, action=action, note=nfc(note.strip())
    )


# --- aggregation up the tree ----------------------------------------------------------------


def combine(
    values: Sequence[Decimal], how: str, *, weights: Sequence[Decimal] | None = None
) -> Decimal | None:
    """``values`` (in time order) combined by an aggregation rule; ``weighted`` needs the
    ``weights`` (one per value): Σ(value × weight) / Σ(weight), none when the weights are 0."""
    if not values:
        return None
    if how == Aggregation.WEIGHTED:
        if weights is None or len(weights) != len(values):
            raise ValueError("a weighted aggregation needs one weight per value")
        total = sum(weights, Decimal(0))
        if not total:
            return None
        return sum((v * w for v, w in zip(values, weights, strict=True)), Decimal(0)) / total
    if how == Aggregation.SUM:
        return sum(values, Decimal(0))
    if how == Aggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    return values[-1]


def indicator_aggregate(
    *,
    indicator: Indicator,
    organization: Organization,
    period_codes: Sequence[str],
    combo: str | None = None,
    approved_only: bool = True,
) -> Decimal | None:
    """The value of ``indicator`` for ``organization`` and the organizations below it over
    ``period_codes`` (in time order): first over time per organization (the indicator's time
    aggregation), then over the organizations (its unit aggregation). ``combo`` None: all
    combinations added up. Only values of approved forms unless told otherwise."""
    orgs = list(organizations_below(organization, include_self=True).values_list("pk", flat=True))
    values = DataValue.objects.filter(
        indicator=indicator, organization_id__in=orgs, period_code__in=period_codes
    )
    if combo is not None:
        values = values.filter(combo=combo)
    if approved_only:
        approved = set(
            FormReport.objects.filter(
                form__rows__indicator=indicator,
                organization_id__in=orgs,
                period_code__in=period_codes,
                status=FormReportStatus.APPROVED,
            ).values_list("organization_id", "period_code")
        )
    order = {code: i for i, code in enumerate(period_codes)}
    if indicator.aggregation_units == Aggregation.WEIGHTED:
        return _weighted(indicator, values, approved if approved_only else None)
    per_org: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for org_id, period, value in values.values_list("organization_id", "period_code", "value"):
        if approved_only and (org_id, period) not in approved:
            continue
        per_org[org_id][period] += value
    over_time = [
        combine(
            [periods[p] for p in sorted(periods, key=order.__getitem__)], indicator.aggregation_time
        )
        for periods in per_org.values()
    ]
    return combine([v for v in over_time if v is not None], indicator.aggregation_units)


def _weighted(
    indicator: Indicator, values: Any, approved: set[tuple[int, str]] | None
) -> Decimal | None:
    """A weighted indicator over combinations, periods and organizations at once: each value
    weighs what its weight indicator holds for the same organization, period and combination."""
    if indicator.weight_id is None:  # nothing to weigh by: no value
        return None
    rows = [
        (org_id, period, combo, value)
        for org_id, period, combo, value in values.values_list(
            "organization_id", "period_code", "combo", "value"
        )
        if approved is None or (org_id, period) in approved
    ]
    weights = {
        (w.organization_id, w.period_code, w.combo): w.value
        for w in DataValue.objects.filter(
            indicator_id=indicator.weight_id,
            organization_id__in={r[0] for r in rows},
            period_code__in={r[1] for r in rows},
        )
    }
    return combine(
        [r[3] for r in rows],
        Aggregation.WEIGHTED,
        weights=[weights.get(r[:3], Decimal(0)) for r in rows],
    )


def value_of(raw: Any) -> str:
    """A stored value as text: no trailing zeros (``12``, ``45.5``)."""
    value = Decimal(raw)
    text = format(value.normalize(), "f")
    return text
