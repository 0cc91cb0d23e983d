"""Durations and cycle counts written in prose ("for the next 33 months", "two and a half years",
"3-4 years", "six cycles"), converted to months as the annotation guide says.

Pure: no spaCy. Unit words, qualifiers and the age/schedule traps live in
`patterns/durations.json`; number words come from `extractor.parsers.numbers`.
A number is only a time expression when a unit word follows it, so doses
("10 mg"), dates, percentages and counts are never found. Ages ("71-year-old",
"aged 65 years") are dropped here, schedules within a cycle ("for 12 days",
"28-day cycles") are flagged, because neither is ever a treatment duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from extractor.parsers.alternation import literal_alternation
from extractor.parsers.numbers import number_words, parse_number
from extractor.patterns import load_json

Kind = Literal["duration", "cycles"]
Bound = Literal["upper", "lower", "approximate"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitRule(_Strict):
    unit: str
    words: list[str]
    divide_by: float | None = None
    multiply_by: float | None = None


class QualifierRule(_Strict):
    bound: Bound
    regex: str


class DurationAttachment(_Strict):
    """Which treatment a duration belongs to; data for the durations component, kept beside the units."""

    description: str = ""
    of_link_words: list[str]
    before_leads: list[str]
    for_blockers: str
    max_for_gap: int
    bracket_cycles: str


class DurationRules(_Strict):
    description: str = ""
    units: list[UnitRule]
    cycle_words: list[str]
    cycle_modifiers: list[str]
    range_separators: list[str]
    lead: str
    qualifiers: list[QualifierRule]
    age_before: str
    age_after: str
    schedule_before: str
    schedule_after: str
    schedule_max_days: float
    attachment: DurationAttachment


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One duration or cycle count: offsets into the parsed string and its value.

    `start` includes a leading "for (the next)" when there is one (`lead`);
    `number_start` is where the number itself begins.
    """

    start: int
    end: int
    number_start: int
    kind: Kind
    value: float
    unit: str
    months: float | None
    low: float | None = None
    high: float | None = None
    lead: str | None = None
    bound: Bound | None = None
    adjectival: bool = False
    schedule: bool = False


@dataclass(frozen=True, slots=True)
class _Compiled:
    rules: DurationRules
    unit_of: dict[str, UnitRule]
    cycle_words: frozenset[str]
    trigger: re.Pattern[str]
    number_before: re.Pattern[str]
    cycle_number_before: re.Pattern[str]
    lead: re.Pattern[str]
    qualifiers: tuple[tuple[Bound, re.Pattern[str]], ...]
    age_before: re.Pattern[str]
    age_after: re.Pattern[str]
    schedule_before: re.Pattern[str]
    schedule_after: re.Pattern[str]
    compound: re.Pattern[str]




def number_regex() -> str:
    """A cardinal number as digits or words, optionally "and a half" ("two and a half", "2.5", "a")."""
    words = number_words()
    tens = literal_alternation(words.tens)
    units = literal_alternation(w for w, v in words.units.items() if v is not None)
    small = literal_alternation(
        [w for w, v in words.units.items() if v is not None and 0 < v < 10 and w not in ("a", "an")]
    )
    word = rf"(?:(?:{tens})[-\u2010\u2011 ](?:{small})|{tens}|{units})"
    return rf"(?:\d+(?:\.\d+)?|{word})(?:\s+and\s+(?:a\s+|one\s+)?half)?"


def duration_rules() -> DurationRules:
    """The rules of `patterns/durations.json`, validated."""
    return _compiled().rules


@cache
def _compiled() -> _Compiled:
    rules = load_json("durations.json", DurationRules)
    unit_of = {w.lower(): rule for rule in rules.units for w in rule.words}
    cycle_words = frozenset(w.lower() for w in rules.cycle_words)
    number = number_regex()
    separators = literal_alternation(rules.range_separators, ignore_case=True)
    ranged = rf"(?:(?P<low>{number})\s*(?:{separators})\s*)?(?P<value>{number})"
    modifiers = literal_alternation(rules.cycle_modifiers, ignore_case=True)
    flags = re.IGNORECASE
    return _Compiled(
        rules=rules,
        unit_of=unit_of,
        cycle_words=cycle_words,
        trigger=re.compile(
            rf"(?<![\w.])(?:{literal_alternation([*unit_of, *cycle_words], ignore_case=True)})(?![\w])", flags
        ),
        number_before=re.compile(
            rf"(?<![\w.,/])(?:{ranged})(?P<sep>\s*[-\u2010\u2011\u2013]\s*|\s+)$", flags
        ),
        cycle_number_before=re.compile(
            rf"(?<![\w.,/])(?:{ranged})(?:\s+(?:{modifiers}|\d+[-\u2010\u2011\u2013 ](?:day|week)))*\s+$",
            flags,
        ),
        lead=re.compile(rules.lead),
        qualifiers=tuple((q.bound, re.compile(q.regex, flags)) for q in rules.qualifiers),
        age_before=re.compile(rules.age_before, flags),
        age_after=re.compile(rules.age_after, flags),
        schedule_before=re.compile(rules.schedule_before, flags),
        schedule_after=re.compile(rules.schedule_after, flags),
        compound=re.compile(r"^,?\s+and\s+$", flags),
    )


def to_months(value: float, unit: str) -> float:
    """`value` `unit`s in months, one decimal: days/30.44, weeks/4.345, years*12 (guide section 4)."""
    rule = _compiled().unit_of.get(unit.lower())
    if rule is None:
        raise ValueError(f"not a time unit: {unit!r}")
    if rule.divide_by:
        return round(value / rule.divide_by, 1)
    return round(value * (rule.multiply_by or 1.0), 1)


def _value(text: str) -> float | None:
    """The value of one number, including "N and a half" forms parse_number does not cover."""
    whole, sep, fraction = text.lower().partition(" and ")
    base = parse_number(whole.strip())
    if base is None:
        return None
    if not sep:
        return base
    half = number_words().fractions.get(re.sub(r"\s+", " ", fraction.strip()).removeprefix("one ").strip())
    return base + half if half is not None else None


_LOOKBACK = 80


def find_time_expressions(text: str) -> list[TimeExpression]:
    """Every duration and cycle count in `text`, in order, ages excluded, schedules flagged."""
    c = _compiled()
    found: list[TimeExpression] = []
    for trigger in c.trigger.finditer(text):
        word = trigger.group(0).lower()
        window_start = max(0, trigger.start() - _LOOKBACK)
        before = text[window_start : trigger.start()]
        is_cycle = word in c.cycle_words
        m = (c.cycle_number_before if is_cycle else c.number_before).search(before)
        if m is None:
            continue
        value = _value(m.group("value"))
        if value is None or value <= 0:
            continue
        low = _value(m.group("low")) if m.group("low") else None
        if low is not None and low >= value:
            value = parse_number(f"{m.group('low')}-{m.group('value')}") or 0.0
            low = None
            if value <= 0:
                continue
        high = value if low is not None else None
        if low is not None and high is not None:
            value = (low + high) / 2
        number_start = window_start + m.start()
        prefix = text[max(0, number_start - _LOOKBACK) : number_start]
        after = text[trigger.end() : trigger.end() + 40]
        adjectival = not is_cycle and "\n" not in m.group("sep") and m.group("sep").strip() != ""
        if not is_cycle and (c.age_before.search(prefix) or c.age_after.match(after)):
            continue
        bound = next((b for b, rx in c.qualifiers if rx.search(prefix)), None)
        lead_match = c.lead.search(prefix)
        start = number_start - (len(prefix) - lead_match.start()) if lead_match else number_start
        unit = "cycle" if is_cycle else c.unit_of[word].unit
        months = None if is_cycle else to_months(value, unit)
        schedule = not is_cycle and (
            bool(c.schedule_before.search(prefix))
            or (unit in ("day", "week") and bool(c.schedule_after.match(after)))
            or (unit == "day" and value <= c.rules.schedule_max_days)
        )
        expression = TimeExpression(
            start=start,
            end=trigger.end(),
            number_start=number_start,
            kind="cycles" if is_cycle else "duration",
            value=round(value, 2),
            unit=unit,
            months=months,
            low=low,
            high=high,
            lead=lead_match.group(0).split()[0].lower() if lead_match else None,
            bound=bound,
            adjectival=adjectival,
            schedule=schedule,
        )
        found.append(_merge_compound(found, expression, text) if found else expression)
    return _outermost(found)


def _merge_compound(found: list[TimeExpression], current: TimeExpression, text: str) -> TimeExpression:
    """ "2 years and 9 months" is one duration of 33 months."""
    previous = found[-1]
    joiner = text[previous.end : current.number_start]
    if (
        previous.kind == current.kind == "duration"
        and previous.months is not None
        and current.months is not None
        and _compiled().compound.match(joiner)
        and previous.months > current.months
    ):
        found.pop()
        months = round(previous.months + current.months, 1)
        return TimeExpression(
            start=previous.start,
            end=current.end,
            number_start=previous.number_start,
            kind="duration",
            value=months,
            unit="month",
            months=months,
            lead=previous.lead,
            bound=previous.bound,
        )
    return current


def _outermost(found: list[TimeExpression]) -> list[TimeExpression]:
    """Drop expressions inside another ("28-day" inside "six 28-day cycles")."""
    kept = [e for e in found if not any(o is not e and o.start <= e.start and e.end <= o.end for o in found)]
    return sorted(kept, key=lambda e: e.start)
