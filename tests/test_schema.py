"""The record schema: the exported JSON Schema is current and every gold file validates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.schema import Record, export_json_schema

ROOT = Path(__file__).resolve().parent.parent
GOLD_FILES = sorted((ROOT / "annotations").glob("gold-*.jsonl"))


def test_committed_json_schema_is_current(tmp_path: Path) -> None:
    export_json_schema(tmp_path / "schema.json")
    committed = ROOT / "schema" / "record.schema.json"
    assert committed.read_text(encoding="utf-8") == (tmp_path / "schema.json").read_text(encoding="utf-8"), (
        "schema/record.schema.json is stale: run `extractor schema`"
    )


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_records_validate(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines
    ids = [Record.model_validate(json.loads(line)).doc_id for line in lines]
    assert len(ids) == len(set(ids)), "one gold record per document"


def test_record_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="latancy_months"):
        Record.model_validate({"doc_id": "d", "cases": [{"case_id": "d#1", "latancy_months": 3}]})
