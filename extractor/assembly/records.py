"""Record assembly: from an Analysis to the guide's case record, with evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extractor.assembly.cases import segment
from extractor.assembly.cohort import build_cohort
from extractor.assembly.genetics import fill_genetics
from extractor.assembly.outcomes import fill_outcomes
from extractor.assembly.patients import fill_demographics, fill_diagnoses
from extractor.assembly.treatments import fill_latency, fill_treatments
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention, Record

CaseFiller = Callable[[Case, Sequence[Mention], Analysis], None]

CASE_FILLERS: tuple[CaseFiller, ...] = (
    fill_demographics,
    fill_diagnoses,
    fill_outcomes,
    fill_treatments,
    fill_latency,
    fill_genetics,
)
"""Each fills its fields of a case from the mentions assigned to that case, in this order."""


def assemble(analysis: Analysis) -> Record:
    """The record of one analysed document."""
    return assemble_with_cases(analysis)[0]


def assemble_with_cases(analysis: Analysis) -> tuple[Record, list[Mention]]:
    """The record, and the document's mentions with `attrs["case"]`: the case id(s) each one fills.

    The case goes into `mentions.jsonl` so that annotators see (and correct) which patient a span
    was given to.
    """
    segmentation = segment(analysis)
    case_ids: dict[tuple[int, int, str], list[str]] = {}
    for scope in segmentation.cases:
        for m in scope.mentions:
            case_ids.setdefault((m.start, m.end, m.label), []).append(scope.case_id)
    cases: list[Case] = []
    for scope in segmentation.cases:
        case = Case(case_id=scope.case_id)
        for fill in CASE_FILLERS:
            fill(case, scope.mentions, analysis)
        cases.append(case)
    cohort = build_cohort(analysis.mentions, analysis, has_cases=bool(cases))
    record = Record(doc_id=analysis.document.doc_id, cases=cases, cohort=cohort)
    mentions = [_with_case(m, case_ids.get((m.start, m.end, m.label))) for m in analysis.mentions]
    return record, mentions


def _with_case(mention: Mention, ids: list[str] | None) -> Mention:
    if not ids:
        return mention
    unique = list(dict.fromkeys(ids))
    return mention.model_copy(
        update={"attrs": {**mention.attrs, "case": unique[0] if len(unique) == 1 else unique}}
    )
