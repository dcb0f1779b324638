"""The OCR port: what an engine returns and the protocol every adapter implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from PIL import Image

#: (left, top, width, height) in pixels of the image given to the engine
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    #: 0-100, the engine's confidence in this word
    confidence: float
    #: the line the word belongs to (block, paragraph, line), for rebuilding lines
    line: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class OcrResult:
    """Recognized text (NFC, one line per text line) with each word's box and confidence."""

    text: str
    words: list[Word] = field(default_factory=list)
    language: str = "vie"
    engine: str = ""

    @property
    def confidence(self) -> float:
        """The mean word confidence (0 when nothing was read)."""
        if not self.words:
            return 0.0
        return sum(w.confidence for w in self.words) / len(self.words)


class OcrUnavailable(RuntimeError):
    """The engine cannot run here (binary or language data missing)."""


@runtime_checkable
class OcrEngine(Protocol):
    name: str

    def available(self) -> bool:
        """Whether the engine can run on this machine."""
        ...

    def recognize(
        self, image: Image.Image, *, language: str = "vie", region: Box | None = None
    ) -> OcrResult:
        """Text and words of ``image`` (or of ``region`` of it: boxes stay page coordinates)."""
        ...
