"""Writes of the registry. Import from here: ``from hotich.registry.services import ...``."""

from hotich.registry.services.books import book_allocate_entry, book_close, book_open
from hotich.registry.services.records import (
    amendment_add,
    current_values,
    marriage_in_force,
    record_create,
    record_transition,
)
from hotich.registry.services.validation import RuleWarning, WarningsUnconfirmed

__all__ = [
    "RuleWarning",
    "WarningsUnconfirmed",
    "amendment_add",
    "book_allocate_entry",
    "book_close",
    "book_open",
    "current_values",
    "marriage_in_force",
    "record_create",
    "record_transition",
]
