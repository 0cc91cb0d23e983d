"""A second, deliberately separate implementation of the annotation guide's section 11 (micro scores only).

It shares no code with `extractor.evaluate`: it reads raw JSON (no pydantic),
hard-codes the guide's name pairs instead of reading patterns/, counts exact
items by multiset intersection and finds matchings with numbers by
exhaustive search (memoised over subsets of gold items). A test checks that
both implementations agree on micro F1, so a bug in either shows up.

It follows the same documented conventions: items pooled over a document's
cases, set items de-duplicated within a case, alterations/durations/outcome
times only when stated, gold documents without a prediction all misses.

Usage: python scripts/score_independent.py GOLD PRED   (GOLD: records JSONL or annotations/ folder;
PRED: an output folder with records.jsonl, or a records JSONL file). Prints JSON.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

SAME_DRUG = [
    ("hydroxycarbamide", "hydroxyurea"),
    ("tretinoin", "atra"),
    ("acetylsalicylicacid", "aspirin"),
    ("fluorouracil", "5fu"),
    ("interferonalfa", "ifnα"),
]


def squash(text: str) -> str:
    """Lower case without spaces, hyphens, dots, slashes, underscores (guide section 11)."""
    kept = []
    for ch in text.lower():
        if ch.isspace() or ch in "-\u2010\u2011\u2012\u2013./_":
            continue
        kept.append(ch)
    return "".join(kept)


def drug(name: str) -> str:
    key = squash(name)
    for first, second in SAME_DRUG:
        if key == second:
            return first
    return key


def dx(code: str) -> str:
    key = squash(code)
    if key.startswith("other:"):
        return "other"
    return key


def close(pred: float, gold: float) -> bool:
    limit = 0.1 * abs(gold)
    if limit < 1:
        limit = 1
    return abs(pred - gold) <= limit + 1e-9


def items_of(record: dict | None) -> dict[str, list[tuple]]:
    """Field group -> list of item tuples; numbers are floats, everything else squashed strings."""
    out: dict[str, list[tuple]] = {}
    if record is None:
        return out

    def add(group: str, values: list[tuple], dedupe: bool) -> None:
        if dedupe:
            unique = []
            for value in values:
                if value not in unique:
                    unique.append(value)
            values = unique
        out.setdefault(group, []).extend(values)

    for case in record.get("cases") or []:
        for group, key in (("age", "age_years"), ("latency", "latency_months")):
            if case.get(key) is not None:
                add(group, [(float(case[key]),)], False)
        if case.get("sex") is not None:
            add("sex", [(squash(case["sex"]),)], False)
        add("diagnoses", [(dx(d["code"]), squash(d["role"])) for d in case.get("diagnoses") or []], True)
        treatments = case.get("treatments") or []
        add("treatments", [(drug(t["name"]),) for t in treatments], True)
        add(
            "durations",
            [
                (drug(t["name"]), float(t["duration_months"]))
                for t in treatments
                if t.get("duration_months") is not None
            ],
            True,
        )
        add("karyotypes", [("".join(k.split()),) for k in case.get("karyotypes") or []], True)
        add("cytogenetics", [(squash(c),) for c in case.get("cytogenetics") or []], True)
        mutations = case.get("mutations") or []
        add(
            "mutations",
            [(squash(m["gene"]), squash(m["kind"]), squash(m.get("status") or "present")) for m in mutations],
            True,
        )
        add(
            "alterations",
            [
                (squash(m["gene"]), squash(m["alteration"]))
                for m in mutations
                if m.get("alteration") is not None
            ],
            True,
        )
        outcomes = case.get("outcomes") or []
        add("outcomes", [(squash(o["type"]),) for o in outcomes], True)
        add(
            "outcome_times",
            [
                (squash(o["type"]), float(o["time_months"]))
                for o in outcomes
                if o.get("time_months") is not None
            ],
            True,
        )
    cohort = record.get("cohort")
    if cohort:
        found = []
        if cohort.get("n_patients") is not None:
            found.append(("n", float(cohort["n_patients"])))
        for stat in ("latency_months", "exposure_months"):
            for part in ("median", "min", "max"):
                value = (cohort.get(stat) or {}).get(part)
                if value is not None:
                    found.append((stat + part, float(value)))
        add("cohort", found, False)
    return out


def same(pred: tuple, gold: tuple) -> bool:
    if len(pred) != len(gold):
        return False
    for p, g in zip(pred, gold):
        if isinstance(g, float):
            if not isinstance(p, float) or not close(p, g):
                return False
        elif p != g:
            return False
    return True


def matched(pred: list[tuple], gold: list[tuple]) -> int:
    """Size of a maximum one-to-one matching."""
    has_numbers = any(isinstance(v, float) for item in pred + gold for v in item)
    if not has_numbers:
        return sum((Counter(pred) & Counter(gold)).values())

    @lru_cache(maxsize=None)
    def best(i: int, used: int) -> int:
        if i == len(pred):
            return 0
        result = best(i + 1, used)
        for j, g in enumerate(gold):
            if not used & (1 << j) and same(pred[i], g):
                result = max(result, 1 + best(i + 1, used | (1 << j)))
        return result

    return best(0, 0)


def read_records(path: Path) -> dict[str, dict]:
    files = sorted(path.glob("gold-*.jsonl")) if path.is_dir() else [path]
    records = {}
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["doc_id"]] = record
    return records


def micro(gold_path: Path, pred_path: Path) -> dict[str, float | int]:
    gold = read_records(gold_path)
    pred = read_records(pred_path / "records.jsonl" if pred_path.is_dir() else pred_path)
    tp = fp = fn = 0
    for doc_id, gold_record in gold.items():
        g_items, p_items = items_of(gold_record), items_of(pred.get(doc_id))
        for group in set(g_items) | set(p_items):
            g, p = g_items.get(group, []), p_items.get(group, [])
            hits = matched(p, g)
            tp += hits
            fp += len(p) - hits
            fn += len(g) - hits
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"p": precision, "r": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(json.dumps(micro(Path(sys.argv[1]), Path(sys.argv[2]))))
