"""The cohort of a document (annotation guide section 9), from its COHORT mentions.

`n_patients` is the size of the series the document is about. Counts are
ranked by how they were stated (`patterns/cohort.json` `kind_priority`):
a series with the secondary malignancy ("16 (8.7%) developed t-MNs"), a
literature group ("17 other patients documented in the literature"), the
patients a study identified ("we identified 7 cases"), the cases a report
presents ("we describe two patients"), then any other "N were diagnosed
with". The cases a report presents are a cohort only when no patient is
described alone (ages, sexes, "both patients"): a series reported only in
aggregate (guide section 1); otherwise they are cases. A document that describes individual
patients keeps any other count only beside a group statistic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractor.assembly.evidence import evidence_of
from extractor.components.time import cohort_rules
from extractor.pipeline import Analysis
from extractor.schema import Cohort, Mention, Stat

_STAT_FIELDS = ("latency_months", "exposure_months")


def build_cohort(mentions: Sequence[Mention], analysis: Analysis, has_cases: bool = True) -> Cohort | None:
    """The cohort statements of a document, or None when it makes none.

    `has_cases`: whether the record describes individual cases; a report's own series ("we report 3
    cases of ...") is its cohort when it describes none of them alone."""
    group = [m for m in mentions if m.label == "COHORT" and not m.attrs.get("negated")]
    stats = {name: next((m for m in group if m.norm == name), None) for name in _STAT_FIELDS}
    has_stats = any(m is not None for m in stats.values())
    count = _series_size(group)
    individuals = _describes_individuals(analysis)
    if (
        count is not None
        and count.attrs.get("kind") == "reported"
        and (individuals or (has_cases and not has_stats))
    ):
        count = None
    if count is not None and not has_stats and count.attrs.get("kind") != "literature" and individuals:
        count = None
    if count is None and not has_stats:
        return None
    cohort = Cohort()
    if count is not None:
        cohort.n_patients = int(count.attrs["n"])
        cohort.evidence["n_patients"] = evidence_of([count])
    for name, m in stats.items():
        if m is not None:
            setattr(
                cohort,
                name,
                Stat(median=m.attrs.get("median"), min=m.attrs.get("min"), max=m.attrs.get("max")),
            )
            cohort.evidence[name] = evidence_of([m])
    return cohort


def _series_size(group: list[Mention]) -> Mention | None:
    priority = {kind: rank for rank, kind in enumerate(cohort_rules().kind_priority)}
    counts = [m for m in group if m.norm == "n_patients" and "n" in m.attrs]
    if not counts:
        return None
    return min(counts, key=lambda m: (priority.get(str(m.attrs.get("kind")), len(priority)), m.start))


def _describes_individuals(analysis: Analysis) -> bool:
    """Whether the text speaks of individual patients (an age, a sex, "both patients")."""
    if any(m.label in ("AGE", "SEX") and not m.attrs.get("negated") for m in analysis.mentions):
        return True
    return bool(re.search(cohort_rules().individual_cues, analysis.document.text, re.IGNORECASE))
