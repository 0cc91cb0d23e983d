"""fpdf2 builders for test PDFs whose text is known: a two-column case report and broken inputs.

The case report is typeset here word by word (justified lines, hyphenated words, running
header and footer, a footnote, a figure, a ruled table, references), so that the reader's
output can be checked against the text that went in. In the source text U+00AD marks where a
word may be hyphenated and U+200B where it may break without a hyphen (inside a karyotype).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw

SOFT = "\u00ad"
ZWSP = "\u200b"

PAGE_W, PAGE_H = 595.0, 842.0
MARGIN = 50.0
GUTTER = 20.0
COL_W = (PAGE_W - 2 * MARGIN - GUTTER) / 2
BODY_SIZE = 10.0
LEADING = 12.0
TOP = 90.0
BOTTOM = PAGE_H - 70.0


def ruled_table(
    pdf: FPDF,
    x: float,
    y: float,
    width: float,
    fractions: Sequence[float],
    rows: list[list[str]],
    printed: list[str],
) -> float:
    """Rows of cells between rules, the header ruled off, each row also appended to `printed`;
    returns the y below the last rule."""
    widths = [width * f for f in fractions]
    pdf.line(x, y + 2, x + width, y + 2)
    y += 4
    for r, row in enumerate(rows):
        pos = x
        for cell, w in zip(row, widths):
            pdf.text(pos, y + 8, cell)
            pos += w
        printed.append(" ".join(row))
        y += 11
        if r == 0:
            pdf.line(x, y + 1, x + width, y + 1)
    pdf.line(x, y + 2, x + width, y + 2)
    return y


def plain(text: str) -> str:
    """The source text as a reader should return it: break marks removed."""
    return text.replace(SOFT, "").replace(ZWSP, "")


@dataclass
class CaseReport:
    """The content of a synthetic case report."""

    title: str
    authors: str
    abstract: str
    sections: list[tuple[str, list[str]]]
    figure_caption: str
    table_caption: str
    table: list[list[str]]
    references: list[str]
    header: str = "Journal of Synthetic Hematology 2024; 12:345-351"
    footnote: str = "* Correspondence: author@example.org, Department of Hematology, Example University."


@dataclass
class Layout:
    """What the builder placed: every printed line, in the order it was written."""

    lines: list[str] = field(default_factory=list)
    pages: int = 0


def pieces(word: str) -> list[tuple[str, str]]:
    """A word as (piece, mark) parts, where mark is the break after the piece ("-", "", or "=" for none)."""
    parts: list[tuple[str, str]] = []
    cur = ""
    for ch in word:
        if ch == SOFT:
            parts.append((cur, "-"))
            cur = ""
        elif ch == ZWSP:
            parts.append((cur, ""))
            cur = ""
        elif ch == "-" and cur:
            parts.append((cur + "-", ""))
            cur = ""
        else:
            cur += ch
    parts.append((cur, "="))
    return parts


class _Typesetter:
    def __init__(self, pdf: FPDF, layout: Layout, doc: CaseReport) -> None:
        self.pdf = pdf
        self.layout = layout
        self.doc = doc
        self.column = 0
        self.y = TOP
        self.top_of_columns = TOP

    def new_page(self) -> None:
        self.pdf.add_page()
        self.layout.pages += 1
        self.pdf.set_font("Helvetica", "", 8)
        self.pdf.text(MARGIN, 40, self.doc.header)
        self.pdf.text(PAGE_W - MARGIN - 30, PAGE_H - 35, f"Page {self.layout.pages}")
        self.pdf.set_draw_color(0)
        self.pdf.line(MARGIN, 46, PAGE_W - MARGIN, 46)
        self.column = 0
        self.y = TOP

    @property
    def x(self) -> float:
        return MARGIN + self.column * (COL_W + GUTTER)

    def need(self, height: float, bottom: float = BOTTOM) -> None:
        if self.y + height <= bottom:
            return
        if self.column == 0:
            self.column = 1
            self.y = self.top_of_columns
        else:
            self.new_page()
            self.top_of_columns = TOP

    def width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    def break_lines(self, text: str, width: float, indent: float) -> list[tuple[list[str], bool]]:
        """Greedy line breaking; each line is its words and whether it is justified."""
        words = text.split()
        lines: list[tuple[list[str], bool]] = []
        cur: list[str] = []
        avail = width - indent
        space = self.width(" ")
        queue = list(words)
        while queue:
            word = queue.pop(0)
            shown = plain(word)
            used = sum(self.width(w) for w in cur) + space * len(cur)
            if used + self.width(shown) <= avail:
                cur.append(shown)
                continue
            parts = pieces(word)
            best = None
            for k in range(len(parts) - 1, 0, -1):
                head = "".join(p for p, _ in parts[:k]) + parts[k - 1][1].replace("=", "")
                if used + self.width(plain(head)) <= avail:
                    best = k
                    break
            if best is not None:
                head = "".join(p for p, _ in parts[:best]) + parts[best - 1][1].replace("=", "")
                cur.append(plain(head))
                queue.insert(0, "".join(p for p, _ in parts[best:]))
            else:
                queue.insert(0, word)
            lines.append((cur, True))
            cur = []
            avail = width
        lines.append((cur, False))
        return lines

    def paragraph(
        self,
        text: str,
        size: float,
        style: str = "",
        indent: float = 0.0,
        width: float = COL_W,
        x: float | None = None,
        bottom: float = BOTTOM,
    ) -> None:
        self.pdf.set_font("Times", style, size)
        leading = size * 1.2
        for i, (words, justify) in enumerate(self.break_lines(text, width, indent)):
            if x is None:
                self.need(leading, bottom if self.layout.pages == 1 else BOTTOM)
            left = (self.x if x is None else x) + (indent if i == 0 else 0.0)
            room = width - (indent if i == 0 else 0.0)
            total = sum(self.width(w) for w in words)
            gap = (room - total) / (len(words) - 1) if justify and len(words) > 1 else self.width(" ")
            pos = left
            for word in words:
                self.pdf.text(pos, self.y + size, word)
                pos += self.width(word) + gap
            self.layout.lines.append(" ".join(words))
            self.y += leading

    def heading(self, text: str) -> None:
        self.need(3 * LEADING)
        self.y += 6
        self.paragraph(text, 11, "B")
        self.y += 2

    def figure(self, caption: str) -> None:
        self.need(130)
        self.pdf.set_fill_color(200)
        self.pdf.rect(self.x, self.y + 4, COL_W, 80, style="F")
        self.pdf.set_font("Helvetica", "", 7)
        self.pdf.text(self.x + 10, self.y + 40, "CD34")
        self.pdf.text(self.x + 200, self.y + 70, "x400")
        self.y += 92
        self.paragraph(caption, 8.5)
        self.y += 8

    def table(self, caption: str, rows: list[list[str]]) -> None:
        height = 30 + 11 * len(rows)
        self.need(height)
        self.paragraph(caption, 8.5, "B")
        self.pdf.set_font("Times", "", 8)
        self.y = ruled_table(
            self.pdf, self.x, self.y, COL_W, (0.12, 0.12, 0.22, 0.54), rows, self.layout.lines
        )
        self.y += 12


def case_report_pdf(path: Path, doc: CaseReport) -> Layout:
    """Typeset `doc` as a two-column case report at `path`; returns what was placed."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    layout = Layout()
    ts = _Typesetter(pdf, layout, doc)
    ts.new_page()
    ts.paragraph(doc.title, 18, "B", width=PAGE_W - 2 * MARGIN, x=MARGIN)
    ts.y += 4
    ts.paragraph(doc.authors, 11, width=PAGE_W - 2 * MARGIN, x=MARGIN)
    ts.y += 10
    ts.paragraph("Abstract", 11, "B", width=PAGE_W - 2 * MARGIN, x=MARGIN)
    ts.paragraph(doc.abstract, 9, width=PAGE_W - 2 * MARGIN, x=MARGIN)
    ts.y += 14
    ts.top_of_columns = ts.y
    pdf.set_font("Times", "", 7.5)
    pdf.line(MARGIN, BOTTOM - 18, MARGIN + 80, BOTTOM - 18)
    pdf.text(MARGIN, BOTTOM - 8, doc.footnote)
    layout.lines.append(doc.footnote)
    first_page_bottom = BOTTOM - 30
    placed_figure = placed_table = False
    for s, (heading, paragraphs) in enumerate(doc.sections):
        ts.heading(heading)
        for p, text in enumerate(paragraphs):
            ts.paragraph(text, BODY_SIZE, indent=0.0 if p == 0 else 10.0, bottom=first_page_bottom)
            if s == 1 and p == 0 and not placed_figure:
                ts.figure(doc.figure_caption)
                placed_figure = True
            if s == 1 and p == 1 and not placed_table:
                ts.table(doc.table_caption, doc.table)
                placed_table = True
    ts.heading("References")
    for i, ref in enumerate(doc.references, start=1):
        ts.paragraph(f"{i}. {ref}", 8)
    pdf.output(str(path))
    return layout


def scanned_pdf(path: Path, pages: int = 2) -> None:
    """An image-only PDF, as a scanner makes it: pictures of text, no text layer."""
    pdf = FPDF(unit="pt", format="A4")
    rng = random.Random(7)
    for _ in range(pages):
        pdf.add_page()
        image = Image.new("L", (595, 842), 255)
        draw = ImageDraw.Draw(image)
        for row in range(60, 780, 14):
            x = 50
            while x < 540:
                w = rng.randint(10, 50)
                draw.rectangle((x, row, min(x + w, 545), row + 7), fill=0)
                x += w + 6
        pdf.image(image, x=0, y=0, w=PAGE_W, h=PAGE_H)
    pdf.output(str(path))


def encrypted_pdf(path: Path) -> None:
    """A PDF that needs a user password to open."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Times", "", 12)
    pdf.text(72, 72, "A 54-year-old man presented with therapy-related myeloid neoplasm.")
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.output(str(path))


def blank_pdf(path: Path) -> None:
    """A well-formed PDF whose pages hold nothing."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.output(str(path))


def simple_pdf(path: Path, lines: list[str], owner_password: str | None = None) -> None:
    """One page of single-column text, one string per line; with `owner_password`, encrypted with an
    owner password only (anyone may open and read it)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Times", "", 11)
    for i, line in enumerate(lines):
        pdf.text(72, 90 + 14 * i, line)
    if owner_password is not None:
        pdf.set_encryption(owner_password=owner_password)
    pdf.output(str(path))


def truncated_bytes(path: Path, source: Path) -> None:
    """The first half of a valid PDF, as an interrupted download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def random_bytes(path: Path, size: int = 4096) -> None:
    """Bytes that are no PDF at all."""
    path.write_bytes(random.Random(3).randbytes(size))
