"""What every project component shares: how a mention is put on a Doc.

A mention is a span in `doc.spans["mentions"]`. Its exact character offsets,
normalized value and attributes live in extensions, because recognizers
(karyotypes, variants) find spans that need not align with scispaCy's tokens:
the spaCy span is widened to whole tokens for ConText and sentences, the
mention keeps the exact characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from extractor.components.lowercase import lower_same_length
from extractor.parsers.prefilter import fold

MENTIONS = "mentions"

_DATA = "mention_data"
"""Key prefix of mention data in `doc.user_data`, stored by span id: spaCy keys span extension
values by character offsets only, so two mentions over the same words (a `GENE` and a `VARIANT`
on "FLT3-ITD", two findings of "t(11;22)(q23;q13)") would otherwise share one value."""


def _mention_data(span: Span) -> MentionData | None:
    return span.doc.user_data.get((_DATA, span.id))


if not Span.has_extension("mention"):
    Span.set_extension("mention", getter=_mention_data)


@dataclass(slots=True)
class MentionData:
    """The exact mention behind a span: offsets, label, normalized value, attributes."""

    start: int
    end: int
    label: str
    norm: str | float | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


def add_mention(
    doc: Doc,
    start: int,
    end: int,
    label: str,
    norm: str | float | None = None,
    **attrs: Any,
) -> Span | None:
    """Add a mention for characters `[start, end)`; None when the range is empty or out of the text."""
    if not len(doc) or not 0 <= start < end <= _text_length(doc):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    group = doc.spans[MENTIONS] if MENTIONS in doc.spans else None
    span_id = doc.user_data.get((_DATA, "count"), 0) + 1
    doc.user_data[(_DATA, "count")] = span_id
    tagged = Span(doc, span.start, span.end, label=label, span_id=span_id)
    doc.user_data[(_DATA, span_id)] = MentionData(start, end, label, norm, dict(attrs))
    if group is None:
        doc.spans[MENTIONS] = [tagged]
    else:
        group.append(tagged)
    return tagged


def doc_text(doc: Doc) -> str:
    """`doc.text`, built at most once per Doc: spaCy joins every token again on each `doc.text`,
    and every recognizer reads the whole text."""
    return _once(doc, "text", lambda: doc.text)


def keep_text(doc: Doc, text: str) -> None:
    """Give `doc` the text it was tokenized from, so that `doc_text` need not build it."""
    doc.user_data[(_DATA, "text")] = text


def doc_lowered(doc: Doc) -> str:
    """`lower_same_length(doc.text)`, built once per Doc for the recognizers that match lower case."""
    return _once(doc, "lowered", lambda: lower_same_length(doc_text(doc)))


def doc_folded(doc: Doc) -> str:
    """`fold(doc.text)`, built once per Doc: the text the recognizers' literal prefilters read."""
    return _once(doc, "folded", lambda: fold(doc_text(doc)))


def _once(doc: Doc, key: str, build: Callable[[], str]) -> str:
    value = doc.user_data.get((_DATA, key))
    if value is None:
        value = doc.user_data[(_DATA, key)] = build()
    return value


def _text_length(doc: Doc) -> int:
    """The length of `doc.text` without building it."""
    last = doc[-1]
    return last.idx + len(last) + len(last.whitespace_)


def mentions(doc: Doc, label: str | None = None) -> list[Span]:
    """The mention spans of `doc`, optionally of one label, in the order they were added."""
    if MENTIONS not in doc.spans:
        return []
    return [s for s in doc.spans[MENTIONS] if label is None or s.label_ == label]
