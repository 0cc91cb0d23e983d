"""Inputs shared by the engine tests: a folder of PDFs, and analyses that misbehave on purpose.

The misbehaving analyses are module-level classes so that worker processes (local or Dask)
can unpickle them by name.
"""

from __future__ import annotations

import ctypes
import json
import signal
import time
from pathlib import Path

from pdf_factory import CaseReport, case_report_pdf, random_bytes, scanned_pdf, simple_pdf

from extractor.document import Document
from extractor.extraction import Extractor
from extractor.serialization import DocumentResult

ROOT = Path(__file__).resolve().parent.parent
SHARED_DEV = ROOT.parent / "shared" / "corpora" / "case-reports" / "dev-abstracts.jsonl"
OUTPUTS = ("documents.jsonl", "mentions.jsonl", "records.jsonl", "tables.jsonl", "errors.jsonl", "cases.csv")
STALL = "STALL-THIS-DOCUMENT"
SPIN = "SPIN-THIS-DOCUMENT"
HANG = "HANG-THIS-DOCUMENT"
CRASH = "CRASH-THIS-DOCUMENT"


class TroubleExtractor(Extractor):
    """The real analysis, except for documents carrying a marker: those stall, spin, hang in 'C' or crash."""

    def __call__(self, document: Document) -> DocumentResult:
        if STALL in document.text:
            time.sleep(60)
        if SPIN in document.text:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:  # Python code that never ends, like a runaway rule
                pass
        if HANG in document.text:
            signal.pthread_sigmask(
                signal.SIG_BLOCK, {signal.SIGALRM}
            )  # as a call into C that ignores signals
            time.sleep(60)
        if CRASH in document.text:
            ctypes.string_at(0)  # a real segmentation fault, in this thread, as a crash in C code would be
        return super().__call__(document)


class BrokenExtractor:
    """An analysis that cannot be built, as with a broken pattern file."""

    def __init__(self) -> None:
        raise ValueError("patterns/demo.json: field 'x' is required")


def report(title: str, age: int, drug: str, months: int) -> CaseReport:
    return CaseReport(
        title=title,
        authors="A. Example and B. Sample",
        abstract=f"We report a {age}-year-old man who developed acute lymphoblastic leukemia after {drug}.",
        sections=[
            (
                "Case presentation",
                [
                    (
                        f"A {age}-year-old man with multiple myeloma received {drug} maintenance for {months} months. "
                        "He then developed B-cell acute lymphoblastic leukemia with the karyotype 46,XY,t(9;22)(q34;q11.2)[20]."
                    ),
                    "He received induction chemotherapy and remained in remission at twelve months.",
                ],
            ),
            ("Discussion", ["Second malignancies after maintenance therapy are rare but well described."]),
        ],
        figure_caption="Figure 1. Bone marrow aspirate with lymphoblasts.",
        table_caption="Table 1. Blood counts at diagnosis",
        table=[["Test", "Value", "Unit", "Reference"], ["WBC", "12.1", "10^9/L", "4.0-10.0"]],
        references=["Example A. Leukemia after myeloma. Blood. 2020;1:1-2."],
    )


def build_pdf_folder(folder: Path) -> Path:
    """Three readable case-report PDFs, a scan and a file that is no PDF."""
    case_report_pdf(folder / "lenalidomide.pdf", report("B-ALL after lenalidomide", 71, "lenalidomide", 33))
    case_report_pdf(folder / "thalidomide.pdf", report("B-ALL after thalidomide", 64, "thalidomide", 20))
    simple_pdf(
        folder / "short.pdf", ["A 58-year-old woman developed t-AML after cyclophosphamide.", "She died."]
    )
    scanned_pdf(folder / "scanned.pdf", pages=1)
    random_bytes(folder / "broken.pdf")
    return folder


def between_good_documents(path: Path, doc_id: str, marker: str) -> Path:
    """A JSONL file of one troubled document (`marker` in its text) between two ordinary ones."""
    rows = [
        {"id": "before", "text": "A 60-year-old man developed AML after chemotherapy."},
        {"id": doc_id, "text": f"A 61-year-old woman. {marker}"},
        {"id": "after", "text": "A 62-year-old man developed ALL after lenalidomide."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def outputs(folder: Path) -> dict[str, bytes]:
    """Every output file of a run, byte for byte."""
    return {name: (folder / name).read_bytes() for name in OUTPUTS}
