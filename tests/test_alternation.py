"""Word lists as prefix trees: the same matches as the flat alternation sorted longest first."""

import re

import pytest

from extractor.parsers.alternation import literal_alternation

GENES = ["KIT", "KMT2A", "KRAS", "KMT2", "MLL", "MLLT3", "MLLT10", "NPM1", "NPM", "BCR", "ABL1", "ABL"]


def _flat(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@pytest.mark.parametrize(
    ("words", "flags", "tail", "text"),
    [
        (GENES, 0, r"(?![\w])", "KMT2A-MLLT3 and KMT2 with NPM1, NPM, ABL1::BCR, KITS, MLLT10x MLLT10"),
        (GENES, 0, "", "KMT2A-MLLT3 and KMT2 with NPM1, NPM, ABL1::BCR, KITS, MLLT10x"),
        (["month", "months", "mo", "mos", "wk", "week", "weeks"], re.IGNORECASE, r"\b", "3 Months, 2 MO, 4 wks 5 weeks"),
        (["a.b", "a+b", "a"], 0, "", "a.b a+b a"),
    ],
)
def test_a_tree_matches_as_the_flat_alternation(words: list[str], flags: int, tail: str, text: str) -> None:
    ignore = bool(flags & re.IGNORECASE)
    tree = re.compile(rf"(?<![\w])(?:{literal_alternation(words, ignore_case=ignore)}){tail}", flags)
    flat = re.compile(rf"(?<![\w])(?:{_flat(words)}){tail}", flags)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_the_tree_shares_prefixes() -> None:
    assert literal_alternation(["KIT", "KRAS", "KMT2A"]) == "K(?:IT|MT2A|RAS)"
    assert literal_alternation(["NPM", "NPM1"]) == "NPM(?:1)?"
    assert literal_alternation(["Ala", "ALA", "ala"], ignore_case=True) == "ala"


def test_an_empty_word_is_refused() -> None:
    with pytest.raises(ValueError):
        literal_alternation(["x", ""])
