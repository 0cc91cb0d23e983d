"""The bounded abbreviation detector finds what scispaCy's own detector finds, in linear time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.abbreviations import BoundedAbbreviations
from extractor.pipeline import build_pipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=())


def _found(doc: Doc) -> list[tuple[int, int, int, int]]:
    """Sorted: scispaCy collects each long form's short forms in a set of Spans."""
    return sorted((s.start, s.end, s._.long_form.start, s._.long_form.end) for s in doc._.abbreviations)


def _texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpus").rglob("*.jsonl")):
        texts += [
            json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return texts


def test_same_abbreviations_as_scispacy_on_the_corpus(nlp: Language) -> None:
    ours = BoundedAbbreviations(nlp, max_parentheses=400)
    theirs = AbbreviationDetector(nlp)
    texts = _texts()
    assert len(texts) > 40
    total = 0
    for text in texts:
        expected = _found(theirs(nlp.make_doc(text)))
        assert _found(ours(nlp.make_doc(text))) == expected, text[:80]
        total += len(expected)
    assert total > 100


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        (
            "therapy-related myeloid neoplasms (t-MN) after lenalidomide",
            "t-MN",
            "therapy-related myeloid neoplasms",
        ),
        (
            "autologous stem cell transplantation (ASCT) was performed",
            "ASCT",
            "autologous stem cell transplantation",
        ),
        ("B-cell acute lymphoblastic leukemia (B-ALL; n = 3)", None, None),
    ],
)
def test_real_definitions(nlp: Language, text: str, short: str | None, long: str | None) -> None:
    doc = BoundedAbbreviations(nlp, max_parentheses=400)(nlp.make_doc(text))
    found = [(s.text, s._.long_form.text) for s in doc._.abbreviations]
    assert found == ([(short, long)] if short else [])


def test_many_brackets_cost_linear_time(nlp: Language) -> None:
    doc = nlp.make_doc("A patient (B) " * 350)
    start = time.process_time()
    BoundedAbbreviations(nlp, max_parentheses=400)(doc)
    assert time.process_time() - start < 2.0


def test_a_doc_past_the_bound_gets_none(nlp: Language) -> None:
    doc = BoundedAbbreviations(nlp, max_parentheses=3)(nlp.make_doc("a (b) c (d) e (f) g (h) i (j)"))
    assert doc._.abbreviations == []
