"""Rule regexes with anchor words, as the case-marker and outcome recognizers run them.

A rule may list anchor words, one of which must occur in the lower-case text for the rule to be
tried at all. Rules share most of their anchors, so each distinct anchor is looked up once per
text. A rule written without upper-case letters runs on the lower-case text (`lower_same_length`
keeps offsets), any other on the text as written.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from extractor.components.lowercase import is_case_sensitive
from extractor.parsers.prefilter import Prefiltered

Rule = TypeVar("Rule")


@dataclass(frozen=True, slots=True)
class _Compiled(Generic[Rule]):
    rule: Rule
    regex: Prefiltered
    cased: bool
    anchors: frozenset[str]


class AnchoredRules(Generic[Rule]):
    """Compiled rule regexes, each with the rule it belongs to and its anchor words."""

    def __init__(self, rules: Iterable[tuple[Rule, str, Sequence[str]]]) -> None:
        self.compiled = [
            _Compiled(rule, Prefiltered.compile(pattern), is_case_sensitive(pattern), frozenset(anchors))
            for rule, pattern, anchors in rules
        ]
        self.anchors = sorted({a for c in self.compiled for a in c.anchors})

    def finditer(self, text: str, lowered: str, folded: str) -> Iterator[tuple[Rule, re.Match[str]]]:
        """Every match of every rule, rule by rule (`lowered` and `folded` are `text`'s forms)."""
        present = {a for a in self.anchors if a in lowered}
        for c in self.compiled:
            if c.anchors and present.isdisjoint(c.anchors):
                continue
            for m in c.regex.finditer(text if c.cased else lowered, folded):
                yield c.rule, m
