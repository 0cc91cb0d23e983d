"""Output files of `extractor extract`, appended one whole document at a time.

A document's lines go to `documents.jsonl`, `mentions.jsonl` and `tables.jsonl`
first and to `records.jsonl` last, each file flushed as a whole, so a document
counts as done exactly when its record line is complete. On resume, every line
of a document without a complete record (an interrupted run's documents in
flight) is dropped before the run goes on; `cases.csv` and `cases.parquet` are
rewritten atomically from `records.jsonl` when the run ends.

Documents are serialized (`extractor.serialization`) where they are analysed, in worker
processes, so the writing process only appends text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Self, TextIO

from extractor.review_table import write_case_table
from extractor.serialization import (
    DOCUMENT_FILES,
    ERRORS,
    RECORDS,
    DocumentLines,
    DocumentResult,
    InputError,
    error_line,
    serialize,
)

class OutputWriter:
    """Writes the outputs of one run into `outdir`; use as a context manager."""

    def __init__(self, outdir: Path, resume: bool = False) -> None:
        self.outdir = outdir
        outdir.mkdir(parents=True, exist_ok=True)
        self.done: set[str] = _recover(outdir) if resume else set()
        mode = "a" if resume else "w"
        self._files: dict[str, TextIO] = {
            name: (outdir / name).open(mode, encoding="utf-8") for name in DOCUMENT_FILES
        }
        self._errors = (outdir / ERRORS).open("w", encoding="utf-8")
        self.written = 0
        self.failed = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, result: DocumentResult) -> None:
        self.write_lines(serialize(result))

    def write_lines(self, doc: DocumentLines) -> None:
        """Append a serialized document, its record line last."""
        for name in DOCUMENT_FILES:
            text = doc.lines.get(name)
            if text:
                fh = self._files[name]
                fh.write(text)
                fh.flush()
        self.done.add(doc.doc_id)
        self.written += 1

    def write_error(self, error: InputError) -> None:
        self._errors.write(error_line(error))
        self._errors.flush()
        self.failed += 1

    def close(self) -> None:
        for fh in [*self._files.values(), self._errors]:
            fh.close()
        write_case_table(self.outdir / RECORDS, self.outdir)


def _recover(outdir: Path) -> set[str]:
    """The doc_ids with a complete record; drops every other document's lines from the outputs.

    Kept lines are copied byte for byte, so a resumed run's outputs equal an uninterrupted run's.
    """
    done = {doc_id for doc_id, _ in _complete_lines(outdir / RECORDS)}
    for name in DOCUMENT_FILES:
        path = outdir / name
        if not path.exists():
            continue
        tmp = outdir / f".{name}.tmp"
        with tmp.open("w", encoding="utf-8") as out:
            out.writelines(line for doc_id, line in _complete_lines(path) if doc_id in done)
        os.replace(tmp, path)
    return done


def _complete_lines(path: Path) -> list[tuple[str | None, str]]:
    """(doc_id, line) of a JSONL file up to the first line cut short or garbled by an interruption."""
    if not path.exists():
        return []
    rows: list[tuple[str | None, str]] = []
    with path.open(encoding="utf-8", errors="replace", newline="\n") as fh:
        for line in fh:
            if not line.endswith("\n"):
                break
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                break
            rows.append((row.get("doc_id") if isinstance(row, dict) else None, line))
    return rows
