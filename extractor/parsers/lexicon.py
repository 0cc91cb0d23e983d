"""What the genetics parsers share about their pattern files: a strict base model, the
table of look-alike characters and `{NAME}` macro expansion.

Files are found and read by `extractor.patterns`; the models here forbid unknown keys (a typo
in a pattern file is an error at load time) and are immutable.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict

from extractor.patterns import PatternError, load_json


class Strict(BaseModel):
    """Base of every pattern-file model of the parsers: unknown keys are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Replace `{NAME}` macros until none is left; quantifiers like `{0,5}` are left alone."""
    for _ in range(10):
        expanded = re.sub(r"\{([A-Z0-9]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"macro expansion does not terminate: {pattern[:80]}")


class _Characters(Strict):
    description: str
    equivalents: dict[str, str]


@cache
def character_table() -> dict[int, str]:
    """`str.translate` table mapping look-alike characters (unicode minus, dashes, tilde, fullwidth
    punctuation, odd spaces) to the ASCII ones of the notations, one character to one, so that
    offsets into the translated text are offsets into the original."""
    data = load_json("characters.json", _Characters)
    table: dict[int, str] = {}
    for ascii_char, variants in data.equivalents.items():
        if len(ascii_char) != 1:
            raise PatternError(f"characters.json: key {ascii_char!r} is not one character")
        for variant in variants:
            table[ord(variant)] = ascii_char
    return table
