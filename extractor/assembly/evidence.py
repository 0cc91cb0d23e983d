"""Evidence of a value: the mention it came from, as the record carries it."""

from __future__ import annotations

from collections.abc import Iterable

from extractor.schema import Evidence, Mention


def evidence_of(mentions: Iterable[Mention]) -> list[Evidence]:
    """One Evidence per mention, in document order, without duplicates."""
    seen: set[tuple[int, int]] = set()
    out: list[Evidence] = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(Evidence(start=m.start, end=m.end, text=m.text, page=m.page))
    return out


def is_asserted(m: Mention) -> bool:
    """False for mentions ConText marked negated, hypothetical or about the family."""
    return not (m.attrs.get("negated") or m.attrs.get("hypothetical") or m.attrs.get("family"))
