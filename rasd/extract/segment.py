"""Splitting Arabic news text into sentences and clause segments, keeping character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ (not inside a number like 2.5) or at a line break.
_SENTENCE_END = re.compile(r"(?<!\d)[.!?؟…]+(?=\s|$|[\"”»)])|\n+")
# Clause boundaries inside a sentence: commas, semicolons, colons, dashes, and the conjunctions
# that open a new statement ("and in", "while", "whereas").
_CLAUSE_BREAK = re.compile(
    r"[،,؛;:]|\s[-–—]\s|\s(?=(?:و\s?في|فيما|بينما|كما)\s)"
    # "... وعدد من الاستهدافات في واسط": a summary of other attacks joined on with "and a number of".
    r"|\s(?=و?(?:عدد|سلسلة|سلسله|جملة|جمله|مجموعة|مجموعه)\s+من\s)"
)


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text by character offsets."""

    start: int
    end: int

    def text(self, source: str) -> str:
        """The stretch itself."""
        return source[self.start:self.end]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and (text[start].isspace() or text[start] in "\"'“”«»"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".!?؟…،,؛;:"):
        end -= 1
    return Span(start, end) if end > start else None


def sentences(text: str) -> list[Span]:
    """The sentences of a text."""
    out: list[Span] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        span = _trimmed(text, pos, m.end() if m.group().strip() else m.start())
        if span:
            out.append(span)
        pos = m.end()
    tail = _trimmed(text, pos, len(text))
    if tail:
        out.append(tail)
    return out


def clauses(text: str, sentence: Span) -> list[Span]:
    """The comma- and conjunction-separated segments of one sentence."""
    out: list[Span] = []
    pos = sentence.start
    body = text[sentence.start:sentence.end]
    for m in _CLAUSE_BREAK.finditer(body):
        span = _trimmed(text, pos, sentence.start + m.start())
        if span:
            out.append(span)
        pos = sentence.start + m.end()
    tail = _trimmed(text, pos, sentence.end)
    if tail:
        out.append(tail)
    return out
