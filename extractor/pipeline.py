"""Builds the spaCy `Language` and turns a Document into an `Analysis`.

The pipeline stands on `spacy.blank("en")`: scispaCy's biomedical tokenizer
and abbreviation detector, a rule sentence splitter, the project's recognizers
(spaCy factories reading `patterns/`), and medspaCy's ConText for negation,
uncertainty, history, hypotheticals and family. No trained model is loaded and
nothing is downloaded.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field

import spacy
from pydantic import BaseModel, ConfigDict
from extractor.medspacy_context import ConText
from spacy.attrs import IS_SPACE, LOWER
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components import base, cases, demographics, diagnoses, genetics, outcomes, time, treatments  # noqa: F401  (registers factories)
from extractor.components.abbreviations import BoundedAbbreviations  # noqa: F401  (registers the factory)
from extractor.components.base import MENTIONS, keep_text
from extractor.components.sentences import case_sentences  # noqa: F401  (registers the component)
from extractor.context_rules import load_context_rules
from extractor.document import Document
from extractor.patterns import load_json
from extractor.schema import Mention

RECOGNIZERS: tuple[str, ...] = (
    "demographics",
    "case_markers",
    "treatments",
    "durations",
    "diagnoses",
    "outcomes",
    "cohort_stats",
    "genetics",
)
"""The project's recognizer factories, in the order they run."""

LEXICAL_ATTRS: tuple[int, ...] = (LOWER, IS_SPACE)
"""The word attributes the pipeline reads: LOWER (the recognizers' and medspaCy's phrase
matchers, the sex words) and IS_SPACE (the sentence splitter). spaCy computes each attribute of
its language in Python for every word it has not seen (shape, stop word, URL, ...), a third of
the tokenizer's time on new text; the others are not computed."""

CONTEXT_FLAGS: dict[str, str] = {
    "is_negated": "negated",
    "is_uncertain": "uncertain",
    "is_historical": "historical",
    "is_hypothetical": "hypothetical",
    "is_family": "family",
}
"""medspaCy ConText span attributes and the mention attribute each one becomes."""


@Language.component("mention_group")
def mention_group(doc: Doc) -> Doc:
    """Start every Doc with an empty mention group, so later components can rely on it."""
    doc.spans[MENTIONS] = []
    return doc


def build_pipeline(recognizers: tuple[str, ...] = RECOGNIZERS, abbreviations: bool = True) -> Language:
    """The full pipeline: tokenizer, sentences, abbreviations, recognizers, ConText."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        nlp = spacy.blank("en")
        nlp.tokenizer = combined_rule_tokenizer(nlp)
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in LEXICAL_ATTRS}
    _add_infixes(nlp)
    nlp.add_pipe("case_sentences")
    if abbreviations:
        nlp.add_pipe("bounded_abbreviations")
    nlp.add_pipe("mention_group")
    for name in recognizers:
        nlp.add_pipe(name)
    context: ConText = nlp.add_pipe(
        "medspacy_context",
        config={"rules": None, "input_span_type": "group", "span_group_name": MENTIONS},
    )
    context.add(load_context_rules())
    return nlp


class InfixRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    regex: str
    why: str


class TokenizerRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    infixes: list[InfixRule]


def _add_infixes(nlp: Language) -> None:
    """Extend scispaCy's infix rules with the project's (`patterns/tokenizer.json`)."""
    rules = load_json("tokenizer.json", TokenizerRules)
    pattern = "|".join([nlp.tokenizer.infix_finditer.__self__.pattern, *(r.regex for r in rules.infixes)])
    nlp.tokenizer.infix_finditer = re.compile(pattern).finditer


@dataclass(slots=True)
class Analysis:
    """What the pipeline found in one Document, free of spaCy objects: the input of record assembly."""

    document: Document
    mentions: list[Mention]
    sentences: list[tuple[int, int]]
    abbreviations: dict[str, str] = field(default_factory=dict)


def make_doc(nlp: Language, text: str) -> Doc:
    """The tokenized Doc of `text`, which keeps `text` for the recognizers (`base.doc_text`):
    spaCy's tokenization loses no character, so the Doc's text is `text` itself."""
    doc = nlp.make_doc(text)
    keep_text(doc, text)
    return doc


def analyse(nlp: Language, document: Document) -> Analysis:
    """Run the pipeline over a document and collect its mentions, sentences and abbreviations."""
    doc = nlp(make_doc(nlp, document.text))
    return to_analysis(doc, document)


def to_analysis(doc: Doc, document: Document) -> Analysis:
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    sentence_starts = [s for s, _ in sentences]
    found: list[Mention] = []
    for span in doc.spans[MENTIONS]:
        data = span._.mention
        attrs = dict(data.attrs)
        for spacy_attr, name in CONTEXT_FLAGS.items():
            if getattr(span._, spacy_attr, False):
                attrs[name] = True
        i = max(bisect_right(sentence_starts, data.start) - 1, 0)
        attrs["sentence"] = list(sentences[i]) if sentences else [0, len(document.text)]
        found.append(
            Mention(
                doc_id=document.doc_id,
                start=data.start,
                end=data.end,
                label=data.label,
                text=document.text[data.start : data.end],
                norm=data.norm,
                attrs=attrs,
                page=document.page_at(data.start),
            )
        )
    found.sort(key=lambda m: (m.start, m.end, m.label))
    abbreviations = {str(a): str(a._.long_form) for a in getattr(doc._, "abbreviations", [])}
    return Analysis(document, found, sentences, abbreviations)
