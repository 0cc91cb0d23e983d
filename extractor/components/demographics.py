"""Age and sex mentions (`AGE`, `SEX`) from the rules in `patterns/demographics.json`."""

import re
from functools import cached_property

from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention
from extractor.parsers.numbers import parse_number
from extractor.patterns import load_json


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeRule(_Strict):
    id: str
    regex: str


class SexRule(_Strict):
    value: str
    words: list[str]


class DemographicRules(_Strict):
    age: list[AgeRule]
    sex: list[SexRule]

    @cached_property
    def age_regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{r.regex})".replace("?P<age>", f"?P<age{i}>") for i, r in enumerate(self.age)))

    @cached_property
    def sex_words(self) -> dict[str, str]:
        return {w: rule.value for rule in self.sex for w in rule.words}


class Demographics:
    """Marks ages ("a 71-year-old", "aged 65") and words that state sex ("man", "she")."""

    def __init__(self, rules_file: str) -> None:
        self.rules = load_json(rules_file, DemographicRules)

    def __call__(self, doc: Doc) -> Doc:
        for match in self.rules.age_regex.finditer(doc.text):
            group = next(g for g, v in match.groupdict().items() if v is not None)
            age = parse_number(match.group(group))
            if age is not None and 0 < age < 120:
                add_mention(doc, match.start(), match.end(), "AGE", age)
        words = self.rules.sex_words
        for token in doc:
            value = words.get(token.lower_)
            if value is not None:
                add_mention(doc, token.idx, token.idx + len(token.text), "SEX", value)
        return doc


@Language.factory("demographics", default_config={"rules_file": "demographics.json"})
def make_demographics(nlp: Language, name: str, rules_file: str) -> Demographics:
    return Demographics(rules_file)
