"""Import into annotations/: exact round trips, annotator versions, merging, hand gold, atomic writes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import typer
from annotate_samples import BLOCKS, write_sample_output
from spacy.language import Language
from typer.testing import CliRunner

from extractor.annotate import brat, labelstudio
from extractor.annotate.commands import export, import_
from extractor.annotate.fields import AnnotatedDocument, AnnotationError, read_output
from extractor.annotate.importer import (
    MERGED_GOLD,
    MERGED_SPANS,
    import_documents,
    load_versions,
    sentence_pipeline,
)
from extractor.assembly.records import assemble
from extractor.engines.local import run
from extractor.evaluate.gold import load_gold
from extractor.pipeline import Analysis


@pytest.fixture(scope="module")
def nlp() -> Language:
    return sentence_pipeline()


@pytest.fixture(scope="module")
def real_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extractor's real output on three corpus documents."""
    folder = tmp_path_factory.mktemp("real")
    lines = (
        (Path(__file__).parent.parent / "corpus" / "batch-1.jsonl").read_text(encoding="utf-8").splitlines()
    )
    (folder / "in.jsonl").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    run([folder / "in.jsonl"], folder / "out", progress=False)
    return folder / "out"


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _spans(path: Path) -> list[dict[str, Any]]:
    """Span lines in a fixed order: imports write documents sorted by doc_id."""
    return sorted(_lines(path), key=lambda m: (m["doc_id"], m["start"], m["end"], m["label"]))


def _accepted(folder: Path, user: int = 7) -> list[dict[str, Any]]:
    tasks = json.loads((folder / labelstudio.TASKS_FILE).read_text(encoding="utf-8"))
    for i, item in enumerate(tasks, 1):
        item["id"] = i
        item["annotations"] = [
            {"id": i, "completed_by": user, "result": copy.deepcopy(item["predictions"][0]["result"])}
        ]
    return tasks


def _found(outdir: Path, tmp_path: Path, fmt: str, annotator: str = "alice") -> list[AnnotatedDocument]:
    if fmt == "brat":
        brat.write_export(read_output(outdir), tmp_path / "brat")
        return brat.read_folder(tmp_path / "brat", annotator)
    labelstudio.write_export(read_output(outdir), tmp_path / "ls")
    return labelstudio.read_tasks(
        tmp_path / "ls" / labelstudio.TASKS_FILE, default_name=annotator, accept_predictions=True
    )


@pytest.mark.parametrize("fmt", ["label-studio", "brat"])
def test_round_trip_reproduces_the_predicted_spans_exactly(
    fmt: str, tmp_path: Path, nlp: Language, real_output: Path
) -> None:
    write_sample_output(tmp_path / "out", nlp)
    assert read_output(tmp_path / "out")[0].document.blocks == BLOCKS
    for i, outdir in enumerate((tmp_path / "out", real_output)):
        into = tmp_path / f"annotations-{i}"
        import_documents(_found(outdir, tmp_path / f"export-{i}", fmt), into, nlp=nlp)
        documents = {d.document.doc_id: d.document for d in read_output(outdir)}
        versions = load_versions(into)["alice"]
        assert {doc_id: v.document for doc_id, v in versions.items()} == documents
        predicted = _spans(outdir / "mentions.jsonl")
        assert predicted, "the output has mentions"
        assert _spans(into / "by-annotator" / "alice" / "spans.jsonl") == predicted
        assert _spans(into / MERGED_SPANS) == predicted


def test_files_and_what_evaluate_reads(tmp_path: Path, nlp: Language) -> None:
    write_sample_output(tmp_path / "out", nlp)
    into = tmp_path / "annotations"
    summary = import_documents(_found(tmp_path / "out", tmp_path, "brat"), into, nlp=nlp)
    assert summary.merged == ["doc-2", "doc/1"]
    mine = into / "by-annotator" / "alice"
    assert sorted(p.name for p in mine.iterdir()) == ["documents.jsonl", "gold.jsonl", "spans.jsonl"]
    gold = load_gold(into)
    assert sorted(p.name for p in gold.sources) == [MERGED_GOLD, MERGED_SPANS]
    assert sorted(r.doc_id for r in gold.records) == ["doc-2", "doc/1"]
    assert gold.spans is not None and len(gold.spans) == len(_lines(tmp_path / "out" / "mentions.jsonl"))


def test_gold_records_come_from_the_extractor_assembly(tmp_path: Path, nlp: Language) -> None:
    write_sample_output(tmp_path / "out", nlp)
    into = tmp_path / "annotations"
    import_documents(_found(tmp_path / "out", tmp_path, "brat"), into, nlp=nlp)
    versions = load_versions(into)["alice"]
    for version in versions.values():
        sentences = [(s.start_char, s.end_char) for s in nlp(version.document.text).sents]
        expected = assemble(Analysis(version.document, version.spans, sentences))
        assert version.record == expected
    record = next(r for r in _lines(into / MERGED_GOLD) if r["doc_id"] == "doc-2")
    assert record["cases"][0]["age_years"] == 58.0
    first = (into / MERGED_GOLD).read_bytes()
    import_documents(_found(tmp_path / "out", tmp_path, "brat"), into, nlp=nlp)
    assert (into / MERGED_GOLD).read_bytes() == first


def _edited(
    found: list[AnnotatedDocument], annotator: str, doc_id: str, norm: float
) -> list[AnnotatedDocument]:
    out = []
    for item in found:
        mentions = [
            m.model_copy(update={"norm": norm}) if m.label == "AGE" and item.document.doc_id == doc_id else m
            for m in item.mentions
        ]
        out.append(AnnotatedDocument(item.document, annotator, mentions, item.origin))
    return out


def test_two_annotators_agreement_disputes_and_adjudication(tmp_path: Path, nlp: Language) -> None:
    write_sample_output(tmp_path / "out", nlp)
    into = tmp_path / "annotations"
    found = _found(tmp_path / "out", tmp_path, "brat")
    import_documents(found, into, nlp=nlp)
    summary = import_documents(_edited(found, "bob", "doc-2", 59.0), into, nlp=nlp)
    assert summary.disputed == ["doc-2"]
    assert summary.merged == ["doc/1"]
    assert {r["doc_id"] for r in _lines(into / MERGED_GOLD)} == {"doc/1"}
    assert sorted(load_versions(into)) == ["alice", "bob"]
    summary = import_documents(_edited(found, "adjudicated", "doc-2", 59.0)[1:], into, nlp=nlp)
    assert summary.disputed == []
    ages = [r["cases"][0]["age_years"] for r in _lines(into / MERGED_GOLD) if r["doc_id"] == "doc-2"]
    assert ages == [59.0]


def test_hand_gold_is_kept_unless_replaced(tmp_path: Path, nlp: Language) -> None:
    write_sample_output(tmp_path / "out", nlp)
    into = tmp_path / "annotations"
    into.mkdir()
    hand = (
        '{"doc_id": "doc-2", "cases": [], "cohort": null}\n{"doc_id": "other", "cases": [], "cohort": null}\n'
    )
    (into / "gold-1.jsonl").write_text(hand, encoding="utf-8")
    found = _found(tmp_path / "out", tmp_path, "brat")
    summary = import_documents(found, into, nlp=nlp)
    assert summary.kept_hand_gold == ["doc-2"]
    assert (into / "gold-1.jsonl").read_text(encoding="utf-8") == hand
    assert sorted(r.doc_id for r in load_gold(into).records) == ["doc-2", "doc/1", "other"]
    summary = import_documents(found, into, nlp=nlp, replace=True)
    assert summary.replaced == ["doc-2"]
    assert (into / "gold-1.jsonl").read_text(encoding="utf-8") == hand.splitlines(keepends=True)[1]
    assert {r["doc_id"] for r in _lines(into / MERGED_GOLD)} == {"doc-2", "doc/1"}
    assert sorted(r.doc_id for r in load_gold(into).records) == ["doc-2", "doc/1", "other"]


def test_an_error_leaves_every_file_untouched(tmp_path: Path, nlp: Language) -> None:
    write_sample_output(tmp_path / "out", nlp)
    into = tmp_path / "annotations"
    found = _found(tmp_path / "out", tmp_path, "brat")
    import_documents(found, into, nlp=nlp)
    before = {p: p.read_bytes() for p in into.rglob("*") if p.is_file()}
    other_text = AnnotatedDocument(
        found[0].document.__class__(found[0].document.doc_id, "x", "changed text"), "dave", [], "test"
    )
    with pytest.raises(AnnotationError, match="differs from the one imported before"):
        import_documents([*_edited(found, "carol", "doc-2", 60.0), other_text], into, nlp=nlp)
    with pytest.raises(AnnotationError, match="annotator name 'bad name'"):
        import_documents(_edited(found, "bad name", "doc-2", 60.0), into, nlp=nlp)
    assert {p: p.read_bytes() for p in into.rglob("*") if p.is_file()} == before


def test_commands_export_and_import(tmp_path: Path, nlp: Language) -> None:
    write_sample_output(tmp_path / "out", nlp)
    app = typer.Typer()
    app.command("export")(export)
    app.command("import")(import_)
    runner = CliRunner()
    result = runner.invoke(
        app, ["export", "--format", "brat", "--pred", str(tmp_path / "out"), "-o", str(tmp_path / "brat")]
    )
    assert result.exit_code == 0, result.output
    assert "2 documents, 17 spans exported" in result.output
    result = runner.invoke(
        app, ["import", str(tmp_path / "brat"), "--format", "brat", "--into", str(tmp_path / "annotations")]
    )
    assert result.exit_code == 2
    assert "pass --annotator NAME" in result.output
    result = runner.invoke(
        app,
        [
            "import",
            str(tmp_path / "brat"),
            "--format",
            "brat",
            "--into",
            str(tmp_path / "annotations"),
            "--annotator",
            "alice",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "alice: 2 documents" in result.output
    assert _spans(tmp_path / "annotations" / MERGED_SPANS) == _spans(tmp_path / "out" / "mentions.jsonl")


def test_agreement_per_field_and_the_disagreements(tmp_path: Path, nlp: Language) -> None:
    from extractor.annotate.agreement import compute_agreement, render_agreement

    write_sample_output(tmp_path / "out", nlp)
    into = tmp_path / "annotations"
    found = _found(tmp_path / "out", tmp_path, "brat")
    import_documents(found, into, nlp=nlp)
    bob = _edited(found, "bob", "doc-2", 70.0)
    bob[0].mentions = [
        m.model_copy(update={"attrs": {k: v for k, v in m.attrs.items() if k != "negated"}})
        for m in bob[0].mentions
        if m.label != "KARYOTYPE"
    ]
    import_documents(bob, into, nlp=nlp)
    report = compute_agreement(load_versions(into), draws=50)
    assert report.documents == ["doc-2", "doc/1"] and report.pairs == 2
    age = report.metrics["fields"]["age"]
    assert (age["tp"], age["fp"], age["fn"], age["f1"]) == (1, 1, 1, 0.5)
    karyotype = report.spans["labels"]["KARYOTYPE"]
    assert (karyotype["tp"], karyotype["fp"], karyotype["fn"]) == (0, 1, 0)
    assert report.spans["labels"]["AGE"]["tp"] == 2
    text = render_agreement(report)
    assert "| age | 0.500 | 1 | 1 | 1 |" in text
    assert "### doc-2: alice vs bob" in text
    assert "- wrong value AGE: alice “58-year-old” → 58 [2:13], bob “58-year-old” → 70 [2:13]" in text
    assert "- only alice KARYOTYPE: alice “46,XY,-7[20]”" in text
    gene = "alice “TP53 mutation” → TP53 [107:120], bob “TP53 mutation” → TP53 [107:120]"
    assert f"- wrong value GENE: {gene}; attrs: negated True → None" in text


def test_agreement_without_shared_documents(tmp_path: Path, nlp: Language) -> None:
    from extractor.annotate.agreement import compute_agreement, render_agreement

    write_sample_output(tmp_path / "out", nlp)
    import_documents(_found(tmp_path / "out", tmp_path, "brat"), tmp_path / "annotations", nlp=nlp)
    report = compute_agreement(load_versions(tmp_path / "annotations"), draws=10)
    assert report.pairs == 0
    assert "No document has two annotators yet." in render_agreement(report)
