"""The seed documents against their hand labels, through the JSONL contract."""

import json


def test_seeds_through_jsonl_contract(cli, gold, seed_texts):
    records = [{"id": name, "text": text, "source": "seed"} for name, text in seed_texts.items()]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    result = cli("clean", "--format", "jsonl", "-", input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == [r["id"] for r in records]
    assert all(r["source"] == "seed" for r in out)  # every field kept

    labelled, found, lost = 0, 0, []
    for record, original in zip(out, records):
        lines = original["text"].split("\n")
        removed = {n: r["kind"] for r in record["cleaner"]["removed"] for n in range(r["start"], r["end"] + 1)}
        want = {int(n): kind for n, kind in gold["remove"][record["id"]].items()}
        for n, kind in want.items():
            labelled += 1
            assert removed.get(n) == kind, f"{record['id']}:{n} should be removed as {kind}: {lines[n - 1]!r}"
            found += 1
        for n in removed:
            if n not in want and lines[n - 1].strip():
                lost.append(f"{record['id']}:{n}: {lines[n - 1]}")
        kept = record["text"].split("\n")
        assert [line for line in kept if line.strip()] == [
            line for n, line in enumerate(lines, 1) if n not in want and line.strip()
        ]
    # The gold labels 15 lines (1 in seed 001, 7 in 002, 7 in 004).
    assert labelled == sum(len(v) for v in gold["remove"].values()) == 15
    assert (found, lost) == (labelled, [])


def test_cleaned_seed_002_reads_whole(seed_texts):
    from cleaner import clean

    result = clean(seed_texts["002_63d5fec23f6ba681.txt"])
    assert "\n\n\n" not in result.text
    assert "China tariffs" not in result.text
    assert '"This is the first option".' in result.text
    assert result.text.endswith("navy advisers.")
