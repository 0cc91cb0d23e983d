"""The annotation commands of the CLI: export, import, agreement, review, suggest, apply-suggestions.

Wiring only: each command reads its inputs, calls the module that does the
work and prints a short summary; known input errors end with one line and
exit status 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from extractor.patterns import PatternError


class Format(StrEnum):
    label_studio = "label-studio"
    brat = "brat"


@contextmanager
def _input_errors() -> Iterator[None]:
    """One readable line and exit status 2 for bad inputs, instead of a traceback."""
    from extractor.annotate.fields import AnnotationError
    from extractor.evaluate.gold import InputError

    try:
        yield
    except (AnnotationError, InputError, PatternError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def export(
    fmt: Annotated[
        Format, typer.Option("--format", help="label-studio (tasks.json + labeling-config.xml) or brat.")
    ],
    pred: Annotated[
        Path, typer.Option("--pred", help="The extractor's output folder (documents, mentions).")
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder to write the pre-annotated tasks into.")],
) -> None:
    """Export the extractor's mentions as pre-annotations for Label Studio or brat."""
    from extractor.annotate import brat, labelstudio
    from extractor.annotate.fields import read_output

    with _input_errors():
        documents = read_output(pred)
    writer = labelstudio.write_export if fmt is Format.label_studio else brat.write_export
    writer(documents, out)
    spans = sum(len(d.mentions) for d in documents)
    typer.echo(f"{len(documents)} documents, {spans} spans exported to {out} ({fmt.value})")


def _names(annotator: list[str]) -> tuple[dict[str, str], str | None]:
    """Label Studio user ids to names (`ID=NAME`), and the one plain name, if given."""
    from extractor.annotate.fields import AnnotationError

    pairs = [a for a in annotator if "=" in a]
    plain = [a for a in annotator if "=" not in a]
    if len(plain) > 1:
        raise AnnotationError("give one plain --annotator NAME, or ID=NAME pairs for Label Studio users")
    return dict(a.split("=", 1) for a in pairs), (plain[0] if plain else None)


def import_(
    src: Annotated[Path, typer.Argument(help="Label Studio JSON export (file or folder), or a brat folder.")],
    fmt: Annotated[Format, typer.Option("--format", help="label-studio or brat.")],
    into: Annotated[Path, typer.Option("--into", help="The annotations folder.")] = Path("annotations"),
    annotator: Annotated[
        list[str] | None,
        typer.Option(
            "--annotator",
            help="Annotator name (required for brat); for Label Studio also ID=NAME per user id.",
        ),
    ] = None,
    accept_predictions: Annotated[
        bool,
        typer.Option(
            help="Label Studio: a task without annotation counts as its prediction accepted by --annotator."
        ),
    ] = False,
    replace: Annotated[
        bool, typer.Option(help="Imported documents replace their hand gold in other gold-*/spans-* files.")
    ] = False,
) -> None:
    """Import corrected spans: each annotator's version, and the merged span and record gold."""
    from extractor.annotate import brat, labelstudio
    from extractor.annotate.fields import AnnotationError
    from extractor.annotate.importer import import_documents

    with _input_errors():
        names, default = _names(annotator or [])
        if fmt is Format.brat:
            if default is None:
                raise AnnotationError("brat files do not say who annotated them: pass --annotator NAME")
            found = brat.read_folder(src, default)
        else:
            found = labelstudio.read_tasks(src, names, default, accept_predictions)
        summary = import_documents(found, into, replace=replace)
    for name, docs in summary.imported.items():
        typer.echo(f"{name}: {len(docs)} documents -> {into / 'by-annotator' / name}")
    typer.echo(
        f"merged gold: {len(summary.merged)} documents in {into}/gold-imported.jsonl, spans-imported.jsonl"
    )
    if summary.replaced:
        typer.echo(f"replaced hand gold of: {', '.join(summary.replaced)}")
    if summary.kept_hand_gold:
        typer.echo(f"kept hand gold (use --replace to change) of: {', '.join(summary.kept_hand_gold)}")
    if summary.disputed:
        typer.echo(f"awaiting adjudication (see `extractor agreement`): {', '.join(summary.disputed)}")


def agreement(
    annotations: Annotated[Path, typer.Option("--annotations", help="The annotations folder.")] = Path(
        "annotations"
    ),
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Folder for agreement.json and agreement.md.")
    ] = None,
) -> None:
    """Inter-annotator agreement per field (scored as evaluate scores) and the disagreements to adjudicate."""
    from extractor.annotate.agreement import compute_agreement, render_agreement, write_agreement
    from extractor.annotate.importer import load_versions

    with _input_errors():
        report = compute_agreement(load_versions(annotations))
    text = render_agreement(report)
    if out is None:
        typer.echo(text)
        return
    write_agreement(report, text, out)
    typer.echo(text.split("\n## ", 1)[0].rstrip())
    typer.echo(f"{len(report.disagreements)} disagreements listed in {out / 'agreement.md'}")


def review(
    gold: Annotated[Path, typer.Option("--gold", help="Gold records JSONL, or the annotations/ folder.")],
    pred: Annotated[Path, typer.Option("--pred", help="The extractor's output folder.")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write the review (Markdown) here.")] = None,
    limit: Annotated[int, typer.Option(help="Show the N worst documents (0: all).")] = 0,
) -> None:
    """Misses and false alarms per document, with their sentences, worst document first."""
    from extractor.annotate.review import render_review, review_documents
    from extractor.evaluate.gold import load_gold, load_predictions

    with _input_errors():
        reviews = review_documents(load_gold(gold), load_predictions(pred))
    text = render_review(reviews, limit)
    if out is None:
        typer.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    typer.echo(f"{len(reviews)} documents reviewed; worst first in {out}")


def suggest(
    gold: Annotated[Path, typer.Option("--gold", help="The annotations/ folder (span gold is needed).")],
    pred: Annotated[Path, typer.Option("--pred", help="The extractor's output folder.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Suggestions file (JSONL) to review.")] = Path(
        "suggestions.jsonl"
    ),
) -> None:
    """Propose pattern changes (lexicon synonyms, new rules) from missed gold spans."""
    from extractor.annotate.suggest import load_targets, suggest_changes, write_suggestions
    from extractor.evaluate.gold import InputError, load_gold, load_predictions

    with _input_errors():
        gold_set, predictions = load_gold(gold), load_predictions(pred)
        if gold_set.spans is None or predictions.mentions is None:
            raise InputError("suggest needs span gold (spans-*.jsonl) and the extractor's mentions.jsonl")
        result = suggest_changes(gold_set.spans, predictions.mentions, predictions.texts, load_targets())
    write_suggestions(result.suggestions, out)
    typer.echo(
        f'{len(result.suggestions)} suggestions in {out}; set "accept": true on the ones to apply, '
        f"then run `extractor apply-suggestions {out}`"
    )
    for reason, count in sorted(result.unmatched.items()):
        typer.echo(f"  {count} missed spans without a suggestion, {reason}")


def apply_suggestions(
    suggestions: Annotated[Path, typer.Argument(help='The suggestions file, with "accept": true set.')],
    ids: Annotated[list[str] | None, typer.Option("--id", help="Also accept this suggestion id.")] = None,
    patterns: Annotated[
        Path | None, typer.Option(help="Pattern folder to change (default: the active one).")
    ] = None,
) -> None:
    """Apply the accepted suggestions to the pattern files, after checking the pipeline still loads them."""
    from extractor.annotate.suggest import apply_accepted, read_suggestions
    from extractor.patterns import patterns_dir

    with _input_errors():
        changed = apply_accepted(read_suggestions(suggestions), patterns or patterns_dir(), set(ids or []))
    if not changed:
        typer.echo("no accepted suggestion; nothing changed")
        return
    for path, applied in changed.items():
        typer.echo(f"{path}: {', '.join(applied)}")
