"""Label Studio export and import: config, tasks, exact round trip, corrections, clear errors."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from annotate_samples import write_sample_output
from spacy.language import Language

from extractor.annotate import labelstudio
from extractor.annotate.fields import FLAGS, AnnotationError, read_output
from extractor.annotate.importer import sentence_pipeline
from extractor.schema import MENTION_LABELS, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return sentence_pipeline()


@pytest.fixture()
def exported(tmp_path: Path, nlp: Language) -> tuple[Path, dict[str, list[Mention]]]:
    written = write_sample_output(tmp_path / "out", nlp)
    labelstudio.write_export(read_output(tmp_path / "out"), tmp_path / "ls")
    return tmp_path / "ls", written


def _tasks(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / labelstudio.TASKS_FILE).read_text(encoding="utf-8"))


def _submitted(tasks: list[dict[str, Any]], user: int = 7) -> list[dict[str, Any]]:
    """What Label Studio exports after a user submitted every task without changing the pre-annotation."""
    done = copy.deepcopy(tasks)
    for i, item in enumerate(done, 1):
        item["id"] = i
        item["annotations"] = [
            {
                "id": 100 + i,
                "completed_by": user,
                "was_cancelled": False,
                "result": copy.deepcopy(item["predictions"][0]["result"]),
            }
        ]
    return done


def _write(path: Path, tasks: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def _by_doc(found: list[Any]) -> dict[str, list[dict[str, Any]]]:
    return {d.document.doc_id: [m.model_dump() for m in d.mentions] for d in found}


def _without_sentence(mentions: list[Mention]) -> list[dict[str, Any]]:
    return [
        m.model_copy(update={"attrs": {k: v for k, v in m.attrs.items() if k != "sentence"}}).model_dump()
        for m in mentions
    ]


def test_labeling_config_has_every_label_and_the_per_region_fields() -> None:
    root = ET.fromstring(labelstudio.labeling_config())
    labels = [e.get("value") for e in root.iter("Label")]
    assert labels == list(MENTION_LABELS)
    per_region = {e.get("name"): e.tag for e in root.iter() if e.get("perRegion") == "true"}
    assert per_region == {"norm": "TextArea", "context": "Choices", "case": "TextArea", "attrs": "TextArea"}
    assert [e.get("value") for e in root.iter("Choice")] == list(FLAGS)
    assert all(e.get("toName") == "text" for e in root.iter() if e.get("perRegion") == "true")


def test_tasks_carry_the_document_and_its_mentions_as_a_prediction(exported: tuple[Path, Any]) -> None:
    folder, written = exported
    tasks = _tasks(folder)
    assert [t["data"]["doc_id"] for t in tasks] == ["doc/1", "doc-2"]
    first = tasks[0]
    assert first["data"]["pages"] == [
        {"page": 1, "start": 0, "end": 100},
        {"page": 2, "start": 100, "end": 231},
    ]
    result = first["predictions"][0]["result"]
    spans = [r for r in result if r["from_name"] == "label"]
    assert len(spans) == len(written["doc/1"])
    gene = next(r for r in spans if r["value"]["labels"] == ["GENE"])
    fields = {r["from_name"]: r["value"] for r in result if r["id"] == gene["id"]}
    assert fields["norm"]["text"] == ["TP53"]
    assert fields["context"]["choices"] == ["negated"]
    assert fields["case"]["text"] == ["1"]
    assert json.loads(fields["attrs"]["text"][0]) == {"kind": "mutation", "status": "absent"}
    both = next(r for r in spans if r["value"]["text"] == "had\nB-ALL")
    assert next(r for r in result if r["id"] == both["id"] and r["from_name"] == "case")["value"]["text"] == [
        "1, 2"
    ]


def test_round_trip_of_submitted_unchanged_tasks_is_exact(exported: tuple[Path, Any], tmp_path: Path) -> None:
    folder, written = exported
    found = labelstudio.read_tasks(
        _write(tmp_path / "export.json", _submitted(_tasks(folder))), {"7": "alice"}
    )
    assert {d.annotator for d in found} == {"alice"}
    assert _by_doc(found) == {doc_id: _without_sentence(ms) for doc_id, ms in written.items()}


def test_round_trip_of_the_export_file_itself_with_accepted_predictions(exported: tuple[Path, Any]) -> None:
    folder, written = exported
    found = labelstudio.read_tasks(
        folder / labelstudio.TASKS_FILE, default_name="bob", accept_predictions=True
    )
    assert _by_doc(found) == {doc_id: _without_sentence(ms) for doc_id, ms in written.items()}
    assert labelstudio.read_tasks(folder / labelstudio.TASKS_FILE, default_name="bob") == []


def test_corrections_arrive(exported: tuple[Path, Any], tmp_path: Path) -> None:
    folder, _ = exported
    tasks = _submitted(_tasks(folder))
    result = tasks[1]["annotations"][0]["result"]
    age = next(r for r in result if r["from_name"] == "label" and r["value"]["labels"] == ["AGE"])
    for r in result:
        if r["id"] == age["id"] and r["from_name"] == "norm":
            r["value"]["text"] = ["59"]
    t_mn = next(r for r in result if r["value"].get("text") == "t-MN")
    result[:] = [r for r in result if r["id"] != t_mn["id"]]
    result.append(
        {
            "id": "new1",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 41, "end": 50, "text": "melphalan", "labels": ["TREATMENT"]},
        }
    )
    result.append(
        {
            "id": "new1",
            "from_name": "norm",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": 41, "end": 50, "text": ["melphalan"]},
        }
    )
    result.append(
        {
            "id": "new1",
            "from_name": "context",
            "to_name": "text",
            "type": "choices",
            "value": {"start": 41, "end": 50, "choices": ["historical"]},
        }
    )
    found = labelstudio.read_tasks(_write(tmp_path / "export.json", tasks))
    doc = next(d for d in found if d.document.doc_id == "doc-2")
    assert doc.annotator == "ls-7"
    by_text = {m.text: m for m in doc.mentions}
    assert by_text["58-year-old"].norm == 59.0
    assert "t-MN" not in by_text
    assert by_text["melphalan"].norm == "melphalan"
    assert by_text["melphalan"].attrs == {"historical": True}


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        ("norm", {"text": ["seventy"]}, "norm: 'seventy' is not a number"),
        ("label", {"text": "72-year-old"}, "text: span [10, 21) says '72-year-old'"),
        ("label", {"labels": ["AGE", "SEX"]}, "label: a span needs exactly one label"),
        ("label", {"labels": ["DRUG"]}, "label: 'DRUG' is not one of AGE"),
        ("label", {"end": 9999}, "offsets: [10, 9999) is not a non-empty range"),
        ("case", {"text": ["first case"]}, "case: 'first case' is not a case number"),
    ],
)
def test_invalid_fields_name_file_task_region_and_field(
    exported: tuple[Path, Any], tmp_path: Path, field: str, change: dict[str, Any], message: str
) -> None:
    folder, _ = exported
    tasks = _submitted(_tasks(folder))
    result = tasks[0]["annotations"][0]["result"]
    age_id = next(r["id"] for r in result if r["from_name"] == "label" and r["value"]["labels"] == ["AGE"])
    if field == "case" and not any(r["id"] == age_id and r["from_name"] == "case" for r in result):
        pytest.fail("the AGE span of the sample has a case")
    target = next(r for r in result if r["id"] == age_id and r["from_name"] == field)
    target["value"].update(change)
    if "end" in change:
        for r in result:
            if r["id"] == age_id:
                r["value"]["end"] = change["end"]
    path = _write(tmp_path / "export.json", tasks)
    with pytest.raises(AnnotationError) as caught:
        labelstudio.read_tasks(path)
    text = str(caught.value)
    assert text.startswith(f"{path}, task 1 (doc_id 'doc/1'): annotation 101 by ls-7: region 'm2'")
    assert message in text


def test_attrs_must_be_a_json_object_without_the_own_fields(
    exported: tuple[Path, Any], tmp_path: Path
) -> None:
    folder, _ = exported
    for bad, message in [
        ("{role: primary}", "attrs: not a JSON object"),
        ('{"negated": true}', "attrs: negated must be set in their own field"),
    ]:
        tasks = _submitted(_tasks(folder))
        attrs = next(r for r in tasks[0]["annotations"][0]["result"] if r["from_name"] == "attrs")
        attrs["value"]["text"] = [bad]
        with pytest.raises(AnnotationError, match=message):
            labelstudio.read_tasks(_write(tmp_path / "export.json", tasks))


def test_one_plain_name_for_two_users_is_refused(exported: tuple[Path, Any], tmp_path: Path) -> None:
    folder, _ = exported
    tasks = _submitted(_tasks(folder))
    second = copy.deepcopy(tasks[0]["annotations"][0])
    second.update(id=999, completed_by=8)
    tasks[0]["annotations"].append(second)
    path = _write(tmp_path / "export.json", tasks)
    assert {d.annotator for d in labelstudio.read_tasks(path, {"7": "alice", "8": "carol"})} == {
        "alice",
        "carol",
    }
    with pytest.raises(AnnotationError, match="a second annotation by dan"):
        labelstudio.read_tasks(path, default_name="dan")


def test_cancelled_annotations_are_skipped(exported: tuple[Path, Any], tmp_path: Path) -> None:
    folder, _ = exported
    tasks = _submitted(_tasks(folder))
    tasks[0]["annotations"][0]["was_cancelled"] = True
    found = labelstudio.read_tasks(_write(tmp_path / "export.json", tasks))
    assert [d.document.doc_id for d in found] == ["doc-2"]
