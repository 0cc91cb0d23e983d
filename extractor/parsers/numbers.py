"""Numbers written as digits or words ("33", "2.5", "four", "twenty-one", "two and a half", "11th").

Pure: no spaCy. The word lists live in `patterns/numbers.json`.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from extractor.parsers.alternation import literal_alternation
from extractor.patterns import load_json


class NumberWords(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    units: dict[str, float | None]
    tens: dict[str, float]
    ordinals: dict[str, float]
    fractions: dict[str, float]


_DIGITS = re.compile(r"^(\d+(?:[.,·]\d+)?)(?:st|nd|rd|th)?$")


@cache
def number_words() -> NumberWords:
    return load_json("numbers.json", NumberWords)


def parse_number(text: str) -> float | None:
    """The value of a number written as digits or English words, or None if `text` is not one."""
    s = text.strip().lower().replace("\u2011", "-").replace("\u2010", "-")
    if not s:
        return None
    m = _DIGITS.match(s)
    if m:
        return float(m.group(1).replace(",", ".").replace("·", "."))
    words = number_words()
    whole, _, fraction = s.partition(" and ")
    value = _word_integer(whole, words)
    if value is None:
        return None
    if fraction:
        frac = words.fractions.get(fraction)
        if frac is None:
            return None
        value += frac
    return value


def _word_integer(s: str, words: NumberWords) -> float | None:
    if s in words.units:
        return words.units[s]
    if s in words.ordinals:
        return words.ordinals[s]
    if s in words.tens:
        return words.tens[s]
    tens, sep, unit = s.partition("-") if "-" in s else s.partition(" ")
    if sep and tens in words.tens:
        u = words.units.get(unit) or words.ordinals.get(unit)
        if u is not None and 0 < u < 10:
            return words.tens[tens] + u
    return None


def number_word_regex() -> str:
    """A regex alternation of every number word, longest first, for rules that accept words or digits."""
    words = number_words()
    tens = literal_alternation(words.tens)
    units = literal_alternation(w for w, v in words.units.items() if v is not None and v < 10)
    simple = literal_alternation({*words.units, *words.tens, *words.ordinals} - {"a", "an"})
    return rf"(?:(?:{tens})[- ](?:{units})|{simple})"
