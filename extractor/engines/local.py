"""The local engine: reads, analyses and writes documents in this process."""

from __future__ import annotations

import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from extractor.document import Document
from extractor.extraction import Extractor
from extractor.inputs import Source, discover, read_source
from extractor.writers import InputError, OutputWriter


class DocumentTimeout(Exception):
    """A document took longer than the per-document time limit."""


@dataclass(frozen=True, slots=True)
class RunSummary:
    written: int
    skipped: int
    failed: int


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in this (main) thread after `seconds`; 0 disables the limit."""
    if seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(
    paths: Sequence[Path],
    outdir: Path,
    resume: bool = False,
    timeout: float = 120.0,
    progress: bool = True,
) -> RunSummary:
    """Extract every document under `paths` into `outdir`."""
    sources, path_errors = discover(paths)
    extractor = Extractor()
    skipped = 0
    seen: dict[str, str] = {}
    with OutputWriter(outdir, resume=resume) as writer, _progress(progress) as bar:
        task = bar.add_task("extract", total=len(sources))
        for error in path_errors:
            writer.write_error(error)
        for source in sources:
            for item in read_source(source):
                if isinstance(item, InputError):
                    writer.write_error(item)
                    continue
                duplicate = _duplicate(item, source, seen)
                if duplicate:
                    writer.write_error(duplicate)
                elif item.doc_id in writer.done:
                    skipped += 1
                else:
                    _process(extractor, item, writer, timeout)
            bar.advance(task)
        return RunSummary(written=writer.written, skipped=skipped, failed=writer.failed)


def _duplicate(document: Document, source: Source, seen: dict[str, str]) -> InputError | None:
    """An error for a doc_id already read in this run (doc_ids name the output rows)."""
    if document.doc_id in seen:
        first = seen[document.doc_id]
        return InputError(str(source.path), f"duplicate doc_id '{document.doc_id}' (first read from {first})", document.doc_id)
    seen[document.doc_id] = str(source.path)
    return None


def _process(extractor: Extractor, document: Document, writer: OutputWriter, timeout: float) -> None:
    try:
        with time_limit(timeout):
            result = extractor(document)
    except DocumentTimeout as exc:
        writer.write_error(InputError(document.source, str(exc), document.doc_id))
        return
    except Exception as exc:  # noqa: BLE001  (one document's failure must not stop the run)
        writer.write_error(InputError(document.source, f"internal error: {type(exc).__name__}: {exc}", document.doc_id))
        return
    writer.write(result)


class RateColumn(ProgressColumn):
    """Files per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} files/s" if speed else "")


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=True,
    )
