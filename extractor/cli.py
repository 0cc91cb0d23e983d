"""The `extractor` command line: extract, evaluate, schema."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from extractor.annotate.commands import agreement, apply_suggestions, export, import_, review, suggest
from extractor.evaluate.command import evaluate
from extractor.patterns import PatternError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Structured case records from case reports of therapy-related leukemias.",
)
console = Console(stderr=True)

SUMMARY_ROWS = 25


class Engine(str, Enum):
    """Where `extract` runs the documents."""

    local = "local"
    dask = "dask"


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files (.txt, .pdf, .jsonl) or folders to read.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder.")],
    resume: Annotated[bool, typer.Option(help="Skip documents whose output is already complete.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per document (0: no limit).")] = 120.0,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes, each with its own pipeline.")] = 1,
    engine: Annotated[
        Engine, typer.Option(help="local: processes on this machine; dask: a Dask cluster.")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a LocalCluster of --workers processes)."),
    ] = None,
    partition_size: Annotated[int, typer.Option(min=1, help="Documents per Dask task.")] = 50,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
) -> None:
    """Extract case records from INPUTS into OUT (documents, mentions, records, cases.csv/parquet, errors)."""
    from extractor.engines.pool import WorkerStartError

    if engine is Engine.local and scheduler is not None:
        raise typer.BadParameter("needs --engine dask", param_hint="--scheduler")
    try:
        if engine is Engine.dask:
            try:
                from extractor.engines import dask as dask_engine
            except ImportError as exc:
                console.print(
                    f"[red]error:[/red] --engine dask needs dask[distributed] ({exc})", soft_wrap=True
                )
                raise typer.Exit(2) from None
            summary = dask_engine.run(
                inputs,
                out,
                resume=resume,
                timeout=timeout,
                progress=not quiet,
                workers=workers,
                scheduler=scheduler,
                partition_size=partition_size,
            )
        else:
            from extractor.engines.local import run

            summary = run(inputs, out, resume=resume, timeout=timeout, progress=not quiet, workers=workers)
    except WorkerStartError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from None
    if summary.interrupted is not None:
        console.print(
            f"interrupted: {summary.written} written, {summary.failed} failed; "
            f"run again with --resume to continue (outputs in {out} are consistent)",
            soft_wrap=True,
        )
        raise typer.Exit(128 + summary.interrupted)
    if not quiet:
        _print_summary(out)
    console.print(
        f"{summary.written} written, {summary.skipped} skipped (already done), {summary.failed} failed"
        + (f" (see {out / 'errors.jsonl'})" if summary.failed else "")
    )
    raise typer.Exit(1 if summary.failed else 0)


app.command("evaluate")(evaluate)
app.command("export")(export)
app.command("import")(import_)
app.command("agreement")(agreement)
app.command("review")(review)
app.command("suggest")(suggest)
app.command("apply-suggestions")(apply_suggestions)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("-o", "--out", help="Where to write the JSON Schema.")] = Path(
        "schema/record.schema.json"
    ),
) -> None:
    """Write the JSON Schema of the case record and the mention."""
    from extractor.schema import export_json_schema

    out.parent.mkdir(parents=True, exist_ok=True)
    export_json_schema(out)
    console.print(f"wrote {out}")


def _print_summary(out: Path) -> None:
    """A short table of the cases found, for a first look."""
    import pandas as pd

    path = out / "cases.csv"
    if not path.exists():
        return
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    shown = [
        "doc_id",
        "age_years",
        "sex",
        "primary_diagnosis",
        "secondary_diagnosis",
        "exposures",
        "latency_months",
        "mutations",
        "outcomes",
    ]
    table = Table(title=f"{len(frame)} cases (first {min(len(frame), SUMMARY_ROWS)} shown; all in {path})")
    for column in shown:
        table.add_column(column.replace("_", " "), overflow="fold")
    for _, row in frame.head(SUMMARY_ROWS).iterrows():
        table.add_row(*(row[c] for c in shown))
    Console().print(table)


def main() -> None:
    """Console-script entry point: one-line messages instead of tracebacks for known failures."""
    try:
        app()
    except PatternError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise SystemExit(2) from None
