"""PDF reader: analysed text in reading order, with page provenance, sections, captions and tables.

pypdfium2 supplies glyphs, boxes and fonts (an order of magnitude faster than pdfplumber's
char objects), `pdf_layout` turns them into lines in reading order, and this module decides
what each paragraph is (heading, caption, body, footnote, table, reference) and writes the
text. pdfplumber is only asked to split ruled grid tables into cells.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pydantic import BaseModel, ConfigDict

from extractor.document import Block, Document, PageSpan, Table
from extractor.readers import pdf_layout as layout
from extractor.readers.base import ReaderError
from extractor.readers.pdf_layout import Box, Glyph, Line, Segment

PATTERNS_DIR = Path(__file__).resolve().parents[2] / "patterns"
SECTIONS_PATH = PATTERNS_DIR / "sections.json"
HYPHENATION_PATH = PATTERNS_DIR / "hyphenation.json"

MAX_PAGES = 1000
MAX_CHARS_PER_PAGE = 100_000
MAX_OBJECTS_PER_PAGE = 5_000
"""Bounds on the work done per file and per page, so that no PDF can make the reader hang."""

FIGURE_MAX_SHARE = 0.6
"""Text over an image smaller than this share of the page is figure text; a larger image is a background."""

SMALL_PRINT_PT = 1.5
"""Front matter this much smaller than the body (affiliations, correspondence, dates) is set aside."""

MIN_GLYPHS_PER_PAGE = 10
"""Fewer visible characters than this per page on average means the text layer is missing."""

_FORCE_BOLD = 1 << 18
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD_NAME = re.compile(r"bold|black|heavy|demi|semibold|[.,-]b$|-bd$", re.IGNORECASE)
_CAPTION = re.compile(
    r"^(?:supplementa(?:l|ry)\s+)?(?:fig(?:ure)?s?\.?|table|tab\.|scheme|chart|box|panel)\s*(?:S?\d+|[IVX]+)[A-Za-z]?\b(\s*[.:|\u2014\u2013-])?",
    re.IGNORECASE,
)
_CAPTION_LABEL = re.compile(
    r"^(?:supplementa(?:l|ry)\s+)?(?:fig(?:ure)?\.?|table|scheme)\s*S?\d+[.:]?$", re.IGNORECASE
)
_TABLE_CAPTION = re.compile(
    r"^(?:supplementa(?:l|ry)\s+)?(?:table|tab\.)\s*(?:S?\d+|[IVX]+)\b", re.IGNORECASE
)
_FIGURE_CAPTION = re.compile(
    r"^(?:supplementa(?:l|ry)\s+)?(?:fig(?:ure)?\.?|scheme|chart)\s*(?:S?\d+|[IVX]+)\b", re.IGNORECASE
)
_HEADING_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_ISCN_START = re.compile(r"^\d{2,3}(?:~\d{2,3})?(?:<\dn>)?,|[a-z]\(\d|^\(?[pq]\d")
_ISCN_NEXT = re.compile(
    r"^(?:[+\-\u2212]?\d|[XY]{1,4}(?:[,\[]|$)|[pq]\d|[a-z]{1,5}\(|idem|sl\b|sdl|mar|\[\d|\([pq]?\d)"
)
_ISCN_BRACKET = re.compile(r"^[(\[][pq]?\d")
_HYPHENS = "-\u00ad\u2010\u2011"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SectionEntry(_Strict):
    """One normalized section name and the heading texts (lower case) that open it."""

    section: str
    patterns: list[str]


class SectionTable(_Strict):
    """`patterns/sections.json`: heading texts to section names, and sections kept out of the text."""

    excluded: list[str]
    sections: list[SectionEntry]

    def match(self, heading: str) -> str | None:
        """The section a heading opens, or None when it is no known section heading.

        Numbering ("2.", "II.") and trailing punctuation are ignored; the rest must equal a
        pattern, since prefixes mislead ("Summary of results" is no abstract).
        """
        text = _HEADING_NUMBER.sub("", " ".join(heading.split())).strip(" .:").lower().replace("\u2019", "'")
        for entry in self.sections:
            if text in entry.patterns:
                return entry.section
        return None


class HyphenationLists(_Strict):
    """`patterns/hyphenation.json`: word parts that keep their hyphen when a line breaks at it."""

    keep_before: list[str]
    keep_after: list[str]


@lru_cache(maxsize=4)
def load_sections(path: Path = SECTIONS_PATH) -> SectionTable:
    """The validated section table; a malformed file fails loudly here, not in the middle of a run."""
    return SectionTable.model_validate_json(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def load_hyphenation(path: Path = HYPHENATION_PATH) -> HyphenationLists:
    """The validated hyphen word lists."""
    return HyphenationLists.model_validate_json(path.read_text(encoding="utf-8"))


@dataclass(slots=True)
class _Page:
    number: int
    area: float
    segments: list[Segment]
    rotated: list[str]
    images: list[Box]
    graphics: list[Box]
    grid: bool


def _open(path: Path) -> pdfium.PdfDocument:
    """Open a PDF, turning every way it can fail into a one-line ReaderError."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
            fh.seek(max(0, size - 4096))
            tail = fh.read()
    except OSError as exc:
        raise ReaderError(f"cannot read file ({exc.strerror or exc})") from exc
    if size == 0:
        raise ReaderError("empty file")
    if b"%PDF-" not in head:
        raise ReaderError("not a PDF (no %PDF- header)")
    if b"%%EOF" not in tail:
        raise ReaderError("truncated or corrupt PDF (no %%EOF marker at the end)")
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise ReaderError("encrypted PDF (password required)") from exc
        raise ReaderError(f"corrupt PDF ({reason.rstrip('.')})") from exc
    if len(pdf) == 0:
        pdf.close()
        raise ReaderError("empty PDF (no pages)")
    return pdf


def _glyph_text(code: int) -> str:
    """The text of one glyph: ligatures spelled out, odd spaces as spaces, invisible marks dropped."""
    if code == 2:
        return "-"
    char = chr(code) if code < 0xD800 or 0xE000 <= code < 0x110000 else "\ufffd"
    if "\ufb00" <= char <= "\ufb06":
        return unicodedata.normalize("NFKC", char)
    if char in _HYPHENS or char == "\u2212":
        return "-"
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category in ("Cc", "Cf") and char not in "\r\n":
        return ""
    return char


def _fonts(obj: int, cache: dict[int, tuple[float, bool, bool, int]]) -> tuple[float, bool, bool, int]:
    """Size, boldness, uprightness and font id of a text object, cached by its handle."""
    key = ctypes.cast(obj, ctypes.c_void_p).value or 0
    if key in cache:
        return cache[key]
    size = ctypes.c_float()
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix))
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    name = ctypes.create_string_buffer(128)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, 128)
    font_name = name.value.decode("latin-1")
    bold = (
        pdfium_c.FPDFFont_GetWeight(font) >= 600
        or bool(pdfium_c.FPDFFont_GetFlags(font) & _FORCE_BOLD)
        or bool(_BOLD_NAME.search(font_name))
    )
    upright = (
        abs(matrix.b) < 0.01 * abs(matrix.a)
        and abs(matrix.c) < 0.01 * abs(matrix.d)
        and matrix.a > 0
        and matrix.d > 0
    )
    font_id = hash(_SUBSET_PREFIX.sub("", font_name))
    value = (size.value * (matrix.c**2 + matrix.d**2) ** 0.5, bold, upright, font_id)
    cache[key] = value
    return value


def _objects(page: pdfium.PdfPage, height: float, left: float) -> tuple[list[Box], list[Box], bool]:
    """Image boxes, vector graphics boxes and whether vertical rules (a ruled grid) exist."""
    images: list[Box] = []
    graphics: list[Box] = []
    vertical = False
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))
    count = min(pdfium_c.FPDFPage_CountObjects(page.raw), MAX_OBJECTS_PER_PAGE)
    for i in range(count):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH):
            continue
        if not pdfium_c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
            continue
        box = (x0.value - left, height - y1.value, x1.value - left, height - y0.value)
        width, tall = box[2] - box[0], box[3] - box[1]
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append(box)
        elif width > 2 or tall > 2:
            graphics.append(box)
            vertical = vertical or (tall > 20 and width < 2)
    return images, graphics, vertical


def _read_page(pdf: pdfium.PdfDocument, index: int) -> _Page:
    """Glyphs of one page grouped into segments, in top-left coordinates of its crop box."""
    page = pdf[index]
    left, bottom, right, top = page.get_cropbox()
    textpage = page.get_textpage()
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    cache: dict[int, tuple[float, bool, bool, int]] = {}
    glyphs: list[Glyph] = []
    rotated: list[str] = []
    for i in range(min(pdfium_c.FPDFText_CountChars(raw), MAX_CHARS_PER_PAGE)):
        text = _glyph_text(pdfium_c.FPDFText_GetUnicode(raw, i))
        if not text:
            continue
        if text.isspace() or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            glyphs.append((" ", 0.0, 0.0, 0.0, 0.0, 0.0, False, 0))
            if rotated and rotated[-1] != " ":
                rotated.append(" ")
            continue
        obj = pdfium_c.FPDFText_GetTextObject(raw, i)
        size, bold, upright, font = _fonts(obj, cache) if obj else (0.0, False, True, 0)
        if not upright:
            rotated.append(text)
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
        if rect.top - rect.bottom <= 0:
            continue
        if not 1.0 < size < 200.0:
            size = rect.top - rect.bottom
        glyphs.append(
            (text, rect.left - left, top - rect.top, rect.right - left, top - rect.bottom, size, bold, font)
        )
    images, graphics, grid = _objects(page, top, left)
    textpage.close()
    page.close()
    area = (right - left) * (top - bottom)
    segments = layout.build_segments(glyphs)
    rotated_text = " ".join("".join(rotated).split())
    return _Page(index + 1, area, segments, [rotated_text] if rotated_text else [], images, graphics, grid)


def _is_caption_start(text: str) -> bool:
    """Whether a segment opens a figure or table caption (never a running header)."""
    return _CAPTION.match(text) is not None


def _check_text_layer(pages: list[_Page]) -> None:
    """Refuse PDFs with no usable text: scans (images, no glyphs) and blank documents."""
    glyphs = sum(s.chars for p in pages for s in p.segments)
    if glyphs >= MIN_GLYPHS_PER_PAGE * len(pages):
        return
    if any(p.images for p in pages):
        raise ReaderError("no text layer (scanned or image-only PDF; OCR is not supported)")
    if glyphs == 0:
        raise ReaderError("empty PDF (no text on any page)")


def _grid_rows(path: Path, page_no: int, box: Box) -> list[list[str | None]]:
    """Cells of a ruled grid table as pdfplumber splits them, or [] when it finds no grid."""
    with pdfplumber.open(path, pages=[page_no]) as plumber:
        page = plumber.pages[0]
        x0, top = page.bbox[0], page.bbox[1]
        crop = (box[0] + x0 - 1, box[1] + top - 1, box[2] + x0 + 1, box[3] + top + 1)
        found = page.crop(crop, strict=False).extract_tables({"text_x_tolerance": 1})
    best = max(found, key=len, default=[])
    return best if len(best) >= 2 and max(len(r) for r in best) >= 2 else []


def _tables(path: Path, page: _Page, em: float) -> tuple[list[Table], list[Segment]]:
    """Tables under the table captions of a page, and the segments they take out of the flow."""
    tables: list[Table] = []
    taken: list[Segment] = []
    rules = [g for g in page.graphics if g[2] - g[0] > 20 and g[3] - g[1] < 20]
    for caption in page.segments:
        if not _TABLE_CAPTION.match(caption.text):
            continue
        box = layout.table_region(caption, rules, page.segments, em)
        if box is None:
            continue
        cells = [s for s in page.segments if s is not caption and layout.inside(s, box)]
        rows = (_grid_rows(path, page.number, box) if page.grid else []) or layout.table_rows(cells)
        tables.append(Table(page=page.number, rows=rows, bbox=tuple(round(v, 1) for v in box)))
        taken.extend(cells)
    return tables, taken


@dataclass(slots=True)
class _Paragraph:
    lines: list[Line]
    alone: bool = False
    restyled: bool = False

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


def _paragraphs(lines: list[Line], sections: SectionTable) -> list[_Paragraph]:
    """Lines split into paragraphs; a line that alone names a known section stands alone."""
    paragraphs: list[_Paragraph] = []
    for i, line in enumerate(lines):
        alone = sections.match(line.text) is not None and line.x1 < line.col_x1 - 2 * line.size
        prev = lines[i - 1] if i else None
        if prev is None or alone or layout.paragraph_break(prev, line) or paragraphs[-1].alone:
            restyled = prev is not None and layout.style_break(prev, line)
            paragraphs.append(_Paragraph([line], alone=alone, restyled=restyled))
        else:
            paragraphs[-1].lines.append(line)
    return paragraphs


@dataclass(slots=True)
class Vocabulary:
    """Word counts of the whole document, the evidence for undoing a line-end hyphen."""

    words: Counter[str]
    lists: HyphenationLists

    def keeps_hyphen(self, left: str, right: str) -> bool:
        if not left.isalpha() or not right.isalpha() or any(c.isupper() for c in left[1:] + right):
            return True
        if len(left) == 1:
            return True  # no hyphenation leaves one letter before the break: B-cell, T-cell, X-linked
        head, tail = left.lower(), right.lower()
        joined, hyphenated = self.words[head + tail], self.words[f"{head}-{tail}"]
        if hyphenated != joined:
            return hyphenated > joined
        return head in self.lists.keep_before or (len(head) >= 3 and tail in self.lists.keep_after)


def _vocabulary(pages: list[_Page]) -> Vocabulary:
    """Counts of every word, hyphenated compound and part of a compound the document prints on one line."""
    words: Counter[str] = Counter()
    for page in pages:
        for seg in page.segments:
            for word in _WORD.findall(seg.text):
                word = word.lower()
                words[word] += 1
                if "-" in word:
                    words.update(word.split("-"))
    return Vocabulary(words, load_hyphenation())


def _joint(prev: str, nxt: str, vocab: Vocabulary) -> tuple[int, str]:
    """How two consecutive lines meet: characters to drop from the end of `prev`, and the separator."""
    if not prev or not nxt:
        return 0, ""
    last = prev.rsplit(None, 1)[-1]
    first = nxt.split(None, 1)[0]
    if last[-1] == "-" and len(last) > 1:
        if first in ("and", "or"):
            return 0, " "
        left = re.findall(r"[^\W\d_]+$", last[:-1])
        right = re.match(r"[^\W\d_]+", first)
        if left and right and first[0].islower() and not vocab.keeps_hyphen(left[0], right.group()):
            return 1, ""
        return 0, ""
    if _ISCN_START.search(last):
        closed = last[-1] in ")]"
        if (closed and _ISCN_BRACKET.match(first)) or (last[-1] in ",;/(" and _ISCN_NEXT.match(first)):
            return 0, ""
    return 0, " "


@dataclass(slots=True)
class _TextBuilder:
    """Accumulates the analysed text with its page spans, blocks and line boxes."""

    vocab: Vocabulary
    parts: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[list[int]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    boxes: list[list[float]] = field(default_factory=list)

    def _put(self, text: str, page: int) -> None:
        if not text:
            return
        if self.spans and self.spans[-1][0] == page:
            self.spans[-1][2] += len(text)
        else:
            self.spans.append([page, self.length, self.length + len(text)])
        self.parts.append(text)
        self.length += len(text)

    def add(self, lines: list[Line], kind: str, section: str | None) -> None:
        pieces = join_lines([line.text for line in lines], self.vocab)
        if self.length:
            self._put("\n\n", lines[0].page)
        start = self.length
        for (sep, text), line in zip(pieces, lines):
            self._put(sep, line.page)
            begin = self.length
            self._put(text, line.page)
            box = [begin, self.length, line.page, line.x0, line.top, line.x1, line.bottom]
            self.boxes.append([round(v, 1) if isinstance(v, float) else v for v in box])
        self.blocks.append(Block(start, self.length, kind, section, lines[0].page))


def join_lines(lines: list[str], vocab: Vocabulary) -> list[tuple[str, str]]:
    """Lines of a paragraph as (separator, text) pieces: hyphens undone, karyotypes kept whole."""
    pieces: list[list[str]] = []
    for text in lines:
        text = text.strip()
        if pieces:
            drop, sep = _joint(pieces[-1][1], text, vocab)
            if drop:
                pieces[-1][1] = pieces[-1][1][:-drop]
            pieces.append([sep, text])
        else:
            pieces.append(["", text])
    return [(sep, text) for sep, text in pieces]


def _joined(lines: list[Line], vocab: Vocabulary) -> str:
    """The text of lines joined as in the analysed text, for what is set aside."""
    return "".join(sep + piece for sep, piece in join_lines([line.text for line in lines], vocab)).strip()


def _kind(para: _Paragraph, size: float, font: int, sections: SectionTable, after_table: bool) -> str:
    """What a paragraph is: heading, caption, footnote, table or body."""
    first = para.lines[0]
    text = para.text
    caption = _CAPTION.match(text)
    if caption and (caption.group(1) or first.size < size - 0.3 or first.bold):
        return "caption"
    if len(para.lines) == 1 and sections.match(text) is not None and len(text) <= 60:
        return "heading"
    if all(line.small_tail for line in para.lines):
        return "footnote"
    table_lines = sum(line.cells >= 2 for line in para.lines)
    if len(para.lines) >= 2 and table_lines * 5 >= len(para.lines) * 3:
        return "table"
    if after_table and first.size < size - 0.5:
        return "table"
    if len(para.lines) <= 2 and len(text) <= 120 and not text.endswith((".", ",", ";")):
        styled = (
            first.size >= size + 0.9
            or (first.bold and all(line.bold for line in para.lines))
            or (
                first.font != font
                and first.size >= size - 1.0
                and len({line.font for line in para.lines}) == 1
                and para.lines[-1].x1 < para.lines[-1].col_x1 - 2 * size
            )
        )
        caps = sum(c.isupper() for c in text) >= 3 and text.upper() == text and any(c.isalpha() for c in text)
        if (styled or caps) and len(text.split()) <= 15 and text[:1].isupper():
            return "heading"
    return "body"


def read_pdf(path: Path, doc_id: str) -> Document:
    """Read a PDF into a Document; raise ReaderError with a one-line reason when it cannot be read."""
    pdf = _open(path)
    page_count = len(pdf)
    try:
        pages = [_read_page(pdf, i) for i in range(min(page_count, MAX_PAGES))]
    except pdfium.PdfiumError as exc:
        raise ReaderError(f"corrupt PDF ({str(exc).rstrip('.')})") from exc
    finally:
        pdf.close()
    _check_text_layer(pages)
    sections = load_sections()
    size = layout.body_size(p.segments for p in pages)
    excluded: dict[str, list[str]] = defaultdict(list)
    tables: list[Table] = []
    flow: list[Line] = []
    for page, running in zip(pages, layout.running_segments([p.segments for p in pages], _is_caption_start)):
        excluded["headers_footers"].extend(
            [s.text for i, s in enumerate(page.segments) if i in running] + page.rotated
        )
        keep = [s for i, s in enumerate(page.segments) if i not in running]
        for label in [s for s in keep if _CAPTION_LABEL.match(s.text)]:
            layout.attach_right(label, keep, 8 * size)
        page.segments = keep
        page_tables, taken = _tables(path, page, size)
        tables.extend(page_tables)
        excluded["tables"].extend(s.text for s in taken)
        figures = [
            box for box in page.images if (box[2] - box[0]) * (box[3] - box[1]) < FIGURE_MAX_SHARE * page.area
        ]
        for caption in keep:
            region = (
                layout.figure_region(caption, page.graphics, size)
                if _FIGURE_CAPTION.match(caption.text)
                else None
            )
            if region is not None:
                figures.append(region)
        in_figure = [s for s in keep if any(layout.inside(s, box) for box in figures)]
        excluded["figures"].extend(s.text for s in in_figure)
        dropped = {id(s) for s in taken + in_figure}
        body = [s for s in keep if id(s) not in dropped]
        flow.extend(layout.order_page(page.number, body, size))
    doc = _assemble(path, doc_id, flow, size, sections, _vocabulary(pages), tables, excluded)
    imaged = [p.number for p in pages if p.images and sum(s.chars for s in p.segments) < MIN_GLYPHS_PER_PAGE]
    if imaged:
        doc.meta["pages_without_text"] = imaged
    if len(pages) < page_count:
        doc.meta["pages_read"] = f"{len(pages)} of {page_count}"
    return doc


def _assemble(
    path: Path,
    doc_id: str,
    flow: list[Line],
    size: float,
    sections: SectionTable,
    vocab: Vocabulary,
    tables: list[Table],
    excluded: dict[str, list[str]],
) -> Document:
    """Write paragraphs into the analysed text or set them aside, by kind and section."""
    out = _TextBuilder(vocab)
    paragraphs = _paragraphs(flow, sections)
    fonts: Counter[int] = Counter()
    for line in flow:
        if abs(line.size - size) < 0.5:
            fonts[line.font] += len(line.text)
    font = fonts.most_common(1)[0][0] if fonts else 0
    section: str | None = None
    title: str | None = None
    title_size = max((p.lines[0].size for p in paragraphs if p.lines[0].page == 1), default=0.0)
    body: list[Line] = []
    body_section: str | None = None
    pending: list[tuple[list[Line], str | None]] = []
    interrupted = False
    previous = "body"

    def flush() -> None:
        nonlocal body
        if body:
            out.add(body, "body", body_section)
            body = []
        for lines, where in pending:
            out.add(lines, "caption", where)
        pending.clear()

    for para in paragraphs:
        first = para.lines[0]
        if title is None and section is None and first.page == 1 and first.size == title_size >= size + 2:
            flush()
            title = _joined(para.lines, vocab)
            out.add(para.lines, "heading", "title")
            continue
        if (
            section is None
            and first.page == 1
            and not _CAPTION.match(para.text)
            and all(line.size <= size - SMALL_PRINT_PT for line in para.lines)
        ):
            excluded["front_matter"].append(_joined(para.lines, vocab))
            continue
        if previous == "caption" and para.restyled and not para.alone:
            pending[-1][0].extend(para.lines)
            continue
        kind = _kind(para, size, font, sections, previous in ("table", "caption"))
        previous = kind
        text = para.text
        if kind == "heading":
            name = sections.match(text)
            if name is not None or section not in sections.excluded:
                flush()
                interrupted = False
                section = name or section
                if section in sections.excluded:
                    excluded[section].append(text)
                else:
                    out.add(para.lines, "heading", section)
                continue
        if kind == "caption":
            pending.append((para.lines, section))
            interrupted = True
        elif kind in ("footnote", "table"):
            where = (
                section if section in sections.excluded else ("footnotes" if kind == "footnote" else "tables")
            )
            excluded[where].append(text)
            interrupted = True
        elif section in sections.excluded:
            excluded[section].append(_joined(para.lines, vocab))
        elif body and interrupted and body_section == section and layout.continues(body[-1], first):
            body.extend(para.lines)
            interrupted = False
        else:
            flush()
            body = list(para.lines)
            body_section = section
            interrupted = False
    flush()
    spans = [PageSpan(page, start, end) for page, start, end in out.spans]
    return Document(
        doc_id=doc_id,
        source=str(path),
        text="".join(out.parts),
        title=title,
        pages=spans,
        blocks=out.blocks,
        tables=tables,
        excluded={key: "\n".join(parts) for key, parts in excluded.items() if parts},
        meta={"line_boxes": out.boxes, "body_font_size": size},
    )
