"""The Dask engine: the local engine's output on a 2-worker LocalCluster, per-document errors, resume."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip(
    "distributed", reason="the Dask engine needs dask[distributed] (pip install 'extractor[dask]')"
)

import dask
from engine_inputs import (
    CRASH,
    ROOT,
    SHARED_DEV,
    SPIN,
    TroubleExtractor,
    between_good_documents,
    build_pdf_folder,
    outputs,
    read_jsonl,
)

from extractor.engines import dask as dask_engine
from extractor.engines.local import run as run_local
from extractor.serialization import RECORDS


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A running 2-worker cluster on loopback, without dashboard, used as 'an existing cluster'.

    A task that kills its worker is not retried (allowed-failures 0), so that the crash test is quick.
    """
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as local,
    ):
        yield local.scheduler_address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return [SHARED_DEV, build_pdf_folder(tmp_path_factory.mktemp("pdfs"))]


@pytest.fixture(scope="module")
def local_output(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("local")
    run_local(inputs, out, progress=False, workers=2)
    return out


def test_dask_on_a_local_cluster_writes_what_the_local_engine_writes(
    inputs: list[Path], local_output: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    command = [sys.executable, "-m", "extractor", "extract", *map(str, inputs), "-o", str(out), "--quiet"]
    result = subprocess.run(
        [*command, "--engine", "dask", "--workers", "2", "--partition-size", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 1, result.stderr  # the scanned and the broken PDF
    assert outputs(out) == outputs(local_output)
    assert not (out / dask_engine.PARTS).exists(), "parts are merged and removed"


def test_resume_on_an_existing_cluster_completes_a_cut_run(
    cluster: str, inputs: list[Path], local_output: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cut"
    shutil.copytree(local_output, out)
    records = (out / RECORDS).read_text(encoding="utf-8").splitlines(keepends=True)
    (out / RECORDS).write_text("".join(records[:4]) + records[4][:50], encoding="utf-8")
    (out / dask_engine.PARTS).mkdir()
    (out / dask_engine.PARTS / "part-000000.jsonl").write_text("{stale", encoding="utf-8")
    summary = dask_engine.run(inputs, out, resume=True, progress=False, scheduler=cluster, partition_size=2)
    assert (summary.skipped, summary.written, summary.failed) == (4, len(records) - 4, 2)
    assert outputs(out) == outputs(local_output)


def test_a_runaway_document_times_out_alone(cluster: str, tmp_path: Path) -> None:
    inputs = between_good_documents(tmp_path / "in.jsonl", "runaway", SPIN)
    summary = dask_engine.run(
        [inputs],
        tmp_path / "out",
        timeout=1,
        progress=False,
        scheduler=cluster,
        partition_size=3,
        make_extractor=TroubleExtractor,
    )
    assert (summary.written, summary.failed) == (2, 1)
    assert read_jsonl(tmp_path / "out" / "errors.jsonl") == [
        {"source": str(inputs), "doc_id": "runaway", "error": "timed out after 1 s"}
    ]
    assert [r["doc_id"] for r in read_jsonl(tmp_path / "out" / RECORDS)] == ["before", "after"]


def test_a_document_that_kills_its_worker_is_an_error_line(cluster: str, tmp_path: Path) -> None:
    inputs = between_good_documents(tmp_path / "in.jsonl", "crash", CRASH)
    summary = dask_engine.run(
        [inputs],
        tmp_path / "out",
        progress=False,
        scheduler=cluster,
        partition_size=3,
        make_extractor=TroubleExtractor,
    )
    assert (summary.written, summary.failed) == (2, 1)
    assert read_jsonl(tmp_path / "out" / "errors.jsonl") == [
        {
            "source": str(inputs),
            "doc_id": "crash",
            "error": "worker process died while processing this document",
        }
    ]
    assert [r["doc_id"] for r in read_jsonl(tmp_path / "out" / RECORDS)] == ["before", "after"]
