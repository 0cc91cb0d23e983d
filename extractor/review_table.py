"""The review table: one row per case, as a researcher would paste it into a paper."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from extractor.schema import Case, Mutation, Outcome, Record, Treatment

COLUMNS = [
    "doc_id",
    "case_id",
    "age_years",
    "sex",
    "primary_diagnosis",
    "secondary_diagnosis",
    "other_diagnoses",
    "exposures",
    "latency_months",
    "karyotypes",
    "cytogenetics",
    "mutations",
    "treatments_after",
    "outcomes",
]


def _treatment(t: Treatment) -> str:
    details = [t.setting] if t.setting else []
    if t.duration_months is not None:
        details.append(f"{t.duration_months:g} mo")
    if t.cycles is not None:
        details.append(f"{t.cycles:g} cycles")
    return f"{t.name} ({', '.join(details)})" if details else t.name


def _mutation(m: Mutation) -> str:
    text = m.gene if m.kind == "mutation" else f"{m.gene} {m.kind}"
    if m.alteration:
        text += f" {m.alteration}"
    if m.status == "absent":
        text += " (absent)"
    if m.origin:
        text += f" ({m.origin})"
    return text


def _outcome(o: Outcome) -> str:
    details = [f"{o.time_months:g} mo"] if o.time_months is not None else []
    if o.cause:
        details.append(o.cause)
    return f"{o.type} ({', '.join(details)})" if details else o.type


def case_row(doc_id: str, case: Case) -> dict[str, object]:
    """One table row: lists joined with '; ', treatments with their setting, duration and cycles."""

    def codes(role: str) -> str:
        return "; ".join(d.code for d in case.diagnoses if d.role == role)

    return {
        "doc_id": doc_id,
        "case_id": case.case_id,
        "age_years": case.age_years,
        "sex": case.sex,
        "primary_diagnosis": codes("primary"),
        "secondary_diagnosis": codes("secondary"),
        "other_diagnoses": codes("other"),
        "exposures": "; ".join(_treatment(t) for t in case.treatments if t.target == "primary"),
        "latency_months": case.latency_months,
        "karyotypes": "; ".join(case.karyotypes),
        "cytogenetics": "; ".join(case.cytogenetics),
        "mutations": "; ".join(_mutation(m) for m in case.mutations),
        "treatments_after": "; ".join(_treatment(t) for t in case.treatments if t.target != "primary"),
        "outcomes": "; ".join(_outcome(o) for o in case.outcomes),
    }


def case_table(records: list[Record]) -> pd.DataFrame:
    rows = [case_row(r.doc_id, c) for r in records for c in r.cases]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"age_years": "float64", "latency_months": "float64"})


def write_case_table(records_path: Path, outdir: Path) -> pd.DataFrame:
    """Rewrite `cases.csv` and `cases.parquet` from `records.jsonl`, each atomically."""
    records = []
    if records_path.exists():
        with records_path.open(encoding="utf-8") as fh:
            records = [Record.model_validate(json.loads(line)) for line in fh if line.strip()]
    frame = case_table(records)
    for name, write in (
        ("cases.csv", lambda p: frame.to_csv(p, index=False)),
        ("cases.parquet", lambda p: frame.to_parquet(p, index=False)),
    ):
        tmp = outdir / f".{name}.tmp"
        write(tmp)
        os.replace(tmp, outdir / name)
    return frame
