"""Span scores: strict and overlap P/R/F1 per label."""

from __future__ import annotations

import pytest

from extractor.evaluate.scoring import Counts
from extractor.evaluate.spans import score_spans, span_counts
from extractor.schema import Mention


def span(start: int, end: int, label: str = "TREATMENT", doc_id: str = "d1") -> Mention:
    return Mention(doc_id=doc_id, start=start, end=end, label=label, text="x" * (end - start))


@pytest.mark.parametrize(
    ("pred", "gold", "strict", "overlap"),
    [
        ([span(0, 5)], [span(0, 5)], Counts(1, 0, 0), Counts(1, 0, 0)),
        ([span(0, 6)], [span(0, 5)], Counts(0, 1, 1), Counts(1, 0, 0)),
        ([span(5, 9)], [span(0, 5)], Counts(0, 1, 1), Counts(0, 1, 1)),
        ([span(0, 20)], [span(0, 5), span(10, 15)], Counts(0, 1, 2), Counts(1, 0, 1)),
        ([span(0, 5), span(0, 5)], [span(0, 5)], Counts(1, 1, 0), Counts(1, 1, 0)),
        ([span(2, 4), span(0, 3)], [span(0, 3), span(3, 6)], Counts(1, 1, 1), Counts(2, 0, 0)),
        ([span(0, 5, doc_id="d2")], [span(0, 5)], Counts(0, 0, 1), Counts(0, 0, 1)),
    ],
)
def test_strict_and_overlap_counts(
    pred: list[Mention], gold: list[Mention], strict: Counts, overlap: Counts
) -> None:
    assert span_counts(pred, gold, "strict").get("TREATMENT", Counts()) == strict
    assert span_counts(pred, gold, "overlap").get("TREATMENT", Counts()) == overlap


def test_labels_must_agree() -> None:
    counts = span_counts([span(0, 5, "DIAGNOSIS")], [span(0, 5, "TREATMENT")], "overlap")
    assert counts == {"DIAGNOSIS": Counts(0, 1, 0), "TREATMENT": Counts(0, 0, 1)}


def test_score_spans_per_label_and_micro_over_gold_labels() -> None:
    gold = [span(0, 5, "AGE"), span(10, 14, "SEX"), span(20, 30, "TREATMENT"), span(40, 50, "TREATMENT")]
    pred = [
        span(0, 5, "AGE"),
        span(10, 15, "SEX"),
        span(20, 30, "TREATMENT"),
        span(60, 68, "CASE"),
        span(0, 5, "AGE", doc_id="unannotated"),
    ]
    scores = score_spans(pred, gold)
    assert scores["documents"] == 1
    assert scores["gold_labels"] == ["AGE", "SEX", "TREATMENT"]
    strict, overlap = scores["strict"], scores["overlap"]
    assert strict["labels"]["SEX"]["f1"] == 0.0
    assert overlap["labels"]["SEX"]["f1"] == 1.0
    assert strict["labels"]["TREATMENT"] == {
        "p": 1.0,
        "r": 0.5,
        "f1": pytest.approx(2 / 3),
        "tp": 1,
        "fp": 0,
        "fn": 1,
    }
    assert strict["labels"]["CASE"]["fp"] == 1
    assert (strict["micro"]["tp"], strict["micro"]["fp"], strict["micro"]["fn"]) == (2, 1, 2)
    assert (overlap["micro"]["tp"], overlap["micro"]["fp"], overlap["micro"]["fn"]) == (3, 0, 1)
