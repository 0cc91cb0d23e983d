"""Regression guard: dev-corpus metrics must not fall more than 0.01 below tests/baseline/metrics.json.

The baseline is raised deliberately with `make baseline` (scripts/update_baseline.py) and a commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor.evaluate.baseline import TOLERANCE, regressions

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "baseline" / "metrics.json"


def _extractor() -> list[str]:
    """The installed console script next to this interpreter, else `python -m extractor`."""
    script = Path(sys.executable).parent / "extractor"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "extractor"]


def _metrics(micro: float, **fields: float | None) -> dict[str, Any]:
    return {"micro": {"f1": micro}, "fields": {name: {"f1": f1} for name, f1 in fields.items()}}


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (_metrics(0.80, age=0.90, sex=0.70), []),
        (_metrics(0.791, age=0.891, sex=0.691), []),
        (_metrics(0.85, age=0.95, sex=0.75), []),
        (_metrics(0.78, age=0.90, sex=0.70), ["micro"]),
        (_metrics(0.80, age=0.88, sex=0.70), ["age"]),
        (_metrics(0.80, age=0.90, sex=None), ["sex"]),
        (_metrics(0.80, age=0.90), ["sex"]),
    ],
)
def test_regressions_flags_drops_beyond_tolerance(current: dict[str, Any], expected: list[str]) -> None:
    baseline = _metrics(0.80, age=0.90, sex=0.70, durations=None)
    problems = regressions(current, baseline, TOLERANCE)
    assert [line.split(":")[0] for line in problems] == expected


@pytest.mark.slow
def test_dev_corpus_does_not_regress(tmp_path: Path) -> None:
    if not BASELINE.is_file():
        pytest.skip("no committed baseline yet: create tests/baseline/metrics.json with `make baseline`")
    out, report = tmp_path / "out", tmp_path / "report"
    subprocess.run([*_extractor(), "extract", str(ROOT / "corpus"), "-o", str(out)], check=True, cwd=ROOT)
    subprocess.run(
        [
            *_extractor(),
            "evaluate",
            "--gold",
            str(ROOT / "annotations"),
            "--pred",
            str(out),
            "-o",
            str(report),
            "--baseline",
            str(BASELINE),
        ],
        check=True,
        cwd=ROOT,
    )
    current = json.loads((report / "metrics.json").read_text(encoding="utf-8"))
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    problems = regressions(current, baseline, TOLERANCE)
    assert not problems, (
        "F1 fell below the committed baseline (see report.html in the test's tmp dir):\n"
        + "\n".join(problems)
    )
