"""Split a document into passages: paragraphs, or windows of sentences in long ones.

A paragraph is a run of non-blank lines. One longer than ``max_words`` words
is cut into windows of whole sentences of about ``window_words`` words, each
window starting one sentence after the previous one's start when it would
otherwise skip text, so a copied passage that crosses a window edge still lies
mostly inside one window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")


@dataclass(frozen=True)
class Passage:
    start: int  # character offsets into the document text, end exclusive
    end: int


def split(text: str, max_words: int = 80, window_words: int = 50) -> list[Passage]:
    out = []
    for start, end in _paragraphs(text):
        para = text[start:end]
        if len(para.split()) <= max_words:
            out.append(Passage(start, end))
            continue
        sentences = _sentences(para, start)
        i = 0
        while i < len(sentences):
            j, words = i, 0
            while j < len(sentences) and (words == 0 or words + sentences[j][2] <= window_words):
                words += sentences[j][2]
                j += 1
            out.append(Passage(sentences[i][0], sentences[j - 1][1]))
            if j >= len(sentences):
                break
            i = max(i + 1, j - 1)  # overlap by one sentence
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos, start = [], 0, None
    for line in text.split("\n"):
        if line.strip():
            if start is None:
                start = pos
            end = pos + len(line)
        elif start is not None:
            spans.append((start, end))
            start = None
        pos += len(line) + 1
    if start is not None:
        spans.append((start, end))
    return spans


def _sentences(para: str, offset: int) -> list[tuple[int, int, int]]:
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(para):
        out.append((offset + pos, offset + m.start(), len(para[pos : m.start()].split())))
        pos = m.end()
    if pos < len(para):
        out.append((offset + pos, offset + len(para), len(para[pos:].split())))
    return out
