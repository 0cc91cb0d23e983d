"""Record scoring (guide section 11): items per group, matching rules, counts, micro, bootstrap."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from extractor.evaluate.scoring import (
    GROUPS,
    Counts,
    bootstrap_f1,
    code_key,
    corpus_metrics,
    count_matrix,
    max_matching,
    name_key,
    numbers_match,
    score_corpus,
    score_document,
)
from extractor.schema import Record


def record(*cases: dict[str, Any], cohort: dict[str, Any] | None = None, doc_id: str = "d1") -> Record:
    return Record.model_validate(
        {
            "doc_id": doc_id,
            "cases": [{"case_id": f"{doc_id}#{i}", **case} for i, case in enumerate(cases, 1)],
            "cohort": cohort,
        }
    )


def drug(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "drug", **extra}


def mutation(gene: str, kind: str = "mutation", **extra: Any) -> dict[str, Any]:
    return {"gene": gene, "kind": kind, **extra}


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        (71, 71, True),
        (72, 71, True),
        (78, 71, True),
        (79, 71, False),
        (6, 5, True),
        (6.5, 5, False),
        (110, 100, True),
        (111, 100, False),
        (1, 0, True),
        (-1, 0, True),
        (2, 0, False),
        (33.9, 33, True),
    ],
)
def test_numbers_match_within_one_or_ten_percent_of_gold(pred: float, gold: float, expected: bool) -> None:
    assert numbers_match(pred, gold) is expected


def test_tolerance_is_relative_to_gold_not_prediction() -> None:
    assert numbers_match(90, 100)
    assert not numbers_match(100, 90)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("hyper-CVAD", "hyperCVAD", True),
        ("HyperCVAD", "hyper cvad", True),
        ("allo-HSCT", "alloHSCT", True),
        ("FLAG-Ida", "flag_ida", True),
        ("CALGB 10403", "calgb-10403", True),
        ("5-FU", "5.F.U.", True),
        ("B-ALL", "b/all", True),
        ("B-ALL", "T-ALL", False),
        ("BCR::ABL1", "BCR-ABL1", False),
        ("VRd", "VTd", False),
    ],
)
def test_code_key_ignores_case_spaces_hyphens_dots_slashes_underscores(a: str, b: str, same: bool) -> None:
    assert (code_key(a) == code_key(b)) is same


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("hydroxycarbamide", "hydroxyurea"),
        ("tretinoin", "ATRA"),
        ("acetylsalicylic acid", "aspirin"),
        ("fluorouracil", "5-FU"),
        ("interferon alfa", "IFN-α"),
        ("Hydroxy-urea", "HYDROXYCARBAMIDE"),
    ],
)
def test_inn_and_us_names_count_as_one(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_unrelated_names_stay_apart() -> None:
    assert name_key("aspirin") != name_key("tretinoin")


# (description, group, predicted cases, gold cases, (tp, fp, fn))
GROUP_CASES: list[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]], tuple[int, int, int]]] = [
    ("age exact", "age", [{"age_years": 71}], [{"age_years": 71}], (1, 0, 0)),
    ("age within 10%", "age", [{"age_years": 77}], [{"age_years": 71}], (1, 0, 0)),
    ("age too far", "age", [{"age_years": 79}], [{"age_years": 71}], (0, 1, 1)),
    ("age null is no item", "age", [{}], [{"age_years": 71}], (0, 0, 1)),
    (
        "age per case",
        "age",
        [{"age_years": 60}, {"age_years": 60}],
        [{"age_years": 60}, {"age_years": 61}],
        (2, 0, 0),
    ),
    ("sex", "sex", [{"sex": "male"}], [{"sex": "male"}], (1, 0, 0)),
    ("sex wrong", "sex", [{"sex": "female"}], [{"sex": "male"}], (0, 1, 1)),
    (
        "diagnoses code and role",
        "diagnoses",
        [{"diagnoses": [{"code": "MM", "role": "primary"}, {"code": "b-all", "role": "secondary"}]}],
        [{"diagnoses": [{"code": "MM", "role": "primary"}, {"code": "B-ALL", "role": "secondary"}]}],
        (2, 0, 0),
    ),
    (
        "diagnoses wrong role",
        "diagnoses",
        [{"diagnoses": [{"code": "AML", "role": "primary"}]}],
        [{"diagnoses": [{"code": "AML", "role": "secondary"}]}],
        (0, 1, 1),
    ),
    (
        "any other: code is other",
        "diagnoses",
        [{"diagnoses": [{"code": "other:sickle cell disease", "role": "other"}]}],
        [{"diagnoses": [{"code": "other:sickle cell anemia", "role": "other"}]}],
        (1, 0, 0),
    ),
    (
        "treatments set within a case",
        "treatments",
        [{"treatments": [drug("lenalidomide"), drug("Lenalidomide")]}],
        [{"treatments": [drug("lenalidomide")]}],
        (1, 0, 0),
    ),
    (
        "treatments pooled over cases",
        "treatments",
        [{"treatments": [{"name": "ASCT", "kind": "transplant"}]}],
        [
            {"treatments": [{"name": "ASCT", "kind": "transplant"}]},
            {"treatments": [{"name": "ASCT", "kind": "transplant"}]},
        ],
        (1, 0, 1),
    ),
    (
        "treatment name spelling",
        "treatments",
        [{"treatments": [{"name": "HyperCVAD", "kind": "regimen"}]}],
        [{"treatments": [{"name": "hyper-CVAD", "kind": "regimen"}]}],
        (1, 0, 0),
    ),
    (
        "treatment INN/US pair",
        "treatments",
        [{"treatments": [drug("hydroxyurea")]}],
        [{"treatments": [drug("hydroxycarbamide")]}],
        (1, 0, 0),
    ),
    (
        "treatment kind and setting ignored",
        "treatments",
        [{"treatments": [drug("imatinib", setting="maintenance", target="secondary")]}],
        [{"treatments": [drug("imatinib")]}],
        (1, 0, 0),
    ),
    (
        "brand names are not mapped by the scorer",
        "treatments",
        [{"treatments": [drug("Revlimid")]}],
        [{"treatments": [drug("lenalidomide")]}],
        (0, 1, 1),
    ),
    (
        "durations name and months",
        "durations",
        [{"treatments": [drug("Lenalidomide", duration_months=35)]}],
        [{"treatments": [drug("lenalidomide", duration_months=33)]}],
        (1, 0, 0),
    ),
    (
        "durations wrong name",
        "durations",
        [{"treatments": [drug("bortezomib", duration_months=33)]}],
        [{"treatments": [drug("lenalidomide", duration_months=33)]}],
        (0, 1, 1),
    ),
    (
        "durations only when stated",
        "durations",
        [{"treatments": [drug("lenalidomide")]}],
        [{"treatments": [drug("lenalidomide")]}],
        (0, 0, 0),
    ),
    ("latency within 10%", "latency", [{"latency_months": 54}], [{"latency_months": 50}], (1, 0, 0)),
    ("latency too far", "latency", [{"latency_months": 56}], [{"latency_months": 50}], (0, 1, 1)),
    (
        "karyotype ignores whitespace",
        "karyotypes",
        [{"karyotypes": ["46, XX, del(7)(q22)"]}],
        [{"karyotypes": ["46,XX,del(7)(q22)"]}],
        (1, 0, 0),
    ),
    (
        "karyotype otherwise exact",
        "karyotypes",
        [{"karyotypes": ["46,XX,del(7)(q21)"]}],
        [{"karyotypes": ["46,XX,del(7)(q22)"]}],
        (0, 1, 1),
    ),
    (
        "cytogenetics set",
        "cytogenetics",
        [{"cytogenetics": ["-7", "Ph+", "+8"]}],
        [{"cytogenetics": ["-7", "Ph+", "del(5q)"]}],
        (2, 1, 1),
    ),
    (
        "cytogenetics sign matters",
        "cytogenetics",
        [{"cytogenetics": ["+7"]}],
        [{"cytogenetics": ["-7"]}],
        (0, 1, 1),
    ),
    (
        "mutations gene kind status",
        "mutations",
        [{"mutations": [mutation("TP53"), mutation("BCR::ABL1", "fusion")]}],
        [{"mutations": [mutation("TP53", origin="germline"), mutation("BCR::ABL1", "fusion")]}],
        (2, 0, 0),
    ),
    (
        "mutations status absent",
        "mutations",
        [{"mutations": [mutation("TP53")]}],
        [{"mutations": [mutation("TP53", status="absent")]}],
        (0, 1, 1),
    ),
    (
        "alterations only when given",
        "alterations",
        [{"mutations": [mutation("TP53", alteration="p.R283H")]}],
        [{"mutations": [mutation("TP53", alteration="p.R283H"), mutation("KRAS")]}],
        (1, 0, 0),
    ),
    (
        "alteration wrong",
        "alterations",
        [{"mutations": [mutation("TP53", alteration="p.R248Q")]}],
        [{"mutations": [mutation("TP53", alteration="p.R283H")]}],
        (0, 1, 1),
    ),
    (
        "outcomes set",
        "outcomes",
        [{"outcomes": [{"type": "death"}, {"type": "death", "time_months": 3}]}],
        [{"outcomes": [{"type": "death", "time_months": 7}, {"type": "relapse"}]}],
        (1, 0, 1),
    ),
    (
        "outcome times",
        "outcome_times",
        [{"outcomes": [{"type": "death", "time_months": 7.5}]}],
        [{"outcomes": [{"type": "death", "time_months": 7}]}],
        (1, 0, 0),
    ),
    (
        "outcome time wrong type",
        "outcome_times",
        [{"outcomes": [{"type": "relapse", "time_months": 7}]}],
        [{"outcomes": [{"type": "death", "time_months": 7}]}],
        (0, 1, 1),
    ),
]


@pytest.mark.parametrize(
    ("group", "pred_cases", "gold_cases", "expected"),
    [case[1:] for case in GROUP_CASES],
    ids=[case[0] for case in GROUP_CASES],
)
def test_group_counts(
    group: str,
    pred_cases: list[dict[str, Any]],
    gold_cases: list[dict[str, Any]],
    expected: tuple[int, int, int],
) -> None:
    result = score_document(record(*pred_cases), record(*gold_cases))
    counts = result.groups[group].counts
    assert (counts.tp, counts.fp, counts.fn) == expected


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ({"n_patients": 17}, {"n_patients": 18}, (1, 0, 0)),
        (
            {"n_patients": 17, "latency_months": {"median": 54, "min": 5, "max": 119}},
            {"n_patients": 17, "latency_months": {"median": 54, "min": 5, "max": 119}},
            (4, 0, 0),
        ),
        ({"latency_months": {"median": 54}}, {"exposure_months": {"median": 54}}, (0, 1, 1)),
        ({"latency_months": {"median": 40}}, {"latency_months": {"median": 54, "min": None}}, (0, 1, 1)),
        (None, {"exposure_months": {"median": 42, "min": 2, "max": 114}}, (0, 0, 3)),
        ({"n_patients": 28}, None, (0, 1, 0)),
    ],
)
def test_cohort_items(
    pred: dict[str, Any] | None, gold: dict[str, Any] | None, expected: tuple[int, int, int]
) -> None:
    counts = score_document(record(cohort=pred), record(cohort=gold)).groups["cohort"].counts
    assert (counts.tp, counts.fp, counts.fn) == expected


def test_numeric_matching_is_maximal_not_greedy() -> None:
    # 11 fits gold 10 and 12, 13 fits only 12: a greedy 11->12 would lose one match.
    result = score_document(
        record({"age_years": 11}, {"age_years": 13}), record({"age_years": 10}, {"age_years": 12})
    )
    assert result.groups["age"].counts == Counts(2, 0, 0)


def test_max_matching_finds_augmenting_paths() -> None:
    edges = {(0, 0), (0, 1), (1, 0)}
    assert max_matching(2, 2, lambda a, b: (a, b) in edges) == [(0, 1), (1, 0)]


def test_missing_prediction_counts_every_gold_item_as_missed() -> None:
    gold = record({"age_years": 60, "sex": "male", "treatments": [drug("melphalan")]})
    result = score_document(None, gold)
    assert not result.predicted
    assert result.counts == Counts(0, 0, 3)


def test_score_corpus_ignores_documents_without_gold() -> None:
    gold = [record({"sex": "male"}, doc_id="a")]
    preds = {"a": record({"sex": "male"}, doc_id="a"), "b": record({"sex": "female"}, doc_id="b")}
    results = score_corpus(preds, gold)
    assert [r.doc_id for r in results] == ["a"]
    assert results[0].counts == Counts(1, 0, 0)


@pytest.mark.parametrize(
    ("counts", "p", "r", "f1"),
    [
        (Counts(3, 1, 2), 0.75, 0.6, 2 * 3 / (6 + 1 + 2)),
        (Counts(0, 0, 4), 0.0, 0.0, 0.0),
        (Counts(0, 2, 0), 0.0, 0.0, 0.0),
        (Counts(0, 0, 0), None, None, None),
    ],
)
def test_ratio_conventions(counts: Counts, p: float | None, r: float | None, f1: float | None) -> None:
    assert counts.precision == p
    assert counts.recall == r
    assert counts.f1 == pytest.approx(f1) if f1 is not None else counts.f1 is None


def _corpus() -> tuple[dict[str, Record], list[Record]]:
    gold, preds = [], {}
    for i in range(12):
        doc = f"doc{i}"
        gold.append(
            record(
                {"age_years": 50 + i, "sex": "male", "treatments": [drug("melphalan"), drug("VRd")]},
                doc_id=doc,
            )
        )
        treatments = [drug("melphalan")] if i % 3 else [drug("melphalan"), drug("VRd"), drug("aspirin")]
        preds[doc] = record(
            {"age_years": 50 + i + (5 if i % 4 == 0 else 0), "sex": "male", "treatments": treatments},
            doc_id=doc,
        )
    return preds, gold


def test_micro_sums_counts_over_groups_and_documents() -> None:
    preds, gold = _corpus()
    metrics = corpus_metrics(score_corpus(preds, gold), draws=200, seed=1)
    fields = metrics["fields"]
    assert set(fields) == set(GROUPS)
    assert metrics["micro"]["tp"] == sum(f["tp"] for f in fields.values())
    assert metrics["micro"]["fp"] == sum(f["fp"] for f in fields.values())
    assert metrics["micro"]["fn"] == sum(f["fn"] for f in fields.values())
    assert fields["sex"]["f1"] == 1.0
    assert fields["durations"]["f1"] is None and fields["durations"]["f1_ci"] is None
    assert fields["treatments"] == {**fields["treatments"], "tp": 16, "fp": 4, "fn": 8}


def test_bootstrap_intervals_are_reproducible_and_bracket_the_estimate() -> None:
    preds, gold = _corpus()
    results = score_corpus(preds, gold)
    first = corpus_metrics(results, draws=500, seed=7)
    assert first == corpus_metrics(results, draws=500, seed=7)
    for entry in [first["micro"], *first["fields"].values()]:
        if entry["f1"] is None:
            continue
        low, high = entry["f1_ci"]
        assert low <= entry["f1"] <= high
    low, high = first["fields"]["treatments"]["f1_ci"]
    assert low < high
    assert first["fields"]["sex"]["f1_ci"] == [1.0, 1.0]


def test_bootstrap_resamples_documents() -> None:
    # One perfect and one empty-handed document: resampled micro F1 spans from 0 to 1.
    matrix = np.zeros((2, len(GROUPS), 3), dtype=np.int64)
    matrix[0, 0] = (5, 0, 0)
    matrix[1, 0] = (0, 0, 5)
    per_group, micro = bootstrap_f1(matrix, draws=2000, seed=0)
    assert micro is not None and micro[0] == 0.0 and micro[1] == 1.0
    assert per_group[GROUPS[1]] is None


def test_count_matrix_shape() -> None:
    preds, gold = _corpus()
    assert count_matrix(score_corpus(preds, gold)).shape == (12, len(GROUPS), 3)
