"""cleaner: strip boilerplate from text corpora and find near-duplicates, every removal explained."""

from importlib.metadata import PackageNotFoundError, version

try:
    from . import _core  # noqa: F401 - the native core; every stage needs it
except ImportError as err:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        f"cleaner's native core (cleaner._core) is missing from {__path__[0]}: {err}. Build it with "
        "'pip install .' (it needs cargo and rustc). From a checkout, its cleaner/ folder hides an installed "
        "copy: run from another folder, or install in place with 'pip install -e .'"
    ) from None

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
