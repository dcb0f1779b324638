"""Template helpers every page uses: ``{{ value|ngay }}`` writes a date as people read it, and
``{% form_errors form %}`` / ``{% field form.x %}`` render a form the one shared way."""

from __future__ import annotations

from typing import Any

from django import template

from hotich.core import dates

register = template.Library()


@register.filter
def ngay(value: Any) -> str:
    """``06/12/2026``; a partial date as ``tháng 3/1987`` or ``năm 1987``; "" for nothing."""
    return dates.display(value)


def _with_label(label: Any, message: str) -> str:
    label = str(label or "")
    return message if not label or label in message else f"{label}: {message}"


def summary_items(form: Any) -> list[dict[str, str]]:
    """``[{"id", "message"}]``: every error of ``form`` in field order, each naming its field
    (the form-wide ones first, with no link). ``form`` is a Django form or a list of such
    dicts (a form built from a schema)."""
    if isinstance(form, list | tuple):
        return list(form)
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    items = [{"id": "", "message": str(e)} for e in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            items.append({"id": bound.id_for_label, "message": _with_label(bound.label, error)})
    return items


@register.inclusion_tag("_error_summary.html")
def error_summary(form: Any) -> dict[str, Any]:
    """The box at the top of a form with errors: how many, each a link to its field."""
    return {"items": summary_items(form)}


@register.inclusion_tag("_field.html")
def field(bound: Any, wide: bool = False) -> dict[str, Any]:
    """One field: its label (required ones marked), the input, its help and its error."""
    described = []
    if bound.help_text:
        described.append(f"{bound.id_for_label}-help")
    attrs = {}
    if bound.errors:
        described.append(f"{bound.id_for_label}-err")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return {
        "f": bound,
        "widget": bound.as_widget(attrs=attrs),
        "wide": wide,
        "required": bound.field.required
        or bound.name in getattr(bound.form, "marked_required", ()),
    }


@register.filter
def ngay_nhap(value: Any) -> str:
    """A date as typed back into a box: ``06/12/2026``, ``3/1987``, ``1987``."""
    return dates.typed(value)
