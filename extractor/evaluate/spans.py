"""Span scores per mention label: strict (same label and offsets) and overlap (same label, shared characters).

Both modes match predicted spans to gold spans one to one, so one long
predicted span covering two gold spans counts once. Only documents that have
span-level gold are scored, and micro averages run over the labels the gold
annotates (a label the annotators never mark is listed but not averaged, so
unannotated labels such as `CASE` do not read as errors).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from extractor.evaluate.scoring import Counts, max_matching
from extractor.schema import Mention

MODES: tuple[str, ...] = ("strict", "overlap")


def _strict(pred: Mention, gold: Mention) -> bool:
    return pred.start == gold.start and pred.end == gold.end


def _overlap(pred: Mention, gold: Mention) -> bool:
    return pred.start < gold.end and gold.start < pred.end


_RULES: dict[str, Callable[[Mention, Mention], bool]] = {"strict": _strict, "overlap": _overlap}


def _by_doc_and_label(mentions: Sequence[Mention]) -> dict[tuple[str, str], list[Mention]]:
    grouped: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        grouped[(mention.doc_id, mention.label)].append(mention)
    return grouped


def span_counts(pred: Sequence[Mention], gold: Sequence[Mention], mode: str) -> dict[str, Counts]:
    """Counts per label over the documents of `gold`, matching with the `mode` rule."""
    rule = _RULES[mode]
    docs = {m.doc_id for m in gold}
    pred_groups = _by_doc_and_label([m for m in pred if m.doc_id in docs])
    gold_groups = _by_doc_and_label(gold)
    totals: dict[str, Counts] = defaultdict(Counts)
    for key in sorted(set(pred_groups) | set(gold_groups)):
        p, g = pred_groups.get(key, []), gold_groups.get(key, [])
        matched = len(max_matching(len(p), len(g), lambda i, j: rule(p[i], g[j])))
        totals[key[1]] += Counts(matched, len(p) - matched, len(g) - matched)
    return dict(totals)


def score_spans(pred: Sequence[Mention], gold: Sequence[Mention]) -> dict[str, Any]:
    """Strict and overlap P/R/F1 per label and micro-averaged over the gold's labels."""
    gold_labels = sorted({m.label for m in gold})
    scores: dict[str, Any] = {"documents": len({m.doc_id for m in gold}), "gold_labels": gold_labels}
    for mode in MODES:
        per_label = span_counts(pred, gold, mode)
        micro = sum((per_label[label] for label in gold_labels if label in per_label), Counts())
        scores[mode] = {
            "micro": micro.as_dict(),
            "labels": {label: per_label[label].as_dict() for label in sorted(per_label)},
        }
    return scores
