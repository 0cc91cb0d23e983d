"""Review: what the extractor missed and what it raised falsely, per document, worst document first.

Two views of each document, each with the sentence it happened in: record
errors exactly as `evaluate` scores and lists them (section 11, via
`evaluate.scoring` and `evaluate.errors`), and, where span gold exists, span
issues per label: `missed` (no predicted span of the label overlaps it),
`false alarm` (no gold span overlaps it), `boundary` (they overlap but the
offsets differ) and `wrong value` (same offsets, different norm).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractor.evaluate.errors import ErrorEntry, SentenceIndex, Snippet, document_errors, snippets
from extractor.evaluate.gold import GoldSet, Predictions
from extractor.evaluate.scoring import code_key, max_matching, numbers_match, score_corpus
from extractor.schema import Evidence, Mention

MISSED, FALSE_ALARM, BOUNDARY, WRONG_VALUE = "missed", "false alarm", "boundary", "wrong value"


@dataclass(frozen=True, slots=True)
class SpanIssue:
    kind: str
    label: str
    gold: Mention | None
    pred: Mention | None


@dataclass(slots=True)
class DocumentReview:
    doc_id: str
    text: str | None
    records: list[ErrorEntry] = field(default_factory=list)
    spans: list[SpanIssue] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.records) + len(self.spans)


def norms_agree(a: str | float | None, b: str | float | None) -> bool:
    """Norms compare like record values: numbers within the tolerance, codes ignoring case and punctuation."""
    if isinstance(a, int | float) and isinstance(b, int | float):
        return numbers_match(float(a), float(b))
    if a is None or b is None:
        return a is b
    return code_key(str(a)) == code_key(str(b))


def _same_offsets(a: Mention, b: Mention) -> bool:
    return (a.start, a.end) == (b.start, b.end)


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _pair(
    pred: list[Mention], gold: list[Mention], rule: Callable[[Mention, Mention], bool]
) -> tuple[list[tuple[Mention, Mention]], list[Mention], list[Mention]]:
    """One-to-one pairs under `rule`, and the predicted and gold spans left over."""
    pairs = max_matching(len(pred), len(gold), lambda i, j: rule(pred[i], gold[j]))
    used_p, used_g = {i for i, _ in pairs}, {j for _, j in pairs}
    return (
        [(pred[i], gold[j]) for i, j in pairs],
        [m for i, m in enumerate(pred) if i not in used_p],
        [m for j, m in enumerate(gold) if j not in used_g],
    )


def values_agree(pred: Mention, gold: Mention) -> bool:
    """Review's test of a span's value: the norm, compared like record values."""
    return norms_agree(pred.norm, gold.norm)


def identical_values(a: Mention, b: Mention) -> bool:
    """Adjudication's test: the same norm and the same attributes (all but the derived sentence)."""
    return a.norm == b.norm and _edited_attrs(a) == _edited_attrs(b)


def _edited_attrs(m: Mention) -> dict[str, Any]:
    return {k: v for k, v in m.attrs.items() if k != "sentence"}


def _label_issues(
    label: str, pred: list[Mention], gold: list[Mention], same_value: Callable[[Mention, Mention], bool]
) -> list[SpanIssue]:
    exact, rest_p, rest_g = _pair(pred, gold, _same_offsets)
    near, alarms, misses = _pair(rest_p, rest_g, _overlap)
    return [
        *(SpanIssue(WRONG_VALUE, label, g, p) for p, g in exact if not same_value(p, g)),
        *(SpanIssue(BOUNDARY, label, g, p) for p, g in near),
        *(SpanIssue(MISSED, label, g, None) for g in misses),
        *(SpanIssue(FALSE_ALARM, label, None, p) for p in alarms),
    ]


def span_issues(
    pred: Sequence[Mention],
    gold: Sequence[Mention],
    same_value: Callable[[Mention, Mention], bool] = values_agree,
) -> list[SpanIssue]:
    """The span issues of one document (module docstring), in document order; `same_value` decides
    whether two spans with the same offsets carry the same value."""
    by_label: dict[str, tuple[list[Mention], list[Mention]]] = defaultdict(lambda: ([], []))
    for m in pred:
        by_label[m.label][0].append(m)
    for m in gold:
        by_label[m.label][1].append(m)
    issues: list[SpanIssue] = []
    for label, (p, g) in sorted(by_label.items()):
        issues += _label_issues(label, p, g, same_value)
    return sorted(issues, key=lambda s: ((s.gold or s.pred).start, s.label, s.kind))  # type: ignore[union-attr]


def review_documents(gold: GoldSet, predictions: Predictions) -> list[DocumentReview]:
    """Every gold document's record errors and span issues, the document with most problems first."""
    gold_spans: dict[str, list[Mention]] = defaultdict(list)
    for m in gold.spans or []:
        gold_spans[m.doc_id].append(m)
    pred_spans: dict[str, list[Mention]] = defaultdict(list)
    for m in predictions.mentions or []:
        pred_spans[m.doc_id].append(m)
    reviews: dict[str, DocumentReview] = {}
    for result in score_corpus(predictions.records, gold.records):
        text = predictions.texts.get(result.doc_id)
        reviews[result.doc_id] = DocumentReview(
            result.doc_id, text, document_errors(result, text, gold_spans.get(result.doc_id, []))
        )
    if predictions.mentions is not None:
        for doc_id, spans in gold_spans.items():
            review = reviews.setdefault(doc_id, DocumentReview(doc_id, predictions.texts.get(doc_id)))
            review.spans = span_issues(pred_spans.get(doc_id, []), spans)
    return sorted(reviews.values(), key=lambda r: (-r.count, r.doc_id))


def snippet_text(snippet: Snippet) -> str:
    """A snippet on one line, its highlighted parts in bold."""
    text = "".join(f"**{s.text}**" if s.mark else s.text for s in snippet.segments)
    return re.sub(r"\s+", " ", text).strip()


def span_context(text: str | None, index: SentenceIndex | None, mention: Mention, source: str) -> str:
    found = snippets(text, index, [Evidence(start=mention.start, end=mention.end, text=mention.text)], source)
    return snippet_text(found[0]) if found else mention.text


def _shown(m: Mention) -> str:
    norm = "" if m.norm is None else f" → {m.norm:g}" if isinstance(m.norm, float) else f" → {m.norm}"
    return f"“{m.text}”{norm} [{m.start}:{m.end}]"


def span_line(
    issue: SpanIssue,
    text: str | None,
    index: SentenceIndex | None,
    first: str = "predicted",
    second: str = "gold",
) -> str:
    """One span issue as a Markdown list item with its sentence; `first`/`second` name the two sides."""
    kind = issue.kind
    if issue.kind == MISSED:
        what = f"{second} {_shown(issue.gold)}"  # type: ignore[arg-type]
        kind = kind if second == "gold" else f"only {second}"
    elif issue.kind == FALSE_ALARM:
        what = f"{first} {_shown(issue.pred)}"  # type: ignore[arg-type]
        kind = kind if first == "predicted" else f"only {first}"
    else:
        what = f"{first} {_shown(issue.pred)}, {second} {_shown(issue.gold)}"  # type: ignore[arg-type]
        what += _attribute_difference(issue.pred, issue.gold)  # type: ignore[arg-type]
    anchor = issue.gold or issue.pred
    context = span_context(text, index, anchor, second if issue.gold else first)  # type: ignore[arg-type]
    return f"- {kind} {issue.label}: {what} — {context}"


def _attribute_difference(a: Mention, b: Mention) -> str:
    """`; attrs: key a → b, ...` for the attributes two spans of the same offsets set differently."""
    left, right = _edited_attrs(a), _edited_attrs(b)
    changed = [
        f"{k} {left.get(k)!r} → {right.get(k)!r}"
        for k in sorted(set(left) | set(right))
        if left.get(k) != right.get(k)
    ]
    return f"; attrs: {', '.join(changed)}" if changed else ""


def record_line(entry: ErrorEntry, first: str = "predicted", second: str = "gold") -> str:
    """One record error as a Markdown list item with its sentence(s); `first`/`second` name the two sides."""
    values = " vs ".join(
        part
        for part in (
            f"{first} `{entry.predicted}`" if entry.predicted is not None else "",
            f"{second} `{entry.gold}`" if entry.gold is not None else "",
        )
        if part
    )
    kind = (
        entry.kind
        if (first, second) == ("predicted", "gold")
        else {"missed": f"only {second}", "spurious": f"only {first}"}.get(entry.kind, entry.kind)
    )
    context = " / ".join(f"{snippet_text(s)} ({s.source})" for s in entry.snippets) or "(no evidence)"
    return f"- {entry.group}, {kind}: {values} — {context}"


def render_review(reviews: Sequence[DocumentReview], limit: int = 0) -> str:
    """The review as Markdown, worst document first; `limit` keeps the first N documents (0: all)."""
    shown = [r for r in reviews if r.count][: limit or None]
    total_records = sum(len(r.records) for r in reviews)
    total_spans = sum(len(r.spans) for r in reviews)
    lines = [
        f"# Review: {len(reviews)} documents, {total_records} record errors, {total_spans} span issues",
        "",
        "Worst document first. **Bold** marks the words in question.",
        "",
    ]
    for review in shown:
        index = SentenceIndex(review.text) if review.text is not None else None
        lines += [
            f"## {review.doc_id} — {review.count} issues "
            f"({len(review.records)} record errors, {len(review.spans)} span issues)",
            "",
        ]
        if review.records:
            lines += ["### Record errors", "", *(record_line(e) for e in review.records), ""]
        if review.spans:
            counts = ", ".join(f"{n} {kind}" for kind, n in sorted(_kinds(review.spans).items()))
            lines += [
                f"### Spans ({counts})",
                "",
                *(span_line(s, review.text, index) for s in review.spans),
                "",
            ]
    return "\n".join(lines)


def _kinds(issues: Sequence[SpanIssue]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for issue in issues:
        counts[issue.kind] += 1
    return dict(counts)
