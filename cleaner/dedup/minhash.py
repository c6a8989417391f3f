"""Vectorised MinHash, interchangeable with datasketch's ``affine64`` scheme.

datasketch 2.0's ``affine64`` permutation is ``a * fmix64(h) + b mod 2**64``
with ``a`` odd and ``a``, ``b`` drawn uniformly over the whole 64-bit range
from ``numpy.random.RandomState(seed)``; a bijection, so it adds no collisions,
and no small or correlated parameters. We take the parameters from datasketch
itself and apply them to many documents' shingles at once. A signature from
:func:`signatures` equals ``datasketch.MinHash(num_perm, seed,
hashfunc=shingle_hash, scheme="affine64")`` updated with the same shingles.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

SCHEME = "affine64"
EMPTY = np.uint64((1 << 64) - 1)
_CHUNK = 1 << 15  # shingles per block: bounds the (shingles x num_perm) matrix


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``MinHash(num_perm, seed, scheme="affine64").permutations``, drawn the way datasketch
    draws them (a test checks they are equal), without importing datasketch and scipy
    into every worker process."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, 1 << 64, num_perm, dtype=np.uint64)
    return a, b


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, as datasketch applies it before permuting."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def signatures(sets: list[np.ndarray], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """One signature row per shingle-hash array (empty arrays get the empty signature)."""
    a, b = permutations(num_perm, seed)
    out = np.full((len(sets), num_perm), EMPTY, dtype=np.uint64)
    nonempty = [i for i, s in enumerate(sets) if len(s)]
    start = 0
    while start < len(nonempty):
        # Take whole documents until the block holds about _CHUNK shingles.
        end, size = start, 0
        while end < len(nonempty) and (size == 0 or size + len(sets[nonempty[end]]) <= _CHUNK):
            size += len(sets[nonempty[end]])
            end += 1
        rows = nonempty[start:end]
        hv = fmix64(np.concatenate([sets[i] for i in rows]))
        phv = hv[:, None] * a[None, :] + b[None, :]
        offsets = np.cumsum([0] + [len(sets[i]) for i in rows[:-1]])
        out[rows] = np.minimum.reduceat(phv, offsets, axis=0)
        start = end
    return out


def lean(signature: np.ndarray, seed: int = 1):
    """A datasketch ``LeanMinHash`` holding this signature, for ``MinHashLSH`` and ``jaccard``."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)


@lru_cache(maxsize=8)
def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) as datasketch's ``MinHashLSH(threshold, num_perm)`` lays them out.

    datasketch picks the ``(b, r)`` with ``b * r <= num_perm`` that minimises the
    false positive plus false negative probability, the integrals of
    ``1 - (1 - s^r)^b`` over ``[0, threshold]`` and of ``(1 - s^r)^b`` over
    ``[threshold, 1]``, by scipy's ``quad``. The integrands are smooth, so
    Gauss-Legendre quadrature gives the same integrals to rounding, for every
    layout at once and without scipy (a test checks the layouts against datasketch).
    """
    nodes, weights = np.polynomial.legendre.leggauss(_QUADRATURE_NODES)
    b, r = (np.array(x, dtype=np.float64) for x in zip(*((b, r) for b in range(1, num_perm + 1)
                                                           for r in range(1, num_perm // b + 1))))

    def integral(lo: float, hi: float, f) -> np.ndarray:
        s = (hi - lo) / 2 * nodes + (hi + lo) / 2
        return f(s[None, :]) @ weights * (hi - lo) / 2

    fp = integral(0.0, threshold, lambda s: 1 - (1 - s ** r[:, None]) ** b[:, None])
    fn = integral(threshold, 1.0, lambda s: (1 - s ** r[:, None]) ** b[:, None])
    best = int(np.argmin(fp * 0.5 + fn * 0.5))  # the first of equal minima, as datasketch's loop keeps
    return int(b[best]), int(r[best])


_QUADRATURE_NODES = 200
