"""From command-line paths to the documents of a run: which files to read, with which reader, in which order.

Every failure becomes an `InputError` (a line of `errors.jsonl`) instead of an
exception, so one bad input never stops the others. `plan` turns the inputs
into one ordered stream: documents to process (`Job`) and documents already
settled (`Settled`: an error, a duplicate, or done by an earlier run), each
numbered, so that any engine can write its outputs in input order.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractor.document import Document
from extractor.readers.base import ReaderError
from extractor.serialization import InputError

SUFFIXES = (".txt", ".pdf", ".jsonl")


@dataclass(frozen=True, slots=True)
class Source:
    """One input file and the doc_id it gets (JSONL files name their own documents)."""

    path: Path

    @property
    def doc_id(self) -> str | None:
        return None if self.path.suffix.lower() == ".jsonl" else self.path.stem


@dataclass(frozen=True, slots=True)
class Job:
    """A document to process: already read (a JSONL line) or a file the worker reads itself."""

    seq: int
    doc_id: str
    item: Document | Source


@dataclass(frozen=True, slots=True)
class Settled:
    """An item whose outcome is known without processing: an error, or None when done before."""

    seq: int
    error: InputError | None


@dataclass(frozen=True, slots=True)
class Plan:
    """The sources of a run, the paths that are no source, and how many items they hold."""

    sources: list[Source]
    path_errors: list[InputError]
    total: int


def discover(paths: Sequence[Path]) -> tuple[list[Source], list[InputError]]:
    """The supported files named or found (recursively, sorted) under `paths`, and the bad paths."""
    sources: list[Source] = []
    errors: list[InputError] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            sources.extend(Source(p) for p in found)
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                sources.append(Source(path))
            else:
                errors.append(
                    InputError(
                        str(path), f"unsupported file type '{path.suffix}' (expected .txt, .pdf or .jsonl)"
                    )
                )
        else:
            errors.append(InputError(str(path), "no such file or directory"))
    return sources, errors


def make_plan(paths: Sequence[Path]) -> Plan:
    """Discover the sources and count their items (JSONL: non-blank lines) for progress reporting."""
    sources, errors = discover(paths)
    return Plan(sources, errors, len(errors) + sum(_count_items(s) for s in sources))


def _count_items(source: Source) -> int:
    if source.path.suffix.lower() != ".jsonl":
        return 1
    try:
        with source.path.open("rb") as fh:
            return max(1, sum(1 for line in fh if line.strip()))
    except OSError:
        return 1


def items(plan: Plan, done: Container[str]) -> Iterator[Job | Settled]:
    """Every item of the run in input order, numbered from 0.

    JSONL files are read here (their lines are small); other files become jobs that a worker
    reads. A doc_id seen before in this run is an error; one in `done` is settled as skipped.
    """
    seq = 0
    for error in plan.path_errors:
        yield Settled(seq, error)
        seq += 1
    seen: dict[str, str] = {}
    for source in plan.sources:
        entries: Iterator[Document | InputError] | list[Source] = (
            read_source(source) if source.doc_id is None else [source]
        )
        for entry in entries:
            if isinstance(entry, InputError):
                yield Settled(seq, entry)
            else:
                doc_id = entry.doc_id if isinstance(entry, Document) else source.path.stem
                if doc_id in seen:
                    message = f"duplicate doc_id '{doc_id}' (first read from {seen[doc_id]})"
                    yield Settled(seq, InputError(str(source.path), message, doc_id))
                elif doc_id in done:
                    seen[doc_id] = str(source.path)
                    yield Settled(seq, None)
                else:
                    seen[doc_id] = str(source.path)
                    yield Job(seq, doc_id, entry)
            seq += 1


def read_job(job: Job) -> Document | InputError:
    """The job's document, read now when it is a file."""
    if isinstance(job.item, Document):
        return job.item
    return next(read_source(job.item))


def read_source(source: Source) -> Iterator[Document | InputError]:
    """The documents of one file, or the errors that kept them from being read."""
    path = source.path
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            from extractor.readers.jsonl import LineError, read_jsonl

            for item in read_jsonl(path):
                if isinstance(item, LineError):
                    yield InputError(f"{item.source}:{item.line_no}", item.message, item.doc_id)
                else:
                    yield item
        elif suffix == ".pdf":
            from extractor.readers.pdf import read_pdf  # imported only where PDFs are read: it is heavy

            yield read_pdf(path, path.stem)
        else:
            from extractor.readers.text import read_text

            yield read_text(path, path.stem)
    except ReaderError as exc:
        yield InputError(str(path), str(exc), source.doc_id)
    except (OSError, ValueError, RuntimeError) as exc:
        yield InputError(str(path), f"cannot read: {type(exc).__name__}: {exc}", source.doc_id)
