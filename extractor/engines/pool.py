"""Worker processes for the local engine, each with its own analysis and one document in flight.

Unlike `concurrent.futures.ProcessPoolExecutor`, the pool knows which document each
worker holds, so a worker that exceeds the time limit (stuck in C code that SIGALRM
cannot interrupt) is killed and replaced, and a worker that dies (a segfault, the
OOM killer) costs only its own document, which gets an error line.

Workers are forked from a fork server that has already imported the analysis
modules, so starting or replacing one costs the pipeline build, not the imports,
and the parent's threads (the progress bar) are never forked.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Self

from extractor.engines.worker import (
    DocumentWorker,
    ExtractorFactory,
    Outcome,
    job_source,
    one_line,
    timeout_error,
)
from extractor.inputs import Job
from extractor.serialization import InputError

PRELOAD = ["extractor.engines.worker", "extractor.extraction"]
"""Modules the fork server imports once for all workers."""

READY = "ready"


class WorkerStartError(RuntimeError):
    """A worker could not build its analysis (a broken pattern file, a missing package)."""


@dataclass(frozen=True, slots=True)
class _StartFailed:
    message: str


@dataclass(slots=True)
class _Slot:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    job: Job | None = None
    deadline: float = field(default=float("inf"))


def _serve(conn: Connection, make_extractor: ExtractorFactory | None, timeout: float) -> None:
    """A worker's life: build the analysis once, then answer jobs until told to stop or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    try:
        worker = DocumentWorker(make_extractor, timeout)
    except BaseException as exc:  # noqa: BLE001  (reported to the parent, which stops the run)
        conn.send(_StartFailed(one_line(f"cannot build the pipeline: {type(exc).__name__}: {exc}")))
        return
    conn.send(READY)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        conn.send((job.seq, worker(job)))


def _death(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


class WorkerPool:
    """`size` worker processes; submit jobs to idle workers and collect (seq, outcome) pairs."""

    def __init__(self, size: int, make_extractor: ExtractorFactory | None, timeout: float) -> None:
        self.size = max(1, size)
        self.make_extractor = make_extractor
        self.timeout = timeout
        self.grace = 1.0 + 0.1 * timeout
        """How long past the time limit a worker may take to report its own timeout before it is killed."""
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        # The fork server starts now and imports the analysis modules while the parent prepares
        # the run; the workers start when the pool is entered.
        multiprocessing.forkserver.ensure_running()
        self._slots: list[_Slot] = []

    def __enter__(self) -> Self:
        self._slots = [self._start() for _ in range(self.size)]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def has_idle(self) -> bool:
        return any(s.ready and s.job is None for s in self._slots)

    @property
    def busy(self) -> int:
        return sum(s.job is not None for s in self._slots)

    def submit(self, job: Job) -> None:
        """Give `job` to an idle worker (check `has_idle` first)."""
        slot = next(s for s in self._slots if s.ready and s.job is None)
        slot.job = job
        slot.deadline = time.monotonic() + self.timeout + self.grace if self.timeout > 0 else float("inf")
        slot.conn.send(job)

    def wait(self, wakeup: list[int], timeout: float | None = None) -> list[tuple[int, Outcome]]:
        """Outcomes that arrive before `timeout` (or a wakeup descriptor or a deadline); replaces dead workers."""
        nearest = min((s.deadline for s in self._slots if s.job is not None), default=float("inf"))
        limit = max(0.0, nearest - time.monotonic())
        if timeout is not None:
            limit = min(limit, timeout)
        handles: list[object] = (
            [s.conn for s in self._slots] + [s.process.sentinel for s in self._slots] + wakeup
        )
        ready = set(wait(handles, None if limit == float("inf") else limit))  # type: ignore[arg-type]
        done: list[tuple[int, Outcome]] = []
        for i, slot in enumerate(self._slots):
            if slot.conn in ready and self._receive(slot, done):
                continue
            if slot.process.sentinel in ready or not slot.process.is_alive():
                self._replace(
                    i, done, f"worker process {_death(slot.process)} while processing this document"
                )
            elif slot.job is not None and time.monotonic() >= slot.deadline:
                self._replace(i, done, None)
        return done

    def close(self, kill: bool = False) -> None:
        """Stop the workers: idle ones are asked to exit; busy ones (or all, with `kill`) are killed."""
        for slot in self._slots:
            if slot.job is None and not kill and slot.process.is_alive():
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
            else:
                slot.process.kill()
        for slot in self._slots:
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()
        self._slots = []

    def _start(self) -> _Slot:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(child, self.make_extractor, self.timeout),
            name="extractor-worker",
            daemon=True,
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    def _receive(self, slot: _Slot, done: list[tuple[int, Outcome]]) -> bool:
        """Read one message from a worker; False when the worker has gone (EOF)."""
        try:
            message = slot.conn.recv()
        except (EOFError, OSError):
            slot.process.join(timeout=1)
            return False
        if isinstance(message, _StartFailed):
            raise WorkerStartError(message.message)
        if message == READY:
            slot.ready = True
        else:
            done.append(message)
            slot.job = None
            slot.deadline = float("inf")
        return True

    def _replace(self, index: int, done: list[tuple[int, Outcome]], reason: str | None) -> None:
        """Kill the worker at `index` and start another; its document (if any) gets an error line."""
        slot = self._slots[index]
        if not slot.ready:
            raise WorkerStartError(f"a worker process {_death(slot.process)} while building the pipeline")
        slot.process.kill()
        slot.process.join()
        slot.conn.close()
        if slot.job is not None:
            job = slot.job
            error = (
                timeout_error(job, self.timeout)
                if reason is None
                else InputError(job_source(job), reason, job.doc_id)
            )
            done.append((job.seq, error))
        self._slots[index] = self._start()
