"""End to end: `extractor extract` as a user runs it, good and bad inputs in one run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
SHARED_DEV = ROOT.parent / "shared" / "corpora" / "case-reports" / "dev-abstracts.jsonl"

CASE_TEXT = (
    "A 71-year-old man with multiple myeloma received lenalidomide maintenance for 33 months "
    "and then developed B-cell acute lymphoblastic leukemia."
)


def run_extract(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "extractor", "extract", *map(str, args), "--quiet"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_pdf(text: str, password: str | None = None) -> bytes:
    pdf = FPDF()
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding good documents next to every kind of bad input the issue names."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "good.txt").write_text(CASE_TEXT, encoding="utf-8")
    (folder / "good-pdf.pdf").write_bytes(make_pdf(CASE_TEXT))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    (folder / "truncated.pdf").write_bytes(make_pdf(CASE_TEXT)[:300])
    (folder / "encrypted.pdf").write_bytes(make_pdf(CASE_TEXT, password="secret"))
    (folder / "latin1.txt").write_bytes("Un homme de 71 ans atteint de myélome".encode("latin-1"))
    lines = [
        json.dumps({"id": "j1", "title": "Case", "text": CASE_TEXT}),
        "{not json",
        json.dumps({"id": "j2", "text": "A 45-year-old woman was diagnosed with ALL."}),
        json.dumps({"text": "no id here"}),
    ]
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    karyotype_line = ",".join(["46,XY,t(9;22)(q34;q11.2)[20]/47,idem,+8[5]"] * 7000)
    (folder / "long.txt").write_text(karyotype_line[:300_000], encoding="utf-8")
    variant_line = "TP53 c.848G>A (p.Arg283His) " * 11_000
    (folder / "long-variants.txt").write_text(variant_line[:300_000], encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def mixed_run(
    mixed_inputs: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("out")
    return run_extract(mixed_inputs, "-o", out), out


def test_bad_inputs_are_listed_and_good_ones_written(
    mixed_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, out = mixed_run
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    records = {r["doc_id"] for r in read_jsonl(out / "records.jsonl")}
    assert records == {"good", "good-pdf", "j1", "j2", "long", "long-variants"}
    errors = read_jsonl(out / "errors.jsonl")
    failed = {Path(e["source"].split(":")[0]).name for e in errors}
    assert failed == {
        "empty.txt",
        "random.pdf",
        "truncated.pdf",
        "encrypted.pdf",
        "latin1.txt",
        "batch.jsonl",
    }
    assert all(e["error"] and "\n" not in e["error"] for e in errors)
    jsonl_lines = sorted(e["source"].rsplit(":", 1)[1] for e in errors if "batch.jsonl" in e["source"])
    assert jsonl_lines == ["2", "4"]


def test_outputs_agree_with_each_other(mixed_run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = mixed_run
    documents = {d["doc_id"]: d for d in read_jsonl(out / "documents.jsonl")}
    for mention in read_jsonl(out / "mentions.jsonl"):
        text = documents[mention["doc_id"]]["text"]
        assert text[mention["start"] : mention["end"]] == mention["text"]
    assert documents["j1"]["text"].startswith("Case\n\n")
    assert documents["good-pdf"]["pages"], "PDF documents map their text to pages"
    assert "pages" not in documents["good"]
    assert (out / "cases.csv").exists() and (out / "cases.parquet").exists()


def test_a_plain_case_report_gives_age_and_sex(
    mixed_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, out = mixed_run
    record = next(r for r in read_jsonl(out / "records.jsonl") if r["doc_id"] == "good")
    case = record["cases"][0]
    assert (case["age_years"], case["sex"]) == (71, "male")
    assert case["evidence"]["age_years"][0]["text"] == "71-year-old"


def test_shared_dev_set_gives_one_record_per_document(tmp_path: Path) -> None:
    result = run_extract(SHARED_DEV, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    ids = [
        json.loads(line)["id"] for line in SHARED_DEV.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert [r["doc_id"] for r in read_jsonl(tmp_path / "records.jsonl")] == ids


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract"], "Missing argument"),
        (["extract", "corpus"], "Missing option"),
        (["frobnicate"], "No such command"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "extractor", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_input_path_is_an_error_line(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text(CASE_TEXT, encoding="utf-8")
    result = run_extract(good, tmp_path / "nope", "-o", tmp_path / "out")
    assert result.returncode == 1
    errors = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert errors == [
        {"source": str(tmp_path / "nope"), "doc_id": None, "error": "no such file or directory"}
    ]
    assert len(read_jsonl(tmp_path / "out" / "records.jsonl")) == 1
