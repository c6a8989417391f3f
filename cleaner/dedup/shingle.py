r"""Tokens and shingle hashes: normalise once, hash each distinct token once.

A token is a run of word characters (Python's ``\w``), casefolded and, when not
ASCII, NFKC-normalised (so punctuation is stripped). The core (``src/tokens.rs``)
tokenises and hashes for dedup; the functions here give the same values one at a
time, as references for tests and for datasketch's ``hashfunc``. A shingle is
``ngram`` consecutive tokens (a text with fewer tokens is one shingle of all of them). Its 64-bit hash combines the
tokens' hashes with fixed odd multipliers, one per position, in wrapping
uint64 arithmetic, so a whole document's shingles are hashed with a few numpy
operations, and :func:`shingle_hash` gives the same value one shingle at a time
(that is the ``hashfunc`` datasketch uses in the equivalence test).

>>> tokens("The U.S. “must leave” Tanf!")
['the', 'u', 's', 'must', 'leave', 'tanf']
>>> h = shingle_hashes(token_hashes(["a", "b", "c", "d"]), 3)
>>> [int(x) for x in h] == [shingle_hash("a b c"), shingle_hash("b c d")]
True
"""

from __future__ import annotations

from hashlib import blake2b

import numpy as np

from .. import _core

MASK64 = (1 << 64) - 1
# Fixed odd 64-bit multipliers, one per position in a shingle (up to 32 tokens).
_MULTIPLIERS = np.random.RandomState(0x5EED).randint(0, 1 << 63, 32, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
MULTIPLIERS = [int(m) for m in _MULTIPLIERS]


def tokens(text: str) -> list[str]:
    return _core.tokens_with_offsets(text)[0]


def tokens_with_offsets(text: str) -> tuple[list[str], np.ndarray]:
    """Tokens and their (start, end) character offsets in ``text`` (from the core)."""
    return _core.tokens_with_offsets(text)


def token_hash(token: str) -> int:
    """A fixed 64-bit hash of one token (BLAKE2b, 8 bytes, little-endian)."""
    return int.from_bytes(blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def token_hashes(toks: list[str]) -> np.ndarray:
    return np.array([token_hash(t) for t in toks], dtype=np.uint64).reshape(-1)


def shingle_hashes(th: np.ndarray, ngram: int) -> np.ndarray:
    """Hash of every ``ngram``-token shingle, in order (duplicates kept)."""
    n = len(th)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(ngram, n)
    out = th[: n - k + 1] * _MULTIPLIERS[0]
    for i in range(1, k):
        out += th[i : n - k + 1 + i] * _MULTIPLIERS[i]
    return out


def shingle_hash(shingle: str | bytes) -> int:
    """The hash of one shingle given as space-separated tokens (a datasketch ``hashfunc``)."""
    if isinstance(shingle, bytes):
        shingle = shingle.decode("utf-8")
    return sum(token_hash(t) * m for t, m in zip(shingle.split(" "), MULTIPLIERS)) & MASK64


def shingles(toks: list[str], ngram: int) -> list[str]:
    """The shingles as strings, for reference implementations and tests."""
    k = min(ngram, len(toks))
    return [" ".join(toks[i : i + k]) for i in range(len(toks) - k + 1)] if toks else []
