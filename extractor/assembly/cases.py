"""Case segmentation: which mentions describe which patient, and which describe a group.

A document describes zero, one or several patients. Mentions about one patient
fill that patient's case; statements about a group (a cohort, the literature)
fill the cohort and never a case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.pipeline import Analysis
from extractor.schema import Mention

PATIENT_LABELS = frozenset({"AGE", "SEX"})
"""Labels whose presence shows that the text describes an individual patient."""


@dataclass(slots=True)
class CaseScope:
    case_id: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Segmentation:
    cases: list[CaseScope]
    cohort: list[Mention]


def segment(analysis: Analysis) -> Segmentation:
    """One case holding every mention when an individual patient is described, else none."""
    doc_id = analysis.document.doc_id
    individual = any(m.label in PATIENT_LABELS for m in analysis.mentions)
    if not individual:
        return Segmentation(cases=[], cohort=list(analysis.mentions))
    return Segmentation(cases=[CaseScope(f"{doc_id}#1", list(analysis.mentions))], cohort=[])
