"""The Dask engine: partitions of documents on a Dask cluster, merged into the local engine's files.

Each Dask worker builds the analysis once, in a worker plugin; a task processes one
partition of documents with the same per-document work as the local engine and
writes a part file (one JSON line per document: its output lines or its error) into
`OUT/.parts/`. The client merges the parts in input order through the same writer as
the local engine, so the output files are identical. Without a scheduler address a
`LocalCluster` (one thread per worker process, loopback only) is started.

Workers must be able to import `extractor` and to read the inputs and write `OUT`
(a shared file system on a real cluster).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin, get_worker, wait

from extractor.engines.output import OrderedOutput, RunSummary
from extractor.engines.pool import WorkerStartError
from extractor.engines.progress import progress_bar
from extractor.engines.stop import StopSignals
from extractor.engines.worker import DocumentWorker, ExtractorFactory, Outcome, job_source, one_line
from extractor.inputs import Job, Settled, items, make_plan
from extractor.serialization import DocumentLines, InputError
from extractor.writers import OutputWriter

PLUGIN = "extractor-pipeline"
PARTS = ".parts"
POLL_SECONDS = 0.2
"""How often the client checks for Ctrl-C while it waits for partitions."""


class PipelinePlugin(WorkerPlugin):
    """Builds the per-document worker (and so the pipeline) once per Dask worker process."""

    def __init__(self, make_extractor: ExtractorFactory | None, timeout: float) -> None:
        self.make_extractor = make_extractor
        self.timeout = timeout
        self.documents: DocumentWorker | None = None

    def setup(self, worker: object) -> None:
        self.documents = DocumentWorker(self.make_extractor, self.timeout)


@dataclass(frozen=True, slots=True)
class Partition:
    """Consecutive jobs processed by one task, and where its part file goes.

    `suspect` marks a document retried alone because it was in flight when a worker died;
    if it kills a worker again, it gets an error line.
    """

    jobs: list[Job]
    path: Path
    suspect: bool = False


def process_partition(partition: Partition) -> Path:
    """The task: every job of the partition through this worker's pipeline, into the part file.

    Each outcome is flushed as it is made, so if the worker dies the client knows which
    documents are done and which one was in flight.
    """
    plugin = get_worker().plugins[PLUGIN]
    documents: DocumentWorker = plugin.documents  # type: ignore[attr-defined]
    partial = _partial(partition.path)
    with partial.open("w", encoding="utf-8") as fh:
        for job in partition.jobs:
            fh.write(json.dumps(_part_row(job.seq, documents(job)), ensure_ascii=False) + "\n")
            fh.flush()
    os.replace(partial, partition.path)
    return partition.path


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _part_row(seq: int, outcome: Outcome) -> dict[str, object]:
    if isinstance(outcome, InputError):
        return {"seq": seq, "error": outcome.to_json()}
    return {"seq": seq, "doc_id": outcome.doc_id, "lines": outcome.lines}


def read_part(path: Path) -> Iterator[tuple[int, Outcome]]:
    """The (seq, outcome) pairs of a part file, up to a last line cut short by a dying worker."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if not line.endswith("\n"):
                return
            row = json.loads(line)
            if "error" in row:
                error = row["error"]
                yield row["seq"], InputError(error["source"], error["error"], error["doc_id"])
            else:
                yield row["seq"], DocumentLines(row["doc_id"], row["lines"])


@contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a new LocalCluster of `workers` processes on loopback."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def run(
    paths: Sequence[Path],
    outdir: Path,
    resume: bool = False,
    timeout: float = 120.0,
    progress: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    partition_size: int = 50,
    make_extractor: ExtractorFactory | None = None,
) -> RunSummary:
    """Extract every document under `paths` into `outdir` on a Dask cluster (see the module docstring)."""
    plan = make_plan(paths)
    parts = outdir / PARTS
    with OutputWriter(outdir, resume=resume) as writer, StopSignals() as stop:
        shutil.rmtree(parts, ignore_errors=True)  # an interrupted run's parts were never merged
        parts.mkdir()
        with connect(scheduler, workers) as client, progress_bar(progress, plan.total) as advance:
            try:
                client.register_plugin(PipelinePlugin(make_extractor, timeout), name=PLUGIN)
            except Exception as exc:
                raise WorkerStartError(
                    one_line(f"cannot build the pipeline: {type(exc).__name__}: {exc}")
                ) from exc
            tasks = _Tasks(client, OrderedOutput(writer, advance), parts)
            slots = 2 * max(1, sum(client.nthreads().values()))
            for jobs in _batches(items(plan, writer.done), tasks.output, partition_size):
                tasks.submit(jobs)
                while len(tasks.pending) >= slots and stop.requested is None:
                    tasks.collect()
                if stop.requested is not None:
                    break
            while tasks.pending and stop.requested is None:
                tasks.collect()
            if stop.requested is not None:
                client.cancel(list(tasks.pending))
                return tasks.output.summary(interrupted=stop.requested)
        shutil.rmtree(parts, ignore_errors=True)
        return tasks.output.summary()


def _batches(stream: Iterator[Job | Settled], output: OrderedOutput, size: int) -> Iterator[list[Job]]:
    """Jobs grouped `size` at a time; settled items go straight to the output, in order."""
    batch: list[Job] = []
    for item in stream:
        if isinstance(item, Job):
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
        else:
            output.put(item.seq, item.error)
    if batch:
        yield batch


class _Tasks:
    """The partitions in flight: submits them, merges finished ones, recovers from dead workers."""

    def __init__(self, client: Client, output: OrderedOutput, parts: Path) -> None:
        self.client = client
        self.output = output
        self.parts = parts
        self.pending: dict[Future, Partition] = {}
        self._count = 0

    def submit(self, jobs: list[Job], suspect: bool = False) -> None:
        partition = Partition(jobs, self.parts / f"part-{self._count:06d}.jsonl", suspect)
        self._count += 1
        self.pending[self.client.submit(process_partition, partition, pure=False)] = partition

    def collect(self) -> None:
        """Wait a little for partitions and merge the finished ones."""
        try:
            finished = wait(list(self.pending), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED").done
        except TimeoutError:
            return
        for future in finished:
            partition = self.pending.pop(future)
            try:
                path = future.result()
            except KilledWorker:
                self._recover(partition)
                continue
            self._merge(path)
            path.unlink()

    def _merge(self, path: Path) -> set[int]:
        seqs = set()
        for seq, outcome in read_part(path):
            self.output.put(seq, outcome)
            seqs.add(seq)
        return seqs

    def _recover(self, partition: Partition) -> None:
        """A worker died in this partition: keep what it finished, retry the document in flight alone.

        A document retried alone that kills a worker again gets an error line; the documents
        after it are resubmitted.
        """
        partial = _partial(partition.path)
        done = self._merge(partial)
        partial.unlink(missing_ok=True)
        rest = [job for job in partition.jobs if job.seq not in done]
        if not rest:
            return
        first, others = rest[0], rest[1:]
        if partition.suspect:
            message = "worker process died while processing this document"
            self.output.put(first.seq, InputError(job_source(first), message, first.doc_id))
        else:
            self.submit([first], suspect=True)
        if others:
            self.submit(others)
