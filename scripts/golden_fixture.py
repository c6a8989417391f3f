"""Write fixtures/golden/: a small corpus made from the seeds, and what cleaner writes for it.

    python scripts/golden_fixture.py          # records with the cleaner that `python -m cleaner` runs

The corpus (``input.jsonl``): the five seeds; copies of them with a new dateline, a few words
changed and a footer (near-duplicates); a passage of one seed inside another text (reuse); and
120 short pages under one site template (lines repeated across documents), four in Chinese,
Russian, Korean and French. ``tests/test_golden.py`` runs ``cleaner run`` and ``cleaner clean --format
jsonl`` on it and compares every byte with the recorded files, so a change to the native core
or the strippers that changes output shows up in CI. Record again only for an intended change,
and say why in the commit.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "golden"

TEMPLATE = ["Home | World | Business | Sport", "Subscribe to our daily briefing", "© 2024 Example Daily"]
OTHER_LANGUAGES = [
    "市议会周二表示，这条公路将在周末前重新开放，工程进度比预期快。",
    "Городской совет сообщил, что дорогу откроют к выходным, раньше срока.",
    "시의회는 도로가 주말 전에 다시 열릴 것이라고 밝혔다.",
    "Le conseil municipal a annoncé que la route rouvrira avant le week-end.",
]


def build() -> list[dict]:
    rnd = random.Random(11)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    records = [{"id": f"seed{i}", "text": t} for i, t in enumerate(seeds)]
    for i, text in enumerate(seeds):
        words = text.split(" ")
        for _ in range(max(1, len(words) // 25)):
            words[rnd.randrange(len(words))] = rnd.choice(["said", "the", "officials", "rose", "fell"])
        records.append({"id": f"copy{i}", "text": "BEIRUT (Wire) -\n" + " ".join(words) + "\n\nShare this article"})
    paragraphs = [p for p in seeds[2].split("\n\n") if len(p.split()) > 40]
    records.append({"id": "reuse", "text": "An unrelated opening paragraph about the weather in spring.\n\n"
                    + paragraphs[0] + "\n\nA closing line of the other story, with nothing shared."})
    vocabulary = sorted({w for t in seeds for w in t.split() if w.isalpha()})
    for n in range(120):
        body = " ".join(rnd.sample(vocabulary, 14)).capitalize() + "."
        if n < len(OTHER_LANGUAGES):
            body = OTHER_LANGUAGES[n]
        records.append({"id": f"page{n}", "text": "\n".join([TEMPLATE[0], body, TEMPLATE[1], TEMPLATE[2]])})
    return records


def record(folder: Path) -> None:
    cli = [sys.executable, "-m", "cleaner"]
    with tempfile.TemporaryDirectory(prefix="cleaner-golden-") as tmp:
        subprocess.run([*cli, "run", "-q", "input.jsonl", "-o", tmp], check=True, cwd=folder)
        for name in ("input.jsonl", "duplicates.jsonl"):
            (folder / ("run-" + name)).write_bytes((Path(tmp) / name).read_bytes())
        summary = json.loads((Path(tmp) / "summary.json").read_text(encoding="utf-8"))
        summary.pop("timings")
        (folder / "run-summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with (folder / "clean.jsonl").open("wb") as f:
        subprocess.run([*cli, "clean", "-q", "--format", "jsonl", "input.jsonl"], check=True, stdout=f, cwd=folder)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "input.jsonl").open("w", encoding="utf-8") as f:
        for r in build():
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    record(OUT)
    print(f"recorded {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
