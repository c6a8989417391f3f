"""cleaner: strip boilerplate from text corpora and find near-duplicates, every removal explained."""

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

__all__ = ["Cleaner", "Config", "DedupConfig", "Deduper", "Document", "Removal", "Result", "RuleError", "__version__", "clean"]


def __getattr__(name: str):
    """``__version__`` is read when asked for (importlib.metadata takes 40 ms to import)."""
    if name != "__version__":
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cleaner")  # one source: the crate's version in Cargo.toml
    except PackageNotFoundError:  # a checkout that was never installed
        return "0+unknown"
