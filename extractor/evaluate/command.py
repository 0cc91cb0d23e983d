"""`extractor evaluate`: score the extractor's output against gold and write the reports.

Wiring only: loading (gold.py), record scores (scoring.py), span scores
(spans.py), error lists (errors.py), baseline deltas (baseline.py) and
rendering (report.py) each live in their own module, imported when the command
runs, so that the other commands (`extract` above all) start without them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from extractor.evaluate.errors import ErrorEntry
    from extractor.evaluate.gold import GoldSet, Predictions


def run_evaluation(
    gold: GoldSet,
    predictions: Predictions,
    baseline: dict[str, Any] | None = None,
    draws: int = 1000,
    seed: int = 0,
) -> tuple[dict[str, Any], dict[str, list[ErrorEntry]]]:
    """Metrics (as written to metrics.json, minus `inputs`) and error lists for one evaluation."""
    from extractor.evaluate.baseline import f1_deltas
    from extractor.evaluate.errors import error_lists
    from extractor.evaluate.scoring import corpus_metrics, score_corpus
    from extractor.evaluate.spans import score_spans

    results = score_corpus(predictions.records, gold.records)
    metrics = corpus_metrics(results, draws=draws, seed=seed)
    gold_ids = {record.doc_id for record in gold.records}
    metrics["documents"] = {
        "gold": len(gold.records),
        "without_prediction": [r.doc_id for r in results if not r.predicted],
        "predictions_without_gold": len(set(predictions.records) - gold_ids),
    }
    has_spans = gold.spans is not None and predictions.mentions is not None
    metrics["spans"] = score_spans(predictions.mentions or [], gold.spans or []) if has_spans else None
    metrics["baseline"] = f1_deltas(metrics, baseline) if baseline is not None else None
    return metrics, error_lists(results, predictions.texts, gold.spans)


def _summary(metrics: dict[str, Any]) -> str:
    def fmt(value: float | None) -> str:
        return "    –" if value is None else f"{value:.3f}"

    delta = metrics.get("baseline")
    header = f"{'field':<14} {'P':>5} {'R':>5} {'F1':>5}  {'95% CI':<13}" + ("  ΔF1" if delta else "")
    lines = [header]
    rows = [("micro", metrics["micro"], delta["micro"] if delta else None)]
    rows += [
        (name, entry, delta["fields"].get(name) if delta else None)
        for name, entry in metrics["fields"].items()
    ]
    for name, entry, change in rows:
        ci = entry["f1_ci"]
        interval = f"{ci[0]:.3f}-{ci[1]:.3f}" if ci else "–"
        line = f"{name:<14} {fmt(entry['p'])} {fmt(entry['r'])} {fmt(entry['f1'])}  {interval:<13}"
        if delta:
            line += "     –" if change is None else f" {change:+.3f}"
        lines.append(line)
    return "\n".join(lines)


def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold records JSONL, or the annotations/ folder.")],
    pred: Annotated[Path, typer.Option("--pred", help="The extractor's output folder (records.jsonl, ...).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the three reports.")],
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="An earlier metrics.json to compare with.")
    ] = None,
) -> None:
    """Score predicted case records (and mentions) against gold as the annotation guide's section 11 says."""
    from extractor.evaluate.gold import InputError, load_gold, load_metrics, load_predictions
    from extractor.evaluate.report import write_reports

    try:
        gold_set = load_gold(gold)
        predictions = load_predictions(pred)
        old = load_metrics(baseline) if baseline is not None else None
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    metrics, errors = run_evaluation(gold_set, predictions, old)
    metrics["inputs"] = {"gold": str(gold), "pred": str(pred)}
    if metrics["baseline"] is not None:
        metrics["baseline"]["path"] = str(baseline)
    write_reports(out, metrics, errors)
    typer.echo(_summary(metrics))
    typer.echo(f"{len(gold_set.records)} gold documents; reports in {out}")
