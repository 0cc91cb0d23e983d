"""Case markers (`CASE` mentions): "Case 1", "the second patient", "two patients", "both patients".

Segmentation (`assembly.cases`) needs to know where the text switches from one
patient to another and when it speaks of several reported patients at once.
The rules live in `patterns/cases.json`; the same file holds the sentence
cues segmentation uses, so one model describes both. Rules are written in lower
case and run on the lower-cased text (see `components.lowercase`); `anchors`
lists words one of which a text must contain for the rule to be tried.
"""

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention, doc_folded, doc_lowered, doc_text
from extractor.components.anchored import AnchoredRules
from extractor.parsers.numbers import parse_number
from extractor.patterns import load_json

MarkerKind = Literal["numbered", "one", "other", "group", "single", "subset", "singleton"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MarkerRule(_Strict):
    id: str
    kind: MarkerKind
    regex: str
    count: int | None = None
    distributive: bool = False
    anchors: list[str] = []
    context: str | None = None


class HeadingRule(_Strict):
    section: str
    regex: str


class CueRule(_Strict):
    id: str
    kind: Literal["literature", "statistic", "patient", "generic", "respectively", "observation"]
    regex: str


class CaseRules(_Strict):
    description: str = ""
    roman: dict[str, int]
    max_series: int = Field(gt=0)
    markers: list[MarkerRule]
    headings: list[HeadingRule]
    patient_sections: list[str]
    background_sections: list[str]
    relative_clause: str
    cues: list[CueRule]


@cache
def load_case_rules(name: str = "cases.json") -> CaseRules:
    """The validated rules of `patterns/<name>`, loaded once."""
    return load_json(name, CaseRules)


class CaseMarkers:
    """Marks every case marker with its kind, case number (`norm`) or patient count (`count`)."""

    def __init__(self, rules_file: str) -> None:
        self.rules = load_case_rules(rules_file)
        self.markers = AnchoredRules((rule, rule.regex, rule.anchors) for rule in self.rules.markers)
        self.contexts = {rule.id: re.compile(rule.context) for rule in self.rules.markers if rule.context}

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        lowered = doc_lowered(doc)
        folded = doc_folded(doc)
        found = list(self.markers.finditer(text, lowered, folded))
        found.sort(key=lambda f: (f[1].start(), -(f[1].end() - f[1].start())))
        last_end = -1
        for rule, match in found:
            if match.start() < last_end or not self._in_context(doc, lowered, rule, match):
                continue
            last_end = match.end()
            self._add(doc, rule, match)
        return doc

    def _in_context(self, doc: Doc, lowered: str, rule: MarkerRule, match: re.Match[str]) -> bool:
        """Rules with a `context` need it in their sentence ("were both" only where patients are spoken of)."""
        context = self.contexts.get(rule.id)
        if context is None:
            return True
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            return False
        sentence = span.sent if doc.has_annotation("SENT_START") else doc[:]
        return bool(context.search(lowered, sentence.start_char, sentence.end_char))

    def _add(self, doc: Doc, rule: MarkerRule, match: re.Match[str]) -> None:
        groups = match.groupdict()
        number = self._number(groups.get("num"))
        count = self._number(groups.get("count")) if groups.get("count") else rule.count
        attrs: dict[str, object] = {"kind": rule.kind, "rule": rule.id}
        if count is not None:
            attrs["count"] = int(count)
        if rule.distributive:
            attrs["distributive"] = True
        start, end = match.span("span") if groups.get("span") else match.span()
        add_mention(doc, start, end, "CASE", number, **attrs)

    def _number(self, text: str | None) -> float | None:
        if not text:
            return None
        if text in self.rules.roman:
            return float(self.rules.roman[text])
        return parse_number(text)


@Language.factory("case_markers", default_config={"rules_file": "cases.json"})
def make_case_markers(nlp: Language, name: str, rules_file: str) -> CaseMarkers:
    return CaseMarkers(rules_file)
