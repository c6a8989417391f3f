"""Align two token sequences with rapidfuzz and return the shared span.

rapidfuzz's ``Indel.opcodes`` works on sequences of hashables, so it aligns
tokens (not characters). Equal blocks shorter than ``min_block`` tokens are
noise ("of the"). Blocks closer than ``max_gap`` tokens on both sides form a
run (a lightly edited copy); the shared span is the run with the most matched
tokens, so unshared text between two distant matches is not reported.

>>> shared_span("a b c d e f".split(), "x c d e f y".split(), min_block=3)
((2, 6), (1, 5), 4)
>>> a = "he said raqqa city which sdf control must be rebuilt and liberated from any presence".split()
>>> b = "leave raqqa city which it took from the state and much of the north and east he said it must be rebuilt and liberated from any presence".split()
>>> shared_span(a, b, min_block=3, max_gap=8)
((7, 15), (19, 27), 8)
"""

from __future__ import annotations

from rapidfuzz.distance import Indel


def shared_span(
    a: list, b: list, min_block: int = 3, max_gap: int = 8
) -> tuple[tuple[int, int], tuple[int, int], int] | None:
    """((a_start, a_end), (b_start, b_end), matched tokens), token indices end-exclusive; None if nothing shared."""
    blocks = [op for op in Indel.opcodes(a, b) if op.tag == "equal" and op.src_end - op.src_start >= min_block]
    if not blocks:
        return None
    runs, run = [], [blocks[0]]
    for op in blocks[1:]:
        prev = run[-1]
        if op.src_start - prev.src_end <= max_gap and op.dest_start - prev.dest_end <= max_gap:
            run.append(op)
        else:
            runs.append(run)
            run = [op]
    runs.append(run)
    best = max(runs, key=lambda r: sum(op.src_end - op.src_start for op in r))  # first of equals wins
    matched = sum(op.src_end - op.src_start for op in best)
    return (best[0].src_start, best[-1].src_end), (best[0].dest_start, best[-1].dest_end), matched
