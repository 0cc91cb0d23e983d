"""The literal prefilter: derived requirements, case folding, and that it never drops a real match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.assembly.cases import _cues
from extractor.parsers import cytogenetics, hgvs
from extractor.parsers.lexicon import character_table
from extractor.parsers.prefilter import Prefiltered, anchor_pattern, fold, required_literals, split_alternatives
from extractor.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"


@pytest.mark.parametrize(
    ("pattern", "flags", "literals"),
    [
        (r"\bmonosom(?:y|ies|ic)\s(?:of\s)?", re.IGNORECASE, {"monosom"}),
        (r"\b(?:deletions?|del|loss(?:es)?)\s(?:of\s)?", re.IGNORECASE, {"deletion", "del", "loss"}),
        (r"(?<![\w])IVS\s?-?\d+", 0, {"ivs"}),
        (r"\bKMT2A\s(?:\(11q23\))", 0, {"(11q23)"}),
        (r"\bisochromosome\s(?:of\s)?(?P<arm>\d{1,2}[pq])", re.IGNORECASE, {"isochromosome"}),
        (r"(?:complete|partial)\s+remission", 0, {"remission"}),
        (r"\b(?:is|are)\s+(?:a|an)\b", 0, None),
        (r"[ACDEFGHIKLMNPQRSTVWY][1-9]\d{0,6}[ACDEFGHIKLMNPQRSTVWY]", 0, None),
        (r"(?:chromosome\s)?\d+", 0, None),
        (r"(?:loss)*\d", 0, None),
        (r"(?:loss)+\d", 0, {"loss"}),
        (r"monosomy|%", 0, None),
        (r"(?<![\w.])p\.\s?\(?[A-Z][a-z]{2}\d+", 0, {"p."}),
        (r"(?<![\w.])[cg]\.\d+_\d+", 0, {"c.", "g."}),
        (r"(?<![\w])rs\s?\d{2,10}", 0, None),
        (r"[ACGTU]{3}", 0, None),
    ],
)
def test_required_literals(pattern: str, flags: int, literals: set[str] | None) -> None:
    found = required_literals(re.compile(pattern, flags))
    assert (None if found is None else set(found)) == literals


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("monosomy", "MONOSOMY 7"),
        ("loss", "lo\u017fs of 7q"),
        ("\u03bcg", "5 \u00b5g/kg"),
        ("infusion", "\u0130NFUSION"),
    ],
)
def test_case_insensitive_matches_pass_the_filter(pattern: str, text: str) -> None:
    compiled = Prefiltered.compile(pattern, re.IGNORECASE)
    assert compiled.regex.search(text)
    assert compiled.may_match(fold(text))
    assert list(compiled.finditer(text, fold(text)))


def test_a_text_without_the_literal_is_not_scanned() -> None:
    compiled = Prefiltered.compile(r"\btranslocations?\s", re.IGNORECASE)
    assert not compiled.may_match(fold("A 60-year-old man with multiple myeloma."))


def _texts() -> list[str]:
    """Case-report abstracts (ours and the shared ones) and the variant corpora's abstracts."""
    texts: list[str] = []
    for path in [*sorted((ROOT / "corpus").rglob("*.jsonl")), *sorted(SHARED.rglob("*.jsonl"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else {}
            if isinstance(record.get("text"), str):
                texts.append(record["text"])
    variants = SHARED / "variants"
    for line in (variants / "tmvar-train.pubtator").read_text(encoding="utf-8").splitlines():
        if "|t|" in line or "|a|" in line:
            texts.append(line.split("|", 2)[2])
    for line in (variants / "mutationfinder-devo.txt").read_text(encoding="utf-8").splitlines():
        texts.extend(line.split("\t")[1:])
    return texts


def _project_patterns() -> list[Prefiltered]:
    cues = _cues()
    nlp = build_pipeline()
    return [
        *(c.regex for c in nlp.get_pipe("case_markers").markers.compiled),
        *(c.regex for c in nlp.get_pipe("outcomes").rules.compiled),
        *(regex for rule in cytogenetics._grammar().rules for regex in rule.regexes),
        *(rule.regex for rule in hgvs._grammar().rules),
        *(heading.word for heading in cues.headings),
        *(regex for patterns in cues.by_kind.values() for regex in patterns),
    ]


def test_the_filter_never_hides_a_match_in_real_text() -> None:
    """Soundness on every project pattern that is prefiltered, over every real text we hold."""
    texts = [t.translate(character_table()) for t in _texts()]
    assert len(texts) > 1000
    checked = 0
    for compiled in _project_patterns():
        for text in texts:
            if compiled.regex.search(text) or compiled.regex.search(text.lower()):
                checked += 1
                assert compiled.may_match(fold(text)), (compiled.regex.pattern, text[:80])
    assert checked > 100


@pytest.mark.parametrize(
    ("pattern", "flags", "anchor"),
    [
        (r"(?<![\w.])p\.\s?\(?[A-Z][a-z]{2}\d+", 0, r"[p][\.][A-Z\(\s]"),
        (r"(?:(?<![\w\-+.])|(?<=[A-Z]\d))[ACD][1-9]\d{0,6}", 0, "[ACD][1-9]"),
        (r"(?<![\w])rs\s?\d{2,10}", 0, r"[r][s][\d\s]"),
        (r"\bdel(?:etion)?\s", re.IGNORECASE, r"[Dd][Ee][Ll][E\se]"),
        (r"\bpatients?\b", re.IGNORECASE, "[Pp][Aa][Tt][Ii\u0130\u0131]"),
        (r"\bloss\b", re.IGNORECASE, "[Ll][Oo][Ss\u017f][Ss\u017f]"),
        (r"(?<![\w(])[+\-](?:\d{1,2}|X|Y)\b", re.IGNORECASE, r"[\+\-][XY\dxy]"),
        (r"\bp\s*[=<>]\s*0?\.\d", re.IGNORECASE, r"[Pp][<=>\s]"),
        (r"(?<![\w.])[cgmnr]\.\d+", 0, r"[cgmnr][\.][\d]"),
        (r"[cgmnr]\d+", 0, r"[cgmnr][\d]"),
        (r"[cgmnr]", 0, None),
        (r"\b(?:is|are)\s+a\b", 0, "[ai][rs]"),
        (r"\b(?:is|are|was)\s+a\b", 0, None),
        (r"(?:intron\s)?\d+[ACGT]>", 0, None),
        (r"\b[a-z]+itis\b", 0, None),
        (r"x*", 0, None),
    ],
)
def test_anchor_pattern(pattern: str, flags: int, anchor: str | None) -> None:
    assert anchor_pattern(re.compile(pattern, flags)) == anchor


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        (r"\bliterature\b|\bmeta-analys[ie]s\b|%(?!x)", [r"\bliterature\b", r"\bmeta-analys[ie]s\b", "%(?!x)"]),
        (r"(?P<x>foo)|(?P<y>bar)|baz", ["(?P<x>foo)", "(?P<y>bar)", "baz"]),
        (r"[|(]x|\|y|(?:a|b)z", ["[|(]x", r"\|y", "(?:a|b)z"]),
        (r"[]|]x|y", ["[]|]x", "y"]),
        (r"a(b)\1|c", None),
        (r"abc|x?", None),
        (r"(?:a|b)c", None),
    ],
)
def test_split_alternatives(pattern: str, parts: list[str] | None) -> None:
    assert split_alternatives(re.compile(pattern)) == parts


@pytest.mark.parametrize(
    ("pattern", "flags", "text"),
    [
        (r"(?<=a)b|c", 0, "ab b cb ac"),
        (r"\bfoo|bar", 0, "xfoo foo barfoo bar"),
        (r"(?P<n>\d+) cases|(?P<w>two) cases|cases", 0, "two cases, 3 cases and cases"),
        (r"ab|a[bc]d", 0, "abd acd ab"),
        (r"\bK\d+|\bS\d+", re.IGNORECASE, "k12 \u212a13 \u017f14 s15"),
        (r"(?<![\w.])p\.[A-Z]\d+[A-Z]|(?<![\w])rs\d{2,}", 0, "p.V600E xp.V600E rs123 ars123 p.V600"),
    ],
)
def test_conditions_give_the_matches_re_gives(pattern: str, flags: int, text: str) -> None:
    compiled = Prefiltered.compile(pattern, flags)
    expected = [(m.span(), m.groupdict(), m.groups()) for m in compiled.regex.finditer(text)]
    assert [(m.span(), m.groupdict(), m.groups()) for m in compiled.finditer(text, fold(text))] == expected
    first = compiled.search(text, fold(text))
    assert (first.span() if first else None) == (expected[0][0] if expected else None)
    assert compiled.occurs(text, fold(text)) == bool(expected)


def test_the_conditions_find_every_match_in_real_text() -> None:
    """Anchors and split alternatives give exactly `re`'s matches, groups included, on real texts."""
    texts = [t.translate(character_table()) for t in _texts()]
    compared = 0
    for compiled in _project_patterns():
        if compiled.anchor is None and not compiled.alternatives:
            continue
        for text in texts:
            expected = [(m.span(), m.groups()) for m in compiled.regex.finditer(text)]
            assert compiled.occurs(text, fold(text)) == bool(expected), compiled.regex.pattern
            if expected:
                compared += 1
                found = [(m.span(), m.groups()) for m in compiled.finditer(text, fold(text))]
                assert found == expected, compiled.regex.pattern
    assert compared > 1000


def test_headings_found_from_their_words_are_the_whole_patterns_matches() -> None:
    texts = [t.translate(character_table()) for t in _texts()]
    compared = 0
    for heading in _cues().headings:
        for text in [*texts, "Case report:  Case presentation:\nA 50-year-old man. Clinical case: a woman."]:
            expected = [(m.span(), m.span("h")) for m in heading.whole.finditer(text)]
            compared += bool(expected)
            assert [(m.span(), m.span("h")) for m in heading.finditer(text, fold(text))] == expected
    assert compared > 50
