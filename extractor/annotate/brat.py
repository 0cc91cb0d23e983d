"""brat standoff files: the extractor's mentions as pre-annotations, and annotators' corrections back.

Per document `<name>.txt` (the exact text) and `<name>.ann`: one `T` entity per
span, one binary `A` attribute per ConText flag, and one `AnnotatorNotes` note
per span holding a JSON object with `norm`, `case` and the other attributes.
`annotation.conf` declares the labels and flags, and `documents.jsonl` maps
file names to doc_ids (with page ranges and a text checksum, so that an
edited `.txt`, whose offsets no longer fit, is refused on import).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from extractor.annotate.fields import (
    FLAGS,
    AnnotatedDocument,
    AnnotationError,
    ExportDocument,
    FieldError,
    build_mention,
    case_text,
    document_from_row,
    document_layout,
    extra_attrs,
    flags_of,
    parse_case,
    parse_extra,
    parse_norm,
)
from extractor.document import Document
from extractor.schema import MENTION_LABELS, Mention

CONF_FILE = "annotation.conf"
MANIFEST = "documents.jsonl"
NOTE_TYPE = "AnnotatorNotes"
ATTRIBUTE_OF_FLAG: dict[str, str] = {flag: flag.capitalize() for flag in FLAGS}
"""brat attribute names of the ConText flags (brat types are conventionally capitalized)."""
FLAG_OF_ATTRIBUTE: dict[str, str] = {name: flag for flag, name in ATTRIBUTE_OF_FLAG.items()}

_ENTITY = re.compile(r"^(?P<label>\S+) (?P<fragments>\d+ \d+(?:;\d+ \d+)*)$")


def file_name(doc_id: str) -> str:
    """A file name stem for a doc_id, reversible with `unquote`."""
    return quote(doc_id, safe="-_.")


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def annotation_conf(labels: Sequence[str] = MENTION_LABELS) -> str:
    """brat's annotation.conf: the span labels, overlapping spans allowed, the ConText flags as attributes."""
    attributes = "\n".join(f"{name}\tArg:<ENTITY>" for name in ATTRIBUTE_OF_FLAG.values())
    return (
        "# Spans of the extractor (docs/labels.md). Per span, the AnnotatorNotes hold a JSON object:\n"
        '# {"norm": <normalized value>, "case": "<case number(s), e.g. 1 or 1, 2>", <other attrs>}\n'
        "[entities]\n" + "\n".join(labels) + "\n\n"
        "[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\n\n"
        "[attributes]\n" + attributes + "\n"
    )


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks (brat entities cannot cross one), without empty pieces."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in re.finditer(r"\s*\n\s*", text[start:end]):
        if match.start() > 0 and start + match.start() > cursor:
            pieces.append((cursor, start + match.start()))
        cursor = start + match.end()
    if cursor < end:
        pieces.append((cursor, end))
    return pieces or [(start, end)]


def ann_text(document: Document, mentions: Sequence[Mention]) -> str:
    """The `.ann` file of one document's mentions."""
    lines: list[str] = []
    attribute_no = note_no = 0
    for i, m in enumerate(mentions, 1):
        pieces = _fragments(document.text, m.start, m.end)
        spans = ";".join(f"{s} {e}" for s, e in pieces)
        lines.append(f"T{i}\t{m.label} {spans}\t{' '.join(document.text[s:e] for s, e in pieces)}")
        for flag in flags_of(m.attrs):
            attribute_no += 1
            lines.append(f"A{attribute_no}\t{ATTRIBUTE_OF_FLAG[flag]} T{i}")
        note: dict[str, Any] = {}
        if m.norm is not None:
            note["norm"] = int(m.norm) if isinstance(m.norm, float) and m.norm.is_integer() else m.norm
        case = case_text(m.doc_id, m.attrs.get("case"))
        if case:
            note["case"] = case
        note.update(extra_attrs(m.attrs))
        if note:
            note_no += 1
            lines.append(
                f"#{note_no}\t{NOTE_TYPE} T{i}\t{json.dumps(note, ensure_ascii=False, sort_keys=True)}"
            )
    return "".join(line + "\n" for line in lines)


def write_export(documents: Sequence[ExportDocument], out: Path) -> list[Path]:
    """Write `<name>.txt` and `<name>.ann` per document, `annotation.conf` and `documents.jsonl`."""
    out.mkdir(parents=True, exist_ok=True)
    manifest: list[str] = []
    written: list[Path] = []
    for exported in documents:
        doc = exported.document
        name = file_name(doc.doc_id)
        (out / f"{name}.txt").write_text(doc.text, encoding="utf-8", newline="")
        (out / f"{name}.ann").write_text(ann_text(doc, exported.mentions), encoding="utf-8")
        written += [out / f"{name}.txt", out / f"{name}.ann"]
        row: dict[str, Any] = {
            "file": name,
            "doc_id": doc.doc_id,
            "source": doc.source,
            "sha256": checksum(doc.text),
        }
        row.update(document_layout(doc))
        manifest.append(json.dumps(row, ensure_ascii=False))
    (out / CONF_FILE).write_text(annotation_conf(), encoding="utf-8")
    (out / MANIFEST).write_text("".join(line + "\n" for line in manifest), encoding="utf-8")
    return [*written, out / CONF_FILE, out / MANIFEST]


def _manifest(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    rows: dict[str, dict[str, Any]] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            rows[str(row["file"])] = row
        except (json.JSONDecodeError, KeyError, TypeError):
            raise AnnotationError(f"{path}:{line_no}: not a line of the export's document list") from None
    return rows


def read_folder(folder: Path, annotator: str) -> list[AnnotatedDocument]:
    """Every `.ann` file of a brat folder (with its `.txt`), as `annotator`'s spans."""
    if not folder.is_dir():
        raise AnnotationError(f"{folder}: not a folder of brat .txt/.ann files")
    manifest = _manifest(folder)
    ann_files = sorted(folder.glob("*.ann"))
    if not ann_files:
        raise AnnotationError(f"{folder}: no .ann file")
    return [_read_document(path, manifest.get(path.stem), annotator) for path in ann_files]


def _read_document(ann_path: Path, row: dict[str, Any] | None, annotator: str) -> AnnotatedDocument:
    txt_path = ann_path.with_suffix(".txt")
    try:
        text = txt_path.read_bytes().decode("utf-8")
        lines = ann_path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AnnotationError(f"{ann_path}: cannot read {exc.filename}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise AnnotationError(f"{ann_path}: not UTF-8 text ({exc.reason})") from None
    if row is not None and row.get("sha256") != checksum(text):
        raise AnnotationError(
            f"{txt_path}: the text differs from the exported one; offsets would not fit "
            "(annotate spans only, never edit the .txt)"
        )
    try:
        document = document_from_row({"doc_id": unquote(ann_path.stem), **(row or {}), "text": text})
    except (KeyError, TypeError, ValueError) as exc:
        raise AnnotationError(f"{ann_path}: its line in {MANIFEST} is not a document ({exc})") from None
    try:
        mentions = _mentions(document, lines, ann_path)
    except FieldError as exc:
        raise AnnotationError(f"{ann_path} (doc_id {document.doc_id!r}): {exc}") from None
    return AnnotatedDocument(document, annotator, mentions, str(ann_path))


def _mentions(document: Document, lines: list[str], ann_path: Path) -> list[Mention]:
    entities: dict[str, tuple[str, int, int, str]] = {}
    flags: dict[str, list[str]] = {}
    notes: dict[str, str] = {}
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ident, _, rest = line.partition("\t")
        try:
            if ident.startswith("T"):
                entities[ident] = _entity(document.text, rest)
            elif ident.startswith(("A", "M")):
                target, flag = _attribute(rest)
                flags.setdefault(target, []).append(flag)
            elif ident.startswith("#"):
                target, note = _note(rest)
                if target in notes:
                    raise FieldError(f"a second note for {target}")
                notes[target] = note
            else:
                raise FieldError(f"{ident}: only entities (T), attributes (A) and notes (#) are imported")
        except FieldError as exc:
            raise FieldError(f"line {line_no}: {exc}") from None
    dangling = sorted((set(flags) | set(notes)) - set(entities))
    if dangling:
        raise FieldError(f"attributes or notes refer to unknown entities {', '.join(dangling)}")
    mentions = []
    for ident, (label, start, end, written) in entities.items():
        try:
            note = json.loads(notes[ident]) if ident in notes else {}
            if not isinstance(note, dict):
                raise FieldError("note: not a JSON object")
            norm = parse_norm(label, note.pop("norm", None))
            case = parse_case(document.doc_id, note.pop("case", None))
            mentions.append(
                build_mention(
                    document, start, end, label, norm, flags.get(ident, []), case, parse_extra(note), None
                )
            )
        except json.JSONDecodeError as exc:
            raise FieldError(f"{ident} ({label} {written!r}): note: not a JSON object ({exc.msg})") from None
        except FieldError as exc:
            raise FieldError(f"{ident} ({label} {written!r}): {exc}") from None
    return sorted(mentions, key=lambda m: (m.start, m.end, m.label))


def _entity(text: str, rest: str) -> tuple[str, int, int, str]:
    header, _, written = rest.partition("\t")
    match = _ENTITY.match(header)
    if not match:
        raise FieldError(f"entity: {header!r} is not 'LABEL start end'")
    pieces = [tuple(int(n) for n in part.split()) for part in match["fragments"].split(";")]
    if any(not 0 <= s < e <= len(text) for s, e in pieces):
        raise FieldError(f"entity: {header!r} is outside the {len(text)}-character text")
    if " ".join(text[s:e] for s, e in pieces) != written:
        raise FieldError(f"entity: {header!r} says {written!r}, the text differs there")
    if any(b[0] < a[1] or text[a[1] : b[0]].strip() for a, b in pairwise(pieces)):
        raise FieldError(f"entity: {header!r}: a span with a gap is not supported, mark its parts as spans")
    return match["label"], pieces[0][0], pieces[-1][1], written


def _attribute(rest: str) -> tuple[str, str]:
    parts = rest.split()
    if len(parts) != 2 or parts[0] not in FLAG_OF_ATTRIBUTE:
        raise FieldError(f"attribute: {rest!r} is not one of the flags {', '.join(FLAG_OF_ATTRIBUTE)}")
    return parts[1], FLAG_OF_ATTRIBUTE[parts[0]]


def _note(rest: str) -> tuple[str, str]:
    header, _, note = rest.partition("\t")
    parts = header.split()
    if len(parts) != 2 or parts[0] != NOTE_TYPE:
        raise FieldError(f"note: {header!r} is not '{NOTE_TYPE} T<n>'")
    return parts[1], note
