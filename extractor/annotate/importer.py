"""Corrected spans into `annotations/`: each annotator's version, and the merged gold that evaluate reads.

Layout (documented in annotations/README.md, "Imports"):

* `by-annotator/<name>/{spans,gold,documents}.jsonl`: that annotator's latest
  version of every document they imported (a re-import replaces a document).
  Evaluate never reads this folder, so nothing is counted twice.
* `spans-imported.jsonl`, `gold-imported.jsonl`: the merged gold, recomputed
  from all annotators on every import. Per document: the `adjudicated`
  annotator's version when there is one, else the version all annotators agree
  on exactly; a document they disagree on stays out until adjudicated.
* A document whose gold already lives in another top-level `gold-*.jsonl` or
  `spans-*.jsonl` (hand annotations) keeps it, unless the import replaces it:
  then its lines move out of those files into the imported ones.

Gold records are assembled from the spans by the extractor's own assembly
(`assembly.records.assemble`), so gold and predictions follow one code path.
Everything is validated and computed before the first file is written, and
every file is replaced atomically.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from extractor.annotate.fields import AnnotatedDocument, AnnotationError, document_from_row
from extractor.assembly.records import assemble
from extractor.document import Document
from extractor.evaluate.gold import InputError, read_jsonl
from extractor.pipeline import Analysis, build_pipeline
from extractor.schema import Mention, Record
from extractor.serialization import document_json

BY_ANNOTATOR = "by-annotator"
SPANS, GOLD, DOCUMENTS = "spans.jsonl", "gold.jsonl", "documents.jsonl"
MERGED_SPANS, MERGED_GOLD = "spans-imported.jsonl", "gold-imported.jsonl"
ADJUDICATOR = "adjudicated"
"""The annotator name whose version of a document is the merged gold whatever the others say."""

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(slots=True)
class Version:
    """One annotator's gold for one document: spans, the record assembled from them, and the document."""

    annotator: str
    document: Document
    spans: list[Mention]
    record: Record

    def key(self) -> list[str]:
        return sorted(m.model_dump_json() for m in self.spans)


@dataclass(slots=True)
class ImportSummary:
    """What an import did, for the command's report."""

    imported: dict[str, list[str]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)
    kept_hand_gold: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def sentence_pipeline() -> Language:
    """The extractor's pipeline without recognizers: the same tokenizer and sentence splitter."""
    return build_pipeline(recognizers=(), abbreviations=False)


def gold_version(nlp: Language, found: AnnotatedDocument) -> Version:
    """Spans with their sentences, and the record the extractor's assembly builds from them."""
    sentences = [(s.start_char, s.end_char) for s in nlp(found.document.text).sents]
    starts = [s for s, _ in sentences]
    spans = []
    for m in found.mentions:
        i = max(bisect_right(starts, m.start) - 1, 0)
        sentence = list(sentences[i]) if sentences else [0, len(found.document.text)]
        spans.append(m.model_copy(update={"attrs": {**m.attrs, "sentence": sentence}}))
    spans.sort(key=lambda m: (m.start, m.end, m.label))
    record = assemble(Analysis(found.document, spans, sentences))
    return Version(found.annotator, found.document, spans, record)


def load_versions(into: Path) -> dict[str, dict[str, Version]]:
    """Every annotator's versions under `into/by-annotator/`: annotator -> doc_id -> Version."""
    versions: dict[str, dict[str, Version]] = {}
    root = into / BY_ANNOTATOR
    for folder in sorted(p for p in root.glob("*") if p.is_dir()) if root.is_dir() else []:
        docs = {d.doc_id: d for d in _read_documents(folder / DOCUMENTS)}
        spans: dict[str, list[Mention]] = {}
        for m in read_jsonl(folder / SPANS, Mention) if (folder / SPANS).is_file() else []:
            spans.setdefault(m.doc_id, []).append(m)
        records = (
            {r.doc_id: r for r in read_jsonl(folder / GOLD, Record)} if (folder / GOLD).is_file() else {}
        )
        missing = sorted(set(records) - set(docs))
        if missing:
            raise InputError(f"{folder}: gold for {missing[0]!r} without its document in {DOCUMENTS}")
        versions[folder.name] = {
            doc_id: Version(folder.name, docs[doc_id], spans.get(doc_id, []), record)
            for doc_id, record in records.items()
        }
    return versions


def _read_documents(path: Path) -> list[Document]:
    if not path.is_file():
        return []
    documents = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            documents.append(document_from_row(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError):
            raise InputError(f"{path}:{line_no}: not a document line") from None
    return documents


def merge(versions: dict[str, dict[str, Version]]) -> tuple[dict[str, Version], list[str]]:
    """The merged version of every document (module docstring), and the documents awaiting adjudication."""
    per_doc: dict[str, list[Version]] = {}
    for by_doc in versions.values():
        for doc_id, version in by_doc.items():
            per_doc.setdefault(doc_id, []).append(version)
    merged: dict[str, Version] = {}
    disputed: list[str] = []
    for doc_id in sorted(per_doc):
        candidates = per_doc[doc_id]
        adjudicated = [v for v in candidates if v.annotator == ADJUDICATOR]
        if adjudicated:
            merged[doc_id] = adjudicated[0]
        elif all(v.key() == candidates[0].key() for v in candidates):
            merged[doc_id] = min(candidates, key=lambda v: v.annotator)
        else:
            disputed.append(doc_id)
    return merged, disputed


def _hand_files(into: Path) -> list[Path]:
    """Top-level gold and span files that imports do not own."""
    own = {MERGED_GOLD, MERGED_SPANS}
    return sorted(
        p for pattern in ("gold-*.jsonl", "spans-*.jsonl") for p in into.glob(pattern) if p.name not in own
    )


def _doc_ids_by_line(path: Path) -> list[tuple[str, str | None]]:
    """Raw lines of a JSONL file with the doc_id of each (None for blank or unreadable lines)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            doc_id = json.loads(line).get("doc_id") if line.strip() else None
        except (json.JSONDecodeError, AttributeError):
            doc_id = None
        rows.append((line, doc_id if isinstance(doc_id, str) else None))
    return rows


def _jsonl(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _annotator_files(by_doc: dict[str, Version]) -> dict[str, str]:
    ordered = [by_doc[doc_id] for doc_id in sorted(by_doc)]
    return {
        DOCUMENTS: _jsonl(document_json(v.document) for v in ordered),
        SPANS: _jsonl(m.model_dump(mode="json") for v in ordered for m in v.spans),
        GOLD: _jsonl(v.record.model_dump(mode="json") for v in ordered),
    }


def plan_import(
    found: Sequence[AnnotatedDocument], into: Path, nlp: Language, replace: bool = False
) -> tuple[dict[Path, str], ImportSummary]:
    """The new content of every file the import changes, and its summary; writes nothing."""
    versions = load_versions(into)
    summary = ImportSummary()
    seen: dict[tuple[str, str], str] = {}
    texts = {doc_id: v.document.text for by_doc in versions.values() for doc_id, v in by_doc.items()}
    for item in found:
        if not _NAME.match(item.annotator) or item.annotator == BY_ANNOTATOR:
            raise AnnotationError(
                f"{item.origin}: annotator name {item.annotator!r} must be letters, digits, '.', '_' or '-'"
            )
        key = (item.annotator, item.document.doc_id)
        if key in seen:
            raise AnnotationError(
                f"{item.origin}: {item.annotator} annotated {key[1]!r} twice (also in {seen[key]})"
            )
        seen[key] = item.origin
        known = texts.setdefault(item.document.doc_id, item.document.text)
        if known != item.document.text:
            raise AnnotationError(
                f"{item.origin}: the text of {key[1]!r} differs from the one imported before"
            )
    for item in found:
        versions.setdefault(item.annotator, {})[item.document.doc_id] = gold_version(nlp, item)
        summary.imported.setdefault(item.annotator, []).append(item.document.doc_id)
    merged, summary.disputed = merge(versions)

    files: dict[Path, str] = {}
    for annotator in summary.imported:
        for name, content in _annotator_files(versions[annotator]).items():
            files[into / BY_ANNOTATOR / annotator / name] = content
    imported_now = {doc_id for docs in summary.imported.values() for doc_id in docs}
    for path in _hand_files(into):
        rows = _doc_ids_by_line(path)
        held = {doc_id for _, doc_id in rows if doc_id in merged}
        if not held:
            continue
        if replace:
            moving = held & imported_now
            summary.replaced += sorted(moving)
            if moving:
                files[path] = "".join(line + "\n" for line, doc_id in rows if doc_id not in moving)
            held -= moving
        summary.kept_hand_gold += sorted(held)
    summary.kept_hand_gold = sorted(set(summary.kept_hand_gold))
    summary.replaced = sorted(set(summary.replaced))
    kept = set(summary.kept_hand_gold)
    final = [merged[doc_id] for doc_id in sorted(merged) if doc_id not in kept]
    summary.merged = [v.document.doc_id for v in final]
    files[into / MERGED_SPANS] = _jsonl(m.model_dump(mode="json") for v in final for m in v.spans)
    files[into / MERGED_GOLD] = _jsonl(v.record.model_dump(mode="json") for v in final)
    return files, summary


def write_files(files: dict[Path, str]) -> list[Path]:
    """Write every file through a temporary sibling, then move them all into place."""
    temporary: list[tuple[Path, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(content, encoding="utf-8")
            temporary.append((tmp, path))
    except OSError:
        for tmp, _ in temporary:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in temporary:
        os.replace(tmp, path)
    return [path for _, path in temporary]


def import_documents(
    found: Sequence[AnnotatedDocument], into: Path, replace: bool = False, nlp: Language | None = None
) -> ImportSummary:
    """Validate, assemble and merge `found` into the annotations folder `into`."""
    if not found:
        raise AnnotationError("nothing to import: no annotated document found")
    files, summary = plan_import(found, into, nlp if nlp is not None else sentence_pipeline(), replace)
    summary.written = write_files(files)
    return summary
