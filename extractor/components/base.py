"""What every project component shares: how a mention is put on a Doc.

A mention is a span in `doc.spans["mentions"]`. Its exact character offsets,
normalized value and attributes live in extensions, because recognizers
(karyotypes, variants) find spans that need not align with scispaCy's tokens:
the spaCy span is widened to whole tokens for ConText and sentences, the
mention keeps the exact characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

MENTIONS = "mentions"

if not Span.has_extension("mention"):
    Span.set_extension("mention", default=None)


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
    if not 0 <= start < end <= len(doc.text):
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    group = doc.spans[MENTIONS] if MENTIONS in doc.spans else None
    index = len(group) if group is not None else 0
    tagged = Span(doc, span.start, span.end, label=label, span_id=index + 1)
    tagged._.mention = MentionData(start, end, label, norm, dict(attrs))
    if group is None:
        doc.spans[MENTIONS] = [tagged]
    else:
        group.append(tagged)
    return tagged


def mentions(doc: Doc, label: str | None = None) -> list[Span]:
    """The mention spans of `doc`, optionally of one label, in the order they were added."""
    if MENTIONS not in doc.spans:
        return []
    return [s for s in doc.spans[MENTIONS] if label is None or s.label_ == label]
