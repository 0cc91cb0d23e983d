"""brat export and import: annotation.conf, .ann lines, exact round trip, corrections, clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from annotate_samples import TEXT_1, write_sample_output
from spacy.language import Language

from extractor.annotate import brat
from extractor.annotate.fields import AnnotationError, read_output
from extractor.annotate.importer import sentence_pipeline
from extractor.schema import MENTION_LABELS, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return sentence_pipeline()


@pytest.fixture()
def exported(tmp_path: Path, nlp: Language) -> tuple[Path, dict[str, list[Mention]]]:
    written = write_sample_output(tmp_path / "out", nlp)
    brat.write_export(read_output(tmp_path / "out"), tmp_path / "brat")
    return tmp_path / "brat", written


def _without_sentence(mentions: list[Mention]) -> list[dict[str, Any]]:
    return [
        m.model_copy(update={"attrs": {k: v for k, v in m.attrs.items() if k != "sentence"}}).model_dump()
        for m in mentions
    ]


def test_annotation_conf_declares_labels_and_flags() -> None:
    conf = brat.annotation_conf()
    sections = {}
    for block in conf.split("[")[1:]:
        name, _, body = block.partition("]")
        sections[name] = [line.split("\t")[0] for line in body.strip().splitlines() if line]
    assert sections["entities"] == list(MENTION_LABELS)
    assert sections["attributes"] == ["Negated", "Uncertain", "Historical", "Hypothetical", "Family"]


def test_files_per_document_with_reversible_names(exported: tuple[Path, Any]) -> None:
    folder, _ = exported
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "annotation.conf",
        "doc%2F1.ann",
        "doc%2F1.txt",
        "doc-2.ann",
        "doc-2.txt",
        "documents.jsonl",
    ]
    assert (folder / "doc%2F1.txt").read_text(encoding="utf-8") == TEXT_1


def test_ann_lines(exported: tuple[Path, Any]) -> None:
    folder, _ = exported
    lines = (folder / "doc%2F1.ann").read_text(encoding="utf-8").splitlines()
    gene = next(line for line in lines if "\tGENE " in line)
    ident = gene.split("\t")[0]
    start = TEXT_1.index("TP53 mutation")
    assert gene == f"{ident}\tGENE {start} {start + 13}\tTP53 mutation"
    assert any(line.endswith(f"\tNegated {ident}") for line in lines)
    note = next(line for line in lines if line.split("\t")[1] == f"AnnotatorNotes {ident}")
    assert json.loads(note.split("\t")[2]) == {
        "norm": "TP53",
        "case": "1",
        "kind": "mutation",
        "status": "absent",
    }
    crossing = next(line for line in lines if line.endswith("\thad B-ALL"))
    had = TEXT_1.index("had\nB-ALL")
    assert crossing.split("\t")[1] == f"DIAGNOSIS {had} {had + 3};{had + 4} {had + 9}"


def test_round_trip_without_edits_is_exact(exported: tuple[Path, Any]) -> None:
    folder, written = exported
    found = brat.read_folder(folder, "alice")
    assert {d.annotator for d in found} == {"alice"}
    assert {d.document.doc_id: [m.model_dump() for m in d.mentions] for d in found} == {
        doc_id: _without_sentence(ms) for doc_id, ms in written.items()
    }


def test_corrections_arrive(exported: tuple[Path, Any]) -> None:
    folder, _ = exported
    ann = folder / "doc-2.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    age = next(line.split("\t")[0] for line in lines if "\tAGE " in line)
    note = f"AnnotatorNotes {age}\t"
    assert any(line.endswith(f'{note}{{"case": "1", "norm": 58}}') for line in lines)
    lines = [line.replace('"norm": 58}', '"norm": "59"}') if note in line else line for line in lines]
    lines += [
        "T99\tTREATMENT 41 50\tmelphalan",
        "A99\tHistorical T99",
        '#99\tAnnotatorNotes T99\t{"norm": "melphalan"}',
    ]
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = next(d for d in brat.read_folder(folder, "alice") if d.document.doc_id == "doc-2")
    by_text = {m.text: m for m in doc.mentions}
    assert by_text["58-year-old"].norm == 59.0
    assert by_text["melphalan"].norm == "melphalan"
    assert by_text["melphalan"].attrs == {"historical": True}
    assert by_text["58-year-old"].attrs["case"] == "doc-2#1"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("T50\tAGE 0 5\tA 58-", "T50 (AGE 'A 58-'): norm"),
        (
            "T50\tAGE 2 13\t59-year-old",
            "line 1: entity: 'AGE 2 13' says '59-year-old', the text differs there",
        ),
        ("T50\tDRUG 41 50\tmelphalan", "label: 'DRUG' is not one of"),
        (
            "R1\tAfter Arg1:T1 Arg2:T2",
            "line 1: R1: only entities (T), attributes (A) and notes (#) are imported",
        ),
        ("A50\tSevere T1", "attribute: 'Severe T1' is not one of the flags"),
        ("#50\tAnnotatorNotes T1\t{norm: 58}", "T1 (AGE '58-year-old'): note: not a JSON object"),
        ("#50\tAnnotatorNotes T77\t{}", "attributes or notes refer to unknown entities T77"),
    ],
)
def test_invalid_lines_name_file_entity_and_field(
    exported: tuple[Path, Any], line: str, message: str
) -> None:
    folder, _ = exported
    ann = folder / "doc-2.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    if line.startswith("#50\tAnnotatorNotes T1"):
        lines = [x for x in lines if "AnnotatorNotes T1\t" not in x]
    if line.startswith("T50\tAGE 0 5"):
        line += '\n#50\tAnnotatorNotes T50\t{"norm": "fifty"}'
    ann.write_text(line + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as caught:
        brat.read_folder(folder, "alice")
    assert str(caught.value).startswith(f"{ann} (doc_id 'doc-2'): ")
    assert message in str(caught.value)


def test_an_edited_text_is_refused(exported: tuple[Path, Any]) -> None:
    folder, _ = exported
    (folder / "doc-2.txt").write_text("A 58-year-old woman developed t-MN.", encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"doc-2\.txt: the text differs from the exported one"):
        brat.read_folder(folder, "alice")


def test_without_the_document_list_the_doc_id_is_the_file_name(exported: tuple[Path, Any]) -> None:
    folder, _ = exported
    (folder / brat.MANIFEST).unlink()
    assert sorted(d.document.doc_id for d in brat.read_folder(folder, "alice")) == ["doc-2", "doc/1"]
