"""scispaCy's abbreviation detector, bounded.

On a pathological input (a 300 KB line of "(p.Arg283His)" repeats) scispaCy's
detector builds a Matcher whose memory grows without bound. Abbreviations
matter in prose, which has a few dozen parentheses per page: a Doc with more
candidate parentheses than `max_parentheses` gets no abbreviations instead of
exhausting memory.
"""

from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language
from spacy.tokens import Doc


class BoundedAbbreviations:
    """Runs AbbreviationDetector on Docs with at most `max_parentheses` opening brackets."""

    def __init__(self, nlp: Language, max_parentheses: int) -> None:
        self.detector = AbbreviationDetector(nlp)
        self.max_parentheses = max_parentheses

    def __call__(self, doc: Doc) -> Doc:
        if sum(1 for token in doc if token.text == "(") > self.max_parentheses:
            doc._.abbreviations = []
            return doc
        return self.detector(doc)


@Language.factory("bounded_abbreviations", default_config={"max_parentheses": 400})
def make_bounded_abbreviations(nlp: Language, name: str, max_parentheses: int) -> BoundedAbbreviations:
    return BoundedAbbreviations(nlp, max_parentheses)
