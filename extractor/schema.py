"""The case record of `annotation-guide.md` (sections 1-10) and the mention type.

These models are the contract between the extractor, the hand annotations and
the scorers. Evidence is optional so that hand annotations, which may omit it,
validate against the same models; the extractor always fills it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["primary", "secondary", "other"]
TreatmentKind = Literal["regimen", "drug", "transplant", "radiotherapy", "cellular"]
Setting = Literal["induction", "consolidation", "maintenance", "salvage", "conditioning", "prophylaxis"]
MutationKind = Literal[
    "mutation", "deletion", "amplification", "duplication", "fusion", "rearrangement", "other"
]
OutcomeType = Literal[
    "complete_remission",
    "mrd_negative",
    "vgpr",
    "partial_response",
    "refractory",
    "relapse",
    "death",
    "alive",
]

MENTION_LABELS: tuple[str, ...] = (
    "AGE",
    "SEX",
    "DIAGNOSIS",
    "TREATMENT",
    "SETTING",
    "DURATION",
    "CYCLES",
    "LATENCY",
    "COHORT",
    "KARYOTYPE",
    "CYTOGENETICS",
    "GENE",
    "VARIANT",
    "OUTCOME",
    "CASE",
)
"""Every label a mention may carry; docs/labels.md says what each one means."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """Where a value came from: document offsets `[start, end)`, the words, and the PDF page."""

    start: int
    end: int
    text: str
    page: int | None = None


class Diagnosis(_Model):
    code: str
    role: Role
    evidence: list[Evidence] = Field(default_factory=list)


class Treatment(_Model):
    name: str
    kind: TreatmentKind
    target: Role = "primary"
    setting: Setting | None = None
    duration_months: float | None = None
    cycles: float | None = None
    components: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class Mutation(_Model):
    gene: str
    kind: MutationKind
    alteration: str | None = None
    status: Literal["present", "absent"] = "present"
    origin: Literal["germline", "somatic"] | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Outcome(_Model):
    type: OutcomeType
    time_months: float | None = None
    cause: str | None = None
    target: Role = "secondary"
    evidence: list[Evidence] = Field(default_factory=list)


class Case(_Model):
    """One patient. `evidence` holds the evidence of scalar and string fields,
    keyed `age_years`, `sex`, `latency_months`, `karyotypes:<string>`, `cytogenetics:<finding>`."""

    case_id: str
    age_years: float | None = None
    sex: Literal["male", "female"] | None = None
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    treatments: list[Treatment] = Field(default_factory=list)
    latency_months: float | None = None
    karyotypes: list[str] = Field(default_factory=list)
    cytogenetics: list[str] = Field(default_factory=list)
    mutations: list[Mutation] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    evidence: dict[str, list[Evidence]] = Field(default_factory=dict)


class Stat(_Model):
    median: float | None = None
    min: float | None = None
    max: float | None = None


class Cohort(_Model):
    """Statements about a group of patients (guide section 9); `evidence` keyed by field name."""

    n_patients: int | None = None
    latency_months: Stat | None = None
    exposure_months: Stat | None = None
    evidence: dict[str, list[Evidence]] = Field(default_factory=dict)


class Record(_Model):
    doc_id: str
    cases: list[Case] = Field(default_factory=list)
    cohort: Cohort | None = None
    notes: str | None = None


class Mention(_Model):
    """One recognized span: a line of `mentions.jsonl`."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    norm: str | float | None = None
    attrs: dict[str, Any] = Field(default_factory=dict)
    page: int | None = None


def export_json_schema(path: Path) -> None:
    """Write the JSON Schema of `Record` (and `Mention`) so non-Python tools can validate outputs."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Case records and mentions (annotation guide v1.2)",
        "$defs": {
            "Record": Record.model_json_schema(),
            "Mention": Mention.model_json_schema(),
        },
    }
    path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
