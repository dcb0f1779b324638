"""``{% document_interconnect doc %}`` on a document's page: the packages it was sent in (or
came in) with their status messages, and the form that sends an issued document to other
agencies over the interconnection axis."""

from __future__ import annotations

from typing import Any

from django import template

from hotich.accounts.authz import can
from hotich.interconnect.forms import SendForm
from hotich.interconnect.selectors import packages_for_document, recipients_for

register = template.Library()


@register.inclusion_tag("interconnect/_document.html", takes_context=True)
def document_interconnect(context: dict[str, Any], document: Any) -> dict[str, Any]:
    user = context["request"].user
    sendable = (
        document.direction == "out"
        and document.status == "issued"
        and document.signed_digitally
        and document.unit_id == user.unit_id
        and can(user, "documents.issue")
    )
    return {
        "doc": document,
        "packages": packages_for_document(actor=user, document_id=document.pk),
        "form": SendForm(agencies=recipients_for(user)) if sendable else None,
        "csrf_token": context.get("csrf_token"),
    }
