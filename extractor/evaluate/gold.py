"""Reading and validating the inputs of an evaluation: gold records and spans, and the extractor's output.

Every line is validated against the shared schema, so a malformed gold
record stops the evaluation with a message naming its file and line instead
of being scored as an empty record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from extractor.schema import Mention, Record

M = TypeVar("M", bound=BaseModel)


class InputError(Exception):
    """An evaluation input that is missing or invalid; the message names the file (and line)."""


@dataclass(slots=True)
class GoldSet:
    """Document-level gold records and, when annotated, span-level gold."""

    records: list[Record]
    spans: list[Mention] | None = None
    sources: list[Path] = field(default_factory=list)


@dataclass(slots=True)
class Predictions:
    """What the extractor wrote: records, and mentions and document texts when present."""

    records: dict[str, Record]
    mentions: list[Mention] | None = None
    texts: dict[str, str] = field(default_factory=dict)


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_no}: invalid JSON: {exc.msg}") from None
            if not isinstance(data, dict):
                raise InputError(f"{path}:{line_no}: expected a JSON object")
            yield line_no, data


def read_jsonl(path: Path, model: type[M]) -> list[M]:
    """Every non-blank line of `path` as a `model`."""
    items: list[M] = []
    for line_no, data in _lines(path):
        try:
            items.append(model.model_validate(data))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(part) for part in err["loc"]) or "line"
            raise InputError(f"{path}:{line_no}: invalid {model.__name__}: {where}: {err['msg']}") from None
    return items


def _unique_records(paths: list[Path]) -> list[Record]:
    records: list[Record] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for record in read_jsonl(path, Record):
            if record.doc_id in seen:
                raise InputError(
                    f"{path}: duplicate doc_id {record.doc_id!r} (also in {seen[record.doc_id]})"
                )
            seen[record.doc_id] = path
            records.append(record)
    return records


def load_gold(path: Path) -> GoldSet:
    """Gold from a records JSONL file, or from an `annotations/` folder (`gold-*.jsonl`, `spans-*.jsonl`)."""
    if path.is_file():
        return GoldSet(_unique_records([path]), None, [path])
    if not path.is_dir():
        raise InputError(f"{path}: no such gold file or folder")
    record_files = sorted(path.glob("gold-*.jsonl"))
    if not record_files:
        raise InputError(f"{path}: folder holds no gold-*.jsonl file")
    span_files = sorted(path.glob("spans-*.jsonl"))
    spans = [m for span_file in span_files for m in read_jsonl(span_file, Mention)] if span_files else None
    return GoldSet(_unique_records(record_files), spans, record_files + span_files)


def _texts(path: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for line_no, data in _lines(path):
        doc_id, text = data.get("doc_id"), data.get("text")
        if not isinstance(doc_id, str) or not isinstance(text, str):
            raise InputError(f"{path}:{line_no}: a document needs string fields doc_id and text")
        texts[doc_id] = text
    return texts


def load_predictions(path: Path) -> Predictions:
    """The extractor's output folder (records.jsonl, optional mentions.jsonl and documents.jsonl),
    or a bare records JSONL file."""
    if path.is_file():
        records_path, folder = path, None
    elif path.is_dir():
        records_path, folder = path / "records.jsonl", path
        if not records_path.is_file():
            raise InputError(f"{path}: output folder holds no records.jsonl")
    else:
        raise InputError(f"{path}: no such prediction folder or file")
    records: dict[str, Record] = {}
    for record in read_jsonl(records_path, Record):
        if record.doc_id in records:
            raise InputError(f"{records_path}: duplicate doc_id {record.doc_id!r}")
        records[record.doc_id] = record
    if folder is None:
        return Predictions(records)
    mentions_path, documents_path = folder / "mentions.jsonl", folder / "documents.jsonl"
    mentions = read_jsonl(mentions_path, Mention) if mentions_path.is_file() else None
    texts = _texts(documents_path) if documents_path.is_file() else {}
    return Predictions(records, mentions, texts)


def load_metrics(path: Path) -> dict[str, Any]:
    """A metrics.json written earlier (a baseline); it must hold `micro.f1` and `fields`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("micro"), dict)
        or "f1" not in data["micro"]
        or not isinstance(data.get("fields"), dict)
    ):
        raise InputError(f"{path}: not a metrics.json (needs micro.f1 and fields)")
    return data
