"""The unit every reader produces and every later stage consumes.

A `Document` owns the exact text that all character offsets refer to. Readers
(text, JSONL, PDF) build it; the pipeline, assembly and writers only read it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Characters `[start, end)` of the document text that come from PDF page `page` (1-based)."""

    page: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """A typed region of the text: a section body, a caption, a heading.

    `kind` is one of `heading`, `body`, `caption`; `section` is the normalized
    section name the block belongs to (`abstract`, `case`, `discussion`, ...)
    or None when unknown.
    """

    start: int
    end: int
    kind: str
    section: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table found in a PDF, as raw cells (rows of strings, None for empty cells)."""

    page: int
    rows: list[list[str | None]]
    bbox: tuple[float, float, float, float] | None = None


@dataclass(slots=True)
class Document:
    """One input document: its id, where it came from and the text all offsets refer to.

    `pages` is empty for plain text; for PDFs it covers the text so that every
    character maps to a page. `excluded` keeps text that was read but is not
    analysed (running headers, references), by section name.
    """

    doc_id: str
    source: str
    text: str
    title: str | None = None
    pages: list[PageSpan] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page of character `offset`, or None for non-PDF text."""
        if not self.pages:
            return None
        starts = [p.start for p in self.pages]
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return self.pages[0].page
        return self.pages[i].page
