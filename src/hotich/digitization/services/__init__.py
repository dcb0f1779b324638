"""Writes of digitization. Import from here: ``from hotich.digitization.services import ...``."""

from hotich.digitization.services.exchange import book_import_exchange
from hotich.digitization.services.iiif import page_make_tiles, tiles_backfill
from hotich.digitization.services.keying import (
    compare,
    entry_arbitrate,
    keying_submit,
    qa_check,
    qa_draw_sample,
)
from hotich.digitization.services.pages import (
    ImportResult,
    batch_finish,
    batch_resume,
    batch_start,
    book_settings_update,
    digitized_book_for,
    entries_split,
    entry_mark,
    entry_unmark,
    page_import,
)
from hotich.digitization.services.publishing import (
    book_publish,
    book_unpublish,
    entry_clash_resolve,
)
from hotich.digitization.services.scan import page_process, page_rerun

__all__ = [
    "ImportResult",
    "batch_finish",
    "batch_resume",
    "batch_start",
    "book_import_exchange",
    "book_publish",
    "book_settings_update",
    "book_unpublish",
    "compare",
    "digitized_book_for",
    "entries_split",
    "entry_arbitrate",
    "entry_clash_resolve",
    "entry_mark",
    "entry_unmark",
    "keying_submit",
    "page_import",
    "page_make_tiles",
    "page_process",
    "page_rerun",
    "qa_check",
    "qa_draw_sample",
    "tiles_backfill",
]
