"""From command-line paths to Documents: which files to read and with which reader.

Every failure becomes an `InputError` (a line of `errors.jsonl`) instead of an
exception, so one bad input never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.document import Document
from extractor.readers.base import ReaderError
from extractor.writers import InputError

SUFFIXES = (".txt", ".pdf", ".jsonl")


@dataclass(frozen=True, slots=True)
class Source:
    """One input file and the doc_id it gets (JSONL files name their own documents)."""

    path: Path

    @property
    def doc_id(self) -> str | None:
        return None if self.path.suffix.lower() == ".jsonl" else self.path.stem


def discover(paths: Sequence[Path]) -> tuple[list[Source], list[InputError]]:
    """The supported files named or found (recursively, sorted) under `paths`, and the bad paths."""
    sources: list[Source] = []
    errors: list[InputError] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            sources.extend(Source(p) for p in found)
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                sources.append(Source(path))
            else:
                errors.append(InputError(str(path), f"unsupported file type '{path.suffix}' (expected .txt, .pdf or .jsonl)"))
        else:
            errors.append(InputError(str(path), "no such file or directory"))
    return sources, errors


def read_source(source: Source) -> Iterator[Document | InputError]:
    """The documents of one file, or the errors that kept them from being read."""
    from extractor.readers.jsonl import LineError, read_jsonl
    from extractor.readers.pdf import read_pdf
    from extractor.readers.text import read_text

    path = source.path
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            for item in read_jsonl(path):
                if isinstance(item, LineError):
                    yield InputError(f"{item.source}:{item.line_no}", item.message, item.doc_id)
                else:
                    yield item
        elif suffix == ".pdf":
            yield read_pdf(path, path.stem)
        else:
            yield read_text(path, path.stem)
    except ReaderError as exc:
        yield InputError(str(path), str(exc), source.doc_id)
    except (OSError, ValueError, RuntimeError) as exc:
        yield InputError(str(path), f"cannot read: {type(exc).__name__}: {exc}", source.doc_id)
