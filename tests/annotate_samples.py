"""Sample extractor output for the annotation-format tests: every kind of field a span can carry."""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Any

from spacy.language import Language

from extractor.document import Block, Document, PageSpan
from extractor.schema import Mention, Record
from extractor.serialization import DocumentResult
from extractor.writers import OutputWriter

TEXT_1 = (
    "Case 1: A 71-year-old man with multiple myeloma received lenalidomide maintenance for 33 months.\n"
    "He had no TP53 mutation and the karyotype was 46,XY,-7[20]. Both patients had\nB-ALL.\n"
    "Case 2: a woman aged 64 who died of septic shock."
)
BLOCKS = [Block(0, 96, "body", "case", 1), Block(97, len(TEXT_1), "body", None, 2)]
"""Sections of the first sample document: record assembly reads them, so imports must keep them."""
TEXT_2 = "A 58-year-old woman developed t-MN after melphalan; latency 2.5 years."


def _span(
    doc_id: str, text: str, phrase: str, label: str, norm: str | float | None, nth: int = 0, **attrs: Any
) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Mention(
        doc_id=doc_id, start=start, end=start + len(phrase), label=label, text=phrase, norm=norm, attrs=attrs
    )


def sample_mentions() -> dict[str, list[Mention]]:
    """Mentions with numeric and code norms, flags, one or several cases, nested and line-crossing spans."""
    d1, d2 = "doc/1", "doc-2"
    one = [
        _span(d1, TEXT_1, "Case 1", "CASE", 1.0),
        _span(d1, TEXT_1, "71-year-old", "AGE", 71.0, case=f"{d1}#1"),
        _span(d1, TEXT_1, "man", "SEX", "male", case=f"{d1}#1"),
        _span(d1, TEXT_1, "multiple myeloma", "DIAGNOSIS", "MM", case=f"{d1}#1", role="primary"),
        _span(
            d1,
            TEXT_1,
            "lenalidomide",
            "TREATMENT",
            "lenalidomide",
            case=f"{d1}#1",
            kind="drug",
            setting="maintenance",
            target="primary",
            components=[],
        ),
        _span(d1, TEXT_1, "for 33 months", "DURATION", 33.0, case=f"{d1}#1", unit="month", value=33),
        _span(
            d1,
            TEXT_1,
            "TP53 mutation",
            "GENE",
            "TP53",
            case=f"{d1}#1",
            kind="mutation",
            status="absent",
            negated=True,
        ),
        _span(d1, TEXT_1, "46,XY,-7[20]", "KARYOTYPE", "46,XY,-7[20]", parsed=True, findings=["-7"]),
        _span(d1, TEXT_1, "-7", "CYTOGENETICS", "-7", uncertain=True, historical=True),
        _span(d1, TEXT_1, "had\nB-ALL", "DIAGNOSIS", "B-ALL", case=[f"{d1}#1", f"{d1}#2"], role="secondary"),
        _span(d1, TEXT_1, "woman", "SEX", "female", case=f"{d1}#2", family=True, hypothetical=True),
        _span(
            d1,
            TEXT_1,
            "died of septic shock",
            "OUTCOME",
            "death",
            case=f"{d1}#2",
            cause="septic shock",
            time_months=None,
            target="secondary",
        ),
        _span(d1, TEXT_1, "Case 2", "CASE", None),
    ]
    two = [
        _span(d2, TEXT_2, "58-year-old", "AGE", 58.0, case=f"{d2}#1"),
        _span(d2, TEXT_2, "t-MN", "DIAGNOSIS", "t-MN", role="secondary", case=[f"{d2}#1"]),
        _span(d2, TEXT_2, "latency 2.5 years", "LATENCY", 30.0, case=f"{d2}#1"),
        _span(d2, TEXT_2, "2.5 years", "DURATION", 30.0, unit="year", value=2.5, case=f"{d2}#1"),
    ]
    return {d1: one, d2: two}


def with_sentences(nlp: Language, document: Document, mentions: list[Mention]) -> list[Mention]:
    """The mentions as the extractor writes them: each with its sentence and page."""
    sentences = [(s.start_char, s.end_char) for s in nlp(document.text).sents]
    starts = [s for s, _ in sentences]
    out = []
    for m in mentions:
        sentence = list(sentences[max(bisect_right(starts, m.start) - 1, 0)])
        out.append(
            m.model_copy(
                update={"attrs": {**m.attrs, "sentence": sentence}, "page": document.page_at(m.start)}
            )
        )
    return sorted(out, key=lambda m: (m.start, m.end, m.label))


def write_sample_output(outdir: Path, nlp: Language) -> dict[str, list[Mention]]:
    """An extractor output folder with the sample documents; returns the mentions written, per doc_id."""
    documents = [
        Document(
            "doc/1",
            "sample.jsonl",
            TEXT_1,
            title="Two cases",
            pages=[PageSpan(1, 0, 100), PageSpan(2, 100, len(TEXT_1))],
            blocks=BLOCKS,
        ),
        Document("doc-2", "sample.jsonl", TEXT_2),
    ]
    written: dict[str, list[Mention]] = {}
    mentions = sample_mentions()
    with OutputWriter(outdir) as writer:
        for document in documents:
            found = with_sentences(nlp, document, mentions[document.doc_id])
            writer.write(DocumentResult(document, found, Record(doc_id=document.doc_id)))
            written[document.doc_id] = found
    return written
