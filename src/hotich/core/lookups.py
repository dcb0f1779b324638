"""Lookups the ORM lacks."""

from __future__ import annotations

from typing import Any

from django.db.models.lookups import In


class AnyOf(In):
    """``lhs IN (values)`` that PostgreSQL receives as one array parameter (``lhs = ANY(%s)``):
    a statement with thousands of ids is then built, sent and planned like one with a single
    id (psycopg splits a query per placeholder). Elsewhere it is the ordinary ``IN``.

    Used as an expression: ``queryset.filter(AnyOf(F("person_id"), ids))``.
    """

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [v for v in self.rhs if v is not None]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
