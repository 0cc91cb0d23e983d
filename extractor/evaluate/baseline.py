"""Comparing metrics with an earlier run: F1 changes for reports, and the regression guard's verdict."""

from __future__ import annotations

from typing import Any

TOLERANCE = 0.01
"""How far an F1 may fall below the committed baseline before the regression guard fails."""


def _f1(metrics: dict[str, Any], field: str | None) -> float | None:
    entry = metrics.get("micro") if field is None else metrics.get("fields", {}).get(field)
    return entry.get("f1") if isinstance(entry, dict) else None


def f1_deltas(metrics: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """Current minus baseline F1, micro and per field; None where either side has no score."""

    def delta(field: str | None) -> float | None:
        now, then = _f1(metrics, field), _f1(baseline, field)
        return None if now is None or then is None else now - then

    return {
        "micro": delta(None),
        "fields": {field: delta(field) for field in metrics.get("fields", {})},
        "baseline_f1": {
            "micro": _f1(baseline, None),
            "fields": {field: _f1(baseline, field) for field in metrics.get("fields", {})},
        },
    }


def regressions(metrics: dict[str, Any], baseline: dict[str, Any], tolerance: float = TOLERANCE) -> list[str]:
    """One line per score that fell more than `tolerance` below the baseline (or is no longer scored)."""
    problems: list[str] = []
    for field in [None, *baseline.get("fields", {})]:
        name = "micro" if field is None else field
        then, now = _f1(baseline, field), _f1(metrics, field)
        if then is None:
            continue
        if now is None:
            problems.append(f"{name}: F1 was {then:.3f}, now not scored")
        elif now < then - tolerance:
            problems.append(f"{name}: F1 {now:.3f} < baseline {then:.3f} - {tolerance}")
    return problems
