"""Regenerate the committed dev-corpus baseline, tests/baseline/metrics.json (`make baseline`).

The regression guard (tests/test_regression_guard.py) fails when a score falls
more than 0.01 below this file, so raising it is a deliberate act: run this
script, read the printed changes, and commit the file with the change that
earned it. Runs `extractor extract corpus/` and `extractor evaluate` against
annotations/ exactly as the guard does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tests" / "baseline" / "metrics.json"


def _extractor() -> list[str]:
    """The installed console script next to this interpreter, else `python -m extractor`."""
    script = Path(sys.executable).parent / "extractor"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "extractor"]


def measure(corpus: Path, gold: Path) -> dict[str, Any]:
    """Extract `corpus` and evaluate it against `gold`; the metrics.json as a dict."""
    with tempfile.TemporaryDirectory() as tmp:
        out, report = Path(tmp) / "out", Path(tmp) / "report"
        subprocess.run([*_extractor(), "extract", str(corpus), "-o", str(out)], check=True, cwd=ROOT)
        subprocess.run(
            [*_extractor(), "evaluate", "--gold", str(gold), "--pred", str(out), "-o", str(report)],
            check=True,
            cwd=ROOT,
        )
        metrics = json.loads((report / "metrics.json").read_text(encoding="utf-8"))
    metrics["inputs"] = {"gold": gold.name + "/", "pred": f"extractor extract {corpus.name}/"}
    return metrics


def _changes(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    rows = [("micro", new["micro"]["f1"], old.get("micro", {}).get("f1"))]
    rows += [
        (name, entry["f1"], old.get("fields", {}).get(name, {}).get("f1"))
        for name, entry in new["fields"].items()
    ]
    lines = []
    for name, now, then in rows:
        shown_now = "–" if now is None else f"{now:.3f}"
        shown_then = "–" if then is None else f"{then:.3f}"
        change = "" if now is None or then is None else f"  ({now - then:+.3f})"
        lines.append(f"{name:<14} {shown_then:>6} -> {shown_now:>6}{change}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--gold", type=Path, default=ROOT / "annotations")
    parser.add_argument("--output", type=Path, default=BASELINE)
    parser.add_argument("--dry-run", action="store_true", help="print the changes without writing")
    args = parser.parse_args()
    new = measure(args.corpus, args.gold)
    old = json.loads(args.output.read_text(encoding="utf-8")) if args.output.is_file() else {}
    print("\n".join(_changes(new, old)))
    if args.dry_run:
        return
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(new, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.output}; commit it to make it the new baseline")


if __name__ == "__main__":
    main()
