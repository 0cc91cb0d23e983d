"""What an annotator edits on a span, shared by the Label Studio and brat formats.

Both formats carry the same fields per span: the label, the normalized value
(`norm`), the ConText flags, the case the span belongs to and the remaining
label-specific attributes (`role`, `kind`, `status`, ...). This module turns a
mention into those fields and the fields back into a mention, so the two
formats cannot drift apart; `sentence` and `page` are not edited (the importer
recomputes them from the text).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.document import Block, Document, PageSpan
from extractor.evaluate.gold import InputError, read_jsonl
from extractor.pipeline import CONTEXT_FLAGS
from extractor.schema import MENTION_LABELS, Mention
from extractor.serialization import DOCUMENTS, MENTIONS, document_json

FLAGS: tuple[str, ...] = tuple(CONTEXT_FLAGS.values())
"""ConText flags as the annotator sees them: one checkbox each, present only when true."""

DERIVED_ATTRS: frozenset[str] = frozenset({"sentence"})
"""Attributes recomputed from the text on import, so never shown for editing."""

NUMERIC_NORM_LABELS: frozenset[str] = frozenset({"AGE", "DURATION", "CYCLES", "LATENCY", "CASE"})
"""Labels whose `norm` is a number (docs/labels.md); the other labels hold codes such as `-7` or `+8`."""


class AnnotationError(Exception):
    """An annotation that cannot be imported; the message names file, task or document, and field."""


class FieldError(ValueError):
    """One field value that cannot be read; the caller adds where it was found."""


@dataclass(slots=True)
class AnnotatedDocument:
    """One annotator's spans of one document, as read from an annotation tool's files."""

    document: Document
    annotator: str
    mentions: list[Mention]
    origin: str
    """Where it came from, for messages: `file, task 3` or `file.ann`."""


@dataclass(slots=True)
class ExportDocument:
    """A document of the extractor's output with its predicted mentions."""

    document: Document
    mentions: list[Mention] = field(default_factory=list)


def norm_text(norm: str | float | None) -> str:
    """The norm as the annotator edits it: numbers without a needless `.0`, nothing for None."""
    if norm is None:
        return ""
    if isinstance(norm, float):
        return str(int(norm)) if norm.is_integer() else repr(norm)
    return str(norm)


def parse_norm(label: str, raw: str | float | int | None) -> str | float | None:
    """The norm of an edited span: a number for numeric labels, else the stripped text; empty is None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise FieldError(f"norm: {raw!r} is not a value")
    if isinstance(raw, int | float):
        value: str | float = float(raw)
    else:
        value = raw.strip()
        if not value:
            return None
    if label not in NUMERIC_NORM_LABELS:
        return norm_text(value) if isinstance(value, float) else value
    try:
        number = float(value)
    except ValueError:
        raise FieldError(f"norm: {raw!r} is not a number, as label {label} needs") from None
    if not math.isfinite(number):
        raise FieldError(f"norm: {raw!r} is not a finite number")
    return number


def flags_of(attrs: dict[str, Any]) -> list[str]:
    """The ConText flags set on a mention, in FLAGS order."""
    return [flag for flag in FLAGS if attrs.get(flag)]


def case_text(doc_id: str, case: Any) -> str:
    """The case field: case numbers for ids of the form `<doc_id>#<n>`, comma-separated for several.

    A one-element list keeps a trailing comma so that it reads back as a list.
    """
    if case is None:
        return ""
    values = case if isinstance(case, list) else [case]
    prefix = f"{doc_id}#"
    parts = [str(v)[len(prefix) :] if str(v).startswith(prefix) else str(v) for v in values]
    text = ", ".join(parts)
    return text + "," if isinstance(case, list) and len(case) == 1 else text


def parse_case(doc_id: str, text: str | int | list[Any] | None) -> str | list[str] | None:
    """Case ids from the case field: `2` or `<doc_id>#2`; a comma-separated field gives a list."""
    if text is None:
        return None
    if isinstance(text, list):
        raw = [str(v) for v in text]
        several = True
    else:
        raw = str(text).split(",")
        several = "," in str(text)
    ids = []
    for part in (p.strip() for p in raw):
        if not part:
            continue
        if any(c.isspace() for c in part):
            raise FieldError(f"case: {part!r} is not a case number or id")
        ids.append(f"{doc_id}#{part}" if "#" not in part else part)
    if not ids:
        return None
    return ids if several else ids[0]


def extra_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    """The attributes edited as one JSON object: all but the flags, the case and derived ones."""
    hidden = set(FLAGS) | {"case"} | DERIVED_ATTRS
    return {k: v for k, v in attrs.items() if k not in hidden}


def parse_extra(raw: str | dict[str, Any] | None) -> dict[str, Any]:
    """The label-specific attributes from their JSON object (text or already parsed)."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        if not raw.strip():
            return {}
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FieldError(f"attrs: not a JSON object ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise FieldError("attrs: not a JSON object")
    clash = sorted(set(raw) & (set(FLAGS) | {"case"} | DERIVED_ATTRS))
    if clash:
        raise FieldError(f"attrs: {', '.join(clash)} must be set in their own field, not in attrs")
    return raw


def build_mention(
    document: Document,
    start: Any,
    end: Any,
    label: Any,
    norm: str | float | None,
    flags: list[str],
    case: str | list[str] | None,
    extra: dict[str, Any],
    written: str | None = None,
) -> Mention:
    """A mention from edited fields, checked against the document text; raises FieldError."""
    if label not in MENTION_LABELS:
        raise FieldError(f"label: {label!r} is not one of {', '.join(MENTION_LABELS)}")
    if (
        not (isinstance(start, int) and isinstance(end, int))
        or isinstance(start, bool)
        or isinstance(end, bool)
    ):
        raise FieldError(f"offsets: start {start!r} and end {end!r} must be integers")
    if not 0 <= start < end <= len(document.text):
        raise FieldError(
            f"offsets: [{start}, {end}) is not a non-empty range of the {len(document.text)}-character text"
        )
    text = document.text[start:end]
    if written is not None and written != text:
        raise FieldError(f"text: span [{start}, {end}) says {written!r} but the document has {text!r} there")
    unknown = sorted(set(flags) - set(FLAGS))
    if unknown:
        raise FieldError(f"flags: unknown {', '.join(unknown)} (allowed: {', '.join(FLAGS)})")
    attrs = dict(extra)
    attrs.update({flag: True for flag in FLAGS if flag in flags})
    if case is not None:
        attrs["case"] = case
    return Mention(
        doc_id=document.doc_id,
        start=start,
        end=end,
        label=label,
        text=text,
        norm=norm,
        attrs=attrs,
        page=document.page_at(start),
    )


LAYOUT_KEYS: tuple[str, ...] = ("title", "pages", "blocks")
"""What annotation files carry of a document besides its text: record assembly reads the title and the
blocks (sections), spans get their page from the pages."""


def document_layout(document: Document) -> dict[str, Any]:
    """The document's title, pages and blocks as `documents.jsonl` writes them (absent when empty)."""
    row = document_json(document)
    return {key: row[key] for key in LAYOUT_KEYS if key in row}


def document_from_row(row: dict[str, Any]) -> Document:
    """The inverse of `serialization.document_json` for what assembly reads; raises KeyError or ValueError."""
    if not isinstance(row.get("doc_id"), str) or not row["doc_id"] or not isinstance(row.get("text"), str):
        raise ValueError("needs string fields doc_id and text")
    title = row.get("title")
    return Document(
        doc_id=row["doc_id"],
        source=str(row.get("source") or ""),
        text=row["text"],
        title=title if isinstance(title, str) else None,
        pages=[PageSpan(int(p["page"]), int(p["start"]), int(p["end"])) for p in row.get("pages") or []],
        blocks=[
            Block(int(b["start"]), int(b["end"]), str(b["kind"]), b.get("section"), b.get("page"))
            for b in row.get("blocks") or []
        ],
    )


def read_output(outdir: Path) -> list[ExportDocument]:
    """Documents and predicted mentions of an extractor output folder, in the order of documents.jsonl."""
    documents_path, mentions_path = outdir / DOCUMENTS, outdir / MENTIONS
    if not documents_path.is_file():
        raise InputError(f"{outdir}: output folder holds no {DOCUMENTS}")
    exported: dict[str, ExportDocument] = {}
    with documents_path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                document = document_from_row(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{documents_path}:{line_no}: not a document line ({exc})") from None
            exported[document.doc_id] = ExportDocument(document)
    mentions = read_jsonl(mentions_path, Mention) if mentions_path.is_file() else []
    for mention in mentions:
        if mention.doc_id not in exported:
            raise InputError(f"{mentions_path}: mention of unknown document {mention.doc_id!r}")
        exported[mention.doc_id].mentions.append(mention)
    return list(exported.values())
