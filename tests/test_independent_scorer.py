"""`extractor evaluate` and the separate scripts/score_independent.py agree on micro F1 (within 0.01)."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extractor.evaluate.gold import load_gold, load_predictions
from extractor.evaluate.scoring import corpus_metrics, score_corpus

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "score_independent.py"
DEV_GOLD = Path("/work/shared/corpora/case-reports/dev-gold.jsonl")

pytestmark = pytest.mark.skipif(not DEV_GOLD.is_file(), reason="shared dev corpus not available")

Records = list[dict[str, Any]]
SPELLINGS = {
    "lenalidomide": "Lenalidomide",
    "allo-HSCT": "alloHSCT",
    "FLAG-Ida": "flag ida",
    "hydroxycarbamide": "hydroxyurea",
    "B-ALL": "b-all",
    "t-MN": "T MN",
}


def _cases(records: Records) -> list[dict[str, Any]]:
    return [case for record in records for case in record["cases"]]


def identity(records: Records, rng: random.Random) -> Records:
    return records


def drop_items(records: Records, rng: random.Random) -> Records:
    for case in _cases(records):
        for key in ("diagnoses", "treatments", "cytogenetics", "mutations", "outcomes", "karyotypes"):
            case[key] = [item for item in case[key] if rng.random() > 0.35]
        for key in ("age_years", "sex", "latency_months"):
            if rng.random() < 0.3:
                case[key] = None
    return records


def jitter_numbers(records: Records, rng: random.Random) -> Records:
    def move(value: float | None) -> float | None:
        return None if value is None else round(value * rng.uniform(0.8, 1.2) + rng.choice([-1, 0, 1]), 1)

    for record in records:
        for case in record["cases"]:
            case["age_years"], case["latency_months"] = move(case["age_years"]), move(case["latency_months"])
            for outcome in case["outcomes"]:
                outcome["time_months"] = move(outcome["time_months"])
            for treatment in case["treatments"]:
                treatment["duration_months"] = move(rng.choice([None, 12.0, 33.0]))
        cohort = record.get("cohort") or {}
        for stat in ("latency_months", "exposure_months"):
            if cohort.get(stat):
                cohort[stat] = {part: move(value) for part, value in cohort[stat].items()}
    return records


def respell_and_add(records: Records, rng: random.Random) -> Records:
    for case in _cases(records):
        for treatment in case["treatments"]:
            treatment["name"] = SPELLINGS.get(treatment["name"], treatment["name"])
        for diagnosis in case["diagnoses"]:
            diagnosis["code"] = SPELLINGS.get(diagnosis["code"], diagnosis["code"])
            if diagnosis["code"].startswith("other:"):
                diagnosis["code"] = "other:something else"
        case["treatments"].append({"name": rng.choice(["aspirin", "VRd", "g-csf"]), "kind": "drug"})
        case["karyotypes"] = [k.replace(",", ", ") for k in case["karyotypes"]]
        case["mutations"] = [{**m, "status": rng.choice(["present", "absent"])} for m in case["mutations"]]
    return records


def restructure_cases(records: Records, rng: random.Random) -> Records:
    for record in records:
        if len(record["cases"]) > 1:
            record["cases"] = record["cases"][:1]
        elif record["cases"]:
            twin = copy.deepcopy(record["cases"][0])
            twin["case_id"] += "-twin"
            record["cases"].append(twin)
    return records[1:] + [{"doc_id": "not-in-gold", "cases": [], "cohort": {"n_patients": 5}}]


def mixed(records: Records, rng: random.Random) -> Records:
    for perturb in (drop_items, jitter_numbers, respell_and_add):
        if rng.random() < 0.7:
            records = perturb(records, rng)
    return records


PERTURBATIONS: list[tuple[Callable[[Records, random.Random], Records], int]] = [
    (identity, 0),
    (drop_items, 1),
    (drop_items, 2),
    (jitter_numbers, 3),
    (jitter_numbers, 4),
    (respell_and_add, 5),
    (restructure_cases, 6),
    (mixed, 7),
    (mixed, 8),
    (mixed, 9),
]


@pytest.mark.parametrize(
    ("perturb", "seed"), PERTURBATIONS, ids=[f"{p.__name__}-{s}" for p, s in PERTURBATIONS]
)
def test_micro_f1_agrees_with_independent_scorer(
    perturb: Callable[[Records, random.Random], Records], seed: int, tmp_path: Path
) -> None:
    gold = [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    predicted = perturb(copy.deepcopy(gold), random.Random(seed))
    pred_file = tmp_path / "records.jsonl"
    pred_file.write_text("".join(json.dumps(r) + "\n" for r in predicted), encoding="utf-8")

    results = score_corpus(load_predictions(tmp_path).records, load_gold(DEV_GOLD).records)
    ours = corpus_metrics(results, draws=0)
    theirs = json.loads(
        subprocess.run(
            [sys.executable, str(SCRIPT), str(DEV_GOLD), str(tmp_path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )

    assert ours["micro"]["f1"] == pytest.approx(theirs["f1"], abs=0.01)
    if perturb is identity:
        assert ours["micro"]["f1"] == 1.0
    else:
        assert ours["micro"]["f1"] < 1.0
