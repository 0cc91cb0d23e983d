"""Page geometry for PDF text: glyphs into segments, running headers, columns, lines, paragraphs.

Pure geometry over plain values (no PDF library), so that reading order can be tested on
hand-made coordinates and the char source (pypdfium2 today) can change without touching it.
Coordinates are PDF points with the origin at the top-left of the page, y growing downwards.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

Glyph = tuple[str, float, float, float, float, float, bool, int]
"""One character as `(text, x0, top, x1, bottom, font size, bold, font id)`; whitespace carries no box."""

SEGMENT_GAP_EM = 0.8
"""A horizontal gap wider than this many font sizes ends a segment (word spaces stay below it)."""
WORD_GAP_EM = 0.2
"""A gap wider than this many font sizes reads as a space even when the PDF draws none."""
GUTTER_EM = 0.7
"""A vertical channel at least this wide (in page-median font sizes) separates two columns."""
JOIN_GAP_EM = 1.6
"""Widest gap that may still be a stretched word space in a justified line."""
EDGE_MIN = 4
"""Segments that must share a left (or right) position for it to be a column or cell edge."""
INDENT_EM = 1.5
"""How far past a shared left edge a line may start and still be that column's (indented) line."""
FLOAT_GAP_EM = 3.0
"""A gap taller than this within a column held a figure or table: only the lines' shape tells a paragraph break."""
MARGIN_ROWS = 2
MAX_RULES = 200
"""Rules looked at below one table caption, which bounds the work on pages full of vector graphics."""
"""How many rows at the top and at the bottom of a page may hold a running header or footer."""

_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[ivxlc\d]{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Segment:
    """A run of glyphs on one baseline with no wide gap: a line of one column, or one table cell."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    chars: int
    font: int

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Line:
    """A text line of one column in reading order, with the column it sits in."""

    page: int
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    font: int
    cells: int
    col_x0: float
    col_x1: float
    column: tuple[int, int]
    small_tail: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class _Builder:
    parts: list[str] = field(default_factory=list)
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    sizes: list[float] = field(default_factory=list)
    bold: int = 0
    fonts: dict[int, int] = field(default_factory=dict)
    last: str = ""
    last_x0: float = 0.0

    def segment(self) -> Segment:
        return Segment(
            text="".join(self.parts),
            x0=self.x0,
            top=self.top,
            x1=self.x1,
            bottom=self.bottom,
            size=median(self.sizes),
            bold=self.bold * 2 > len(self.sizes),
            chars=len(self.sizes),
            font=max(self.fonts, key=self.fonts.__getitem__),
        )


def _overlap(a_top: float, a_bottom: float, b_top: float, b_bottom: float) -> float:
    """Vertical overlap of two boxes as a share of the shorter one."""
    shorter = min(a_bottom - a_top, b_bottom - b_top)
    if shorter <= 0:
        return 0.0
    return max(0.0, min(a_bottom, b_bottom) - max(a_top, b_top)) / shorter


def build_segments(glyphs: Iterable[Glyph]) -> list[Segment]:
    """Group glyphs, in content-stream order, into segments; a new one starts at any jump."""
    segments: list[Segment] = []
    cur: _Builder | None = None
    space = False
    for text, x0, top, x1, bottom, size, bold, font in glyphs:
        if text.isspace():
            space = True
            continue
        if cur is not None:
            if (
                text == cur.last
                and abs(x0 - cur.last_x0) < 0.1 * size
                and _overlap(top, bottom, cur.top, cur.bottom) > 0.8
            ):
                continue
            gap = x0 - cur.x1
            forward = x0 >= cur.last_x0 - 0.25 * size
            if _overlap(top, bottom, cur.top, cur.bottom) >= 0.5 and forward and gap <= SEGMENT_GAP_EM * size:
                if space or gap > WORD_GAP_EM * size:
                    cur.parts.append(" ")
                cur.parts.append(text)
                cur.x1 = max(cur.x1, x1)
                cur.top = min(cur.top, top)
                cur.bottom = max(cur.bottom, bottom)
                cur.sizes.append(size)
                cur.bold += bold
                cur.fonts[font] = cur.fonts.get(font, 0) + 1
                cur.last, cur.last_x0 = text, x0
                space = False
                continue
            segments.append(cur.segment())
        cur = _Builder([text], x0, top, x1, bottom, [size], int(bold), {font: 1}, text, x0)
        space = False
    if cur is not None:
        segments.append(cur.segment())
    return segments


def _rows(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Segments grouped into horizontal rows across the whole page, top to bottom."""
    rows: list[list[Segment]] = []
    bounds: list[list[float]] = []
    for seg in sorted(segments, key=lambda s: (s.top, s.x0)):
        if rows and _overlap(seg.top, seg.bottom, bounds[-1][0], bounds[-1][1]) >= 0.5:
            rows[-1].append(seg)
            bounds[-1][1] = max(bounds[-1][1], seg.bottom)
            continue
        rows.append([seg])
        bounds.append([seg.top, seg.bottom])
    return rows


def _margin_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.lower().split()))


def running_segments(pages: Sequence[Sequence[Segment]], exempt: Callable[[str], bool]) -> list[set[int]]:
    """Per page, the indices of segments that are running headers, footers or page numbers.

    A segment counts when it sits in the first or last rows of its page and either looks like
    a page number or repeats (digits ignored) in the margins of another page. Segments that
    `exempt` accepts (captions: "Table 2" atop one page, "Table 3" atop the next) never count.
    """
    candidates: list[list[tuple[int, str]]] = []
    for segments in pages:
        rows = _rows(segments)
        edge = rows[:MARGIN_ROWS] + rows[-MARGIN_ROWS:] if len(rows) > MARGIN_ROWS * 2 else rows
        ids = {id(seg): i for i, seg in enumerate(segments)}
        candidates.append(
            [(ids[id(seg)], _margin_key(seg.text)) for row in edge for seg in row if not exempt(seg.text)]
        )
    seen = Counter(key for page in candidates for key in {k for _, k in page})
    result: list[set[int]] = []
    for page in candidates:
        result.append({i for i, key in page if seen[key] >= 2 or _PAGE_NUMBER.match(key.replace("#", "1"))})
    return result


def _union(spans: Iterable[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 - merged[-1][1] < min_gap:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


@dataclass(slots=True)
class _Group:
    segments: list[Segment]
    spans: list[tuple[float, float]]
    wide: bool


def _stripes(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Horizontal bands separated by vertical whitespace that no segment crosses."""
    stripes: list[list[Segment]] = []
    bottom = float("-inf")
    for seg in sorted(segments, key=lambda s: (s.top, s.x0)):
        if stripes and seg.top < bottom - 0.2 * seg.height:
            stripes[-1].append(seg)
            bottom = max(bottom, seg.bottom)
            continue
        stripes.append([seg])
        bottom = seg.bottom
    return stripes


def _groups(segments: Sequence[Segment], min_gutter: float, text_width: float) -> list[_Group]:
    """Stripes merged top-down while they share the same column gutters.

    A stripe that fits the columns of the band above joins it, however wide (a main column
    beside a sidebar); one that crosses a gutter (a title, a full-width caption) starts a new
    band; narrow stripes join the columns around them.
    """
    groups: list[_Group] = []
    for stripe in _stripes(segments):
        spans = _union(((s.x0, s.x1) for s in stripe), min_gutter)
        wide = len(spans) == 1 and spans[0][1] - spans[0][0] > 0.55 * text_width
        if groups:
            last = groups[-1]
            merged = _union(last.spans + spans, min_gutter)
            if len(last.spans) > 1:
                keeps = len(merged) == len(last.spans)
            else:
                keeps = not (wide or last.wide) and (len(spans) == 1 or len(merged) > 1)
            if keeps:
                last.segments.extend(stripe)
                last.spans = merged
                continue
        groups.append(_Group(list(stripe), spans, wide))
    return groups


def _column_lines(page: int, segments: list[Segment], col: tuple[int, int]) -> list[Line]:
    rows = _rows(segments)
    col_x0 = min(s.x0 for s in segments)
    col_x1 = max(s.x1 for s in segments)
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda s: s.x0)
        chars = sum(s.chars for s in row)
        fonts: Counter[int] = Counter()
        for s in row:
            fonts[s.font] += s.chars
        lines.append(
            Line(
                page=page,
                text=" ".join(s.text for s in row),
                x0=row[0].x0,
                top=min(s.top for s in row),
                x1=max(s.x1 for s in row),
                bottom=max(s.bottom for s in row),
                size=median(s.size for s in row for _ in range(min(s.chars, 50))),
                bold=sum(s.chars for s in row if s.bold) * 2 > chars,
                font=fonts.most_common(1)[0][0],
                cells=len(row),
                col_x0=col_x0,
                col_x1=col_x1,
                column=col,
            )
        )
    return lines


def _mark_small_tail(columns: list[list[Line]], body_size: float) -> None:
    """Flag the small print at the foot of a page: footnotes, affiliations, licence lines.

    Going up from the bottom, whole columns set smaller than the body are small print; in the
    last band that holds body text, so are the small lines closing each column, when a gap
    parts them from the body above.
    """
    start = len(columns)
    while start > 0 and all(line.size < body_size - 0.5 for line in columns[start - 1]):
        start -= 1
    for column in columns[start:]:
        for line in column:
            line.small_tail = True
    if start:
        band = columns[start - 1][0].column[0]
        for column in columns[:start]:
            if column[0].column[0] == band:
                _mark_column_tail(column, body_size)


def _mark_column_tail(column: list[Line], body_size: float) -> None:
    n = len(column)
    while n > 0 and column[n - 1].size < body_size - 0.5:
        n -= 1
    if n == 0 or n == len(column) or column[n].top - column[n - 1].bottom < 0.4 * body_size:
        return
    for line in column[n:]:
        line.small_tail = True


def _edges(values: Iterable[float]) -> set[float]:
    """Positions (to the half point) that at least EDGE_MIN segments share."""
    counts = Counter(round(v * 2) / 2 for v in values)
    return {x for x, n in counts.items() if n >= EDGE_MIN}


def _edge_between(edges: list[float], low: float, high: float) -> bool:
    """Whether a shared left edge lies in `(low, high]`: the piece starts a column or is indented in it."""
    i = bisect_right(edges, low)
    return i < len(edges) and edges[i] <= high


def join_word_gaps(segments: Sequence[Segment]) -> list[Segment]:
    """Segments split only by a loose justified word space joined back into one.

    A narrow justified column stretches word spaces beyond SEGMENT_GAP_EM, and the pieces
    would read as columns of their own. A gap is a word space when it is narrower than
    JOIN_GAP_EM, both sides are set in the same size, the left one does not end on a right
    edge that other segments share and the right one does not start on, or just after, a
    shared left edge (column and table cell edges are aligned, word positions are not).
    """
    starts = sorted(_edges(s.x0 for s in segments))
    rights = _edges(s.x1 for s in segments)
    out: list[Segment] = []
    for row in _rows(segments):
        row.sort(key=lambda s: s.x0)
        cur = row[0]
        for seg in row[1:]:
            gap = seg.x0 - cur.x1
            if (
                0 <= gap <= JOIN_GAP_EM * seg.size
                and abs(seg.size - cur.size) < 0.3
                and round(cur.x1 * 2) / 2 not in rights
                and not _edge_between(starts, cur.x1, seg.x0 + INDENT_EM * seg.size)
            ):
                cur = Segment(
                    text=f"{cur.text} {seg.text}",
                    x0=cur.x0,
                    top=min(cur.top, seg.top),
                    x1=seg.x1,
                    bottom=max(cur.bottom, seg.bottom),
                    size=cur.size,
                    bold=(cur.bold * cur.chars + seg.bold * seg.chars) * 2 > cur.chars + seg.chars,
                    chars=cur.chars + seg.chars,
                    font=cur.font if cur.chars >= seg.chars else seg.font,
                )
                continue
            out.append(cur)
            cur = seg
        out.append(cur)
    return out


def order_page(page: int, segments: Sequence[Segment], body_size: float) -> list[Line]:
    """The page's segments as lines in reading order: band by band, column by column."""
    if not segments:
        return []
    segments = join_word_gaps(segments)
    size = median(s.size for s in segments)
    min_gutter = GUTTER_EM * size
    text_width = max(s.x1 for s in segments) - min(s.x0 for s in segments)
    columns: list[list[Line]] = []
    for g, group in enumerate(_groups(segments, min_gutter, text_width)):
        parts: list[list[Segment]] = [[] for _ in group.spans]
        for seg in group.segments:
            center = (seg.x0 + seg.x1) / 2
            k = next((i for i, (_, x1) in enumerate(group.spans) if center <= x1), len(group.spans) - 1)
            parts[k].append(seg)
        columns.extend(_column_lines(page, part, (g, k)) for k, part in enumerate(parts) if part)
    _mark_small_tail(columns, body_size)
    return [line for column in columns for line in column]


def body_size(pages: Iterable[Iterable[Segment]]) -> float:
    """The font size of the running text: the largest size that sets a fifth of all characters.

    Not simply the commonest size, since small print (references, tables) can outweigh the
    body of a short article.
    """
    counts: Counter[float] = Counter()
    for segments in pages:
        for seg in segments:
            counts[round(seg.size, 1)] += seg.chars
    buckets: Counter[float] = Counter()
    for size, n in counts.items():
        buckets[round(size * 2) / 2] += n
    total = sum(counts.values())
    bucket = max((b for b, n in buckets.items() if n * 5 >= total), default=0.0)
    return max(counts, key=lambda size: (round(size * 2) / 2 == bucket, counts[size]), default=10.0)


def continues(prev: Line, line: Line) -> bool:
    """Whether `line` may carry on the paragraph that `prev` ended, judged by shape alone.

    Used where the vertical gap says nothing: across columns and pages, or around a caption
    or table that was taken out of the flow. An indented line or a short line before it
    means a new paragraph.
    """
    em = max(prev.size, line.size)
    indented = line.x0 - line.col_x0 > 0.8 * em and prev.x0 - prev.col_x0 < 0.5 * em
    short = prev.x1 < prev.col_x1 - 2.5 * em
    return not (indented or short)


def style_break(prev: Line, line: Line) -> bool:
    """Whether `line` follows `prev` closely in the same column but in another type style."""
    same_place = (
        prev.page == line.page
        and prev.column == line.column
        and 0 <= line.top - prev.bottom <= 0.75 * line.size
    )
    restyled = abs(prev.size - line.size) > 0.6 or prev.bold != line.bold or prev.font != line.font
    return same_place and restyled


def paragraph_break(prev: Line, line: Line) -> bool:
    """Whether `line` starts a new paragraph after `prev` in reading order.

    Within a column a change of size or weight, or a gap wider than the leading also ends a
    paragraph, unless the gap is so tall that a float was taken out of it. A change of font
    alone does not: PDFs often switch between subsets of one typeface mid-paragraph.
    """
    if abs(prev.size - line.size) > 0.6 or prev.bold != line.bold or prev.small_tail != line.small_tail:
        return True
    if prev.page != line.page or prev.column != line.column or line.top < prev.top:
        return not continues(prev, line)
    gap = line.top - prev.bottom
    em = max(prev.size, line.size)
    if gap > FLOAT_GAP_EM * em:
        return not continues(prev, line)
    return gap > 0.75 * em or not continues(prev, line)


Box = tuple[float, float, float, float]
"""A rectangle as `(x0, top, x1, bottom)`."""


def table_region(
    caption: Segment, rules: Sequence[Box], segments: Sequence[Segment], em: float
) -> Box | None:
    """The box of the table that `caption` introduces, bounded by the rules drawn below it.

    Journal tables are framed by horizontal rules or shaded rows: the first must start right
    under the caption, the next ones keep its width, and no full-width body line may sit
    between two of them. Tables with fewer than two rules are not boxed.
    """
    below = sorted(
        (r for r in rules if r[1] >= caption.top and r[0] < caption.x1 and r[2] > caption.x0),
        key=lambda r: r[1],
    )
    below = below[:MAX_RULES]
    if not below or below[0][1] - caption.bottom > 6 * em:
        return None
    first = below[0]
    width = first[2] - first[0]
    chain = [first]
    for rule in below[1:]:
        if abs(rule[0] - first[0]) > 2 * em or abs(rule[2] - first[2]) > 2 * em:
            continue
        top, bottom = chain[-1][3], rule[1]
        prose = any(
            s.top >= top and s.bottom <= bottom and s.x1 - s.x0 > 0.9 * width and abs(s.x0 - first[0]) <= em
            for s in segments
        )
        if prose or bottom - top > 40 * em:
            break
        chain.append(rule)
    if len(chain) < 2:
        return None
    return (first[0], caption.bottom, first[2], max(r[3] for r in chain))


def figure_region(caption: Segment, graphics: Sequence[Box], em: float) -> Box | None:
    """The box of the drawing above a figure caption: graphics chained upwards from just over it."""
    region: Box | None = None
    x0, x1 = caption.x0, caption.x1
    for box in sorted((g for g in graphics if g[3] <= caption.top + em), key=lambda g: -g[3]):
        if box[2] < x0 or box[0] > x1:
            continue
        reach = caption.top if region is None else region[1]
        if box[3] < reach - 3 * em:
            break
        region = (
            box
            if region is None
            else (min(region[0], box[0]), min(region[1], box[1]), max(region[2], box[2]), region[3])
        )
        x0, x1 = min(x0, box[0]), max(x1, box[2])
    return region


def attach_right(label: Segment, segments: list[Segment], max_gap: float) -> None:
    """Merge into `label` the nearest segment to its right on the same baseline, if within `max_gap`.

    Journals set "Table 3" apart from its title by a wide space, which would otherwise read
    as a column gutter.
    """
    right = [
        s
        for s in segments
        if s is not label
        and 0 <= s.x0 - label.x1 <= max_gap
        and _overlap(s.top, s.bottom, label.top, label.bottom) >= 0.5
    ]
    if not right:
        return
    nxt = min(right, key=lambda s: s.x0)
    label.text = f"{label.text} {nxt.text}"
    label.x1, label.top, label.bottom = nxt.x1, min(label.top, nxt.top), max(label.bottom, nxt.bottom)
    label.chars += nxt.chars
    segments.remove(nxt)


def inside(seg: Segment, box: Box) -> bool:
    """Whether the centre of `seg` lies in `box`."""
    cx, cy = (seg.x0 + seg.x1) / 2, (seg.top + seg.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def table_rows(segments: Sequence[Segment]) -> list[list[str | None]]:
    """The segments of a table region as rows of cells, left to right."""
    return [[s.text for s in sorted(row, key=lambda s: s.x0)] for row in _rows(segments)]
