"""Near-duplicate documents and reused passages, with MinHash (datasketch-compatible)."""

from .deduper import Deduper, Pair, Side

__all__ = ["Deduper", "Pair", "Side"]
