"""Age and sex mentions (`AGE`, `SEX`) from the rules in `patterns/demographics.json`.

Words for relatives ("her 70-year-old mother", "his son") describe someone
else, so ages followed by one are not marked and relatives are not sex words.
An age after a bound ("under 21 years of age", "median age 65") is an
eligibility limit or a statistic, not a patient's age.
Sex mentions record whether they are a noun ("woman") or a pronoun ("she"):
the filler trusts nouns first.
"""

import re
from functools import cached_property
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc

from extractor.components.base import add_mention, doc_text
from extractor.parsers.alternation import literal_alternation
from extractor.parsers.numbers import parse_number
from extractor.patterns import load_json

MONTHS_PER_YEAR = 12.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeRule(_Strict):
    id: str
    regex: str
    unit: Literal["year", "month"] = "year"


class SexRule(_Strict):
    value: Literal["male", "female"]
    kind: Literal["noun", "pronoun"]
    words: list[str]


class DemographicRules(_Strict):
    relatives: list[str]
    bounds: str
    age: list[AgeRule]
    sex: list[SexRule]

    @cached_property
    def age_regex(self) -> re.Pattern[str]:
        return re.compile(
            "|".join(f"(?:{r.regex})".replace("?P<age>", f"?P<age{i}>") for i, r in enumerate(self.age))
        )

    @cached_property
    def relative_regex(self) -> re.Pattern[str]:
        words = literal_alternation(self.relatives, ignore_case=True)
        return re.compile(rf"^[\s,]+(?:[\w-]+\s+)?(?:{words})\b", re.IGNORECASE)

    @cached_property
    def bounds_regex(self) -> re.Pattern[str]:
        return re.compile(self.bounds, re.IGNORECASE)

    @cached_property
    def sex_words(self) -> dict[str, SexRule]:
        return {w: rule for rule in self.sex for w in rule.words}


class Demographics:
    """Marks ages ("a 71-year-old", "aged 65", "an 8-month-old") and words that state sex ("man", "she")."""

    def __init__(self, rules_file: str) -> None:
        self.rules = load_json(rules_file, DemographicRules)
        self.sex_ids = np.array([hash_string(w) for w in self.rules.sex_words], dtype=np.uint64)
        """The sex words as the hashes of their lower case, to find them in `doc.to_array(LOWER)`
        without a Python step per token."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        for match in self.rules.age_regex.finditer(text):
            group = next(g for g, v in match.groupdict().items() if v is not None)
            rule = self.rules.age[int(group[3:])]
            age = parse_number(match.group(group))
            if age is None or self.rules.relative_regex.match(text[match.end() : match.end() + 30]):
                continue
            if self.rules.bounds_regex.search(text[max(0, match.start() - 20) : match.start()]):
                continue
            years = round(age / MONTHS_PER_YEAR, 1) if rule.unit == "month" else age
            if 0 < years < 120:
                add_mention(doc, match.start(), match.end(), "AGE", years)
        words = self.rules.sex_words
        for i in np.flatnonzero(np.isin(doc.to_array(LOWER), self.sex_ids)).tolist():
            token = doc[i]
            sex = words[token.lower_]
            add_mention(doc, token.idx, token.idx + len(token.text), "SEX", sex.value, kind=sex.kind)
        return doc


@Language.factory("demographics", default_config={"rules_file": "demographics.json"})
def make_demographics(nlp: Language, name: str, rules_file: str) -> Demographics:
    return Demographics(rules_file)
