"""A persistent SQLite index of document signatures, LSH band keys and shingle sets.

New documents are checked against an indexed corpus without re-reading it:
band keys find the candidates, the stored shingle sets verify them with the
exact Jaccard, and the stored (zlib-compressed) text lets the pair be aligned. Adding is incremental and idempotent (a key already in the
index is left as it is). The index remembers the parameters it was built with
and refuses others, since signatures from other parameters cannot be compared.
"""

from __future__ import annotations

import sqlite3
import zlib
from hashlib import blake2b
from pathlib import Path

import numpy as np

from ..config import DedupConfig
from .minhash import band_layout

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, path TEXT, time REAL, text BLOB NOT NULL, shingles BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, hash INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_lookup ON bands (band, hash);
"""


class IndexError_(ValueError):
    """An index that cannot be used with these settings."""


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[int]:
    """One signed 64-bit key per band: BLAKE2b of the band's hash values."""
    out = []
    for i in range(bands):
        digest = blake2b(signature[i * rows : (i + 1) * rows].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


class Index:
    def __init__(self, path: str | Path, config: DedupConfig):
        self.config = config
        self.bands, self.rows = band_layout(config.threshold, config.num_perm)
        self.db = sqlite3.connect(str(path))
        self.db.executescript(_SCHEMA)
        params = {"num_perm": config.num_perm, "seed": config.seed, "ngram": config.ngram,
                  "threshold": config.threshold, "scheme": "affine64"}
        stored = dict(self.db.execute("SELECT name, value FROM meta"))
        if stored and stored != {k: str(v) for k, v in params.items()}:
            raise IndexError_(
                f"{path}: index built with {stored}; run with the same --num-perm, --ngram and --threshold, "
                "or start a new index"
            )
        if not stored:
            self.db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in params.items()])
            self.db.commit()

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]

    def __contains__(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM docs WHERE key = ?", (key,)).fetchone() is not None

    def query(self, signature: np.ndarray, shingles: np.ndarray) -> list[tuple[str, str | None, float]]:
        """Indexed documents whose exact Jaccard with ``shingles`` reaches the threshold: (key, path, jaccard)."""
        keys = band_keys(signature, self.bands, self.rows)
        candidates = set()
        for band, h in enumerate(keys):
            candidates.update(k for (k,) in self.db.execute("SELECT key FROM bands WHERE band = ? AND hash = ?", (band, h)))
        out = []
        for key in sorted(candidates):
            path, blob = self.db.execute("SELECT path, shingles FROM docs WHERE key = ?", (key,)).fetchone()
            theirs = np.frombuffer(blob, dtype=np.uint64)
            shared = len(np.intersect1d(shingles, theirs, assume_unique=True))
            union = len(shingles) + len(theirs) - shared
            j = shared / union if union else 1.0
            if j >= self.config.threshold:
                out.append((key, path, j))
        return out

    def load(self, key: str) -> tuple[str | None, str, float]:
        """(path, text, time) of an indexed document."""
        path, time, text = self.db.execute("SELECT path, time, text FROM docs WHERE key = ?", (key,)).fetchone()
        return path, zlib.decompress(text).decode("utf-8"), time

    def add(self, key: str, path: str | None, text: str, time: float, signature: np.ndarray, shingles: np.ndarray) -> bool:
        """Add one document; False if its key was already there."""
        if key in self:
            return False
        blob = zlib.compress(text.encode("utf-8"))
        self.db.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", (key, path, time, blob, shingles.astype(np.uint64).tobytes()))
        self.db.executemany(
            "INSERT INTO bands VALUES (?, ?, ?)", [(band, h, key) for band, h in enumerate(band_keys(signature, self.bands, self.rows))]
        )
        return True

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()
