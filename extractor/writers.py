"""Output files of `extractor extract`, appended one whole document at a time.

A document's lines go to `documents.jsonl` and `mentions.jsonl` first and to
`records.jsonl` last, each file flushed as a whole, so a document counts as
done exactly when its record line is complete. On resume, everything of a
document without a complete record (an interrupted run's documents in flight)
is dropped before the run goes on; `cases.csv` and `cases.parquet` are
rewritten atomically from `records.jsonl` when the run ends.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from extractor.document import Document
from extractor.review_table import write_case_table
from extractor.schema import Mention, Record

DOCUMENTS = "documents.jsonl"
MENTIONS = "mentions.jsonl"
RECORDS = "records.jsonl"
ERRORS = "errors.jsonl"
TABLES = "tables.jsonl"


@dataclass(slots=True)
class DocumentResult:
    """Everything one document produced."""

    document: Document
    mentions: list[Mention]
    record: Record


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


class OutputWriter:
    """Writes the outputs of one run into `outdir`; use as a context manager."""

    def __init__(self, outdir: Path, resume: bool = False) -> None:
        self.outdir = outdir
        outdir.mkdir(parents=True, exist_ok=True)
        self.done: set[str] = _recover(outdir) if resume else set()
        mode = "a" if resume else "w"
        self._files: dict[str, TextIO] = {
            name: (outdir / name).open(mode, encoding="utf-8") for name in (DOCUMENTS, MENTIONS, RECORDS, TABLES)
        }
        self._errors = (outdir / ERRORS).open("w", encoding="utf-8")
        self.written = 0
        self.failed = 0

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, result: DocumentResult) -> None:
        doc = result.document
        self._emit(DOCUMENTS, [document_json(doc)])
        self._emit(MENTIONS, [m.model_dump(mode="json") for m in result.mentions])
        if doc.tables:
            self._emit(TABLES, [{"doc_id": doc.doc_id, "page": t.page, "bbox": t.bbox, "rows": t.rows} for t in doc.tables])
        self._emit(RECORDS, [result.record.model_dump(mode="json", exclude_none=False)])
        self.done.add(doc.doc_id)
        self.written += 1

    def write_error(self, error: InputError) -> None:
        self._errors.write(json.dumps(error.to_json(), ensure_ascii=False) + "\n")
        self._errors.flush()
        self.failed += 1

    def close(self) -> None:
        for fh in [*self._files.values(), self._errors]:
            fh.close()
        write_case_table(self.outdir / RECORDS, self.outdir)

    def _emit(self, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        fh = self._files[name]
        fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        fh.flush()


def _recover(outdir: Path) -> set[str]:
    """The doc_ids with a complete record; drops every other document's lines from the outputs."""
    done = {row["doc_id"] for row in _complete_lines(outdir / RECORDS)}
    for name in (DOCUMENTS, MENTIONS, TABLES, RECORDS):
        path = outdir / name
        if not path.exists():
            continue
        keep = [row for row in _complete_lines(path) if row.get("doc_id") in done]
        tmp = path.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
        os.replace(tmp, path)
    return done


def _complete_lines(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file, without a last line cut short by an interruption."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return rows
