"""The text of a document's stored file, read in the background for the search (ADR 16's
pipeline): first its text layer (``pdftotext``); when it has none and the file is a scan of
paper (not signed digitally), the pages are read by OCR (``tesseract``, Vietnamese). The text,
its source and, when a step failed, the reason are kept on the document; ``Document.save``
folds them into the searched words. Never run in a request: the services queue
``DOCUMENT_TEXT`` when they store a file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from hotich.core.deferred import Deferred
from hotich.core.pipeline import Outcome, Pipeline, StepFailed
from hotich.documents.adapters.text import TextFailed, TextReader, TextUnavailable, default_reader
from hotich.documents.models import Document
from hotich.documents.vocabulary import TextSource

logger = logging.getLogger(__name__)

DOCUMENT_TEXT = Deferred[[int]]("documents.document_text")

#: a text layer with fewer letters than this is taken for none (a scan with a stray mark)
MIN_LETTERS = 20


@dataclass
class TextWork:
    document: Document
    data: bytes
    reader: TextReader
    text: str = ""
    source: str = ""
    notes: list[str] = field(default_factory=list)


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


class ReadLayer:
    name = "layer"

    def applies_to(self, item: TextWork) -> bool:
        return True

    def run(self, item: TextWork) -> None:
        try:
            text = item.reader.pdf_text(item.data)
        except TextUnavailable:
            raise StepFailed(_("Chưa cài đặt chương trình đọc chữ của tệp PDF.")) from None
        except TextFailed:
            logger.warning("pdftotext failed for document %s", item.document.pk, exc_info=True)
            raise StepFailed(_("Không đọc được chữ của tệp PDF.")) from None
        if _letters(text) >= MIN_LETTERS:
            item.text, item.source = text, TextSource.LAYER

    def cleanup(self, item: TextWork) -> None:
        return None


class ReadScan:
    name = "ocr"

    def applies_to(self, item: TextWork) -> bool:
        return not item.source and not item.document.signed_digitally

    def run(self, item: TextWork) -> None:
        try:
            text = item.reader.scan_text(item.data)
        except TextUnavailable:
            raise StepFailed(
                _("Chưa cài đặt máy nhận dạng chữ tiếng Việt để đọc bản quét.")
            ) from None
        except TextFailed:
            logger.warning("OCR failed for document %s", item.document.pk, exc_info=True)
            raise StepFailed(_("Máy nhận dạng chữ không đọc được bản quét.")) from None
        item.text, item.source = text, TextSource.OCR

    def cleanup(self, item: TextWork) -> None:
        return None


TEXT = Pipeline[TextWork]("document_text", [ReadLayer(), ReadScan()])


def document_text_read(
    document_id: int, *, reader: TextReader | None = None, start_at: str = ""
) -> Outcome | None:
    """Read the text of one document's stored file and keep it (the task's work). A document
    without a file, or gone, is left alone."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.file_path:
        return None
    with default_storage.open(document.file_path, "rb") as handle:
        data = handle.read()
    item = TextWork(document=document, data=data, reader=reader or default_reader())
    outcome = TEXT.run(item, start_at=start_at)
    document.text = item.text.strip()
    document.text_source = item.source
    document.text_failure = outcome.reason[:200]
    document.save(update_fields=["text", "text_source", "text_failure"])
    return outcome


def text_read_later(document: Document) -> None:
    """Queue the reading of the document's file once the transaction commits."""
    if document.file_path:
        DOCUMENT_TEXT.enqueue_on_commit(document.pk)


def documents_without_text() -> list[int]:
    """Documents with a stored file whose text was never read (nor failed)."""
    return list(
        Document.objects.filter(text_source="", text_failure="")
        .exclude(file_path="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
