"""MinHash LSH buckets in memory, with datasketch's rule and band layout.

``MinHashLSH(threshold, num_perm)`` cuts a signature into ``bands`` bands of
``rows`` hash values (:func:`cleaner.dedup.minhash.band_layout`); two
signatures are candidates when any band is equal. This index keeps the same
buckets (the band's bytes are its key), so its candidates are datasketch's,
but it takes our numpy signatures as they are: one ``tobytes`` per signature
instead of a ``LeanMinHash`` and a byte swap per band.

>>> import numpy as np
>>> index = BandIndex(threshold=0.5, num_perm=8)
>>> a = np.arange(8, dtype=np.uint64)
>>> index.insert("a", a)
>>> b = a.copy(); b[0] = 99  # one band differs, the others match
>>> sorted(index.query(b)), sorted(index.query(np.full(8, 7, dtype=np.uint64)))
(['a'], [])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable

import numpy as np

from .minhash import band_layout


class BandIndex:
    def __init__(self, threshold: float, num_perm: int):
        self.bands, self.rows = band_layout(threshold, num_perm)
        self.tables: list[defaultdict] = [defaultdict(list) for _ in range(self.bands)]

    def buckets(self, signature: np.ndarray) -> list[bytes]:
        """The signature's bucket key in each band: the band's hash values as bytes."""
        raw = np.ascontiguousarray(signature[: self.bands * self.rows], dtype=np.uint64).tobytes()
        step = self.rows * 8
        return [raw[i : i + step] for i in range(0, self.bands * step, step)]

    def insert(self, key: Hashable, signature: np.ndarray) -> None:
        for table, band in zip(self.tables, self.buckets(signature)):
            table[band].append(key)

    def query(self, signature: np.ndarray) -> set:
        """Keys sharing at least one band with ``signature``."""
        out: set = set()
        for table, band in zip(self.tables, self.buckets(signature)):
            bucket = table.get(band)
            if bucket:
                out.update(bucket)
        return out
