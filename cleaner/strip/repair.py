"""Text repair: line endings, trailing white space, and ftfy where text looks damaged.

ftfy is the slowest step of a naive pipeline, so it runs only when a cheap
regex finds a sign of damage: mojibake lead characters, C0/C1 control
characters, HTML entities, replacement characters or lone surrogates. Text
that is not broken is left alone (curly quotes stay curly, no Unicode
normalisation), and ftfy never adds or removes a line.

ftfy runs line by line, on the damaged lines only, each to a fixed point: so
what a line becomes does not depend on the lines around it (which cleaning
may remove), and repairing repaired text changes nothing (idempotence).

>>> repair("caf\\u00c3\\u00a9 \\r\\nnext  ")
('café\\nnext', ['line-endings', 'trailing-space', 'ftfy'])
>>> repair("“Curly” quotes stay.")
('“Curly” quotes stay.', [])
"""

from __future__ import annotations

import re

import ftfy

FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)
SUSPICIOUS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters, C1 (cp1252 mojibake)
    "\u00c2\u00c3\u00c5\u00ce\u00cf\u00d0\u00d1\u00d8\u00d9\u00e2\u00e3\u00ef"  # mojibake lead bytes
    "\ufffd\ud800-\udfff]"  # replacement characters, lone surrogates
    "|&#?[0-9A-Za-z]{1,24};"  # HTML entities
)
_TRAILING = re.compile(r"[ \t\f\v\u00a0\u3000]+$", re.MULTILINE)


def looks_damaged(text: str) -> bool:
    """The guard: whether ftfy could change anything worth changing."""
    return SUSPICIOUS.search(text) is not None


def repair(text: str, use_ftfy: bool = True) -> tuple[str, list[str]]:
    """Repaired text and the names of the steps that changed it."""
    steps = []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        steps.append("line-endings")
    stripped = _TRAILING.sub("", text)
    if stripped != text:
        text = stripped
        steps.append("trailing-space")
    if use_ftfy and looks_damaged(text):
        lines = text.split("\n")
        changed = False
        for i, line in enumerate(lines):
            if looks_damaged(line):
                fixed = _fix_line(line)
                if fixed != line:
                    lines[i], changed = fixed, True
        if changed:
            text = _TRAILING.sub("", "\n".join(lines))
            steps.append("ftfy")
    return text, steps


def _fix_line(line: str) -> str:
    """ftfy to a fixed point (it is not always idempotent: ``&amp;amp;``); never a new line break."""
    for _ in range(4):
        fixed = ftfy.fix_text(line, FTFY_CONFIG)
        if fixed == line or "\n" in fixed:
            break
        line = fixed
    return line
