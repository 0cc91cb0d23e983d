"""Cytogenetic findings written in prose ("monosomy 7", "deletion of 7q", "Ph-negative") or as
inline ISCN outside a karyotype ("t(9;22)(q34;q11)"), mapped to the guide's short forms.

Phrases are rules in `patterns/cytogenetics.json` (regex templates with macros; a group named
`chrs`/`arms` holds a coordinated list, "deletion 7q, 20q" giving one finding per item). Inline
notation is read by the ISCN grammar of `iscn.py`, so both agree on `del(7)(q22)` -> `del(7q)`.
Spans inside a whole karyotype are skipped: `karyotype_findings` covers those.

Local negation ("no t(9;22)", "without ... 7q deletion", "t(9;22) was not detected") sets
`negated`; a pipeline's ConText pass may add more. A negated Philadelphia chromosome is the
guide's `Ph-` finding itself, so it is returned as `Ph-`, not negated.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from extractor.parsers.iscn import abnormality_findings, find_karyotypes, match_abnormality
from extractor.parsers.lexicon import Strict, character_table, expand_macros
from extractor.parsers.prefilter import Prefiltered, fold
from extractor.patterns import load_json


@dataclass(frozen=True)
class Finding:
    """One cytogenetic finding: offsets `[start, end)`, the guide's form, stated absent or not."""

    start: int
    end: int
    finding: str
    negated: bool = False


class _Rule(Strict):
    name: str
    findings: list[str]
    patterns: list[str]


class _Negation(Strict):
    before: list[str]
    after: list[str]
    breaks: list[str]
    window: int


class _CytogeneticsPatterns(Strict):
    macros: dict[str, str]
    rules: list[_Rule]
    notation: str
    negated_findings: dict[str, str]
    negation: _Negation


@dataclass(frozen=True)
class _Compiled:
    rule: _Rule
    regexes: tuple[Prefiltered, ...]


@dataclass(frozen=True)
class _Grammar:
    rules: tuple[_Compiled, ...]
    notation: re.Pattern[str]
    negated_findings: dict[str, str]
    before: re.Pattern[str]
    after: re.Pattern[str]
    breaks: re.Pattern[str]
    window: int
    item: re.Pattern[str]


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = load_json("cytogenetics.json", _CytogeneticsPatterns)
    rules = tuple(
        _Compiled(
            rule,
            tuple(Prefiltered.compile(expand_macros(p, data.macros), re.IGNORECASE) for p in rule.patterns),
        )
        for rule in data.rules
    )
    negation = data.negation
    return _Grammar(
        rules=rules,
        notation=re.compile(data.notation),
        negated_findings=dict(data.negated_findings),
        before=re.compile("|".join(negation.before), re.IGNORECASE),
        after=re.compile("|".join(negation.after), re.IGNORECASE),
        breaks=re.compile("|".join(negation.breaks), re.IGNORECASE),
        window=negation.window,
        item=re.compile(
            rf"{expand_macros('{BAND}', data.macros)}|{expand_macros('{CHR}', data.macros)}", re.IGNORECASE
        ),
    )


def find_cytogenetic_findings(
    text: str, karyotype_spans: Sequence[tuple[int, int]] | None = None
) -> list[Finding]:
    """Every prose or inline finding of `text` outside karyotypes, ordered by offset.

    `karyotype_spans` saves a second karyotype search when the caller already ran one.
    """
    grammar = _grammar()
    normalized = text.translate(character_table())
    folded = fold(normalized)
    blocked = list(karyotype_spans) if karyotype_spans is not None else find_karyotypes(text)
    blocked.sort()
    blocked_ends = [e for _, e in blocked]
    candidates: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for compiled in grammar.rules:
        for regex in compiled.regexes:
            for match in regex.finditer(normalized, folded):
                if _inside(blocked, blocked_ends, match.start(), match.end()):
                    continue
                items = _rule_findings(grammar, compiled.rule, match)
                if items:
                    candidates.append((match.start(), match.end(), items))
    notation_end = -1
    for match in grammar.notation.finditer(normalized):
        if match.start() < notation_end or _inside(blocked, blocked_ends, match.start(), match.end()):
            continue
        parsed = match_abnormality(normalized, match.start())
        if parsed is not None:
            notation_end = parsed[1]
            forms = list(dict.fromkeys(abnormality_findings(parsed[0])))
            candidates.append(
                (match.start(), parsed[1], [(match.start(), parsed[1], form) for form in forms])
            )
    candidates.sort(key=lambda item: (item[0], -item[1]))
    findings: list[Finding] = []
    last_end = -1
    for start, end, items in candidates:
        if start < last_end or _inside(blocked, blocked_ends, start, end):
            continue
        last_end = end
        negated = _negated(grammar, normalized, start, end)
        for item_start, item_end, form in items:
            if negated and form in grammar.negated_findings:
                findings.append(Finding(item_start, item_end, grammar.negated_findings[form], False))
            else:
                findings.append(Finding(item_start, item_end, form, negated))
    return findings


def _inside(blocked: list[tuple[int, int]], ends: list[int], start: int, end: int) -> bool:
    """Whether `[start, end)` overlaps a karyotype span; spans are sorted and do not overlap."""
    index = bisect_right(ends, start)
    return index < len(blocked) and blocked[index][0] < end


def _rule_findings(grammar: _Grammar, rule: _Rule, match: re.Match[str]) -> list[tuple[int, int, str]]:
    """One (start, end, finding) per item of the match; list items get their own spans."""
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    listed = "chrs" if "chrs" in groups else "arms" if "arms" in groups else None
    if listed is None:
        values = dict(groups)
        if "armword" in values and "chr" in values:
            values["arm"] = values["chr"] + ("q" if values["armword"].lower() == "long" else "p")
        return [(match.start(), match.end(), _fill(template, values)) for template in rule.findings]
    found: list[tuple[int, int, str]] = []
    offset = match.start(listed)
    listing = match.group(listed)
    for index, item in enumerate(grammar.item.finditer(listing)):
        value = item.group()
        sign = listing[item.start() - 1 : item.start()] if item.start() else ""
        values = {"chr": value, "arm": _arm_of(value), "sign": sign}
        start = match.start() if index == 0 else offset + item.start() - (sign in ("+", "-"))
        for template in rule.findings:
            found.append((start, offset + item.end(), _fill(template, values)))
    return found


def _arm_of(value: str) -> str:
    match = re.match(r"(\d{1,2}|X|Y)(?:\s?\(?([pq]))?", value, re.IGNORECASE)  # "19q", "19 (q"
    if match is None:
        return value
    return match.group(1).upper() + (match.group(2) or "").lower()


def _fill(template: str, values: dict[str, str]) -> str:
    normalized = {
        key: _arm_of(value) if key in ("arm", "chr", "a", "b") else value for key, value in values.items()
    }
    return template.format(**{key: normalized.get(key, "") for key in ("chr", "arm", "a", "b", "sign")})


def _negated(grammar: _Grammar, text: str, start: int, end: int) -> bool:
    """A negation cue in the same clause, at most `window` characters before or just after."""
    before = text[max(0, start - grammar.window) : start]
    if grammar.before.search(before):
        cut = [m.end() for m in grammar.breaks.finditer(before)]
        if not cut or grammar.before.search(before, cut[-1]):
            return True
    return bool(grammar.after.match(text[end : end + 40]))
