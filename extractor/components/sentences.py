"""A rule sentence splitter for case-report prose.

medspaCy's default PyRuSH splitter runs at about 6,000 words/s and logs every
sentence at DEBUG; this splitter is a single pass over the tokens. A sentence
starts after a line break, or after a full stop, question or exclamation mark
when the next word starts with a capital, a digit or an opening bracket, or
is a mixed-case abbreviation written with a lower-case prefix ("t-MN", "tAPL",
"sAML": a sentence may open with one). It
never splits after abbreviations the tokenizer keeps whole ("e.g.", "al.").
The starts are written with one `Doc.from_array` call: spaCy's per-token
`is_sent_start` setter rescans the whole Doc, which is quadratic on long lines.
"""

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

_ENDERS = frozenset({".", "!", "?"})
_OPENERS = frozenset("([\"'“‘")
_NOT_START = numpy.uint64(2**64 - 1)
"""-1 ("not a sentence start") as spaCy's uint64 attribute arrays hold it."""


def _mixed_case(text: str) -> bool:
    """A lower-case prefix of one or two letters before capitals: "t-MN", "tAPL", "sAML" (not "mg" or "x")."""
    head = text[:4]
    return head[:1].isalpha() and any(c.isupper() for c in head[1:]) and sum(c.isupper() for c in text) >= 2


def _opens_sentence(text: str) -> bool:
    """Whether a word after a full stop may open a sentence."""
    first = text[0]
    return first.isupper() or first.isdigit() or first in _OPENERS or _mixed_case(text)


@Language.component("case_sentences")
def case_sentences(doc: Doc) -> Doc:
    """Mark every token as a sentence start (1) or not (-1)."""
    if not len(doc):
        return doc
    starts = numpy.full((len(doc), 1), _NOT_START, dtype="uint64")
    after_ender = False
    after_newline = True
    for token in doc:
        text = token.text
        if token.is_space:
            after_newline = after_newline or "\n" in text
            continue
        if after_newline or (after_ender and _opens_sentence(text)):
            starts[token.i, 0] = 1
        after_ender = text in _ENDERS
        after_newline = "\n" in token.whitespace_
    starts[0, 0] = 1
    doc.from_array([SENT_START], starts)
    return doc
