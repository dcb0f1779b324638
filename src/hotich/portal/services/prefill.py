"""Prefilling a form from the national population database, with the citizen's consent.

For every person of the form whose personal ID number the citizen typed (``<role>.personal_id``,
``applicant.personal_id`` included), the empty name, sex, date and place of birth fields of that
person are filled from the population database. Each look-up is audited by the adapter with its
legal basis (the citizen's consent, Decree 13/2023 art. 11)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from hotich.core.errors import DomainError, ValidationFailed
from hotich.people.adapters.popdb.adapter import population_database as configured
from hotich.people.adapters.popdb.protocol import Inquiry
from hotich.portal.forms_schema import iter_fields
from hotich.portal.models import Citizen, Procedure

LEGAL_BASIS = (
    "Nghị định 13/2023/NĐ-CP, điều 11: sự đồng ý của chủ thể dữ liệu; "
    "Luật Hộ tịch 2014 (hồ sơ dịch vụ công trực tuyến)"
)
FIELDS = ("full_name", "sex", "birth_date", "birth_place")


def population_database() -> Any:
    return configured()


def form_prefill(
    *, citizen: Citizen, procedure: Procedure, form_data: Mapping[str, Any], consent: bool
) -> tuple[dict[str, str], list[str]]:
    """``(values, roles filled)``: ``form_data`` with the empty fields filled. Refuses without
    consent; a person not found is left as typed."""
    if not consent:
        raise ValidationFailed(
            _("Cần bạn đồng ý cho tra cứu Cơ sở dữ liệu quốc gia về dân cư."), field="consent"
        )
    names = {f["name"] for f in iter_fields(procedure.form_schema)}
    values = {k: str(v) for k, v in form_data.items()}
    inquiry = Inquiry(
        requester=None,
        legal_basis=LEGAL_BASIS,
        purpose=f"portal prefill, citizen {citizen.pk}, procedure {procedure.code}",
    )
    database = population_database()
    filled: list[str] = []
    for name in sorted(names):
        role, _sep, key = name.partition(".")
        number = "".join(values.get(name, "").split())
        if key != "personal_id" or not number:
            continue
        try:
            person = database.lookup(number, inquiry=inquiry)
        except DomainError as exc:
            raise ValidationFailed(
                format_lazy(
                    _("Chưa tra cứu được CSDL quốc gia về dân cư ({reason}); xin nhập tay."),
                    reason=str(exc),
                ),
                field=name,
            ) from None
        if person is None:
            continue
        found = {
            "full_name": person.full_name,
            "sex": person.sex,
            "birth_date": person.birth_date if len(person.birth_date) == 10 else "",
            "birth_place": person.birth_place,
        }
        for field in FIELDS:
            target = f"{role}.{field}"
            if target in names and not values.get(target) and found[field]:
                values[target] = found[field]
        filled.append(role)
    return values, filled
