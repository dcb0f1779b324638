"""Writes of the registry. Import from here: ``from hotich.registry.services import ...``."""

from hotich.registry.services.books import book_allocate_entry, book_close, book_open
from hotich.registry.services.records import (
    RECORD_LIFECYCLE,
    amendment_add,
    current_values,
    marriage_in_force,
    record_actions,
    record_create,
    record_history,
    record_transition,
)
from hotich.registry.services.validation import RuleWarning, WarningsUnconfirmed

__all__ = [
    "RECORD_LIFECYCLE",
    "RuleWarning",
    "WarningsUnconfirmed",
    "amendment_add",
    "book_allocate_entry",
    "book_close",
    "book_open",
    "current_values",
    "marriage_in_force",
    "record_actions",
    "record_create",
    "record_history",
    "record_transition",
]
