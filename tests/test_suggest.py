"""Suggestions from missed gold spans, and applying the accepted ones to the pattern files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.annotate.fields import AnnotationError
from extractor.annotate.suggest import (
    LexiconTarget,
    RuleTarget,
    Suggestion,
    Targets,
    UnitTarget,
    apply_accepted,
    generalize,
    read_suggestions,
    suggest_changes,
    write_suggestions,
)
from extractor.patterns import PATTERNS_ENV, patterns_dir
from extractor.schema import Mention

TEXT = (
    "Case: a widow aged sixty-four received Revlimide (LENA) with bortezomib for 18 mon. "
    "Her sister, also a widow, had CLL-like disease."
)

TARGETS = Targets(
    lexicons=[
        LexiconTarget(
            label="TREATMENT",
            file="treatments.jsonl",
            key="name",
            synonyms="synonyms",
            abbreviations="abbreviations",
        ),
        LexiconTarget(
            label="SEX", file="demographics.json", under="sex", key="value", synonyms="words", lower_case=True
        ),
        LexiconTarget(label="DIAGNOSIS", file="diagnoses.jsonl", key="code", synonyms="names"),
    ],
    units=[
        UnitTarget(
            label="DURATION",
            file="durations.json",
            under="units",
            key="unit",
            words="words",
            multiply="multiply_by",
            divide="divide_by",
        )
    ],
    rules=[
        RuleTarget(
            label="AGE", file="demographics.json", under="age", id="id", regex="regex", number_group="age"
        )
    ],
)


def gold_span(
    phrase: str, label: str, norm: str | float | None, doc_id: str = "d1", text: str = TEXT
) -> Mention:
    start = text.index(phrase)
    return Mention(doc_id=doc_id, start=start, end=start + len(phrase), label=label, text=phrase, norm=norm)


GOLD = [
    gold_span("widow", "SEX", "female"),
    gold_span("aged sixty-four", "AGE", 64.0),
    gold_span("Revlimide", "TREATMENT", "lenalidomide"),
    gold_span("LENA", "TREATMENT", "lenalidomide"),
    gold_span("bortezomib", "TREATMENT", "bortezomib"),
    gold_span("for 18 mon", "DURATION", 18.0),
    gold_span("CLL-like disease", "DIAGNOSIS", "other:cll-like disease"),
    gold_span("Case", "CASE", 1.0),
]


@pytest.fixture()
def patterns(tmp_path: Path) -> Path:
    folder = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), folder)
    return folder


@pytest.mark.parametrize(
    ("text", "group", "unit", "found", "other"),
    [
        ("aged sixty-four", "age", None, {"age": "sixty-four"}, "aged 71"),
        ("64 yo", "age", None, {"age": "64"}, "7 yo"),
        (
            "for the next 2.5 years",
            "value",
            "unit",
            {"value": "2.5", "unit": "years"},
            "for the next 10 months",
        ),
        ("from 3 to 4 months", "value", "unit", {"value": "3", "unit": "months"}, "from 1 to 2 weeks"),
    ],
)
def test_generalize_finds_its_phrase_and_others_like_it(
    text: str, group: str, unit: str | None, found: dict[str, str], other: str
) -> None:
    regex = generalize(text, group, unit)
    assert regex is not None
    match = re.fullmatch(regex, text)
    assert match is not None and match.groupdict() == found
    assert re.fullmatch(regex, other)
    assert not re.search(regex, f"x{text}")


def test_generalize_needs_a_number() -> None:
    assert generalize("a widow", "age", None) is None


def test_suggestions_from_missed_spans(patterns: Path) -> None:
    pred = [gold_span("bortezomib", "TREATMENT", "bortezomib"), gold_span("Her", "SEX", "female")]
    result = suggest_changes(GOLD, pred, {"d1": TEXT}, TARGETS, patterns)
    got = {
        (s.action, s.file, json.dumps(s.match), s.synonyms, json.dumps(s.value)): s
        for s in result.suggestions
    }
    widow = got[("add-synonym", "demographics.json", '{"value": "female"}', "words", '"widow"')]
    assert (widow.covers, widow.gold_hits, widow.other_hits) == (1, 1, 1)
    assert "**widow**" in widow.examples[0]
    assert ("add-synonym", "treatments.jsonl", '{"name": "lenalidomide"}', "synonyms", '"Revlimide"') in got
    assert ("add-synonym", "treatments.jsonl", '{"name": "lenalidomide"}', "abbreviations", '"LENA"') in got
    assert ("add-synonym", "durations.json", '{"unit": "month"}', "words", '"mon"') in got
    rule = next(s for s in result.suggestions if s.action == "add-rule")
    assert rule.value["id"] == "suggested-aged-sixty-four"  # type: ignore[index]
    assert re.fullmatch(rule.value["regex"], "aged sixty-four")  # type: ignore[index]
    assert len(result.suggestions) == 5
    assert result.unmatched == {
        "DIAGNOSIS: no entry for its norm in diagnoses.jsonl": 1,
        "CASE: no target in suggest.json": 1,
    }


def test_known_words_are_reported_not_suggested(patterns: Path) -> None:
    result = suggest_changes(
        [gold_span("bortezomib", "TREATMENT", "bortezomib")], [], {"d1": TEXT}, TARGETS, patterns
    )
    assert result.suggestions == []
    assert result.unmatched == {
        "TREATMENT: its words are already in treatments.jsonl (the recognizer did not use them)": 1
    }


def _suggestions(patterns: Path, tmp_path: Path, accept: set[str]) -> Path:
    result = suggest_changes(GOLD, [], {"d1": TEXT}, TARGETS, patterns)
    for s in result.suggestions:
        s.accept = "rule" in accept if isinstance(s.value, dict) else s.value in accept
    path = tmp_path / "suggestions.jsonl"
    write_suggestions(result.suggestions, path)
    return path


def test_apply_changes_only_the_accepted_entries(patterns: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_text(encoding="utf-8") for p in patterns.iterdir() if p.is_file()}
    path = _suggestions(patterns, tmp_path, {"widow", "Revlimide", "rule"})
    changed = apply_accepted(read_suggestions(path), patterns)
    assert sorted(p.name for p in changed) == ["demographics.json", "treatments.jsonl"]
    after = {p.name: p.read_text(encoding="utf-8") for p in patterns.iterdir() if p.is_file()}
    assert sorted(name for name in before if before[name] != after[name]) == [
        "demographics.json",
        "treatments.jsonl",
    ]
    demographics = json.loads(after["demographics.json"])
    female = next(e for e in demographics["sex"] if e["value"] == "female")
    assert female["words"][-1] == "widow"
    assert demographics["age"][-1]["id"] == "suggested-aged-sixty-four"
    old_lines = before["treatments.jsonl"].splitlines()
    new_lines = after["treatments.jsonl"].splitlines()
    assert len(old_lines) == len(new_lines)
    differing = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert len(differing) == 1
    assert "Revlimide" in json.loads(new_lines[differing[0]])["synonyms"]
    assert len(after["demographics.json"].splitlines()) == len(before["demographics.json"].splitlines()) + 5


def test_apply_refuses_patterns_the_pipeline_cannot_load(patterns: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in patterns.iterdir() if p.is_file()}
    path = _suggestions(patterns, tmp_path, {"rule"})
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["action"] == "add-rule":
            row["value"]["unexpected"] = "key"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(AnnotationError, match="the changed patterns do not load, nothing applied"):
        apply_accepted(read_suggestions(path), patterns)
    rows[[r["action"] for r in rows].index("add-rule")]["value"] = {"id": "x", "regex": "(?P<age>"}
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(AnnotationError, match="invalid regex"):
        apply_accepted(read_suggestions(path), patterns)
    assert {p.name: p.read_bytes() for p in patterns.iterdir() if p.is_file()} == before


def test_unknown_ids_and_invalid_files_are_errors(patterns: Path, tmp_path: Path) -> None:
    path = _suggestions(patterns, tmp_path, set())
    with pytest.raises(AnnotationError, match="no suggestion with id s99"):
        apply_accepted(read_suggestions(path), patterns, {"s99"})
    assert apply_accepted(read_suggestions(path), patterns) == {}
    path.write_text('{"id": "s1", "action": "remove-everything"}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"suggestions.jsonl:1: invalid suggestion: action"):
        read_suggestions(path)


def _extract(text: str, folder: Path, out: Path) -> list[dict[str, object]]:
    (folder.parent / "in.txt").write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "extractor", "extract", str(folder.parent / "in.txt"), "-o", str(out), "-q"],
        env={**os.environ, PATTERNS_ENV: str(folder)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [json.loads(line) for line in (out / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]


def test_applied_suggestions_make_the_extractor_find_the_missed_spans(patterns: Path, tmp_path: Path) -> None:
    text = "A widow aged sixty-four presented with fatigue."
    gold = [
        gold_span("widow", "SEX", "female", "in", text),
        gold_span("aged sixty-four", "AGE", 64.0, "in", text),
    ]
    before = _extract(text, patterns, tmp_path / "before")
    assert not [m for m in before if m["label"] in ("AGE", "SEX")]
    result = suggest_changes(
        gold, [Mention.model_validate(m) for m in before], {"in": text}, TARGETS, patterns
    )
    assert len(result.suggestions) == 2
    apply_accepted(result.suggestions, patterns, {s.id for s in result.suggestions})
    after = _extract(text, patterns, tmp_path / "after")
    found = {(m["label"], m["text"], m["norm"]) for m in after}
    assert {("SEX", "widow", "female"), ("AGE", "aged sixty-four", 64.0)} <= found


def test_suggestion_lines_round_trip(tmp_path: Path) -> None:
    suggestion = Suggestion(
        id="s1",
        action="add-synonym",
        label="SEX",
        file="demographics.json",
        under="sex",
        match={"value": "female"},
        synonyms="words",
        value="widow",
        covers=1,
        gold_hits=1,
        other_hits=0,
    )
    write_suggestions([suggestion], tmp_path / "s.jsonl")
    assert read_suggestions(tmp_path / "s.jsonl") == [suggestion]


def test_review_lists_span_issues_and_record_errors_worst_document_first() -> None:
    from extractor.annotate.review import render_review, review_documents
    from extractor.evaluate.gold import GoldSet, Predictions
    from extractor.schema import Case, Record

    other = "A 50-year-old man."
    gold = GoldSet(
        records=[
            Record(doc_id="d1", cases=[Case(case_id="d1#1", age_years=64, sex="female")]),
            Record(doc_id="d2", cases=[Case(case_id="d2#1", age_years=50, sex="male")]),
        ],
        spans=[*GOLD[:4], gold_span("50-year-old", "AGE", 50.0, "d2", other)],
    )
    predictions = Predictions(
        records={
            "d1": Record(doc_id="d1", cases=[Case(case_id="d1#1", age_years=18, sex="female")]),
            "d2": Record(doc_id="d2", cases=[Case(case_id="d2#1", age_years=50, sex="male")]),
        },
        mentions=[
            gold_span("sixty-four", "AGE", 64.0),
            gold_span("Revlimide", "TREATMENT", "revlimid"),
            gold_span("Her", "SEX", "female"),
            gold_span("50-year-old", "AGE", 50.0, "d2", other),
        ],
        texts={"d1": TEXT, "d2": other},
    )
    reviews = review_documents(gold, predictions)
    assert [r.doc_id for r in reviews] == ["d1", "d2"]
    kinds = [(s.kind, s.label) for s in reviews[0].spans]
    assert kinds == [
        ("missed", "SEX"),
        ("boundary", "AGE"),
        ("wrong value", "TREATMENT"),
        ("missed", "TREATMENT"),
        ("false alarm", "SEX"),
    ]
    assert [(e.group, e.kind) for e in reviews[0].records] == [("age", "wrong value")]
    text = render_review(reviews)
    assert "## d1 — 6 issues (1 record errors, 5 span issues)" in text
    assert "- missed SEX: gold “widow” → female [8:13] — Case: a **widow** aged sixty-four" in text
    assert "- age, wrong value: predicted `18` vs gold `64`" in text
    assert "## d2" not in text
    assert "## d2" not in render_review(reviews, limit=1) and "## d1" in render_review(reviews, limit=1)
