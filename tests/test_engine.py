"""The local engine: same output for any number of workers, resumable after a kill, isolated failures."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from engine_inputs import (
    CRASH,
    HANG,
    OUTPUTS,
    ROOT,
    SHARED_DEV,
    STALL,
    BrokenExtractor,
    TroubleExtractor,
    between_good_documents,
    build_pdf_folder,
    outputs,
    read_jsonl,
)

from extractor.document import Document
from extractor.engines.local import run
from extractor.engines.pool import WorkerStartError
from extractor.extraction import Extractor
from extractor.serialization import DOCUMENTS, MENTIONS, RECORDS
from extractor.writers import OutputWriter


@pytest.fixture(scope="module")
def pdf_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pdf_folder(tmp_path_factory.mktemp("pdfs"))


@pytest.fixture(scope="module")
def many_abstracts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared dev abstracts under new ids, repeated, so that a run lasts long enough to be killed."""
    rows = [json.loads(line) for line in SHARED_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("many") / "abstracts.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(15):
            for row in rows:
                fh.write(json.dumps({**row, "id": f"{row['id']}-{i}"}) + "\n")
    return path


def test_two_workers_write_what_one_writes(pdf_folder: Path, tmp_path: Path) -> None:
    one = run([SHARED_DEV, pdf_folder], tmp_path / "one", progress=False, workers=1)
    two = run([SHARED_DEV, pdf_folder], tmp_path / "two", progress=False, workers=2)
    assert (one.written, one.failed) == (two.written, two.failed) == (8 + 3, 2)
    first, second = outputs(tmp_path / "one"), outputs(tmp_path / "two")
    for name in OUTPUTS:
        assert first[name] == second[name], name
    ids = [
        json.loads(line)["id"] for line in SHARED_DEV.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    records = [r["doc_id"] for r in read_jsonl(tmp_path / "two" / RECORDS)]
    assert records == ids + ["lenalidomide", "short", "thalidomide"]
    assert {e["doc_id"] for e in read_jsonl(tmp_path / "two" / "errors.jsonl")} == {"broken", "scanned"}


def _wait_for_records(path: Path, count: int, process: subprocess.Popen[bytes], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return
        time.sleep(0.01)
    pytest.fail(f"the run ended or stalled before writing {count} records")


def _extract(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "extractor", "extract", *map(str, args), "--quiet"]


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_interrupted_then_resumed_equals_uninterrupted(
    how: int, many_abstracts: Path, pdf_folder: Path, tmp_path: Path
) -> None:
    inputs = [many_abstracts, pdf_folder]
    whole = subprocess.run(
        _extract(*inputs, "-o", tmp_path / "whole", "--workers", "2"),
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert whole.returncode == 1, whole.stderr  # the broken and scanned PDFs

    out = tmp_path / "resumed"
    process = subprocess.Popen(
        _extract(*inputs, "-o", out, "--workers", "2"), cwd=ROOT, stderr=subprocess.PIPE
    )
    _wait_for_records(out / RECORDS, 20, process)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    done = len(read_jsonl(out / RECORDS)) if how == signal.SIGTERM else None
    if how == signal.SIGTERM:
        assert process.returncode == 128 + signal.SIGTERM, stderr
        assert b"--resume" in stderr
        records = {r["doc_id"] for r in read_jsonl(out / RECORDS)}
        assert {d["doc_id"] for d in read_jsonl(out / DOCUMENTS)} == records, "no document without its record"
        assert {m["doc_id"] for m in read_jsonl(out / MENTIONS)} <= records
    else:
        assert process.returncode == -signal.SIGKILL
    assert 20 <= len((out / RECORDS).read_bytes().splitlines()) < 8 * 15 + 3, "killed mid-run"

    resumed = subprocess.run(
        _extract(*inputs, "-o", out, "--workers", "2", "--resume"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert resumed.returncode == 1, resumed.stderr
    if done is not None:
        assert f"{done} skipped" in resumed.stderr
    assert outputs(out) == outputs(tmp_path / "whole")


def test_a_stalled_document_times_out_and_the_run_goes_on(tmp_path: Path) -> None:
    inputs = between_good_documents(tmp_path / "in.jsonl", "stalled", STALL)
    start = time.monotonic()
    summary = run([inputs], tmp_path / "out", timeout=1, progress=False, make_extractor=TroubleExtractor)
    assert time.monotonic() - start < 30
    assert (summary.written, summary.failed) == (2, 1)
    assert read_jsonl(tmp_path / "out" / "errors.jsonl") == [
        {"source": str(inputs), "doc_id": "stalled", "error": "timed out after 1 s"}
    ]


def test_a_worker_stuck_past_the_limit_or_crashing_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-hang.txt").write_text(f"A 60-year-old man. {HANG}", encoding="utf-8")
    (folder / "b-crash.txt").write_text(f"A 61-year-old woman. {CRASH}", encoding="utf-8")
    (folder / "c-fine.txt").write_text(
        "A 62-year-old man developed ALL after lenalidomide.", encoding="utf-8"
    )
    summary = run(
        [folder], tmp_path / "out", timeout=1, progress=False, workers=2, make_extractor=TroubleExtractor
    )
    assert (summary.written, summary.failed) == (1, 2)
    errors = {e["doc_id"]: e["error"] for e in read_jsonl(tmp_path / "out" / "errors.jsonl")}
    assert errors == {
        "a-hang": "timed out after 1 s",
        "b-crash": "worker process killed by SIGSEGV while processing this document",
    }
    assert [r["doc_id"] for r in read_jsonl(tmp_path / "out" / RECORDS)] == ["c-fine"]


def test_a_pipeline_that_cannot_be_built_stops_the_run(tmp_path: Path) -> None:
    with pytest.raises(WorkerStartError, match="ValueError: patterns/demo.json: field 'x' is required"):
        run([SHARED_DEV], tmp_path / "out", progress=False, make_extractor=BrokenExtractor)


def test_resume_drops_a_document_cut_short(tmp_path: Path) -> None:
    docs = [
        Document(doc_id=f"d{i}", source="s", text=f"A {60 + i}-year-old man developed AML.") for i in range(3)
    ]
    extractor = Extractor()
    with OutputWriter(tmp_path / "whole") as writer:
        for doc in docs:
            writer.write(extractor(doc))
    out = tmp_path / "cut"
    with OutputWriter(out) as writer:
        for doc in docs[:2]:
            writer.write(extractor(doc))
    full = (tmp_path / "whole" / RECORDS).read_text(encoding="utf-8").splitlines(keepends=True)
    with (out / DOCUMENTS).open("a", encoding="utf-8") as fh:
        fh.write((tmp_path / "whole" / DOCUMENTS).read_text(encoding="utf-8").splitlines(keepends=True)[2])
    with (out / RECORDS).open("a", encoding="utf-8") as fh:
        fh.write(full[2][: len(full[2]) // 2])
    with OutputWriter(out, resume=True) as writer:
        assert writer.done == {"d0", "d1"}
        assert (out / DOCUMENTS).read_text(encoding="utf-8").count("\n") == 2
        writer.write(extractor(docs[2]))
    for name in (DOCUMENTS, MENTIONS, RECORDS, "cases.csv"):
        assert (out / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
