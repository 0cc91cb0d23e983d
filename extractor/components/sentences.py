"""A rule sentence splitter for case-report prose.

medspaCy's default PyRuSH splitter runs at about 6,000 words/s and logs every
sentence at DEBUG; this splitter reads the Doc's token arrays, and Python looks
only at the words after a full stop. A sentence starts after a line break, or
after a full stop, question or exclamation mark when the next word starts with
a capital, a digit or an opening bracket, or is a mixed-case abbreviation
written with a lower-case prefix ("t-MN", "tAPL", "sAML": a sentence may open
with one). It never splits after abbreviations the tokenizer keeps whole
("e.g.", "al.").
The starts are written with one `Doc.from_array` call: spaCy's per-token
`is_sent_start` setter rescans the whole Doc, which is quadratic on long lines.
"""

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

_ENDERS = frozenset({".", "!", "?"})
_ENDER_IDS = numpy.array([hash_string(e) for e in sorted(_ENDERS)], dtype="uint64")
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
    """Mark every token as a sentence start (1) or not (-1).

    A word opens a sentence when it is the first, when a space token holding a line break stands
    between it and the word before, or when that word is a full stop (or ! ?) and it may open a
    sentence. Spaces and stops are found in the token arrays; only the words after a stop are read
    in Python."""
    if not len(doc):
        return doc
    attrs = doc.to_array([IS_SPACE, ORTH])
    words = numpy.flatnonzero(attrs[:, 0] == 0)
    spaces = numpy.flatnonzero(attrs[:, 0])
    broken = spaces[[("\n" in doc[int(i)].text) for i in spaces]] if len(spaces) else spaces
    starts = numpy.full((len(doc), 1), _NOT_START, dtype="uint64")
    starts[0, 0] = 1
    if len(words):
        starts[words[0], 0] = 1
        previous, current = words[:-1], words[1:]
        after_break = numpy.searchsorted(broken, current) > numpy.searchsorted(broken, previous)
        starts[current[after_break], 0] = 1
        after_stop = numpy.isin(attrs[previous, 1], _ENDER_IDS) & ~after_break
        for i in current[after_stop].tolist():
            if _opens_sentence(doc[i].text):
                starts[i, 0] = 1
    doc.from_array([SENT_START], starts)
    return doc
