"""scispaCy's abbreviation detector (Schwartz & Hearst), with its candidates found in linear time.

scispaCy finds candidate parentheses with the Matcher pattern `( any+ )`, which yields every
pair of an opening and a later closing bracket in the Doc and then keeps only those at most
eight tokens apart: quadratic in the number of brackets, a tenth of the whole pipeline's time on
ordinary abstracts, and unbounded memory on a 300 KB line of "(p.Arg283His)" repeats. The pairs
that can survive scispaCy's own filter are found here directly, from the bracket positions, in
the order the Matcher gives them; scispaCy's `filter_matches` and `find_abbreviation` then do the
rest, so the abbreviations are the ones scispaCy finds. scispaCy then finds every later use of
each short form with a token Matcher, which steps through the Doc in Python once per Doc; here
the short forms' token sequences are looked up in the Doc's ORTH array, and the uses are taken
in the order the Matcher gives them. A Doc with more than `max_parentheses` opening brackets
(not prose) gets none.
"""

from bisect import bisect_left
from collections import defaultdict

import numpy as np
from numpy.typing import NDArray
from scispacy.abbreviation import AbbreviationDetector, filter_matches, find_abbreviation
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

MAX_INSIDE = 8
"""scispaCy's `filter_matches` drops brackets holding more than eight tokens."""


class BoundedAbbreviations:
    """Sets `doc._.abbreviations` as scispaCy's AbbreviationDetector does, on prose-sized Docs."""

    def __init__(self, nlp: Language, max_parentheses: int) -> None:
        AbbreviationDetector(nlp)  # registers Doc._.abbreviations and Span._.long_form
        self.max_parentheses = max_parentheses
        self.open = nlp.vocab.strings.add("(")
        self.close = nlp.vocab.strings.add(")")

    def __call__(self, doc: Doc) -> Doc:
        doc._.abbreviations = []
        orth = doc.to_array(ORTH)
        opens = np.flatnonzero(orth == self.open).tolist()
        if not opens or len(opens) > self.max_parentheses:
            return doc
        closes = np.flatnonzero(orth == self.close).tolist()
        filtered = filter_matches(_bracket_pairs(opens, closes), doc)
        for long_form, short_forms in _find_matches_for(filtered, doc, orth):
            for short in short_forms:
                short._.long_form = long_form
                doc._.abbreviations.append(short)
        return doc


def _bracket_pairs(opens: list[int], closes: list[int]) -> list[tuple[int, int, int]]:
    """(0, start, end) of each bracket's content, for every "(" and a ")" after it with one to
    MAX_INSIDE tokens between, ordered as spaCy's Matcher orders `( any+ )` matches: by end,
    then the later start first."""
    pairs: list[tuple[int, int, int]] = []
    for i in opens:
        k = bisect_left(closes, i + 2)
        while k < len(closes) and closes[k] <= i + 1 + MAX_INSIDE:
            pairs.append((0, i + 1, closes[k]))
            k += 1
    pairs.sort(key=lambda pair: (pair[2], -pair[1]))
    return pairs


@Language.factory("bounded_abbreviations", default_config={"max_parentheses": 400})
def make_bounded_abbreviations(nlp: Language, name: str, max_parentheses: int) -> BoundedAbbreviations:
    return BoundedAbbreviations(nlp, max_parentheses)


def _find_matches_for(
    filtered: list[tuple[Span, Span]], doc: Doc, orth: NDArray[np.uint64]
) -> list[tuple[Span, set[Span]]]:
    """scispaCy's `AbbreviationDetector.find_matches_for`: each long form with its short form and
    every use of that short form in the Doc (first definitions only, as scispaCy keeps them)."""
    occurrences: dict[Span, set[Span]] = defaultdict(set)
    seen_long: set[str] = set()
    seen_short: set[str] = set()
    defined: list[tuple[Span, NDArray[np.uint64]]] = []
    for long_candidate, short_candidate in filtered:
        short, long = find_abbreviation(long_candidate, short_candidate)
        if long is None or long.text in seen_long or short.text in seen_short:
            continue
        seen_long.add(long.text)
        seen_short.add(short.text)
        occurrences[long].add(short)
        defined.append((long, orth[short.start : short.end]))
    uses = [
        (start + len(sequence), start, index)
        for index, (_, sequence) in enumerate(defined)
        for start in _starts(orth, sequence)
    ]
    for end, start, index in sorted(uses):
        occurrences[defined[index][0]].add(doc[start:end])
    return list(occurrences.items())


def _starts(orth: NDArray[np.uint64], sequence: NDArray[np.uint64]) -> list[int]:
    """Where `sequence` occurs in `orth`, as token offsets."""
    if not len(sequence) or len(sequence) > len(orth):
        return []
    starts = np.flatnonzero(orth[: len(orth) - len(sequence) + 1] == sequence[0])
    for k in range(1, len(sequence)):
        starts = starts[orth[starts + k] == sequence[k]]
    return starts.tolist()
