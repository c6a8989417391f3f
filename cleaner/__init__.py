"""cleaner: strip boilerplate from text corpora and find near-duplicates, every removal explained."""

from .clean import Cleaner, clean
from .config import Config, DedupConfig
from .dedup import Deduper
from .document import Document, Removal, Result
from .rules import RuleError

__version__ = "0.1.0"
__all__ = ["Cleaner", "Config", "DedupConfig", "Deduper", "Document", "Removal", "Result", "RuleError", "__version__", "clean"]
