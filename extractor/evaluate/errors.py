"""Error lists per field group: what was predicted, what the gold says, and the sentence it came from.

A reader fixes rules from these lists, so each error shows its evidence
sentence with the span highlighted. Predicted items carry their own evidence;
a missed gold item is located by its gold evidence, else by a span-level gold
annotation of the same value, else by searching the text for its written
form (each snippet says which).

Left-over items of one group and document are paired into "wrong value"
errors when they plainly describe the same thing: per-case values (age, sex,
latency) pair in order, tuples pair on their first part (same treatment,
outcome type, gene, diagnosis code or cohort field). Everything else is
"spurious" (predicted only) or "missed" (gold only).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from extractor.evaluate.scoring import (
    GROUP_LABELS,
    GROUPS,
    PER_CASE_GROUPS,
    DocumentResult,
    Item,
    code_key,
    diagnosis_key,
    karyotype_key,
    name_key,
    numbers_match,
)
from extractor.schema import Evidence, Mention

WRONG, SPURIOUS, MISSED = "wrong value", "spurious", "missed"
MAX_SNIPPET = 600
"""Longer sentences are cut to this many characters around the highlighted span."""

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])|\s*\n\s*")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    mark: bool


@dataclass(frozen=True, slots=True)
class Snippet:
    """One sentence, cut into plain and highlighted segments; `source` says where the offsets came from."""

    source: str
    segments: tuple[Segment, ...]
    page: int | None = None


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    doc_id: str
    group: str
    kind: str
    predicted: str | None
    gold: str | None
    snippets: tuple[Snippet, ...]


class SentenceIndex:
    """Sentence boundaries of one text.

    A light splitter (end punctuation before a capital, or a line break) is enough to show context
    and keeps evaluation free of the spaCy pipeline.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []
        for boundary in _BOUNDARY.finditer(text):
            self.ends.append(boundary.start())
            self.starts.append(boundary.end())
        self.ends.append(len(text))

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """The sentence (or run of sentences) that contains `[start, end)`."""
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = max(bisect_right(self.starts, max(start, end - 1)) - 1, first)
        return self.starts[first], max(self.ends[last], end)


def _segments(text: str, sentence: tuple[int, int], spans: list[tuple[int, int]]) -> tuple[Segment, ...]:
    low, high = sentence
    if high - low > MAX_SNIPPET:
        centre = (spans[0][0] + spans[-1][1]) // 2
        low = max(low, centre - MAX_SNIPPET // 2)
        high = min(high, low + MAX_SNIPPET)
    segments: list[Segment] = [Segment("…", False)] if low > sentence[0] else []
    cursor = low
    for start, end in spans:
        start, end = max(start, cursor), min(end, high)
        if start >= end:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start], False))
        segments.append(Segment(text[start:end], True))
        cursor = end
    if cursor < high:
        segments.append(Segment(text[cursor:high], False))
    if high < sentence[1]:
        segments.append(Segment("…", False))
    return tuple(segments)


def snippets(
    text: str | None, index: SentenceIndex | None, evidence: Sequence[Evidence], source: str
) -> list[Snippet]:
    """The sentences holding `evidence`, spans highlighted; evidence whose offsets do not fit the text
    is shown on its own."""
    found: dict[tuple[int, int], list[Evidence]] = {}
    loose: list[Snippet] = []
    for ev in evidence:
        if text is None or index is None or not (0 <= ev.start < ev.end <= len(text)):
            loose.append(Snippet(f"{source}, without its sentence", (Segment(ev.text, True),), ev.page))
            continue
        found.setdefault(index.bounds(ev.start, ev.end), []).append(ev)
    result = []
    for sentence, group in sorted(found.items()):
        spans = _merge(sorted((ev.start, ev.end) for ev in group))
        result.append(Snippet(source, _segments(text, sentence, spans), group[0].page))
    return result + loose


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _span_supports(span: Mention, item: Item) -> bool:
    """Whether a gold span's normalized value is one of the item's values."""
    if span.norm is None:
        return False
    if isinstance(span.norm, int | float):
        return any(isinstance(part, float) and numbers_match(float(span.norm), part) for part in item.key)
    if item.group == "cohort":
        return str(item.key[0]).split(".")[0] == span.norm
    norm = str(span.norm)
    forms = {code_key(norm), name_key(norm), karyotype_key(norm), diagnosis_key(norm)}
    return any(isinstance(part, str) and part in forms for part in item.key)


def _gold_evidence(item: Item, text: str | None, spans: Sequence[Mention]) -> tuple[list[Evidence], str]:
    if item.evidence:
        return list(item.evidence), "gold"
    label = GROUP_LABELS[item.group]
    labelled = [s for s in spans if s.label == label and _span_supports(s, item)]
    if labelled:
        return [Evidence(start=s.start, end=s.end, text=s.text, page=s.page) for s in labelled], "gold span"
    if text is not None and item.surface and len(item.surface) >= 3:
        hit = re.search(re.escape(item.surface), text, flags=re.IGNORECASE)
        if hit:
            return [Evidence(start=hit.start(), end=hit.end(), text=hit.group())], "text search"
    return [], ""


def _pairs(group: str, spurious: list[Item], missed: list[Item]) -> list[tuple[Item | None, Item | None]]:
    """Pair left-over predicted and gold items that describe the same thing (module docstring)."""
    pairs: list[tuple[Item | None, Item | None]] = []
    remaining = list(missed)
    for pred in spurious:
        if group in PER_CASE_GROUPS:
            partner = remaining[0] if remaining else None
        elif len(pred.key) > 1:
            partner = next((gold for gold in remaining if gold.key[0] == pred.key[0]), None)
        else:
            partner = None
        if partner is not None:
            remaining.remove(partner)
        pairs.append((pred, partner))
    pairs.extend((None, gold) for gold in remaining)
    return pairs


def document_errors(result: DocumentResult, text: str | None, spans: Sequence[Mention]) -> list[ErrorEntry]:
    """Every error of one scored document, in group order."""
    index = SentenceIndex(text) if text is not None else None
    entries: list[ErrorEntry] = []
    for group in GROUPS:
        outcome = result.groups[group]
        for pred, gold in _pairs(group, outcome.false_positives, outcome.false_negatives):
            found: list[Snippet] = []
            if pred is not None:
                found += snippets(text, index, pred.evidence, "prediction")
            if gold is not None and (pred is None or not found):
                evidence, source = _gold_evidence(gold, text, spans)
                found += snippets(text, index, evidence, source)
            kind = MISSED if pred is None else SPURIOUS if gold is None else WRONG
            entries.append(
                ErrorEntry(
                    result.doc_id,
                    group,
                    kind,
                    pred.shown if pred else None,
                    gold.shown if gold else None,
                    tuple(found),
                )
            )
    return entries


def error_lists(
    results: Sequence[DocumentResult], texts: Mapping[str, str], spans: Sequence[Mention] | None = None
) -> dict[str, list[ErrorEntry]]:
    """Errors per field group over all scored documents."""
    by_doc: dict[str, list[Mention]] = {}
    for span in spans or ():
        by_doc.setdefault(span.doc_id, []).append(span)
    lists: dict[str, list[ErrorEntry]] = {group: [] for group in GROUPS}
    for result in results:
        for entry in document_errors(result, texts.get(result.doc_id), by_doc.get(result.doc_id, [])):
            lists[entry.group].append(entry)
    return lists
