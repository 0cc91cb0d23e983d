"""fpdf2 builders for case reports in many journal layouts, from known text.

`journal_pdf(path, article, style)` typesets one `Article` in the layout a `Style` describes:
one, two, three or unequal columns; a full-width or in-column front matter; running headers
that alternate left and right with the page number; footer page numbers; footnotes;
affiliations in small print, optionally slightly rotated; a vertical "downloaded from" line
in the margin; a figure spanning all columns with its caption; a table in the middle of a
column; a framed sidebar box; ligature glyphs (fi, fl), non-breaking spaces and soft-hyphen
glyphs at line ends; references in a smaller font. Words are broken greedily at the hyphenation
points the text marks (U+00AD as in `pdf_factory`, U+200B for a break without hyphen), so
karyotypes and durations end up split across lines as they are in real journals.

The returned `Placed` says what went where (lines, pages of paragraphs), so that tests can
check the reader's output against the text that went in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

from pdf_factory import SOFT, ZWSP, pieces, ruled_table

NBSP = "\u00a0"

PAGE_W, PAGE_H = 595.0, 842.0
SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SERIF_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")


def expected(text: str) -> str:
    """The text as a reader should return it: break marks removed, odd spaces made plain."""
    return text.replace(SOFT, "").replace(ZWSP, "").replace(NBSP, " ")


@dataclass
class Article:
    """The content of a case report."""

    title: str
    authors: str
    affiliations: str
    abstract: str
    sections: list[tuple[str, list[str]]]
    figure_caption: str
    table_caption: str
    table: list[list[str]]
    sidebar_title: str
    sidebar: str
    references: list[str]
    journal: str = "Journal of Synthetic Hematology"
    footnote: str = "Correspondence: author@example.org. Received 3 May 2024; accepted 9 June 2024."
    downloaded: str = "Downloaded from https://journal.example.org by guest on 1 July 2024"


@dataclass
class Style:
    """A page layout."""

    name: str
    columns: tuple[float, ...] = (1.0, 1.0)
    """Relative column widths."""
    front_full_width: bool = True
    """Title, authors and abstract across the page; otherwise at the top of the first column."""
    header: str = "alternating"
    """"alternating": journal and page number swap sides; "fixed": journal left on every page; "none"."""
    footer_number: bool = False
    footnote: bool = True
    rotated_affiliations: bool = False
    margin_note: bool = False
    wide_figure: bool = False
    mid_table: bool = False
    sidebar: bool = False
    unicode_font: bool = False
    """DejaVu Serif (ligature glyphs, soft-hyphen glyphs at line ends) instead of the core Times."""
    body_size: float = 10.5
    margin: float = 50.0
    gutter: float = 18.0


@dataclass
class Placed:
    """What the builder placed."""

    lines: list[str] = field(default_factory=list)
    pages: int = 0
    paragraph_pages: list[tuple[int, int]] = field(default_factory=list)
    """(first page, last page) of each body paragraph, in text order."""


class _Setter:
    def __init__(self, pdf: FPDF, art: Article, style: Style) -> None:
        self.pdf = pdf
        self.art = art
        self.style = style
        self.placed = Placed()
        self.text_w = PAGE_W - 2 * style.margin
        total = sum(style.columns)
        room = self.text_w - style.gutter * (len(style.columns) - 1)
        self.widths = [room * c / total for c in style.columns]
        self.lefts = []
        x = style.margin
        for w in self.widths:
            self.lefts.append(x)
            x += w + style.gutter
        self.top = 80.0
        self.bottom = PAGE_H - 60.0
        self.page_bottom = self.bottom
        self.column = 0
        self.y = self.top
        self.columns_top = self.top
        self.family = "Serif" if style.unicode_font else "Times"
        self.sidebar_pending = False

    # -- fonts and words ---------------------------------------------------------------------
    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def shown(self, word: str) -> str:
        """A word as drawn: ligature glyphs where the font has them."""
        text = expected(word) if NBSP not in word else word.replace(SOFT, "").replace(ZWSP, "")
        if self.style.unicode_font:
            text = text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")
        return text

    def width(self, text: str) -> float:
        return self.pdf.get_string_width(text)

    # -- pages and columns -------------------------------------------------------------------
    def new_page(self) -> None:
        self.pdf.add_page()
        self.placed.pages += 1
        n = self.placed.pages
        number = str(344 + n)
        self.pdf.set_font("Helvetica", "", 8)
        st = self.style
        if st.header == "alternating":
            left, right = (self.art.journal, number) if n % 2 else (number, self.art.journal)
            self.pdf.text(st.margin, 40, left)
            self.pdf.text(PAGE_W - st.margin - self.pdf.get_string_width(right), 40, right)
        elif st.header == "fixed":
            self.pdf.text(st.margin, 40, f"{self.art.journal} 2024; 12:345-351")
        if st.footer_number:
            self.pdf.text(PAGE_W / 2 - 5, PAGE_H - 30, number)
        if st.margin_note:
            with self.pdf.rotation(90, 20, PAGE_H - 150):
                self.pdf.text(20, PAGE_H - 150, self.art.downloaded)
        self.column = 0
        self.y = self.top
        self.columns_top = self.top
        self.page_bottom = self.bottom
        if st.wide_figure and n == 2:
            self.wide_figure()

    @property
    def x(self) -> float:
        return self.lefts[self.column]

    @property
    def col_w(self) -> float:
        return self.widths[self.column]

    def need(self, height: float) -> None:
        if self.y + height <= self.page_bottom:
            return
        if self.column + 1 < len(self.widths):
            self.column += 1
            self.y = self.columns_top
        else:
            self.new_page()
        if self.sidebar_pending and self.column == len(self.widths) - 1 and self.placed.pages >= 1:
            self.sidebar_pending = False
            self.sidebar_box()

    # -- text ----------------------------------------------------------------------------------
    def break_lines(self, text: str, width: float, indent: float) -> list[tuple[list[str], bool]]:
        """Greedy breaking at spaces (not at non-breaking ones) and at the marked points."""
        queue = [w for w in text.split(" ") if w]
        lines: list[tuple[list[str], bool]] = []
        cur: list[str] = []
        avail = width - indent
        space = self.width(" ")
        while queue:
            word = queue.pop(0)
            used = sum(self.width(self.shown(w)) for w in cur) + space * len(cur)
            if used + self.width(self.shown(word)) <= avail:
                cur.append(word)
                continue
            parts = pieces(word)
            best = None
            for k in range(len(parts) - 1, 0, -1):
                head = "".join(p for p, _ in parts[:k]) + parts[k - 1][1].replace("=", "")
                if used + self.width(self.shown(head)) <= avail:
                    best = k
                    break
            if best is not None:
                mark = parts[best - 1][1].replace("=", "")
                head = "".join(p for p, _ in parts[:best]) + (SOFT if mark == "-" else "")
                cur.append(head)
                queue.insert(0, "".join(p for p, _ in parts[best:]))
            elif not cur:
                cur.append(word)
                lines.append((cur, True))
                cur = []
                avail = width
                continue
            else:
                queue.insert(0, word)
            lines.append((cur, True))
            cur = []
            avail = width
        lines.append((cur, False))
        return lines

    def draw_word(self, word: str, x: float, y: float) -> float:
        """Draw a word (a trailing soft hyphen as a hyphen glyph) and return its width."""
        if word.endswith(SOFT):
            glyph = SOFT if self.style.unicode_font else "-"
            text = self.shown(word[:-1]) + glyph
        else:
            text = self.shown(word)
        self.pdf.text(x, y, text)
        return self.width(text)

    def paragraph(
        self,
        text: str,
        size: float,
        bold: bool = False,
        indent: float = 0.0,
        full: bool = False,
        justify: bool = True,
    ) -> tuple[int, int]:
        self.font(size, bold)
        leading = size * 1.2
        width = self.text_w if full else self.col_w
        first_page = self.placed.pages
        lines = self.break_lines(text, width, indent)
        for i, (words, justified) in enumerate(lines):
            if not full:
                self.need(leading)
                self.font(size, bold)
            left = (self.style.margin if full else self.x) + (indent if i == 0 else 0.0)
            room = width - (indent if i == 0 else 0.0)
            drawn = [self.shown(w[:-1]) + "-" if w.endswith(SOFT) else self.shown(w) for w in words]
            total = sum(self.width(w) for w in drawn)
            gap = (
                (room - total) / (len(words) - 1)
                if justify and justified and len(words) > 1
                else self.width(" ")
            )
            pos = left
            for word in words:
                pos += self.draw_word(word, pos, self.y + size) + gap
            self.placed.lines.append(" ".join(expected(w).replace(SOFT, "-") for w in drawn))
            self.y += leading
        return first_page, self.placed.pages

    def heading(self, text: str) -> None:
        self.need(4 * self.style.body_size * 1.2)
        self.y += 6
        self.paragraph(text, self.style.body_size + 1, bold=True, justify=False)
        self.y += 2

    # -- floats --------------------------------------------------------------------------------
    def wide_figure(self) -> None:
        """A drawing across all columns at the top of the page, its caption under it, full width."""
        st = self.style
        self.pdf.set_fill_color(210)
        self.pdf.rect(st.margin, self.y, self.text_w, 110, style="F")
        self.pdf.set_font("Helvetica", "", 7)
        self.pdf.text(st.margin + 15, self.y + 30, "Day 0")
        self.pdf.text(st.margin + 200, self.y + 30, "Month 24")
        self.pdf.text(st.margin + 380, self.y + 90, "Relapse")
        self.y += 118
        self.paragraph(self.art.figure_caption, st.body_size - 1.5, full=True, justify=False)
        self.y += 12
        self.columns_top = self.y

    def table(self) -> None:
        rows = self.art.table
        self.need(30 + 11 * len(rows))
        self.paragraph(self.art.table_caption, self.style.body_size - 1.5, bold=True, justify=False)
        self.font(7)
        n = len(rows[0])
        fractions = (0.15, 0.25, 0.6) if n == 3 else [1 / n] * n
        self.y = ruled_table(self.pdf, self.x, self.y, self.col_w, fractions, rows, self.placed.lines)
        self.y += 14

    def sidebar_box(self) -> None:
        """A framed, shaded box at the top of a column, its text set smaller inside."""
        size = self.style.body_size - 1
        self.font(size)
        inner = self.col_w - 12
        lines = self.break_lines(self.art.sidebar, inner, 0)
        height = 22 + len(lines) * size * 1.2 + 8
        self.pdf.set_fill_color(235)
        self.pdf.rect(self.x, self.y, self.col_w, height, style="DF")
        self.font(size + 0.5, bold=True)
        self.pdf.text(self.x + 6, self.y + 14, self.art.sidebar_title)
        self.font(size)
        y = self.y + 22
        for words, _ in lines:
            pos = self.x + 6
            for word in words:
                pos += self.draw_word(word, pos, y + size) + self.width(" ")
            y += size * 1.2
        self.y += height + 10


def journal_pdf(path: Path, art: Article, style: Style) -> Placed:
    """Typeset `art` in `style` at `path`; returns what was placed where."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    if style.unicode_font:
        pdf.add_font("Serif", "", str(SERIF))
        pdf.add_font("Serif", "B", str(SERIF_BOLD))
    st = _Setter(pdf, art, style)
    st.new_page()
    full = style.front_full_width
    st.paragraph(art.title, 17, bold=True, full=full, justify=False)
    st.y += 4
    st.paragraph(art.authors, 10.5, full=full, justify=False)
    if style.rotated_affiliations:
        with pdf.rotation(1.5, style.margin, st.y + 8):
            st.paragraph(art.affiliations, 7, full=full, justify=False)
    else:
        st.paragraph(art.affiliations, 7, full=full, justify=False)
    st.y += 8
    st.paragraph("Abstract", style.body_size + 1, bold=True, full=full, justify=False)
    st.paragraph(art.abstract, style.body_size - 1, full=full)
    st.y += 14
    st.columns_top = st.y
    if style.footnote:
        pdf.set_draw_color(0)
        first_w = st.widths[0]
        pdf.line(style.margin, st.bottom - 20, style.margin + 80, st.bottom - 20)
        pdf.set_font("Times", "", 6.5)
        pdf.text(style.margin, st.bottom - 10, art.footnote[: int(first_w / 2.6)])
        rest = art.footnote[int(first_w / 2.6) :]
        if rest:
            pdf.text(style.margin, st.bottom - 2, rest)
        st.page_bottom = st.bottom - 30
    st.sidebar_pending = style.sidebar
    for s, (heading, paragraphs) in enumerate(art.sections):
        st.heading(heading)
        for p, text in enumerate(paragraphs):
            pages = st.paragraph(text, style.body_size, indent=0.0 if p == 0 else 10.0)
            st.placed.paragraph_pages.append(pages)
            if style.mid_table and s == 1 and p == 1:
                st.table()
    st.heading("References")
    for i, ref in enumerate(art.references, start=1):
        st.paragraph(f"{i}. {ref}", style.body_size - 2, justify=False)
    pdf.output(str(path))
    return st.placed


def image_page_pdf(path: Path, lines: list[str]) -> None:
    """Two text pages with a picture-only page (a scanned letter) between them."""
    from PIL import Image, ImageDraw

    pdf = FPDF(unit="pt", format="A4")
    for page in range(3):
        pdf.add_page()
        if page == 1:
            image = Image.new("L", (400, 560), 255)
            draw = ImageDraw.Draw(image)
            for row in range(20, 540, 12):
                draw.rectangle((20, row, 380, row + 6), fill=0)
            pdf.image(image, x=40, y=40, w=515, h=760)
            continue
        pdf.set_font("Times", "", 11)
        for i, line in enumerate(lines[page // 2 :: 2]):
            pdf.text(72, 90 + 14 * i, line)
    pdf.output(str(path))


def zero_page_pdf(path: Path) -> None:
    """A syntactically valid PDF whose page tree has no pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def truncated_with_eof(path: Path, source: Path) -> None:
    """A cut-off PDF to which a stray "%%EOF" was appended (so the end marker alone proves nothing)."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3] + b"\n%%EOF\n")
