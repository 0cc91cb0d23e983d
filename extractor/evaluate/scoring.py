"""Record scoring exactly as the annotation guide's section 11 defines it.

Each document's record becomes, per field group, a list of comparable items;
predicted items are matched one to one with gold items (maximum bipartite
matching, because the numeric tolerance is not transitive) and the matches
give true positives, the rest false positives and false negatives.

Choices the guide leaves open, made here and shown in every report:

* Case alignment: items are pooled over all cases of a document as a
  multiset. Per-case fields (age, sex, latency) give one item per case with a
  non-null value; set fields are de-duplicated within a case, then pooled.
  So two identical gold cases need two predicted cases to be fully recalled,
  and no case-to-case alignment (which would itself be a guess) is needed.
* `alterations` holds only mutations with a non-null alteration, like
  `durations` and `outcome_times` hold only values that are stated.
* Undefined ratios: with no predicted and no gold item P/R/F1 are None;
  otherwise an empty denominator gives 0.

Pure: no I/O except reading the name equivalences once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from extractor.patterns import load_json
from extractor.schema import Case, Cohort, Evidence, Record

GROUPS: tuple[str, ...] = (
    "age",
    "sex",
    "diagnoses",
    "treatments",
    "durations",
    "latency",
    "karyotypes",
    "cytogenetics",
    "mutations",
    "alterations",
    "outcomes",
    "outcome_times",
    "cohort",
)
"""The field groups of guide section 11, in report order."""

PER_CASE_GROUPS: frozenset[str] = frozenset({"age", "sex", "latency"})
"""Groups with one value per case (the others are sets)."""

GROUP_LABELS: dict[str, str] = {
    "age": "AGE",
    "sex": "SEX",
    "diagnoses": "DIAGNOSIS",
    "treatments": "TREATMENT",
    "durations": "DURATION",
    "latency": "LATENCY",
    "karyotypes": "KARYOTYPE",
    "cytogenetics": "CYTOGENETICS",
    "mutations": "GENE",
    "alterations": "VARIANT",
    "outcomes": "OUTCOME",
    "outcome_times": "OUTCOME",
    "cohort": "COHORT",
}
"""The mention label whose spans hold each group's values (docs/labels.md)."""

Value = str | float

_IGNORED = re.compile(r"[\s\-\u2010\u2011\u2012\u2013./_]+")
_WHITESPACE = re.compile(r"\s+")


class NameEquivalences(BaseModel):
    """`patterns/name_equivalences.json`: groups of names scored as one, canonical first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    groups: list[list[str]]


def code_key(value: str) -> str:
    """Names and codes compare case-insensitively, ignoring spaces, hyphens, dots, slashes, underscores."""
    return _IGNORED.sub("", value).casefold()


def karyotype_key(value: str) -> str:
    """Karyotypes compare with all whitespace removed (guide section 6)."""
    return _WHITESPACE.sub("", value)


def diagnosis_key(code: str) -> str:
    """Every `other:...` code counts as `other`."""
    key = code_key(code)
    return "other" if key.startswith("other:") else key


@cache
def _equivalence_map() -> dict[str, str]:
    table = load_json("name_equivalences.json", NameEquivalences)
    return {code_key(name): code_key(group[0]) for group in table.groups for name in group}


def name_key(value: str, equivalences: Mapping[str, str] | None = None) -> str:
    """A treatment name's comparison key: the code key, with INN/US name pairs folded to one."""
    table = _equivalence_map() if equivalences is None else equivalences
    key = code_key(value)
    return table.get(key, key)


def numbers_match(pred: float, gold: float) -> bool:
    """Numbers match when they differ by at most 1 or 10% of the gold value, whichever is larger."""
    return abs(pred - gold) <= max(1.0, 0.1 * abs(gold)) + 1e-9


@dataclass(frozen=True, slots=True)
class Item:
    """One scorable value: `key` is compared, `shown` is what a reader sees."""

    group: str
    key: tuple[Value, ...]
    shown: str
    case_id: str | None = None
    evidence: tuple[Evidence, ...] = ()
    surface: str | None = None
    """The written form to look for in the text when an item has no evidence (None for bare numbers)."""


def compatible(pred: Item, gold: Item) -> bool:
    """Whether a predicted item may be matched to a gold item."""
    if len(pred.key) != len(gold.key):
        return False
    for p, g in zip(pred.key, gold.key):
        if isinstance(g, float) and isinstance(p, float):
            if not numbers_match(p, g):
                return False
        elif p != g:
            return False
    return True


def _distance(pred: Item, gold: Item) -> float:
    return sum(
        abs(p - g) for p, g in zip(pred.key, gold.key) if isinstance(p, float) and isinstance(g, float)
    )


def max_matching(
    n_left: int,
    n_right: int,
    edge: Callable[[int, int], bool],
    cost: Callable[[int, int], float] | None = None,
) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (Kuhn's augmenting paths); `cost` orders candidates, closest first."""
    adjacency = []
    for left in range(n_left):
        candidates = [right for right in range(n_right) if edge(left, right)]
        if cost is not None:
            candidates.sort(key=lambda right: cost(left, right))
        adjacency.append(candidates)
    owner = [-1] * n_right

    def augment(left: int, seen: set[int]) -> bool:
        for right in adjacency[left]:
            if right in seen:
                continue
            seen.add(right)
            if owner[right] == -1 or augment(owner[right], seen):
                owner[right] = left
                return True
        return False

    for left in range(n_left):
        augment(left, set())
    return sorted((left, right) for right, left in enumerate(owner) if left != -1)


def _fmt(number: float) -> str:
    return f"{number:g}"


def _unique(items: Iterable[Item]) -> list[Item]:
    """De-duplicate a case's set items by key, keeping the union of their evidence."""
    merged: dict[tuple[Value, ...], Item] = {}
    for item in items:
        known = merged.get(item.key)
        if known is None:
            merged[item.key] = item
        else:
            extra = tuple(e for e in item.evidence if e not in known.evidence)
            merged[item.key] = replace(known, evidence=known.evidence + extra)
    return list(merged.values())


def _case_items(case: Case) -> dict[str, list[Item]]:
    """One case's items per group; set groups are de-duplicated within the case."""
    cid, ev = case.case_id, case.evidence

    def item(
        group: str,
        key: tuple[Value, ...],
        shown: str,
        evidence: Iterable[Evidence],
        surface: str | None = None,
    ) -> Item:
        return Item(group, key, shown, cid, tuple(evidence), surface)

    out: dict[str, list[Item]] = {group: [] for group in GROUPS if group != "cohort"}
    if case.age_years is not None:
        out["age"].append(
            item("age", (float(case.age_years),), _fmt(case.age_years), ev.get("age_years", ()))
        )
    if case.sex is not None:
        out["sex"].append(item("sex", (code_key(case.sex),), case.sex, ev.get("sex", ())))
    if case.latency_months is not None:
        out["latency"].append(
            item(
                "latency",
                (float(case.latency_months),),
                f"{_fmt(case.latency_months)} months",
                ev.get("latency_months", ()),
            )
        )
    for d in case.diagnoses:
        out["diagnoses"].append(
            item(
                "diagnoses",
                (diagnosis_key(d.code), code_key(d.role)),
                f"{d.code} ({d.role})",
                d.evidence,
                d.code.removeprefix("other:"),
            )
        )
    for t in case.treatments:
        out["treatments"].append(item("treatments", (name_key(t.name),), t.name, t.evidence, t.name))
        if t.duration_months is not None:
            out["durations"].append(
                item(
                    "durations",
                    (name_key(t.name), float(t.duration_months)),
                    f"{t.name}: {_fmt(t.duration_months)} months",
                    t.evidence,
                    t.name,
                )
            )
    for k in case.karyotypes:
        out["karyotypes"].append(item("karyotypes", (karyotype_key(k),), k, ev.get(f"karyotypes:{k}", ()), k))
    for f in case.cytogenetics:
        out["cytogenetics"].append(
            item("cytogenetics", (code_key(f),), f, ev.get(f"cytogenetics:{f}", ()), f)
        )
    for m in case.mutations:
        out["mutations"].append(
            item(
                "mutations",
                (code_key(m.gene), code_key(m.kind), code_key(m.status)),
                f"{m.gene} {m.kind} ({m.status})",
                m.evidence,
                m.gene,
            )
        )
        if m.alteration is not None:
            out["alterations"].append(
                item(
                    "alterations",
                    (code_key(m.gene), code_key(m.alteration)),
                    f"{m.gene} {m.alteration}",
                    m.evidence,
                    m.alteration,
                )
            )
    for o in case.outcomes:
        out["outcomes"].append(item("outcomes", (code_key(o.type),), o.type, o.evidence))
        if o.time_months is not None:
            out["outcome_times"].append(
                item(
                    "outcome_times",
                    (code_key(o.type), float(o.time_months)),
                    f"{o.type}: {_fmt(o.time_months)} months",
                    o.evidence,
                )
            )
    return {group: items if group in PER_CASE_GROUPS else _unique(items) for group, items in out.items()}


def _cohort_items(cohort: Cohort) -> list[Item]:
    items: list[Item] = []
    if cohort.n_patients is not None:
        n = cohort.n_patients
        items.append(
            Item(
                "cohort",
                ("n_patients", float(n)),
                f"n_patients = {n}",
                None,
                tuple(cohort.evidence.get("n_patients", ())),
            )
        )
    for name in ("latency_months", "exposure_months"):
        stat = getattr(cohort, name)
        if stat is None:
            continue
        for part in ("median", "min", "max"):
            value = getattr(stat, part)
            if value is None:
                continue
            field_name = f"{name}.{part}"
            evidence = cohort.evidence.get(field_name) or cohort.evidence.get(name, ())
            items.append(
                Item(
                    "cohort",
                    (field_name, float(value)),
                    f"{field_name} = {_fmt(value)}",
                    None,
                    tuple(evidence),
                )
            )
    return items


def record_items(record: Record | None) -> dict[str, list[Item]]:
    """Every group's items of one record; a missing record has none."""
    items: dict[str, list[Item]] = {group: [] for group in GROUPS}
    if record is None:
        return items
    for case in record.cases:
        for group, case_items in _case_items(case).items():
            items[group].extend(case_items)
    if record.cohort is not None:
        items["cohort"] = _cohort_items(record.cohort)
    return items


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives, false negatives, and the ratios they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0

    @property
    def precision(self) -> float | None:
        if self.empty:
            return None
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float | None:
        if self.empty:
            return None
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float | None:
        if self.empty:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def as_dict(self) -> dict[str, Any]:
        return {
            "p": self.precision,
            "r": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class GroupResult:
    """The outcome of matching one group of one document."""

    matched: list[tuple[Item, Item]] = field(default_factory=list)
    false_positives: list[Item] = field(default_factory=list)
    false_negatives: list[Item] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        return Counts(len(self.matched), len(self.false_positives), len(self.false_negatives))


@dataclass(slots=True)
class DocumentResult:
    """All groups of one gold document; `predicted` is False when the prediction was missing."""

    doc_id: str
    predicted: bool
    groups: dict[str, GroupResult]

    @property
    def counts(self) -> Counts:
        return sum((result.counts for result in self.groups.values()), Counts())


def match_items(pred: Sequence[Item], gold: Sequence[Item]) -> GroupResult:
    """Match one group's predicted items to its gold items one to one."""
    pairs = max_matching(
        len(pred),
        len(gold),
        lambda p, g: compatible(pred[p], gold[g]),
        lambda p, g: _distance(pred[p], gold[g]),
    )
    used_pred = {p for p, _ in pairs}
    used_gold = {g for _, g in pairs}
    return GroupResult(
        matched=[(pred[p], gold[g]) for p, g in pairs],
        false_positives=[item for i, item in enumerate(pred) if i not in used_pred],
        false_negatives=[item for i, item in enumerate(gold) if i not in used_gold],
    )


def score_document(pred: Record | None, gold: Record) -> DocumentResult:
    """Score one document; a missing prediction makes every gold item a miss."""
    pred_items = record_items(pred)
    gold_items = record_items(gold)
    groups = {group: match_items(pred_items[group], gold_items[group]) for group in GROUPS}
    return DocumentResult(gold.doc_id, pred is not None, groups)


def score_corpus(predictions: Mapping[str, Record], gold: Sequence[Record]) -> list[DocumentResult]:
    """Score every gold document; predictions for documents without gold are ignored."""
    return [score_document(predictions.get(record.doc_id), record) for record in gold]


def count_matrix(results: Sequence[DocumentResult]) -> np.ndarray:
    """Counts as an array `[document, group, (tp, fp, fn)]`, the unit the bootstrap resamples."""
    matrix = np.zeros((len(results), len(GROUPS), 3), dtype=np.int64)
    for d, result in enumerate(results):
        for g, group in enumerate(GROUPS):
            c = result.groups[group].counts
            matrix[d, g] = (c.tp, c.fp, c.fn)
    return matrix


def _f1_array(sums: np.ndarray) -> np.ndarray:
    tp, fp, fn = sums[..., 0], sums[..., 1], sums[..., 2]
    denominator = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), np.nan)


def _interval(samples: np.ndarray, confidence: float) -> list[float] | None:
    finite = samples[~np.isnan(samples)]
    if finite.size == 0:
        return None
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return [float(low), float(high)]


def bootstrap_f1(
    matrix: np.ndarray, draws: int = 1000, seed: int = 0, confidence: float = 0.95
) -> tuple[dict[str, list[float] | None], list[float] | None]:
    """Percentile confidence intervals of each group's F1 and of micro F1, resampling documents."""
    n_docs = matrix.shape[0]
    if n_docs == 0 or draws <= 0:
        return {group: None for group in GROUPS}, None
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=draws)
    sums = np.einsum("bd,dgk->bgk", weights, matrix)
    per_group = _f1_array(sums)
    micro = _f1_array(sums.sum(axis=1))
    intervals = {group: _interval(per_group[:, g], confidence) for g, group in enumerate(GROUPS)}
    return intervals, _interval(micro, confidence)


def corpus_metrics(
    results: Sequence[DocumentResult], draws: int = 1000, seed: int = 0, confidence: float = 0.95
) -> dict[str, Any]:
    """Micro and per-group P/R/F1 with bootstrap intervals, and micro scores per document."""
    totals = {group: sum((r.groups[group].counts for r in results), Counts()) for group in GROUPS}
    micro = sum(totals.values(), Counts())
    intervals, micro_interval = bootstrap_f1(count_matrix(results), draws, seed, confidence)
    fields = {group: {**totals[group].as_dict(), "f1_ci": intervals[group]} for group in GROUPS}
    return {
        "micro": {**micro.as_dict(), "f1_ci": micro_interval},
        "fields": fields,
        "per_document": {r.doc_id: {**r.counts.as_dict(), "predicted": r.predicted} for r in results},
        "bootstrap": {"draws": draws, "seed": seed, "confidence": confidence, "unit": "document"},
    }
