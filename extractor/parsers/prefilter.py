"""A cheap necessary condition for a regex to match: literal text that every match contains.

Python's `re` skips ahead to a pattern's literal prefix, but finds none when the pattern opens
with `\\b`, a look-behind or a case-insensitive letter, as most of our rule patterns do: such a
pattern is tried at every position of the text. Most rules cannot match most abstracts
("isochromosome", "translocation between", "IVS"), and `str.__contains__` rules that out far
faster than the regex engine. So each pattern is parsed once (with `re`'s own parser) for the
literals one of which any match must contain, and `Prefiltered.finditer` runs the regex only on
a text holding one.

The condition is derived, never written by hand, so it cannot drift from the pattern; a pattern
with no usable literal (one opening with `[ACGT]\\d+`, say) always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _casefix, _constants, _parser  # type: ignore[attr-defined]
from typing import Any

MIN_LITERAL = 3
"""Shorter literals ("of", "a") occur in nearly every text: they would only cost the check. A
literal with a mark in it counts one more ("p.", "c." are rare in prose)."""

MAX_EXPANSION = 16
"""A small character class inside a literal run expands it (`[cg]\\.` to "c.", "g.") up to this many."""

_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)
_FOLD = str.maketrans(
    {chr(code): chr(min(code, *others)) for code, others in _casefix._EXTRA_CASES.items()} | {"\u0130": "i"}
)
"""Characters `re` matches case-insensitively beyond `str.lower` ("ſ" for "s", "µ" for "μ"),
each mapped to one representative, so a case-insensitive match implies a literal hit."""


def fold(text: str) -> str:
    """The form literals are looked up in: lower case, `re`'s extra case equivalences merged."""
    return text.translate(_FOLD).lower().translate(_FOLD)


def required_literals(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Folded literals one of which every match of `regex` contains, or None when there is no
    such set of literals of at least MIN_LITERAL characters."""
    try:
        parsed = _parser.parse(regex.pattern, regex.flags)
    except (re.error, RecursionError):
        return None
    found = _sequence(list(parsed))
    if found is None or _weakest(found) < MIN_LITERAL:
        return None
    return found


def _sequence(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The most selective requirement among the items of a concatenation (all must match)."""
    best: frozenset[str] | None = None
    empty = frozenset({""})
    run = empty
    for op, av in [*items, (None, None)]:
        chars = _chars(op, av)
        if chars is not None and len(run) * len(chars) <= MAX_EXPANSION:
            run = frozenset(s + c for s in run for c in chars)
            continue
        if run != empty:
            best = _better(best, frozenset(fold(s) for s in run))
        run = chars if chars is not None else empty
        if chars is None and op is not None:
            best = _better(best, _item(op, av))
    return best


def _chars(op: Any, av: Any) -> frozenset[str] | None:
    """The characters a literal or a small class of literals matches, else None."""
    if op is _constants.LITERAL:
        return frozenset({chr(av)})
    if op is _constants.IN and len(av) <= MAX_EXPANSION and all(kind is _constants.LITERAL for kind, _ in av):
        return frozenset(chr(value) for _, value in av)
    return None


def _weight(literal: str) -> int:
    return len(literal) + (not literal.isalnum())


def _weakest(requirement: frozenset[str]) -> int:
    return min(map(_weight, requirement))


def _item(op: Any, av: Any) -> frozenset[str] | None:
    if op is _constants.SUBPATTERN:
        return _sequence(list(av[3]))
    if op is _constants.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in _REPEATS:
        low, _, body = av
        return _sequence(list(body)) if low >= 1 else None
    if op is _constants.BRANCH:
        branches = [_sequence(list(branch)) for branch in av[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*branches)  # type: ignore[arg-type]
    return None


def _better(current: frozenset[str] | None, candidate: frozenset[str] | None) -> frozenset[str] | None:
    """The requirement whose weakest literal is longer; on a tie, the one with fewer literals."""
    if candidate is None:
        return current
    if current is None:
        return candidate
    key = lambda req: (_weakest(req), -len(req))  # noqa: E731
    return candidate if key(candidate) > key(current) else current


@dataclass(frozen=True, slots=True)
class Prefiltered:
    """A compiled regex with the literals one of which any of its matches contains."""

    regex: re.Pattern[str]
    literals: frozenset[str] | None

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Prefiltered:
        regex = re.compile(pattern, flags)
        return cls(regex, required_literals(regex))

    def may_match(self, folded: str) -> bool:
        """False when `folded` (the text through `fold`) cannot hold a match."""
        return self.literals is None or any(literal in folded for literal in self.literals)

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """`regex.finditer(text)`, skipped when `folded` (`fold(text)`) holds none of the literals."""
        if self.may_match(folded):
            yield from self.regex.finditer(text)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.may_match(folded) else None
