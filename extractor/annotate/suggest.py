"""Pattern changes proposed from missed gold spans, reviewed by a person, then applied to `patterns/`.

`patterns/suggest.json` names, per mention label, where its patterns live:
a *lexicon* (entries with a canonical key and a list of synonyms) or a list
of *rules* (an id and a regex with a named number group). A missed gold span
(review.py: no predicted span of its label overlaps it) becomes

* `add-synonym`: its words as a synonym of the lexicon entry whose key is
  the span's norm (when the lexicon has that entry and lacks the words);
* `add-rule`: a regex generalized from its words (numbers and time units
  become groups, other words stay literal), checked to match the span.

Each suggestion says how many missed spans it covers and how often it
matches elsewhere in the annotated texts (likely false alarms). Nothing
changes until `apply_accepted` applies the suggestions marked `accept`; it
first checks on a copy that the pipeline still loads every pattern file.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from extractor.annotate.fields import AnnotationError
from extractor.annotate.importer import write_files
from extractor.annotate.review import MISSED, span_context, span_issues
from extractor.evaluate.errors import SentenceIndex
from extractor.evaluate.scoring import code_key
from extractor.parsers.numbers import number_word_regex, parse_number
from extractor.patterns import PATTERNS_ENV, load_json, patterns_dir
from extractor.schema import Mention

TARGETS_FILE = "suggest.json"
MAX_EXAMPLES = 3
NUMBER = r"\d+(?:\.\d+)?"
UNITS = r"days?|weeks?|wks?|months?|mos?|years?|yrs?"
_UNIT = re.compile(rf"^(?:{UNITS})$", re.IGNORECASE)
_TOKEN = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)?)|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)|(?P<space>\s+)|(?P<other>.)", re.DOTALL
)
_NOT_NUMBERS = frozenset({"a", "an", "single", "several", "few"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LexiconTarget(_Strict):
    """A lexicon: `file` (JSONL, or JSON with the entries under `under`), the entry field matched against
    the span's norm (`key`), the list new synonyms go to, and the list for abbreviations when it has one."""

    label: str
    file: str
    under: str | None = None
    key: str
    synonyms: str
    abbreviations: str | None = None
    lower_case: bool = False


class UnitTarget(_Strict):
    """Unit words (`words`) of entries that convert a number to the norm by `multiply` or `divide`
    (durations: months per year, days per month); the unit word of a missed span joins the entry
    whose factor gives the span's norm."""

    label: str
    file: str
    under: str | None = None
    key: str
    words: str
    multiply: str
    divide: str


class RuleTarget(_Strict):
    """A rule list: the `id` and `regex` field names, the number group, an optional unit group, and
    `defaults` for the other fields a new rule needs."""

    label: str
    file: str
    under: str | None = None
    id: str
    regex: str
    number_group: str
    unit_group: str | None = None
    defaults: dict[str, Any] = {}


class Targets(_Strict):
    """`patterns/suggest.json`."""

    description: str = ""
    lexicons: list[LexiconTarget] = []
    units: list[UnitTarget] = []
    rules: list[RuleTarget] = []


class Suggestion(BaseModel):
    """One proposed change; a reviewer sets `accept` to true to have it applied."""

    model_config = ConfigDict(extra="forbid")

    id: str
    accept: bool = False
    action: Literal["add-synonym", "add-rule"]
    label: str
    file: str
    under: str | None = None
    """The key of the JSON object that holds the entries (None: a JSONL file)."""
    match: dict[str, str] = {}
    """add-synonym: the entry to change, as {key field: key value}."""
    synonyms: str | None = None
    """add-synonym: the entry's field that lists synonyms."""
    value: str | dict[str, Any]
    """The synonym, or the new rule."""
    covers: int
    """Missed gold spans this change would find."""
    gold_hits: int
    other_hits: int
    """Matches in the annotated texts outside gold spans of the label: likely false alarms."""
    examples: list[str] = []


@dataclass(slots=True)
class SuggestResult:
    suggestions: list[Suggestion]
    unmatched: dict[str, int] = field(default_factory=dict)
    """Missed spans no suggestion covers, counted by "LABEL: reason"."""


def load_targets() -> Targets:
    return load_json(TARGETS_FILE, Targets)


@dataclass(slots=True)
class PatternFile:
    """A JSONL file (one entry a line) or a JSON file (entry lists under top-level keys), edited in place."""

    path: Path
    data: Any
    lines: list[str]
    original: Any
    text: str

    @classmethod
    def read(cls, directory: Path, file: str) -> PatternFile:
        path = directory / file
        try:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".jsonl":
                lines = [line for line in text.splitlines() if line.strip()]
                data: Any = [json.loads(line) for line in lines]
            else:
                lines, data = [], json.loads(text)
        except (OSError, json.JSONDecodeError) as exc:
            raise AnnotationError(f"{path}: cannot read: {exc}") from None
        return cls(path, data, lines, copy.deepcopy(data), text)

    def entries(self, under: str | None) -> list[dict[str, Any]]:
        """The entry list: the JSONL lines, or the list under key `under` of the JSON object."""
        found = self.data if under is None else self.data.get(under) if isinstance(self.data, dict) else None
        if not isinstance(found, list) or not all(isinstance(e, dict) for e in found):
            where = f" under {under!r}" if under else ""
            raise AnnotationError(f"{self.path}: no list of entries{where}")
        return found

    def render(self) -> str:
        """The file with its changes; a JSONL file keeps every unchanged line as it was."""
        if self.path.suffix != ".jsonl":
            return dump_pattern_json(self.data, self.text)
        out = [
            line
            if i < len(self.original) and entry == self.original[i]
            else json.dumps(entry, ensure_ascii=False)
            for i, (entry, line) in enumerate(
                zip(self.data, [*self.lines, *[""] * (len(self.data) - len(self.lines))], strict=True)
            )
        ]
        return "".join(line + "\n" for line in out)


def generalize(text: str, number_group: str, unit_group: str | None) -> str | None:
    """A regex for phrases written like `text`: its first number (digits or words) in `number_group`,
    time units in `unit_group`, other words literal; None when it has no number."""
    parts: list[str] = []
    named = False
    for token in _TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group()
        is_word_number = (
            kind == "word" and value.lower() not in _NOT_NUMBERS and parse_number(value) is not None
        )
        if kind == "number" or is_word_number:
            body = f"{NUMBER}|{number_word_regex()}" if is_word_number else NUMBER
            parts.append(f"(?:{body})" if named else f"(?P<{number_group}>{body})")
            named = True
        elif kind == "word" and _UNIT.match(value):
            parts.append(
                f"(?P<{unit_group}>{UNITS})"
                if unit_group and f"<{unit_group}>" not in "".join(parts)
                else f"(?:{UNITS})"
            )
        elif kind == "space":
            parts.append(r"\s+")
        else:
            parts.append(re.escape(value))
    if not named:
        return None
    start = r"\b" if re.match(r"\w", text) else ""
    end = r"\b" if re.search(r"\w$", text) else ""
    return start + "".join(parts) + end


def _hits(
    pattern: re.Pattern[str], label: str, texts: Mapping[str, str], gold: Mapping[str, list[Mention]]
) -> tuple[int, int]:
    """Matches overlapping a gold span of `label`, and the others, over the documents with span gold."""
    inside = outside = 0
    for doc_id, spans in gold.items():
        marked = [(m.start, m.end) for m in spans if m.label == label]
        for match in pattern.finditer(texts.get(doc_id, "")):
            if any(s < match.end() and match.start() < e for s, e in marked):
                inside += 1
            else:
                outside += 1
    return inside, outside


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "-", re.sub(r"\d+(?:\.\d+)?", "n", text.lower())).strip("-")[:40] or "rule"


@dataclass(slots=True)
class _Draft:
    target: LexiconTarget | UnitTarget | RuleTarget
    value: str | dict[str, Any]
    match: dict[str, str]
    into: str | None = None
    """The list field a synonym goes to."""
    spans: list[Mention] = field(default_factory=list)


def suggest_changes(
    gold: Sequence[Mention],
    pred: Sequence[Mention],
    texts: Mapping[str, str],
    targets: Targets,
    directory: Path | None = None,
) -> SuggestResult:
    """Suggestions from the gold spans that no predicted span of the same label overlaps."""
    folder = directory or patterns_dir()
    gold_by_doc: dict[str, list[Mention]] = defaultdict(list)
    pred_by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in gold:
        gold_by_doc[m.doc_id].append(m)
    for m in pred:
        pred_by_doc[m.doc_id].append(m)
    missed = [
        issue.gold
        for doc_id, spans in sorted(gold_by_doc.items())
        for issue in span_issues(pred_by_doc.get(doc_id, []), spans)
        if issue.kind == MISSED and issue.gold
    ]
    lexicons = {t.label: t for t in targets.lexicons}
    units = {t.label: t for t in targets.units}
    rules = {t.label: t for t in targets.rules}
    drafts: dict[tuple[str, str], _Draft] = {}
    unmatched: dict[str, int] = defaultdict(int)
    for span in missed:
        draft: _Draft | str = f"no target in {TARGETS_FILE}"
        if span.label in lexicons:
            draft = _synonym(span, lexicons[span.label], folder)
        elif span.label in units:
            draft = _unit_word(span, units[span.label], folder)
        elif span.label in rules:
            draft = _rule(span, rules[span.label])
        if isinstance(draft, str):
            unmatched[f"{span.label}: {draft}"] += 1
            continue
        key = (draft.target.file, json.dumps([draft.match, draft.value], sort_keys=True))
        drafts.setdefault(key, draft).spans.append(span)
    suggestions = [
        _finish(i, draft, texts, gold_by_doc, folder) for i, draft in enumerate(drafts.values(), 1)
    ]
    suggestions.sort(key=lambda s: (-s.covers, s.other_hits, s.id))
    return SuggestResult(suggestions, dict(unmatched))


def _looks_abbreviated(words: str) -> bool:
    """One word with two or more capitals ("MM", "RVd", "alloSCT" not): an abbreviation."""
    return " " not in words and sum(c.isupper() for c in words) >= 2


def _synonym(span: Mention, target: LexiconTarget, folder: Path) -> _Draft | str:
    if span.norm is None:
        return "no norm"
    entries = PatternFile.read(folder, target.file).entries(target.under)
    wanted = code_key(str(span.norm))
    entry = next((e for e in entries if code_key(str(e.get(target.key, ""))) == wanted), None)
    words = re.sub(r"\s+", " ", span.text.strip())
    words = words.lower() if target.lower_case else words
    if entry is None:
        return f"no entry for its norm in {target.file}"
    known = {
        str(s).casefold()
        for name in (target.synonyms, target.abbreviations)
        if name
        for s in entry.get(name, [])
    }
    if words.casefold() in known:
        return f"its words are already in {target.file} (the recognizer did not use them)"
    into = target.abbreviations if target.abbreviations and _looks_abbreviated(words) else target.synonyms
    return _Draft(target, words, {target.key: str(entry[target.key])}, into)


def _unit_word(span: Mention, target: UnitTarget, folder: Path) -> _Draft | str:
    tokens = list(_TOKEN.finditer(span.text))
    numbers = [
        i
        for i, t in enumerate(tokens)
        if t.lastgroup == "number"
        or (
            t.lastgroup == "word"
            and t.group().lower() not in _NOT_NUMBERS
            and parse_number(t.group()) is not None
        )
    ]
    words = [t.group() for t in tokens[numbers[0] + 1 :] if t.lastgroup == "word"] if numbers else []
    value = parse_number(tokens[numbers[0]].group()) if numbers else None
    if not words or not value or not isinstance(span.norm, float):
        return "no number followed by a word, or no numeric norm"
    factor = span.norm / value
    entries = PatternFile.read(folder, target.file).entries(target.under)
    for entry in entries:
        multiply, divide = entry.get(target.multiply), entry.get(target.divide)
        scale = float(multiply) if multiply else 1 / float(divide) if divide else None
        if scale is None or abs(scale - factor) > 0.05 * scale:
            continue
        if words[0].lower() in {str(w).lower() for w in entry.get(target.words, [])}:
            return f"its unit word is already in {target.file} (the recognizer did not use it)"
        return _Draft(target, words[0].lower(), {target.key: str(entry[target.key])}, target.words)
    return f"no unit in {target.file} turns its number into its norm"


def _rule(span: Mention, target: RuleTarget) -> _Draft | str:
    regex = generalize(span.text, target.number_group, target.unit_group)
    match = re.fullmatch(regex, span.text) if regex is not None else None
    if match is None:
        return "no number in its words"
    value = parse_number(match.group(target.number_group))
    if value is None or (target.unit_group is None and isinstance(span.norm, float) and value != span.norm):
        return "its number is not its norm"
    rule = {target.id: f"suggested-{_slug(span.text)}", target.regex: regex, **target.defaults}
    return _Draft(target, rule, {})


def _finish(
    number: int, draft: _Draft, texts: Mapping[str, str], gold: Mapping[str, list[Mention]], folder: Path
) -> Suggestion:
    target = draft.target
    if not isinstance(target, RuleTarget):
        words = str(draft.value)
        pattern = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)", re.IGNORECASE)
        action: Literal["add-synonym", "add-rule"] = "add-synonym"
    else:
        rule = dict(draft.value)  # type: ignore[arg-type]
        entries = PatternFile.read(folder, target.file).entries(target.under)
        taken = {str(e.get(target.id)) for e in entries}
        base, n = rule[target.id], 2
        while rule[target.id] in taken:
            rule[target.id], n = f"{base}-{n}", n + 1
        draft.value = rule
        pattern = re.compile(rule[target.regex])
        action = "add-rule"
    inside, outside = _hits(pattern, target.label, texts, gold)
    examples = []
    for span in draft.spans[:MAX_EXAMPLES]:
        text = texts.get(span.doc_id)
        context = span_context(text, SentenceIndex(text) if text else None, span, "gold")
        examples.append(f"{span.doc_id}: {context}")
    return Suggestion(
        id=f"s{number}",
        action=action,
        label=target.label,
        file=target.file,
        under=target.under,
        match=draft.match,
        synonyms=draft.into,
        value=draft.value,
        covers=len(draft.spans),
        gold_hits=inside,
        other_hits=outside,
        examples=examples,
    )


def write_suggestions(suggestions: Sequence[Suggestion], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(s.model_dump_json() + "\n" for s in suggestions), encoding="utf-8")


def read_suggestions(path: Path) -> list[Suggestion]:
    """The reviewed suggestions file; every line must still be a valid suggestion."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AnnotationError(f"{path}: cannot read: {exc.strerror}") from None
    suggestions = []
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            suggestions.append(Suggestion.model_validate_json(line))
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "line"
            raise AnnotationError(f"{path}:{line_no}: invalid suggestion: {where}: {err['msg']}") from None
    return suggestions


def _entry_per_line(data: Any) -> str:
    """Top-level keys on their own lines, one list entry per line."""
    if not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False) + "\n"
    lines = ["{"]
    for i, (key, value) in enumerate(data.items()):
        comma = "," if i < len(data) - 1 else ""
        if isinstance(value, list) and value and all(isinstance(e, dict) for e in value):
            lines.append(f"  {json.dumps(key)}: [")
            lines += [
                f"    {json.dumps(e, ensure_ascii=False)}{',' if j < len(value) - 1 else ''}"
                for j, e in enumerate(value)
            ]
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    return "\n".join([*lines, "}"]) + "\n"


LAYOUTS: tuple[Callable[[Any], str], ...] = (
    lambda data: json.dumps(data, ensure_ascii=False, indent=2) + "\n",
    _entry_per_line,
    lambda data: json.dumps(data, ensure_ascii=False, indent=1) + "\n",
    lambda data: json.dumps(data, ensure_ascii=False, indent=4) + "\n",
)
"""JSON layouts found in patterns/; a changed file keeps the one it had, so its diff shows only the change."""


def dump_pattern_json(data: Any, original: str) -> str:
    """`data` in the layout that reproduces `original` (the file before the change), else indented by 2."""
    before = json.loads(original)
    layout = next((lay for lay in LAYOUTS if lay(before) == original), LAYOUTS[0])
    return layout(data)


def _apply_one(suggestion: Suggestion, entries: list[dict[str, Any]]) -> None:
    if suggestion.action == "add-synonym":
        ((key, wanted),) = suggestion.match.items()
        entry = next((e for e in entries if str(e.get(key)) == wanted), None)
        field_name = suggestion.synonyms
        if entry is None or field_name is None or not isinstance(entry.get(field_name), list):
            raise AnnotationError(
                f"suggestion {suggestion.id}: {suggestion.file} has no entry {key}={wanted!r} "
                f"with a list {field_name!r}"
            )
        if suggestion.value not in entry[field_name]:
            entry[field_name].append(suggestion.value)
        return
    if not isinstance(suggestion.value, dict):
        raise AnnotationError(f"suggestion {suggestion.id}: a new rule must be an object")
    for text in suggestion.value.values():
        if isinstance(text, str) and "(?P<" in text:
            try:
                re.compile(text)
            except re.error as exc:
                raise AnnotationError(f"suggestion {suggestion.id}: invalid regex: {exc}") from None
    entries.append(suggestion.value)


def _check_loads(folder: Path) -> None:
    """Build the pipeline in a fresh process on `folder`: every pattern file it uses must validate."""
    done = subprocess.run(
        [sys.executable, "-c", "from extractor.pipeline import build_pipeline; build_pipeline()"],
        env={**os.environ, PATTERNS_ENV: str(folder)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise AnnotationError(f"the changed patterns do not load, nothing applied: {last}")


def apply_accepted(
    suggestions: Sequence[Suggestion], directory: Path, also: set[str] | None = None
) -> dict[Path, list[str]]:
    """Apply the accepted suggestions (and the ids in `also`) to the files in `directory`, all or none."""
    extra = also or set()
    unknown = sorted(extra - {s.id for s in suggestions})
    if unknown:
        raise AnnotationError(f"no suggestion with id {', '.join(unknown)}")
    accepted = [s for s in suggestions if s.accept or s.id in extra]
    if not accepted:
        return {}
    files: dict[str, PatternFile] = {}
    applied: dict[Path, list[str]] = defaultdict(list)
    for suggestion in accepted:
        if suggestion.file not in files:
            files[suggestion.file] = PatternFile.read(directory, suggestion.file)
        _apply_one(suggestion, files[suggestion.file].entries(suggestion.under))
        applied[directory / suggestion.file].append(suggestion.id)
    content = {pattern.path: pattern.render() for pattern in files.values()}
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / "patterns"
        shutil.copytree(directory, trial)
        write_files({trial / path.relative_to(directory): text for path, text in content.items()})
        _check_loads(trial)
    write_files(content)
    return dict(applied)
