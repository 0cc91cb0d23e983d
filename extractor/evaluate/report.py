"""Writing an evaluation's outputs: `metrics.json`, `report.md` and a self-contained `report.html`.

The HTML has no scripts and no external assets (inline CSS and an inline SVG
chart), so it can be mailed or archived and still open anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from extractor.evaluate.errors import ErrorEntry

TEMPLATES = Path(__file__).parent / "templates"

METHOD_NOTES: tuple[str, ...] = (
    "Records are scored as the annotation guide's section 11 says: per document, each field group "
    "becomes a list of items, and predicted items are matched one to one to gold items (maximum matching).",
    "Names and codes compare case-insensitively, ignoring spaces, hyphens, dots, slashes and underscores; "
    "every other:... diagnosis code counts as other; INN/US name pairs (patterns/name_equivalences.json) "
    "count as one name; karyotypes compare without whitespace.",
    "Numbers match when they differ by at most 1 or 10% of the gold value, whichever is larger.",
    "Cases are not aligned: items are pooled over all cases of a document as a multiset (age, sex and "
    "latency give one item per case; sets are de-duplicated within a case, then pooled).",
    "Only gold documents are scored; a gold document without a prediction counts as all misses.",
    "Micro scores sum true positives, false positives and false negatives over all groups and documents. "
    "Intervals are percentile 95% intervals from resampling documents with replacement.",
    "Span scores: strict needs the same label and offsets, overlap the same label and a shared character; "
    "both match one to one; micro averages run over the labels the span gold annotates.",
)


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of the F1 chart, in SVG user units."""

    label: str
    y: float
    width: float
    value: str
    ci: tuple[float, float] | None
    baseline: float | None
    micro: bool


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    plot_width: int
    row_height: int
    top: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]


def bar_chart(
    metrics: dict[str, Any], left: int = 130, plot_width: int = 440, row_height: int = 24, top: int = 24
) -> Chart:
    """Horizontal F1 bars for micro and each scored field, with CI whiskers and baseline ticks."""
    rows: list[tuple[str, dict[str, Any], float | None]] = []
    deltas = (metrics.get("baseline") or {}).get("baseline_f1", {})
    rows.append(("micro", metrics["micro"], deltas.get("micro")))
    for name, entry in metrics["fields"].items():
        if entry["f1"] is not None:
            rows.append((name, entry, deltas.get("fields", {}).get(name)))

    def x(value: float) -> float:
        return round(left + value * plot_width, 1)

    bars = []
    for i, (name, entry, base) in enumerate(rows):
        ci = entry.get("f1_ci")
        bars.append(
            Bar(
                label=name,
                y=top + i * row_height,
                width=round(entry["f1"] * plot_width, 1),
                value=f"{entry['f1']:.3f}",
                ci=(x(ci[0]), x(ci[1])) if ci else None,
                baseline=x(base) if base is not None else None,
                micro=name == "micro",
            )
        )
    ticks = tuple((x(v / 4), f"{v / 4:g}") for v in range(5))
    height = top + len(rows) * row_height + 8
    return Chart(left + plot_width + 70, height, left, plot_width, row_height, top, tuple(bars), ticks)


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _interval(ci: list[float] | None) -> str:
    return "–" if not ci else f"{ci[0]:.3f}–{ci[1]:.3f}"


def _delta(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"


def _markdown_cell(value: object) -> str:
    text = re.sub(r"\s+", " ", str(value))
    for char in "\\|*_`<>[]":
        text = text.replace(char, "\\" + char)
    return text


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=lambda name: name is not None and name.endswith(".html.j2"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=_num, interval=_interval, delta=_delta, md=_markdown_cell)
    return env


def _context(metrics: dict[str, Any], errors: dict[str, list[ErrorEntry]]) -> dict[str, Any]:
    return {
        "m": metrics,
        "errors": errors,
        "chart": bar_chart(metrics),
        "notes": METHOD_NOTES,
        "has_baseline": metrics.get("baseline") is not None,
    }


def render_markdown(metrics: dict[str, Any], errors: dict[str, list[ErrorEntry]]) -> str:
    return _environment().get_template("report.md.j2").render(_context(metrics, errors))


def render_html(metrics: dict[str, Any], errors: dict[str, list[ErrorEntry]]) -> str:
    return _environment().get_template("report.html.j2").render(_context(metrics, errors))


def write_reports(out: Path, metrics: dict[str, Any], errors: dict[str, list[ErrorEntry]]) -> None:
    """Write `metrics.json`, `report.md` and `report.html` into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    metrics_text = json.dumps(metrics, indent=2, ensure_ascii=False) + "\n"
    (out / "metrics.json").write_text(metrics_text, encoding="utf-8")
    (out / "report.md").write_text(render_markdown(metrics, errors), encoding="utf-8")
    (out / "report.html").write_text(render_html(metrics, errors), encoding="utf-8")
