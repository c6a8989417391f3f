"""Every benchmark script runs, on a tiny input, so none can rot unnoticed.

They read the evaluation data beside the project (``../shared/eval/``), as CI has it; the
figures they print on such inputs mean nothing, but every line of each script runs.
"""

import subprocess
import sys

import pytest

from conftest import ROOT

EVAL = ROOT.parent / "shared" / "eval"
RUNS = {
    "throughput.py": (["--docs", "300", "--repeats", "1"], "cleaner run -j1"),
    "stages.py": (["--docs", "300", "--repeats", "1"], "whole cleaner"),
    "memory.py": (["--sizes", "1,2"], "peak RSS, largest input / smallest"),
    "fuzz.py": (["--inputs", "300"], "0 failure(s)"),
    "dedup_quality.py": (["--families", "20", "--copies", "10"], "cleaner passages: recall"),
    "quality.py": (["--limit", "25"], "classifier alone"),
    "report_scale.py": (["--docs", "200"], "report.html"),
}


@pytest.mark.skipif(not EVAL.is_dir(), reason="needs the evaluation data in ../shared/eval")
@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_runs_on_a_tiny_input(script, tmp_path):
    args, expect = RUNS[script]
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert expect in done.stdout


@pytest.mark.skipif(not EVAL.is_dir(), reason="needs the evaluation data in ../shared/eval")
def test_golden_records_then_compares_identical(tmp_path):
    golden = [sys.executable, str(ROOT / "benchmarks" / "golden.py")]
    small = ["--docs", "300", "--pages", "20"]
    subprocess.run([*golden, "record", str(tmp_path / "g"), *small], check=True, capture_output=True, cwd=tmp_path)
    done = subprocess.run([*golden, "compare", str(tmp_path / "g"), *small], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout.count("identical") == 4
