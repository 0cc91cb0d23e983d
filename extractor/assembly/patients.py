"""Demographic fields of a case: age and sex."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from extractor.assembly.evidence import evidence_of, is_asserted
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention


def fill_demographics(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """The first stated age; the sex most words state (pronouns included)."""
    ages = [m for m in mentions if m.label == "AGE" and is_asserted(m)]
    if ages:
        case.age_years = float(ages[0].norm)  # type: ignore[arg-type]
        case.evidence["age_years"] = evidence_of(ages[:1])
    sexes = [m for m in mentions if m.label == "SEX" and is_asserted(m)]
    if sexes:
        value, _ = Counter(str(m.norm) for m in sexes).most_common(1)[0]
        case.sex = value  # type: ignore[assignment]
        case.evidence["sex"] = evidence_of(m for m in sexes if m.norm == value)
