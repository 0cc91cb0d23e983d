"""scispaCy's abbreviation detector (Schwartz & Hearst), with its candidates found in linear time.

scispaCy finds candidate parentheses with the Matcher pattern `( any+ )`, which yields every
pair of an opening and a later closing bracket in the Doc and then keeps only those at most
eight tokens apart: quadratic in the number of brackets, a tenth of the whole pipeline's time on
ordinary abstracts, and unbounded memory on a 300 KB line of "(p.Arg283His)" repeats. The pairs
that can survive scispaCy's own filter are found here directly, from the bracket positions, in
the order the Matcher gives them; scispaCy's `filter_matches` and `find_matches_for` then do the
rest, so the abbreviations are the ones scispaCy finds. A Doc with more than `max_parentheses`
opening brackets (not prose) gets none.
"""

from bisect import bisect_left

import numpy as np
from scispacy.abbreviation import AbbreviationDetector, filter_matches
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

MAX_INSIDE = 8
"""scispaCy's `filter_matches` drops brackets holding more than eight tokens."""


class BoundedAbbreviations:
    """Sets `doc._.abbreviations` as scispaCy's AbbreviationDetector does, on prose-sized Docs."""

    def __init__(self, nlp: Language, max_parentheses: int) -> None:
        self.detector = AbbreviationDetector(nlp)
        self.detector.global_matcher = Matcher(nlp.vocab, validate=False)
        """scispaCy adds one `ORTH` pattern per short form it finds and removes it after; patterns it
        builds from token texts need no schema check, which costs more than the matching."""
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
        for long_form, short_forms in self.detector.find_matches_for(filtered, doc):
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
