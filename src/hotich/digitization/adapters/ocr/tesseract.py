"""Tesseract adapter (``pytesseract`` over the ``tesseract`` binary, ``-l vie``)."""

from __future__ import annotations

import os
import shutil
import unicodedata
from typing import Any

from PIL import Image, ImageOps

from hotich.digitization.adapters.ocr.base import Box, OcrResult, OcrUnavailable, Word


class TesseractEngine:
    name = "tesseract"

    def __init__(self, *, command: str = "tesseract", psm: int = 6, timeout: float = 60) -> None:
        #: page segmentation mode: 6 = one uniform block of text (a typed register entry)
        self.command = command
        self.psm = psm
        self.timeout = timeout

    def available(self, language: str = "vie") -> bool:
        if shutil.which(self.command) is None:
            return False
        import pytesseract

        pytesseract.pytesseract.tesseract_cmd = self.command
        try:
            return language in pytesseract.get_languages(config="")
        except Exception:  # noqa: BLE001 - a broken install is simply not available
            return False

    def recognize(
        self, image: Image.Image, *, language: str = "vie", region: Box | None = None
    ) -> OcrResult:
        import pytesseract

        if shutil.which(self.command) is None:
            raise OcrUnavailable(f"{self.command} not found")
        pytesseract.pytesseract.tesseract_cmd = self.command
        # Tesseract's OpenMP threads on a small page cost more than they save and take the
        # cores from the web and worker processes; an operator may still set another limit.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        dx = dy = 0
        if region is not None:
            left, top, width, height = region
            image = image.crop((left, top, left + width, top + height))
            dx, dy = left, top
        prepared = ImageOps.grayscale(image)
        try:
            data: dict[str, list[Any]] = pytesseract.image_to_data(
                prepared,
                lang=language,
                config=f"--psm {self.psm}",
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout,
            )
        except pytesseract.TesseractNotFoundError as exc:
            raise OcrUnavailable(str(exc)) from exc
        except RuntimeError as exc:  # pytesseract's timeout
            raise OcrUnavailable(str(exc)) from exc
        words = []
        for i, raw in enumerate(data["text"]):
            text = unicodedata.normalize("NFC", str(raw or "")).strip()
            confidence = float(data["conf"][i])
            if not text or confidence < 0:
                continue
            words.append(
                Word(
                    text=text,
                    box=(
                        int(data["left"][i]) + dx,
                        int(data["top"][i]) + dy,
                        int(data["width"][i]),
                        int(data["height"][i]),
                    ),
                    confidence=confidence,
                    line=(
                        int(data["block_num"][i]),
                        int(data["par_num"][i]),
                        int(data["line_num"][i]),
                    ),
                )
            )
        return OcrResult(text=lines_of(words), words=words, language=language, engine=self.name)


def lines_of(words: list[Word]) -> str:
    """The words joined into their lines, in reading order."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(parts) for _key, parts in sorted(lines.items()))
