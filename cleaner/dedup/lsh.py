"""MinHash LSH buckets with datasketch's rule and band layout, kept as numpy arrays.

``MinHashLSH(threshold, num_perm)`` cuts a signature into ``bands`` bands of
``rows`` hash values (:func:`cleaner.dedup.minhash.band_layout`); two
signatures are candidates when any band is equal. Here each band is reduced to
one 64-bit bucket hash (two different bands share one with odds of 2^-64, and
every candidate is verified anyway), and the index is a ``(documents, bands)``
uint64 matrix: 8 bytes per band and document, no Python object per bucket.

Candidates come two ways:

- :meth:`BandIndex.candidates`, for a corpus: every pair of rows sharing a
  bucket in some band, found by sorting each band's column (equal buckets are
  runs), each pair once;
- :meth:`BandIndex.query`, for one signature: the rows sharing a bucket with it.

>>> import numpy as np
>>> index = BandIndex(threshold=0.5, num_perm=8)
>>> a = np.arange(8, dtype=np.uint64)
>>> index.insert("a", a)
>>> b = a.copy(); b[0] = 99  # one band differs, the others match
>>> sorted(index.query(b)), sorted(index.query(np.full(8, 7, dtype=np.uint64)))
(['a'], [])
>>> index.insert("b", b); index.insert("c", np.full(8, 7, dtype=np.uint64))
>>> [(index.keys[i], index.keys[j]) for i, j in zip(*index.candidates())]
[('a', 'b')]
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from .minhash import band_layout, fmix64

# Fixed odd multipliers, one per row of a band: a band's bucket hash is
# fmix64(sum(value * multiplier)), in wrapping uint64 arithmetic.
_MULTIPLIERS = np.random.RandomState(0xBA9D).randint(0, 1 << 63, 64, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


class BandIndex:
    def __init__(self, threshold: float, num_perm: int):
        self.bands, self.rows = band_layout(threshold, num_perm)
        if self.rows > len(_MULTIPLIERS):
            raise ValueError(f"at most {len(_MULTIPLIERS)} rows per band")
        self.keys: list[Hashable] = []
        self._blocks: list[np.ndarray] = []
        self._matrix = np.zeros((0, self.bands), dtype=np.uint64)
        self._done = 0  # rows whose pairs candidates() has returned

    def __len__(self) -> int:
        return len(self.keys)

    def buckets(self, signatures: np.ndarray) -> np.ndarray:
        """The bucket hash of every band of every signature: shape ``(n, bands)``."""
        sig = np.asarray(signatures, dtype=np.uint64)
        sig = sig.reshape(-1, sig.shape[-1])[:, : self.bands * self.rows]
        sig = sig.reshape(len(sig), self.bands, self.rows)
        with np.errstate(over="ignore"):
            return fmix64((sig * _MULTIPLIERS[: self.rows]).sum(axis=2, dtype=np.uint64))

    def add(self, keys: Sequence[Hashable], signatures: np.ndarray) -> None:
        """Index signatures (one row each) under these keys."""
        if len(keys):
            self.keys.extend(keys)
            self._blocks.append(self.buckets(signatures))

    def insert(self, key: Hashable, signature: np.ndarray) -> None:
        self.add([key], np.asarray(signature)[None, :])

    @property
    def matrix(self) -> np.ndarray:
        if self._blocks:
            self._matrix = np.concatenate([self._matrix, *self._blocks])
            self._blocks = []
        return self._matrix

    def query(self, signature: np.ndarray) -> set:
        """Keys sharing at least one band with ``signature`` (a scan: for single look-ups)."""
        hits = np.flatnonzero((self.matrix == self.buckets(np.asarray(signature)[None, :])).any(axis=1))
        return {self.keys[i] for i in hits.tolist()}

    def candidates(self) -> tuple[np.ndarray, np.ndarray]:
        """Row pairs ``(i, j)``, ``i < j``, sharing a bucket in some band, each pair once, in
        order; only pairs with a row added since the last call (so a corpus can grow)."""
        matrix, since = self.matrix, self._done
        n = len(matrix)
        self._done = n
        pairs = np.zeros(0, dtype=np.int64)
        if since == n:
            return pairs, pairs
        for band in range(self.bands):
            column = matrix[:, band]
            order = np.argsort(column, kind="stable")
            ordered = column[order]
            cut = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
            sizes = np.diff(np.concatenate(([0], cut, [n])))
            if sizes.max() < 2:
                continue
            # Each sorted position pairs with the later positions of its run.
            run_end = np.repeat(np.concatenate((cut, [n])), sizes)
            later = run_end - np.arange(n) - 1
            left = np.repeat(np.arange(n), later)
            right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
            i, j = order[left], order[right]
            lo, hi = np.minimum(i, j), np.maximum(i, j)
            fresh = hi >= since
            # Merged band by band: memory holds the distinct pairs, not one copy per shared band.
            pairs = _merge(pairs, np.sort(lo[fresh].astype(np.int64) * n + hi[fresh]))
        return pairs // n, pairs % n


def _merge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The distinct values of two sorted arrays, sorted (a stable sort of two sorted runs is a merge)."""
    both = np.sort(np.concatenate((a, b)), kind="stable")
    keep = np.ones(len(both), dtype=bool)
    keep[1:] = both[1:] != both[:-1]
    return both[keep]
