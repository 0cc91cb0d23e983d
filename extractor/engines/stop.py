"""Ctrl-C and SIGTERM as a request to stop between two steps of a run, never in the middle of a write.

The handlers only record the signal; the wakeup descriptor makes the run's wait return
at once, so the run stops with consistent outputs that `--resume` continues.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType, TracebackType
from typing import Self

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """While active (in the main thread), SIGINT and SIGTERM set `requested` instead of raising."""

    def __init__(self) -> None:
        self.requested: int | None = None
        self._fds: tuple[int, int] | None = None
        self._previous: dict[int, object] = {}
        self._previous_wakeup = -1

    def __enter__(self) -> Self:
        if threading.current_thread() is not threading.main_thread():
            return self
        self._fds = os.pipe()
        for fd in self._fds:
            os.set_blocking(fd, False)
        self._previous_wakeup = signal.set_wakeup_fd(self._fds[1])
        self._previous = {s: signal.signal(s, self._handle) for s in STOP_SIGNALS}
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fds is None:
            return
        for s, handler in self._previous.items():
            signal.signal(s, handler)  # type: ignore[arg-type]
        signal.set_wakeup_fd(self._previous_wakeup)
        for fd in self._fds:
            os.close(fd)
        self._fds = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.requested = signum

    @property
    def wakeup(self) -> list[int]:
        """Descriptors that become readable when a signal arrives (none outside the main thread)."""
        return [] if self._fds is None else [self._fds[0]]

    def drain(self) -> None:
        """Empty the wakeup pipe, so that a signal that asks nothing does not wake the run forever."""
        if self._fds is None:
            return
        try:
            while os.read(self._fds[0], 512):
                pass
        except BlockingIOError:
            pass
