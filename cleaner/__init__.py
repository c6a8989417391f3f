"""cleaner: strip boilerplate from text corpora and find near-duplicates, every removal explained."""

from importlib.metadata import PackageNotFoundError, version

from .clean import Cleaner, clean
from .config import Config, DedupConfig
from .dedup import Deduper
from .document import Document, Removal, Result
from .rules import RuleError

try:
    __version__ = version("cleaner")  # one source: the crate's version in Cargo.toml
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"
__all__ = ["Cleaner", "Config", "DedupConfig", "Deduper", "Document", "Removal", "Result", "RuleError", "__version__", "clean"]
