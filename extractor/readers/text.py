"""Plain-text reader: one UTF-8 file is one document."""

from __future__ import annotations

from pathlib import Path

from extractor.document import Document
from extractor.readers.base import ReaderError


def read_text(path: Path, doc_id: str) -> Document:
    """Read a UTF-8 text file (a byte-order mark is dropped) into a Document.

    Offsets refer to the decoded text exactly as stored, so no normalization happens here.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"cannot read file ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from exc
    if not text.strip():
        raise ReaderError("empty file")
    return Document(doc_id=doc_id, source=str(path), text=text)
