"""Cheap necessary conditions for a regex to match, derived from the regex itself.

Python's `re` skips ahead to a pattern's literal prefix or first-character set, but finds none
when the pattern opens with `\\b`, a look-behind or a case-insensitive letter, as most of our
rule patterns do: such a pattern is tried at every position of the text. Three conditions, each
read once from the pattern with `re`'s own parser, avoid most of those tries:

- the literals one of which any match must contain. Most rules cannot match most abstracts
  ("isochromosome", "translocation between", "IVS"), and `str.__contains__` rules that out far
  faster than the regex engine;
- the character classes the first characters of any match fall in (`[ACDEFGHIKLMNPQRSTVWY][1-9]`
  for "V600E"), as an anchor regex that `re` can skip ahead to. The rule pattern is then tried
  only where the anchor matches;
- for a pattern `a|b|c`, the conditions of each alternative, which are often far stronger than
  those of the whole; the alternatives' matches are merged as `re` orders them.

The conditions are derived, never written by hand, so they cannot drift from the pattern; a
pattern with no usable condition (one opening with `[a-z]+`, say) runs as it is.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
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


@lru_cache(maxsize=None)
def _parse(pattern: str, flags: int) -> Any:
    """`re`'s parse of a pattern (a `SubPattern`, or None), done once for the analyses below."""
    try:
        return _parser.parse(pattern, flags)
    except (re.error, RecursionError):
        return None


def required_literals(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Folded literals one of which every match of `regex` contains, or None when there is no
    such set of literals of at least MIN_LITERAL characters."""
    parsed = _parse(regex.pattern, regex.flags)
    if parsed is None:
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


MAX_ANCHOR = 4
"""Leading character classes read into an anchor: enough to make a hit rare."""

_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)
_CATEGORIES = {
    _constants.CATEGORY_DIGIT: r"\d",
    _constants.CATEGORY_NOT_DIGIT: r"\D",
    _constants.CATEGORY_SPACE: r"\s",
    _constants.CATEGORY_NOT_SPACE: r"\S",
    _constants.CATEGORY_WORD: r"\w",
    _constants.CATEGORY_NOT_WORD: r"\W",
}
COMMON_CHARACTERS = "abcdefghijklmnopqrstuvwxyz "
MAX_HIT_SHARE = 0.01
"""An anchor is used when its classes admit few of the COMMON_CHARACTERS: one that hits often
costs a Python-level try per hit, more than the plain scan saves."""
_MAX_CASED_RANGE = 256
"""A case-insensitive range is spelled out character by character up to this size."""

Atoms = frozenset[str]
"""A character class as the regex source of its members (`a`, `\\d`, `0-9`)."""


def anchor_pattern(regex: re.Pattern[str]) -> str | None:
    """A regex matching the first characters of every match of `regex` (`[p][\\.]` for "p.V600E"),
    or None when those classes would not rule out most positions of prose."""
    parsed = _parse(regex.pattern, regex.flags)
    if parsed is None:
        return None
    classes, _ = _lead(list(parsed), MAX_ANCHOR, bool(regex.flags & re.IGNORECASE))
    if not classes or _hit_share(classes) > MAX_HIT_SHARE:
        return None
    return "".join("[" + "".join(sorted(atoms)) + "]" for atoms in classes)


def _hit_share(classes: list[Atoms]) -> float:
    """A rough share of the positions of prose where the classes match: each class counts by the
    share of COMMON_CHARACTERS it admits (upper case, digits and marks count as rare)."""
    share = 1.0
    for atoms in classes:
        admits = re.compile("[" + "".join(atoms) + "]").match
        share *= sum(admits(c) is not None for c in COMMON_CHARACTERS) / len(COMMON_CHARACTERS)
    return share


def _lead(items: list[tuple[Any, Any]], limit: int, ignore: bool) -> tuple[list[Atoms], bool]:
    """The classes of the first characters any match of `items` begins with (at most `limit`),
    and whether `items` was read to its end, so that what follows may add classes."""
    out: list[Atoms] = []
    for index, (op, av) in enumerate(items):
        if len(out) >= limit:
            return out, False
        if op in _ZERO_WIDTH:
            continue
        atoms = _atoms(op, av, ignore)
        if atoms is not None:
            out.append(atoms)
            continue
        if op is _constants.SUBPATTERN:
            _, add, remove, body = av
            inner = (ignore or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            classes, done = _lead(list(body), limit - len(out), inner)
        elif op is _constants.ATOMIC_GROUP:
            classes, done = _lead(list(av), limit - len(out), ignore)
        elif op in _REPEATS and av[0] >= 1:
            classes, done = _lead(list(av[2]), limit - len(out), ignore)
            done = done and av[0] == av[1] == 1
        elif op in _REPEATS:
            first, _ = _lead(list(av[2]), 1, ignore)
            then, _ = _lead(items[index + 1 :], 1, ignore)
            return (out + [first[0] | then[0]] if first and then else out), False
        elif op is _constants.BRANCH:
            branches = [_lead(list(branch), limit - len(out), ignore) for branch in av[1]]
            length = min(len(classes) for classes, _ in branches)
            classes = [frozenset().union(*(b[i] for b, _ in branches)) for i in range(length)]
            done = all(d and len(b) == length for b, d in branches)
        else:
            return out, False
        out += classes
        if not done:
            return out, False
    return out, True


def _atoms(op: Any, av: Any, ignore: bool) -> Atoms | None:
    """The class of a one-character item, else None."""
    if op is _constants.LITERAL:
        return frozenset(re.escape(chr(c)) for c in (_cases(av) if ignore else {av}))
    if op is not _constants.IN:
        return None
    atoms: set[str] = set()
    for kind, value in av:
        if kind is _constants.LITERAL:
            atoms |= {re.escape(chr(c)) for c in (_cases(value) if ignore else {value})}
        elif kind is _constants.RANGE and not ignore:
            atoms.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is _constants.RANGE and value[1] - value[0] <= _MAX_CASED_RANGE:
            atoms |= {re.escape(chr(c)) for code in range(value[0], value[1] + 1) for c in _cases(code)}
        elif kind is _constants.CATEGORY and value in _CATEGORIES:
            atoms.add(_CATEGORIES[value])
        else:
            return None
    return frozenset(atoms)


def _cases(code: int) -> set[int]:
    """Every character `re` may match case-insensitively with `code` (a superset is safe)."""
    upper = chr(code).upper()
    out = {code}
    for c in (code, ord(upper) if len(upper) == 1 else code):
        low = _sre.unicode_tolower(c)
        out |= {c, low, *_lower_preimages().get(low, ()), *_casefix._EXTRA_CASES.get(low, ())}
    return out


@lru_cache(maxsize=1)
def _lower_preimages() -> dict[int, frozenset[int]]:
    """Characters by the lower case `re` gives them; no character beyond the BMP lowers into it."""
    table: dict[int, set[int]] = {}
    for code in range(0x10000):
        low = _sre.unicode_tolower(code)
        if low != code:
            table.setdefault(low, set()).add(code)
    return {low: frozenset(codes) for low, codes in table.items()}


def split_alternatives(regex: re.Pattern[str]) -> list[str] | None:
    """The sources of the top-level alternatives of `regex` (`a|b|c`), when each can be searched
    on its own (compiled with `regex.flags`): no group references, no empty matches, no verbose mode."""
    if regex.flags & re.VERBOSE:
        return None
    parsed = _parse(regex.pattern, regex.flags)
    parts = _top_level_split(regex.pattern)
    if parsed is None or len(parts) < 2 or _refers_to_groups(list(parsed)):
        return None
    for part in parts:
        tree = _parse(part, regex.flags)
        if tree is None or tree.getwidth()[0] == 0:
            return None
    return parts


def _top_level_split(pattern: str) -> list[str]:
    """`pattern` cut at each `|` outside groups and classes."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i)
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _refers_to_groups(items: list[tuple[Any, Any]]) -> bool:
    """Whether a backreference or a conditional group occurs: alternatives apart would renumber groups."""
    for op, av in items:
        if op in (_constants.GROUPREF, _constants.GROUPREF_EXISTS, _constants.GROUPREF_IGNORE):
            return True
        if op is _constants.SUBPATTERN:
            bodies = [av[3]]
        elif op is _constants.BRANCH:
            bodies = av[1]
        elif op in _REPEATS or op in (_constants.ASSERT, _constants.ASSERT_NOT):
            bodies = [av[-1]]
        elif op is _constants.ATOMIC_GROUP:
            bodies = [av]
        else:
            continue
        if any(_refers_to_groups(list(body)) for body in bodies):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Prefiltered:
    """A compiled regex with the literals one of which any of its matches contains, the anchor
    every match starts with, and, for `a|b|c`, each alternative prefiltered on its own."""

    regex: re.Pattern[str]
    literals: frozenset[str] | None
    anchor: re.Pattern[str] | None = None
    alternatives: tuple[Prefiltered, ...] = ()

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> Prefiltered:
        regex = re.compile(pattern, flags)
        whole = cls._single(regex)
        parts = [cls._single(re.compile(part, regex.flags)) for part in split_alternatives(regex) or ()]
        if sum(part.literals is None and part.anchor is None for part in parts) > 1:
            return whole
        return cls(regex, whole.literals, whole.anchor, tuple(parts))

    @classmethod
    def _single(cls, regex: re.Pattern[str]) -> Prefiltered:
        anchor = anchor_pattern(regex)
        return cls(regex, required_literals(regex), re.compile(anchor) if anchor else None)

    def may_match(self, folded: str) -> bool:
        """False when `folded` (the text through `fold`) cannot hold a match."""
        return self.literals is None or any(literal in folded for literal in self.literals)

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """`regex.finditer(text)`, by way of the conditions (`folded` is `fold(text)`)."""
        if not self.may_match(folded):
            return
        if self.alternatives:
            yield from self._merged(text, folded)
        elif self.anchor is None:
            yield from self.regex.finditer(text)
        else:
            pos = 0
            while found := self.search_from(text, pos):
                yield found
                pos = found.end()

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return next(self.finditer(text, folded), None)

    def occurs(self, text: str, folded: str) -> bool:
        """Whether `regex` matches anywhere in `text`: of `a|b|c`, any alternative will do, with no
        need to find which match `re` would give first."""
        if not self.may_match(folded):
            return False
        if self.alternatives:
            return any(p.may_match(folded) and p.search_from(text, 0) is not None for p in self.alternatives)
        return self.search_from(text, 0) is not None

    def search_from(self, text: str, pos: int) -> re.Match[str] | None:
        """`regex.search(text, pos)` by way of the anchor (the literals are the caller's to check)."""
        if self.anchor is None:
            return self.regex.search(text, pos)
        find, match = self.anchor.search, self.regex.match
        while hit := find(text, pos):
            if found := match(text, hit.start()):
                return found
            pos = hit.start() + 1
        return None

    def _merged(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """The alternatives' matches merged as `re` would find them: the leftmost first, and the
        whole pattern matched there, which takes the first alternative that matches (its groups
        numbered as in the whole pattern); the search goes on from its end."""
        live = [part for part in self.alternatives if part.may_match(folded)]
        pending: list[re.Match[str] | None] = [None] * len(live)
        pos = 0
        while live:
            for i, part in enumerate(live):
                hit = pending[i]
                if hit is None or hit.start() < pos:
                    pending[i] = part.search_from(text, pos)
            kept = [i for i, hit in enumerate(pending) if hit is not None]
            live, pending = [live[i] for i in kept], [pending[i] for i in kept]
            if not live:
                return
            found = self.regex.match(text, min(hit.start() for hit in pending if hit is not None))
            assert found is not None, f"an alternative matched where the whole did not: {self.regex.pattern}"
            yield found
            pos = found.end()
