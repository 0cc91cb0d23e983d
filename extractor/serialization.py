"""What a worker hands back for one document: its output lines, serialized, or its error line.

Documents are serialized where they are analysed, in worker processes, so the writing process
only appends text (`extractor.writers`). This module is all a worker needs of the outputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from extractor.document import Document
from extractor.schema import Mention, Record

DOCUMENTS = "documents.jsonl"
MENTIONS = "mentions.jsonl"
RECORDS = "records.jsonl"
ERRORS = "errors.jsonl"
TABLES = "tables.jsonl"

DOCUMENT_FILES = (DOCUMENTS, MENTIONS, TABLES, RECORDS)
"""The per-document outputs, in the order a document's lines are appended (the record last)."""


@dataclass(slots=True)
class DocumentResult:
    """Everything one document produced."""

    document: Document
    mentions: list[Mention]
    record: Record


@dataclass(frozen=True, slots=True)
class DocumentLines:
    """One document's output, serialized: the text appended to each output file (possibly empty)."""

    doc_id: str
    lines: dict[str, str]


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that could not be processed: a line of `errors.jsonl`."""

    source: str
    error: str
    doc_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "doc_id": self.doc_id, "error": self.error}


def document_json(document: Document) -> dict[str, Any]:
    row: dict[str, Any] = {"doc_id": document.doc_id, "source": document.source, "text": document.text}
    if document.title is not None:
        row["title"] = document.title
    if document.pages:
        row["pages"] = [{"page": p.page, "start": p.start, "end": p.end} for p in document.pages]
    if document.blocks:
        row["blocks"] = [
            {"start": b.start, "end": b.end, "kind": b.kind, "section": b.section, "page": b.page}
            for b in document.blocks
        ]
    if document.excluded:
        row["excluded"] = document.excluded
    if document.meta:
        row["meta"] = document.meta
    return row


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def serialize(result: DocumentResult) -> DocumentLines:
    """The lines a document adds to each output file."""
    doc = result.document
    tables = [{"doc_id": doc.doc_id, "page": t.page, "bbox": t.bbox, "rows": t.rows} for t in doc.tables]
    return DocumentLines(
        doc.doc_id,
        {
            DOCUMENTS: _jsonl([document_json(doc)]),
            MENTIONS: _jsonl([m.model_dump(mode="json") for m in result.mentions]),
            TABLES: _jsonl(tables),
            RECORDS: _jsonl([result.record.model_dump(mode="json", exclude_none=False)]),
        },
    )


def error_line(error: InputError) -> str:
    return json.dumps(error.to_json(), ensure_ascii=False) + "\n"
