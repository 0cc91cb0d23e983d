"""Outcomes of a case (guide section 8): type, time, cause of death, and the disease they refer to."""

from __future__ import annotations

from collections.abc import Sequence

from extractor.assembly.evidence import evidence_of
from extractor.assembly.patients import diagnosis_roles, is_stated
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention, Outcome, Role


def outcome_target(m: Mention, diagnoses: list[tuple[int, Role]], has_secondary: bool) -> Role:
    """The disease an outcome refers to: a stated cue ("remission from breast cancer"), else the
    disease the narrative last named before it; always `primary` when the case has no secondary disease."""
    if not has_secondary:
        return "primary"
    cue = m.attrs.get("target_cue")
    if cue in ("primary", "secondary"):
        return cue  # type: ignore[return-value]
    before = [role for start, role in diagnoses if start < m.start and role != "other"]
    return before[-1] if before else "secondary"


def fill_outcomes(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """One outcome per (type, target, time); an untimed outcome is dropped when the same one has a time."""
    roles = diagnosis_roles(mentions)
    diagnoses = sorted((start, role) for (start, _), (_, role) in roles.items())
    has_secondary = any(role == "secondary" for _, role in diagnoses)
    groups: dict[tuple[str, Role], list[Mention]] = {}
    for m in mentions:
        if m.label == "OUTCOME" and is_stated(m):
            target = outcome_target(m, diagnoses, has_secondary)
            groups.setdefault((str(m.norm), target), []).append(m)
    outcomes: list[Outcome] = []
    for (kind, target), ms in groups.items():
        cause = (
            next((str(m.attrs["cause"]) for m in ms if m.attrs.get("cause")), None)
            if kind == "death"
            else None
        )
        times: dict[float | None, list[Mention]] = {}
        for m in ms:
            value = m.attrs.get("time_months")
            times.setdefault(float(value) if isinstance(value, (int, float)) else None, []).append(m)
        if len(times) > 1:
            untimed = times.pop(None, [])
            first = next(iter(times))
            times[first] = times[first] + untimed
        for time, tms in times.items():
            outcomes.append(
                Outcome(type=kind, time_months=time, cause=cause, target=target, evidence=evidence_of(tms))  # type: ignore[arg-type]
            )
    case.outcomes = outcomes
