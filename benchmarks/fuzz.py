"""Fuzz the library with generated inputs: no crash, cleaning idempotent, kept + removed rebuild the input.

    python benchmarks/fuzz.py --inputs 100000 [--seed 1]

Each input is built from pieces that break naive text code (controls, NUL,
lone combining marks, right-to-left text, every line separator, long runs of
one character, rule examples, seed lines, random code points) and goes
through: the cleaner (checked for rebuild and idempotence), the byte decoder
and the JSONL record parser (only InputError may come out), and, in batches,
the deduper. Failing inputs are written to ``fuzz-failures.jsonl``; the exit
status is 1 if there were any. CI runs it on a few hundred inputs (tests/test_benchmarks.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from pathlib import Path

from cleaner import Cleaner, Deduper, Document
from cleaner.io import InputError, decode, parse_record
from cleaner.strip.repair import repair

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x7f", "\x85", "\u2028", "\u2029",
           "\r", "\r\n", "\n", "\n\n", "\u0301", "\u0308", "\u200d", "\u200f", "\u202e", "\ufeff", "\ufffd",
           "שלום", "مرحبا", "日本語の文章。", "👍🏽", "\t", " ", "Ã©", "&amp;", "â€™", "|", "»", "•", ">"]


def pieces(cleaner: Cleaner) -> list[str]:
    out = [line for p in sorted((ROOT / "seeds").glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n")]
    for rule in cleaner.rules.rules:
        out.extend(rule.examples_match + rule.examples_no_match)
    return [p for p in out if p]


def generate(rnd: random.Random, lines: list[str]) -> str:
    parts = []
    for _ in range(rnd.randint(0, 40)):
        r = rnd.random()
        if r < 0.35:
            parts.append(rnd.choice(lines))
        elif r < 0.6:
            parts.append(rnd.choice(HOSTILE))
        elif r < 0.75:
            parts.append("".join(chr(rnd.choice([rnd.randint(0, 0x2FF), rnd.randint(0, 0x10FFFF)])) for _ in range(rnd.randint(1, 30))))
        elif r < 0.8:
            parts.append(rnd.choice(HOSTILE + ["a", " ", "-", "="]) * rnd.randint(100, 5000))
        else:
            line = list(rnd.choice(lines))  # a mutated line
            for _ in range(rnd.randint(1, 4)):
                if line:
                    line[rnd.randrange(len(line))] = rnd.choice(HOSTILE)
            parts.append("".join(line))
        parts.append(rnd.choice(["\n", "\n", "\r\n", "\r", " ", "\n\n", ""]))
    text = "".join(parts)
    # Lone surrogates cannot be encoded; a real text never holds them.
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


def check_one(cleaner: Cleaner, text: str, rnd: random.Random) -> None:
    once = cleaner.clean(text)
    assert once.rebuild() == repair(text)[0], "kept + removed do not rebuild the input"
    twice = cleaner.clean(once.text)
    assert not twice.removals and twice.text == once.text, "cleaning is not idempotent"
    data = text.encode("utf-8", "surrogatepass")
    if rnd.random() < 0.3:  # damage the bytes
        data = bytearray(data)
        for _ in range(rnd.randint(1, 5)):
            if data:
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        data = bytes(data)
    try:
        decode(data, "fuzz")
    except InputError:
        pass
    record = parse_record("fuzz", 1, json.dumps({"text": text}).encode() if rnd.random() < 0.5 else data, "text")
    assert record.data is not None or record.error is not None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--failures", default="fuzz-failures.jsonl")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    cleaner = Cleaner()
    lines = pieces(cleaner)
    Path(args.failures).unlink(missing_ok=True)
    failures, batch, chars = [], [], 0
    started = time.perf_counter()
    for n in range(1, args.inputs + 1):
        text = generate(rnd, lines)
        chars += len(text)
        try:
            check_one(cleaner, text, rnd)
            batch.append(Document(text, id=str(n)))
            if len(batch) == 500:
                deduper = Deduper()
                deduper.add_many(batch)
                deduper.pairs()
                batch = []
        except Exception as err:  # noqa: BLE001 - a fuzzer records every failure
            failures.append({"input": n, "text": text, "error": repr(err), "trace": traceback.format_exc()})
            with open(args.failures, "a", encoding="utf-8") as f:  # at once, so a long run loses nothing
                f.write(json.dumps(failures[-1], ensure_ascii=False) + "\n")
        if n % 10_000 == 0:
            print(f"{n} inputs, {chars / 1e6:.1f} M characters, {len(failures)} failure(s), "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"fuzz: {args.inputs} inputs (seed {args.seed}), {chars / 1e6:.1f} M characters, "
          f"{len(failures)} failure(s), {time.perf_counter() - started:.0f} s")
    if failures:
        print(f"failing inputs written to {args.failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
