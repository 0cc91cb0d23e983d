"""The literal prefilter: derived requirements, case folding, and that it never drops a real match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.assembly.cases import _cues
from extractor.parsers import cytogenetics, hgvs
from extractor.parsers.lexicon import character_table
from extractor.parsers.prefilter import Prefiltered, fold, required_literals
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
        *(regex for _, regex, _ in nlp.get_pipe("case_markers").compiled),
        *(regex for _, regex, _ in nlp.get_pipe("outcomes").compiled),
        *(regex for rule in cytogenetics._grammar().rules for regex in rule.regexes),
        *(rule.regex for rule in hgvs._grammar().rules),
        *(regex for _, regex in cues.headings),
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
