"""Outcomes to the output files in input order, whatever order the workers finish in.

Writing in input order makes a run's output independent of the number of workers
and makes an interrupted run's output a prefix of the full one, so a resumed run
ends with the same files as an uninterrupted run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.serialization import DocumentLines, InputError

if TYPE_CHECKING:
    from extractor.writers import OutputWriter


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did; `interrupted` is the signal that stopped it early, if any."""

    written: int
    skipped: int
    failed: int
    interrupted: int | None = None


class OrderedOutput:
    """Buffers outcomes by sequence number and writes each as soon as all earlier ones are written."""

    def __init__(self, writer: OutputWriter, advance: Callable[[], None]) -> None:
        self.writer = writer
        self.advance = advance
        self.next_seq = 0
        self.skipped = 0
        self._waiting: dict[int, DocumentLines | InputError | None] = {}

    def put(self, seq: int, outcome: DocumentLines | InputError | None) -> None:
        """Record the outcome of item `seq` (None: skipped, done by an earlier run) and write what is ready."""
        self._waiting[seq] = outcome
        while self.next_seq in self._waiting:
            ready = self._waiting.pop(self.next_seq)
            if ready is None:
                self.skipped += 1
            elif isinstance(ready, InputError):
                self.writer.write_error(ready)
            else:
                self.writer.write_lines(ready)
            self.next_seq += 1
            self.advance()

    def summary(self, interrupted: int | None = None) -> RunSummary:
        return RunSummary(self.writer.written, self.skipped, self.writer.failed, interrupted)
