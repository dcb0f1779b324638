"""Reading the text of a stored PDF: its text layer with poppler's ``pdftotext`` and, for a scan
of paper (pages that are only images), the pages rendered by ``pdftoppm`` and read by
``tesseract`` with its Vietnamese data (``-l vie``). Both run as programs with a time limit, in
a temporary folder removed afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import Protocol

#: pages read by OCR at most (an official document is a few pages; a long scan is cut)
MAX_OCR_PAGES = 10
OCR_DPI = 200


class TextUnavailable(Exception):
    """The program is not installed (or its Vietnamese data is missing)."""


class TextFailed(Exception):
    """The program ran and could not read the file."""


class TextReader(Protocol):
    def pdf_text(self, data: bytes) -> str: ...

    def scan_text(self, data: bytes) -> str: ...


#: Tesseract's OpenMP threads on one page cost more than they save on a small server (the
#: operator's own ``OMP_THREAD_LIMIT`` wins)
_ONE_THREAD = {"OMP_THREAD_LIMIT": "1"}


def _run(args: list[str], *, timeout: float) -> str:
    if shutil.which(args[0]) is None:
        raise TextUnavailable(args[0])
    try:
        done = subprocess.run(  # noqa: S603 - fixed program names, no shell
            args, capture_output=True, timeout=timeout, check=False, env=_ONE_THREAD | os.environ
        )
    except subprocess.TimeoutExpired as exc:
        raise TextFailed(f"{args[0]}: timeout") from exc
    if done.returncode != 0:
        raise TextFailed(f"{args[0]}: exit {done.returncode}")
    return done.stdout.decode("utf-8", errors="replace")


class PopplerTesseract:
    """``pdftotext`` for the text layer, ``pdftoppm`` + ``tesseract -l vie`` for scans."""

    def __init__(self, *, timeout: float = 60, language: str = "vie") -> None:
        self.timeout = timeout
        self.language = language

    def pdf_text(self, data: bytes) -> str:
        with tempfile.TemporaryDirectory(prefix="hotich-text-") as folder:
            path = Path(folder) / "document.pdf"
            path.write_bytes(data)
            out = _run(
                ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"], timeout=self.timeout
            )
        return unicodedata.normalize("NFC", out)

    def scan_text(self, data: bytes) -> str:
        if self.language not in _languages():
            raise TextUnavailable(f"tesseract {self.language}")
        with tempfile.TemporaryDirectory(prefix="hotich-ocr-") as folder:
            path = Path(folder) / "scan.pdf"
            path.write_bytes(data)
            _run(
                [
                    "pdftoppm",
                    "-r",
                    str(OCR_DPI),
                    "-gray",
                    "-png",
                    "-l",
                    str(MAX_OCR_PAGES),
                    str(path),
                    str(Path(folder) / "page"),
                ],
                timeout=self.timeout,
            )
            pages = sorted(Path(folder).glob("page*.png"))
            texts = [
                _run(
                    ["tesseract", str(page), "stdout", "-l", self.language, "--psm", "3"],
                    timeout=self.timeout,
                )
                for page in pages
            ]
        return unicodedata.normalize("NFC", "\n".join(texts))


def _languages() -> list[str]:
    out = _run(["tesseract", "--list-langs"], timeout=10)
    return [line.strip() for line in out.splitlines()[1:]]


def default_reader() -> TextReader:
    """The reader in use; ``HOTICH_OCR=0`` turns the reading of scans off."""
    reader = PopplerTesseract()
    if os.environ.get("HOTICH_OCR", "1") == "0":
        return _LayerOnly(reader)
    return reader


class _LayerOnly:
    def __init__(self, reader: PopplerTesseract) -> None:
        self.reader = reader

    def pdf_text(self, data: bytes) -> str:
        return self.reader.pdf_text(data)

    def scan_text(self, data: bytes) -> str:
        raise TextUnavailable("HOTICH_OCR=0")
