"""Inter-annotator agreement: how far annotators' versions of the same documents agree, and where not.

Every pair of annotators of a document is scored like a prediction against
gold (`evaluate.scoring`, guide section 11): the first name in alphabetical
order plays "predicted", the other "gold". F1 does not depend on that choice,
so per-field F1 pooled over all pairs is the agreement (precision and recall
swap with the roles). Span agreement uses evaluate's span counts (strict:
same label and offsets). The `adjudicated` version is a decision, not an
annotator, and is left out. The disagreements list the record values one
annotator has and the other has not, and every span that is not identical
in both versions (offsets, norm and attributes, since any difference keeps a
document out of the merged gold), each with its sentence, for adjudication.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from extractor.annotate.importer import ADJUDICATOR, Version
from extractor.annotate.review import SpanIssue, identical_values, record_line, span_issues, span_line
from extractor.evaluate.errors import ErrorEntry, SentenceIndex, document_errors
from extractor.evaluate.scoring import Counts, DocumentResult, corpus_metrics, score_document
from extractor.evaluate.spans import span_counts


@dataclass(slots=True)
class PairDisagreement:
    """What two annotators (`first` as predicted, `second` as gold) disagree on in one document."""

    doc_id: str
    first: str
    second: str
    text: str
    records: list[ErrorEntry] = field(default_factory=list)
    spans: list[SpanIssue] = field(default_factory=list)


@dataclass(slots=True)
class AgreementReport:
    metrics: dict[str, Any]
    spans: dict[str, Any]
    pairs: int
    documents: list[str]
    disagreements: list[PairDisagreement]


def compute_agreement(versions: Mapping[str, Mapping[str, Version]], draws: int = 1000) -> AgreementReport:
    """Agreement over every document that two or more annotators imported."""
    per_doc: dict[str, list[Version]] = {}
    for annotator in sorted(versions):
        if annotator == ADJUDICATOR:
            continue
        for doc_id, version in versions[annotator].items():
            per_doc.setdefault(doc_id, []).append(version)
    results: list[DocumentResult] = []
    span_totals: dict[str, Counts] = {}
    disagreements: list[PairDisagreement] = []
    shared = sorted(doc_id for doc_id, vs in per_doc.items() if len(vs) > 1)
    for doc_id in shared:
        for a, b in combinations(per_doc[doc_id], 2):
            result = score_document(a.record, b.record)
            results.append(DocumentResult(f"{doc_id} ({a.annotator} vs {b.annotator})", True, result.groups))
            for label, counts in span_counts(a.spans, b.spans, "strict").items():
                span_totals[label] = span_totals.get(label, Counts()) + counts
            pair = PairDisagreement(
                doc_id,
                a.annotator,
                b.annotator,
                a.document.text,
                document_errors(result, a.document.text, b.spans),
                span_issues(a.spans, b.spans, identical_values),
            )
            if pair.records or pair.spans:
                disagreements.append(pair)
    micro = sum(span_totals.values(), Counts())
    spans = {
        "micro": micro.as_dict(),
        "labels": {label: c.as_dict() for label, c in sorted(span_totals.items())},
    }
    return AgreementReport(corpus_metrics(results, draws=draws), spans, len(results), shared, disagreements)


def _f1(entry: Mapping[str, Any]) -> str:
    return "–" if entry.get("f1") is None else f"{entry['f1']:.3f}"


def render_agreement(report: AgreementReport) -> str:
    """The agreement table and the disagreements, as Markdown."""
    lines = [
        f"# Inter-annotator agreement: {len(report.documents)} documents, {report.pairs} annotator pairs",
        "",
    ]
    if not report.pairs:
        return "\n".join([*lines, "No document has two annotators yet.", ""])
    lines += [
        "F1 between annotators (pooled over pairs), scored as `extractor evaluate` scores records.",
        "",
        "| field | F1 | agreed | only first | only second |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    rows = [("micro", report.metrics["micro"]), *report.metrics["fields"].items()]
    for name, entry in rows:
        lines.append(f"| {name} | {_f1(entry)} | {entry['tp']} | {entry['fp']} | {entry['fn']} |")
    span_micro = report.spans["micro"]
    lines += [
        "",
        f"Spans (same label and offsets): F1 {_f1(span_micro)}, {span_micro['tp']} agreed, "
        f"{span_micro['fp']} only first, {span_micro['fn']} only second.",
        "",
    ]
    if report.disagreements:
        lines += [
            "## Disagreements to adjudicate",
            "",
            "Import the decision on each document with `--annotator adjudicated`.",
            "",
        ]
    for pair in report.disagreements:
        index = SentenceIndex(pair.text)
        lines += [f"### {pair.doc_id}: {pair.first} vs {pair.second}", ""]
        lines += [record_line(entry, pair.first, pair.second) for entry in pair.records]
        lines += [span_line(issue, pair.text, index, pair.first, pair.second) for issue in pair.spans]
        lines.append("")
    return "\n".join(lines)


def write_agreement(report: AgreementReport, markdown: str, out: Path) -> None:
    """`agreement.json` (metrics) and `agreement.md` (table and disagreements) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "documents": report.documents,
        "pairs": report.pairs,
        "records": report.metrics,
        "spans": report.spans,
        "disagreements": [
            {
                "doc_id": d.doc_id,
                "first": d.first,
                "second": d.second,
                "records": len(d.records),
                "spans": len(d.spans),
            }
            for d in report.disagreements
        ],
    }
    (out / "agreement.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out / "agreement.md").write_text(markdown, encoding="utf-8")
