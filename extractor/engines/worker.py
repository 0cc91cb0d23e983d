"""One document's work, as every engine's workers do it: read, analyse, serialize, within a time limit.

A failure of any kind becomes the document's `InputError`; only the process
dying (which the engines handle) can keep a document from getting an outcome.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from extractor.document import Document
from extractor.inputs import Job, read_job
from extractor.serialization import DocumentLines, DocumentResult, InputError, serialize

ExtractorFactory = Callable[[], Callable[[Document], DocumentResult]]
"""Builds the per-process analysis once; called in every worker. Engines default to `Extractor`,
imported only in the workers, so that the parent process never loads spaCy."""

Outcome = DocumentLines | InputError
"""What a worker returns for a job: the document's serialized output, or its error line."""


class DocumentTimeout(Exception):
    """A document took longer than the per-document time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in this thread after `seconds`; 0 disables the limit.

    The main thread uses SIGALRM (which also interrupts blocking system calls); other threads,
    such as Dask's task threads, get the exception set asynchronously, which interrupts Python
    code but not a long call into C.
    """
    if seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"finished": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["finished"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread_id), ctypes.py_object(DocumentTimeout)
                )

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["finished"] = True
            timer.cancel()
            if state["fired"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)


def timeout_error(job: Job, seconds: float) -> InputError:
    """The error line of a document that ran out of time (the same whichever mechanism stopped it)."""
    return InputError(job_source(job), f"timed out after {seconds:g} s", job.doc_id)


def job_source(job: Job) -> str:
    return job.item.source if isinstance(job.item, Document) else str(job.item.path)


def one_line(text: str) -> str:
    return " ".join(text.split())


class DocumentWorker:
    """Holds the analysis, built once per process, and turns jobs into outcomes, one at a time."""

    def __init__(self, make_extractor: ExtractorFactory | None = None, timeout: float = 0.0) -> None:
        if make_extractor is None:
            from extractor.extraction import Extractor

            make_extractor = Extractor
        self.extract = make_extractor()
        self.timeout = timeout

    def __call__(self, job: Job) -> Outcome:
        try:
            with time_limit(self.timeout):
                document = read_job(job)
                if isinstance(document, InputError):
                    return document
                return serialize(self.extract(document))
        except DocumentTimeout:
            return timeout_error(job, self.timeout)
        except Exception as exc:  # noqa: BLE001  (one document's failure must not stop the run)
            return InputError(
                job_source(job), one_line(f"internal error: {type(exc).__name__}: {exc}"), job.doc_id
            )
