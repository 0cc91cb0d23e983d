"""JSONL reader: one document per line as {"id", "text", optional "title", any other metadata}."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extractor.document import Document
from extractor.readers.base import ReaderError


@dataclass(frozen=True, slots=True)
class LineError:
    """A line of a JSONL file that holds no readable document; the other lines are still read."""

    source: str
    line_no: int
    doc_id: str | None
    message: str


def _document(record: object, source: str) -> Document:
    if not isinstance(record, dict):
        raise TypeError(f"expected a JSON object, got {type(record).__name__}")
    doc_id, text, title = record.get("id"), record.get("text"), record.get("title")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or str(doc_id) == "":
        raise ValueError('missing or invalid "id"')
    if not isinstance(text, str) or not text.strip():
        raise ValueError('missing or empty "text"')
    if title is not None and not isinstance(title, str):
        raise ValueError('"title" must be a string')
    meta = {key: value for key, value in record.items() if key not in ("id", "text", "title")}
    full = f"{title}\n\n{text}" if title else text
    return Document(doc_id=str(doc_id), source=source, text=full, title=title or None, meta=meta)


def read_jsonl(path: Path) -> Iterator[Document | LineError]:
    """Yield one Document per line, or a LineError naming the line number for a malformed line.

    Blank lines are skipped. A file that cannot be opened raises ReaderError, since then no
    line can be read at all.
    """
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ReaderError(f"cannot read file ({exc.strerror or exc})") from exc
    with handle:
        for line_no, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield LineError(
                    source,
                    line_no,
                    None,
                    f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
                )
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield LineError(source, line_no, None, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield _document(record, source)
            except (TypeError, ValueError) as exc:
                doc_id = record.get("id") if isinstance(record, dict) else None
                yield LineError(source, line_no, str(doc_id) if doc_id is not None else None, str(exc))
