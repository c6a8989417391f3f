import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((FIXTURES / "seeds-gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def cli():
    """Run the CLI in-process: cli("clean", path, input=...) -> click Result."""

    def run(*args, input=None):
        return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
