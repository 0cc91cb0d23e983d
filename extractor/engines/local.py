"""The local engine: documents through a pool of worker processes on this machine.

The parent reads JSONL lines (cheap) and hands out documents one at a time; the
workers read files (PDF reading is heavy), analyse and serialize; the parent
writes the outcomes in input order. Outputs are the same for any `workers`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from extractor.engines.output import OrderedOutput, RunSummary
from extractor.engines.pool import WorkerPool
from extractor.engines.progress import progress_bar
from extractor.engines.stop import StopSignals
from extractor.engines.worker import ExtractorFactory
from extractor.inputs import Job, Settled, items, make_plan

LOOKAHEAD_PER_WORKER = 32
"""How far past the oldest unwritten item the engine reads ahead; bounds the results held in memory."""


def run(
    paths: Sequence[Path],
    outdir: Path,
    resume: bool = False,
    timeout: float = 120.0,
    progress: bool = True,
    workers: int = 1,
    make_extractor: ExtractorFactory | None = None,
) -> RunSummary:
    """Extract every document under `paths` into `outdir` with `workers` processes.

    `make_extractor` builds each worker's analysis (default: `Extractor`); it must be picklable.
    Workers start from a fork server that imports the caller's main module, so a script that
    calls `run` must do so under `if __name__ == "__main__":`.
    """
    pool = WorkerPool(workers, make_extractor, timeout)
    from extractor.writers import OutputWriter  # pandas loads while the fork server imports spaCy

    plan = make_plan(paths)
    with (
        OutputWriter(outdir, resume=resume) as writer,
        StopSignals() as stop,
        progress_bar(progress, plan.total) as advance,
        pool,
    ):
        output = OrderedOutput(writer, advance)
        feeder = _Feeder(items(plan, writer.done), LOOKAHEAD_PER_WORKER * max(1, workers))
        while stop.requested is None:
            feeder.feed(pool, output)
            if feeder.exhausted and not pool.busy:
                return output.summary()
            done = pool.wait(stop.wakeup)
            feeder.feed(pool, output)
            for seq, outcome in done:
                output.put(seq, outcome)
            stop.drain()
        pool.close(kill=True)
        return output.summary(interrupted=stop.requested)


class _Feeder:
    """Hands the planned items to idle workers, at most `window` past the oldest unwritten one.

    The engine feeds the workers again as soon as outcomes arrive, before writing them, so a
    worker computes its next document while the parent writes the last one.
    """

    def __init__(self, stream: Iterator[Job | Settled], window: int) -> None:
        self.stream = stream
        self.window = window
        self.held: Job | None = None
        self.pulled = 0
        self.exhausted = False
        """Every item pulled; set only when none is held back, so nothing remains to hand out."""

    def feed(self, pool: WorkerPool, output: OrderedOutput) -> None:
        while not self.exhausted and self.pulled - output.next_seq < self.window:
            if self.held is None:
                item = next(self.stream, None)
                if item is None:
                    self.exhausted = True
                    return
                self.pulled = item.seq + 1
                if isinstance(item, Job):
                    self.held = item
                else:
                    output.put(item.seq, item.error)
                    continue
            if not pool.has_idle:
                return
            pool.submit(self.held)
            self.held = None
