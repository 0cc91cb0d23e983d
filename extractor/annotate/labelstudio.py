"""Label Studio tasks: the extractor's mentions as pre-annotations, and annotators' corrections back.

One task per document. Every span is a region of the `label` control; its
editable fields are per-region controls bound to the same region id: `norm`
(text), `context` (the ConText flags), `case` (case numbers) and `attrs` (the
other attributes as a JSON object). Offsets are Python character offsets,
which Label Studio also stores for text (code points).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from extractor import __version__
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
    norm_text,
    parse_case,
    parse_extra,
    parse_norm,
)
from extractor.document import Document
from extractor.schema import MENTION_LABELS, Mention

TASKS_FILE = "tasks.json"
CONFIG_FILE = "labeling-config.xml"
TEXT, LABEL, NORM, CONTEXT, CASE, ATTRS = "text", "label", "norm", "context", "case", "attrs"
MODEL_VERSION = f"extractor-{__version__}"

COLORS: tuple[str, ...] = (
    "#e6194b",
    "#3cb44b",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#42d4f4",
    "#f032e6",
    "#bfef45",
    "#fabed4",
    "#469990",
    "#dcbeff",
    "#9a6324",
    "#800000",
    "#aaffc3",
    "#808000",
)


def labeling_config(labels: Sequence[str] = MENTION_LABELS) -> str:
    """The labeling config: span labels over the text, and per-region fields shown for the selected span."""
    label_lines = "\n".join(
        f"    <Label value={quoteattr(label)} background={quoteattr(COLORS[i % len(COLORS)])}/>"
        for i, label in enumerate(labels)
    )
    flag_lines = "\n".join(f"      <Choice value={quoteattr(flag)}/>" for flag in FLAGS)
    return f"""<View>
  <Header value="$doc_id"/>
  <Labels name="{LABEL}" toName="{TEXT}">
{label_lines}
  </Labels>
  <Text name="{TEXT}" value="$text"/>
  <View visibleWhen="region-selected">
    <Header value="Normalized value (docs/labels.md)"/>
    <TextArea name="{NORM}" toName="{TEXT}" perRegion="true" editable="true" maxSubmissions="1" rows="1"/>
    <Header value="Status (ConText)"/>
    <Choices name="{CONTEXT}" toName="{TEXT}" perRegion="true" choice="multiple" showInline="true">
{flag_lines}
    </Choices>
    <Header value="Case (number; several: 1, 2)"/>
    <TextArea name="{CASE}" toName="{TEXT}" perRegion="true" editable="true" maxSubmissions="1" rows="1"/>
    <Header value="Other attributes (JSON object: role, kind, status, ...)"/>
    <TextArea name="{ATTRS}" toName="{TEXT}" perRegion="true" editable="true" maxSubmissions="1" rows="2"/>
  </View>
</View>
"""


def _item(rid: str, m: Mention, name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    """One result item of region `rid`: Label Studio repeats the span's offsets in every item of a region."""
    return {
        "id": rid,
        "from_name": name,
        "to_name": TEXT,
        "type": kind,
        "value": {"start": m.start, "end": m.end, **value},
    }


def regions(mentions: Iterable[Mention]) -> list[dict[str, Any]]:
    """The result items of one task's mentions: a labels item per span plus one item per non-empty field."""
    result: list[dict[str, Any]] = []
    for i, m in enumerate(mentions, 1):
        rid = f"m{i}"
        result.append(_item(rid, m, LABEL, "labels", {"text": m.text, "labels": [m.label]}))
        fields = {NORM: norm_text(m.norm), CASE: case_text(m.doc_id, m.attrs.get("case"))}
        extra = extra_attrs(m.attrs)
        if extra:
            fields[ATTRS] = json.dumps(extra, ensure_ascii=False, sort_keys=True)
        result.extend(
            _item(rid, m, name, "textarea", {"text": [value]}) for name, value in fields.items() if value
        )
        flags = flags_of(m.attrs)
        if flags:
            result.append(_item(rid, m, CONTEXT, "choices", {"choices": flags}))
    return result


def task(exported: ExportDocument) -> dict[str, Any]:
    """One Label Studio task: the document and its mentions as a prediction."""
    doc = exported.document
    data: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "source": doc.source,
        **document_layout(doc),
    }
    return {
        "data": data,
        "predictions": [{"model_version": MODEL_VERSION, "result": regions(exported.mentions)}],
    }


def write_export(documents: Sequence[ExportDocument], out: Path) -> list[Path]:
    """Write `tasks.json` (tasks with predictions) and `labeling-config.xml` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    tasks_path, config_path = out / TASKS_FILE, out / CONFIG_FILE
    tasks_path.write_text(
        json.dumps([task(d) for d in documents], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    config_path.write_text(labeling_config(), encoding="utf-8")
    return [tasks_path, config_path]


def annotator_name(completed_by: Any, names: Mapping[str, str], default: str | None) -> str:
    """Who made an annotation: `names[user id]`, else the one name given, else `ls-<user id or email>`."""
    if isinstance(completed_by, dict):
        key = str(completed_by.get("id", ""))
        fallback = str(completed_by.get("email") or key).split("@")[0]
    else:
        key = fallback = str(completed_by)
    if key in names:
        return names[key]
    return default if default is not None else f"ls-{fallback}"


def _document(data: Any) -> Document:
    if not isinstance(data, dict):
        raise FieldError("data: not an object")
    try:
        return document_from_row(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise FieldError(f"data: not a document ({exc})") from None


def _text_value(value: dict[str, Any], name: str) -> str:
    text = value.get("text")
    if isinstance(text, list) and all(isinstance(t, str) for t in text):
        return "\n".join(text)
    if isinstance(text, str):
        return text
    raise FieldError(f"{name}: text area value must be a list of strings")


def mentions_of(document: Document, result: Any) -> list[Mention]:
    """The mentions of one annotation or prediction `result`; raises FieldError naming region and field."""
    if not isinstance(result, list):
        raise FieldError("result: not a list")
    by_region: dict[str, dict[str, dict[str, Any]]] = {}
    order: list[str] = []
    for item in result:
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            raise FieldError("result: every item needs an object `value`")
        rid = str(item.get("id", ""))
        if rid not in by_region:
            by_region[rid] = {}
            order.append(rid)
        name = str(item.get("from_name"))
        if name in by_region[rid]:
            raise FieldError(f"region {rid!r}: two {name!r} items")
        by_region[rid][name] = item["value"]
    mentions = []
    for rid in order:
        fields = by_region[rid]
        if LABEL not in fields:
            unknown = ", ".join(sorted(fields))
            raise FieldError(f"region {rid!r}: has {unknown} but no span label")
        try:
            mentions.append(_mention(document, fields))
        except FieldError as exc:
            span = fields[LABEL]
            raise FieldError(f"region {rid!r} ({span.get('labels')} {span.get('text')!r}): {exc}") from None
    return sorted(mentions, key=lambda m: (m.start, m.end, m.label))


def _mention(document: Document, fields: dict[str, dict[str, Any]]) -> Mention:
    span = fields[LABEL]
    labels = span.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        raise FieldError(f"label: a span needs exactly one label, has {labels!r}")
    unknown = sorted(set(fields) - {LABEL, NORM, CONTEXT, CASE, ATTRS})
    if unknown:
        raise FieldError(f"{unknown[0]}: not a field of the labeling config")
    for name, value in fields.items():
        if (value.get("start"), value.get("end")) != (span.get("start"), span.get("end")):
            raise FieldError(f"{name}: offsets differ from the span's")
    label = labels[0]
    norm = parse_norm(str(label), _text_value(fields[NORM], NORM)) if NORM in fields else None
    choices = fields.get(CONTEXT, {}).get("choices", [])
    if not isinstance(choices, list):
        raise FieldError(f"{CONTEXT}: choices must be a list")
    case = parse_case(document.doc_id, _text_value(fields[CASE], CASE)) if CASE in fields else None
    extra = parse_extra(_text_value(fields[ATTRS], ATTRS)) if ATTRS in fields else {}
    written = span.get("text")
    return build_mention(
        document,
        span.get("start"),
        span.get("end"),
        label,
        norm,
        [str(c) for c in choices],
        case,
        extra,
        written if isinstance(written, str) else None,
    )


def read_tasks(
    path: Path,
    names: Mapping[str, str] | None = None,
    default_name: str | None = None,
    accept_predictions: bool = False,
) -> list[AnnotatedDocument]:
    """Every non-cancelled annotation of a Label Studio JSON export (a file, or a folder of `*.json`).

    `names` maps Label Studio user ids to annotator names; `default_name` names every annotation
    (then one annotator per task). With `accept_predictions`, a task without annotation counts as
    its prediction accepted unchanged by `default_name`.
    """
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise AnnotationError(f"{path}: no *.json export found")
    found: list[AnnotatedDocument] = []
    for file in files:
        found.extend(_read_file(file, names or {}, default_name, accept_predictions))
    return found


def _read_file(
    file: Path, names: Mapping[str, str], default_name: str | None, accept_predictions: bool
) -> list[AnnotatedDocument]:
    try:
        tasks = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AnnotationError(f"{file}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise AnnotationError(f"{file}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise AnnotationError(f"{file}: a Label Studio export is a list of tasks")
    found: list[AnnotatedDocument] = []
    for index, item in enumerate(tasks, 1):
        where = f"{file}, task {item.get('id', f'#{index}') if isinstance(item, dict) else f'#{index}'}"
        try:
            if not isinstance(item, dict):
                raise FieldError("not an object")
            document = _document(item.get("data"))
            where += f" (doc_id {document.doc_id!r})"
            found.extend(_task_annotations(item, document, where, names, default_name, accept_predictions))
        except FieldError as exc:
            raise AnnotationError(f"{where}: {exc}") from None
    return found


def _task_annotations(
    item: dict[str, Any],
    document: Document,
    where: str,
    names: Mapping[str, str],
    default_name: str | None,
    accept_predictions: bool,
) -> list[AnnotatedDocument]:
    annotations = [
        a for a in item.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    found: dict[str, AnnotatedDocument] = {}
    for annotation in annotations:
        annotator = annotator_name(annotation.get("completed_by"), names, default_name)
        origin = f"{where}, annotation {annotation.get('id')} by {annotator}"
        if annotator in found:
            raise FieldError(
                f"annotation {annotation.get('id')}: a second annotation by {annotator}; "
                "name each Label Studio user with --annotator ID=NAME"
            )
        try:
            mentions = mentions_of(document, annotation.get("result"))
        except FieldError as exc:
            raise FieldError(f"annotation {annotation.get('id')} by {annotator}: {exc}") from None
        found[annotator] = AnnotatedDocument(document, annotator, mentions, origin)
    if not found and accept_predictions:
        predictions = [p for p in item.get("predictions") or [] if isinstance(p, dict)]
        if len(predictions) != 1 or default_name is None:
            raise FieldError(
                "accepting predictions needs exactly one prediction per task and --annotator NAME"
            )
        try:
            mentions = mentions_of(document, predictions[0].get("result"))
        except FieldError as exc:
            raise FieldError(f"prediction: {exc}") from None
        found[default_name] = AnnotatedDocument(
            document, default_name, mentions, f"{where}, prediction accepted"
        )
    return list(found.values())
