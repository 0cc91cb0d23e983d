"""The local engine: documents through a pool of worker processes on this machine.

The parent reads JSONL lines (cheap) and hands out documents one at a time; the
workers read files (PDF reading is heavy), analyse and serialize; the parent
writes the outcomes in input order. Outputs are the same for any `workers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.engines.output import OrderedOutput, RunSummary
from extractor.engines.pool import WorkerPool
from extractor.engines.progress import progress_bar
from extractor.engines.stop import StopSignals
from extractor.engines.worker import ExtractorFactory
from extractor.inputs import Job, items, make_plan
from extractor.writers import OutputWriter

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
    plan = make_plan(paths)
    window = LOOKAHEAD_PER_WORKER * max(1, workers)
    with (
        OutputWriter(outdir, resume=resume) as writer,
        StopSignals() as stop,
        progress_bar(progress, plan.total) as advance,
        WorkerPool(workers, make_extractor, timeout) as pool,
    ):
        output = OrderedOutput(writer, advance)
        stream = items(plan, writer.done)
        held: Job | None = None
        pulled = 0
        exhausted = False
        while stop.requested is None:
            while not exhausted and pulled - output.next_seq < window:
                if held is None:
                    item = next(stream, None)
                    if item is None:
                        exhausted = True
                        break
                    pulled = item.seq + 1
                    if isinstance(item, Job):
                        held = item
                    else:
                        output.put(item.seq, item.error)
                        continue
                if not pool.has_idle:
                    break
                pool.submit(held)
                held = None
            if exhausted and held is None and not pool.busy:
                return output.summary()
            for seq, outcome in pool.wait(stop.wakeup):
                output.put(seq, outcome)
            stop.drain()
        pool.close(kill=True)
        return output.summary(interrupted=stop.requested)
