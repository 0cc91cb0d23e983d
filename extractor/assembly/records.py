"""Record assembly: from an Analysis to the guide's case record, with evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractor.assembly.cases import segment
from extractor.assembly.cohort import build_cohort
from extractor.assembly.outcomes import fill_outcomes
from extractor.assembly.patients import fill_demographics, fill_diagnoses
from extractor.assembly.treatments import fill_latency, fill_treatments
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention, Record

CaseFiller = Callable[[Case, Sequence[Mention], Analysis], None]

CASE_FILLERS: tuple[CaseFiller, ...] = (
    fill_demographics, fill_diagnoses, fill_outcomes, fill_treatments, fill_latency,
)
"""Each fills its fields of a case from the mentions assigned to that case, in this order."""


def assemble(analysis: Analysis) -> Record:
    """The record of one analysed document."""
    segmentation = segment(analysis)
    cases: list[Case] = []
    for scope in segmentation.cases:
        case = Case(case_id=scope.case_id)
        for fill in CASE_FILLERS:
            fill(case, scope.mentions, analysis)
        cases.append(case)
    cohort = build_cohort(analysis.mentions, analysis)
    return Record(doc_id=analysis.document.doc_id, cases=cases, cohort=cohort)
