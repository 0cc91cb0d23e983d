"""The PDF reader over case reports typeset in layouts it was not tuned on (tests/pdf_layouts.py).

Every layout carries the same known text; the reader must return the body sentences whole and
in order, de-hyphenated, with karyotypes and durations intact, headings mapped, captions and
the sidebar as blocks of their own, and the running headers, page numbers, footnotes,
affiliations and references kept out of the analysed text but not lost.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pdf_factory import SOFT, ZWSP, simple_pdf
from pdf_layouts import (
    NBSP,
    SERIF,
    Article,
    Placed,
    Style,
    expected,
    image_page_pdf,
    journal_pdf,
    truncated_with_eof,
    zero_page_pdf,
)

from extractor.document import Document
from extractor.readers.base import ReaderError
from extractor.readers.pdf import Vocabulary, join_lines, load_hyphenation, read_pdf
from extractor.readers.pdf_layout import Segment, join_word_gaps, order_page

S, Z = SOFT, ZWSP
KARYOTYPE = f"46,{Z}XY,{Z}t(9;22){Z}(q34;{Z}q11.2){Z}[20]"
COMPLEX = f"47,{Z}XY,{Z}+8,{Z}t(9;22){Z}(q34;{Z}q11.2){Z}[12]/{Z}46,{Z}XY{Z}[8]"

ARTICLE = Article(
    title="Philadelphia-positive therapy-related myeloid neoplasm after lymphoma: a case report",
    authors="Anna Example, Bruno Sample and Chiara Placeholder",
    affiliations="1 Department of Hematology, Example University Hospital, 12345 Example City, Country. "
    "2 Institute of Pathology, Sample Medical Centre, Sample Town, Country.",
    abstract=(
        "Therapy-related myeloid neoplasms follow cytotoxic treatment of an earlier cancer. "
        "We report a man who developed a myeloid neoplasm with a Philadelphia chromosome two years after "
        "chemo\u00adimmuno\u00adtherapy for lymphoma."
    ),
    sections=[
        (
            "Background",
            [
                "Therapy-related myeloid neoplasms make up about a tenth of all myeloid neoplasms in adults. "
                "They follow exposure to alkylating agents, topo\u00adisom\u00ader\u00adase II inhibitors or "
                "radiation, and their prognosis is usually poor. "
                "The Philadelphia chromosome is rare among them, and only a few reports describe its "
                "clinical course in detail.",
            ],
        ),
        (
            "Case report",
            [
                "A 58-year-old man was diagnosed with diffuse large B-cell lymphoma in 2017. "
                "He received six cycles of R-CHOP at standard doses and reached a complete metabolic "
                "remission, which lasted for 24 months of close follow-up. "
                "He then presented with fatigue, night sweats and a ten\u00addency to bleed from the gums "
                "after brushing his teeth. "
                f"The platelet count was 23{NBSP}×{NBSP}10^9/L and the white cell count was 41{NBSP}×{NBSP}10^9/L "
                "with circulating blasts. "
                "A heparin-induced thrombo\u00adcy\u00adto\u00adpenia was excluded by a negative antibody test, "
                "since he had received heparin during a recent admission.",
                "The bone marrow aspirate was hyper\u00adcel\u00adlu\u00adlar with thirty-five percent blasts "
                "and marked dys\u00adgran\u00adu\u00adlo\u00adpoi\u00adesis. "
                f"Conventional cytogenetics showed the karyotype {KARYOTYPE} in all metaphases examined. "
                "Fluorescence in situ hybridization confirmed the BCR-ABL1 fusion in ninety percent of nuclei. "
                f"A second marrow sample taken 3 weeks later showed the karyotype {COMPLEX} with an "
                "additional trisomy. "
                "The fusion transcript was of the p190 type, as is typical for lymphoblastic rather than "
                "chronic myeloid disease.",
                "Treatment with dasatinib at 140 mg daily and low-dose cytarabine was started, and the "
                "blasts cleared from the blood within 12 days. "
                "A complete cytogenetic remission was documented after 3 months of treatment. "
                f"The patient then received a reduced-intensity allogeneic trans\u00adplan\u00adta\u00adtion "
                f"from an unrelated donor with a 10/10{NBSP}HLA match. "
                "Graft-versus-host disease of the skin responded to topical steroids within 6 weeks. "
                "He remains in molecular remission 18 months after the transplant, with dasatinib "
                "maintenance that was stopped after 12 months because of pleural effusions.",
            ],
        ),
        (
            "Discussion",
            [
                "This case shows that a Philadelphia chromosome can arise in a therapy-related myeloid "
                "neoplasm after anthracycline-containing chemo\u00adimmuno\u00adtherapy. "
                "The latency of 24 months is short and fits exposure to topo\u00adisom\u00ader\u00adase II "
                "inhibitors rather than to alkylating agents. "
                f"Similar karyotypes, such as {KARYOTYPE} as the sole abnormality, have been reported after "
                "doxo\u00adru\u00adbi\u00adcin and after etoposide. "
                "The prognosis of such cases has improved since tyrosine kinase inhibitors became available.",
                "Several mechanisms have been proposed for therapy-related leukemia. "
                "Topoisomerase II inhibitors stabilize cleavage complexes and promote chromosomal breaks near "
                "recurrent break\u00adpoints, whereas alkylating agents cause point mutations and deletions. "
                "Clonal hema\u00adto\u00adpoi\u00adesis present before chemotherapy may be selected by the "
                "cytotoxic treatment, and germline variants may add to the risk. "
                "Our patient had no family history of cancer and no germline variant in a panel of "
                "predisposition genes.",
                "Monitoring of the BCR-ABL1 transcript by quantitative polymerase chain reaction guided the "
                "duration of maintenance therapy in our patient. "
                "Because relapse after transplantation for Philadelphia-positive disease usually occurs within "
                "the first 2 years, we monitored the transcript every 3 months. "
                "The effusions that led to stopping dasatinib resolved within 4 weeks without drainage. "
                "Ponatinib would have been an alternative had the transcript risen again.",
            ],
        ),
        (
            "Review of the literature",
            [
                "We searched PubMed for reports of therapy-related myeloid neoplasms with a Philadelphia "
                "chromosome published in English between 1990 and 2023. "
                "Eleven further cases with complete clinical data were found, and their median age at "
                "diagnosis was sixty-one years. "
                "All patients had received an anthracycline or another topo\u00adisom\u00ader\u00adase II "
                "inhibitor, and four had also received radiotherapy to the chest or the abdomen. "
                "The median latency between the first cytotoxic treatment and the diagnosis of the myeloid "
                "neoplasm was 41 months, with a range from 9 months to 12 years.",
                "Six of the eleven patients underwent allogeneic transplantation and five of them were alive "
                "at the last follow-up. "
                "The patients treated with chemotherapy and a tyrosine kinase inhibitor alone relapsed after a "
                "median of 11 months and most died of progressive disease. "
                "These observations are limited by the small number of cases and by the selective reporting "
                "of favourable outcomes in the literature. "
                "Nevertheless they support early transplantation in eligible patients with this rare entity, "
                "as recommended for de novo Philadelphia-positive acute leukemia.",
                "Larger registries will be needed to define how often the Philadelphia chromosome occurs "
                "among therapy-related myeloid neoplasms. "
                "Until then, every case should be reported with its cytogenetic and molecular findings, its "
                "exposures and its latency, so that pooled analyses can identify the treatments that carry "
                "the highest risk. "
                "Reports should also state the interval from the end of treatment, since a latency counted "
                "from diagnosis and one counted from the last cycle can differ by 6 months or more.",
            ],
        ),
        (
            "Conclusions",
            [
                "Cytogenetic analysis should be performed in every patient with a myeloid neoplasm after "
                "chemotherapy, since a Philadelphia chromosome changes the treatment. "
                "Tyrosine kinase inhibitors followed by transplantation can give a lasting remission.",
            ],
        ),
    ],
    figure_caption=(
        "Figure 1. Course of the disease: lymphoma diagnosis, R-CHOP, remission lasting 24 months, "
        "diagnosis of the myeloid neoplasm and transplantation."
    ),
    table_caption="Table 1. Laboratory findings at diagnosis",
    table=[
        ["Test", "Value", "Reference range"],
        ["Hemoglobin", "8.1 g/dL", "13.5-17.5"],
        ["Platelets", "23 x 10^9/L", "150-400"],
        ["Blasts", "35 %", "<5"],
    ],
    sidebar_title="Box 1. Key points",
    sidebar=(
        "Screen every therapy-related neoplasm for BCR-ABL1. "
        "Add a tyrosine kinase inhibitor to induction when it is present."
    ),
    references=[
        "Smith J, Doe A. Therapy-related myeloid neoplasms. Blood Reviews 2010; 24: 1-10.",
        "Brown K, Green L. Philadelphia chromosome in secondary leukemia. Leukemia Research 2015; 39: 100-105.",
        "White P. Topoisomerase II inhibitors and leukemia. Journal of Clinical Oncology 2012; 30: 200-210.",
    ],
)

HAS_DEJAVU = SERIF.is_file()

STYLES = [
    Style("single-column", columns=(1.0,), header="fixed", footer_number=True),
    Style("two-column", wide_figure=True, mid_table=True, footer_number=True),
    Style("two-column-in-flow-front", front_full_width=False, header="alternating", body_size=9.5),
    Style("three-column", columns=(1.0, 1.0, 1.0), gutter=14, body_size=10.0, mid_table=True, margin=40),
    Style("unequal-columns", columns=(1.6, 1.0), sidebar=True, mid_table=True, rotated_affiliations=True),
    Style(
        "unicode-fonts",
        unicode_font=True,
        margin_note=True,
        rotated_affiliations=True,
        wide_figure=True,
        footer_number=True,
    ),
]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", expected(text)) if s]


@pytest.fixture(scope="module", params=STYLES, ids=[s.name for s in STYLES])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Style, Placed, Document]:
    style: Style = request.param
    if style.unicode_font and not HAS_DEJAVU:
        pytest.skip("DejaVu fonts not installed")
    path = tmp_path_factory.mktemp("layouts") / f"{style.name}.pdf"
    placed = journal_pdf(path, ARTICLE, style)
    return style, placed, read_pdf(path, style.name)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_fixture_breaks_the_tricky_items(built: tuple[Style, Placed, Document]) -> None:
    """The typeset pages really split words, karyotypes and durations across lines."""
    _, placed, _ = built
    assert placed.pages >= 2
    lines = placed.lines
    assert any(line.endswith("-") and line[-2].isalpha() for line in lines)
    assert any(
        re.search(r"\d$", a) and re.match(r"(months|weeks|days|years)\b", b) for a, b in zip(lines, lines[1:])
    ) or any(re.search(r"[,;(\]]$", a) and re.match(r"[\d(\[tXqY+]", b) for a, b in zip(lines, lines[1:]))


def test_body_sentences_whole_and_in_order(built: tuple[Style, Placed, Document]) -> None:
    _, _, doc = built
    text = _flat(doc.text)
    position = 0
    missing = []
    for _, paragraphs in ARTICLE.sections:
        for paragraph in paragraphs:
            for sentence in _sentences(paragraph):
                found = text.find(sentence, position)
                if found < 0:
                    missing.append(sentence)
                else:
                    position = found + len(sentence)
    assert not missing


def test_abstract_whole(built: tuple[Style, Placed, Document]) -> None:
    _, _, doc = built
    for sentence in _sentences(ARTICLE.abstract):
        assert sentence in _flat(doc.text)


def test_karyotypes_and_durations_intact(built: tuple[Style, Placed, Document]) -> None:
    _, _, doc = built
    text = _flat(doc.text)
    assert text.count(expected(KARYOTYPE)) == 2
    assert expected(COMPLEX) in text
    for duration in ("24 months", "3 weeks", "12 days", "3 months", "6 weeks", "18 months", "4 weeks"):
        assert duration in text
    assert "heparin-induced thrombocytopenia" in text
    assert "BCR-ABL1 fusion" in text
    assert "hypercellular" in text and "dysgranulopoiesis" in text and "tendency" in text
    assert "\u00ad" not in doc.text and "\u00a0" not in doc.text and "\ufb01" not in doc.text


def test_sections_mapped(built: tuple[Style, Placed, Document]) -> None:
    _, _, doc = built
    headings = {doc.text[b.start : b.end]: b.section for b in doc.blocks if b.kind == "heading"}
    assert headings.get("Abstract") == "abstract"
    assert headings.get("Background") == "introduction"
    assert headings.get("Case report") == "case"
    assert headings.get("Discussion") == "discussion"
    assert headings.get("Conclusions") == "conclusion"
    assert doc.title == ARTICLE.title
    at = doc.text.index("Conventional cytogenetics")
    block = next(b for b in doc.blocks if b.start <= at < b.end)
    assert (block.kind, block.section) == ("body", "case")


def test_margins_kept_apart(built: tuple[Style, Placed, Document]) -> None:
    style, placed, doc = built
    text = doc.text
    assert ARTICLE.journal not in text
    assert "Smith J, Doe A" not in text and "Leukemia Research 2015" not in text
    assert "Blood Reviews 2010" in _flat(doc.excluded.get("references", ""))
    assert "Example University Hospital" not in text
    assert "Example University Hospital" in " ".join(doc.excluded.values()).replace("\n", " ")
    if style.header != "none":
        assert ARTICLE.journal in doc.excluded.get("headers_footers", "")
    numbers = [str(344 + n) for n in range(1, placed.pages + 1)]
    if style.header == "alternating" or style.footer_number:
        for number in numbers:
            assert not re.search(rf"(?<![\d.,]){number}(?![\d.,])", text), number
    if style.footnote:
        assert "Correspondence" not in text
        assert "Correspondence" in doc.excluded.get("footnotes", "")
    if style.margin_note:
        assert "Downloaded from" not in text


def test_captions_and_boxes_are_blocks_of_their_own(built: tuple[Style, Placed, Document]) -> None:
    style, _, doc = built
    captions = [_flat(doc.text[b.start : b.end]) for b in doc.blocks if b.kind == "caption"]
    if style.wide_figure:
        assert ARTICLE.figure_caption in captions
    if style.mid_table:
        assert ARTICLE.table_caption in captions
        assert "Hemoglobin" not in doc.text
        assert any(
            ["Hemoglobin", "8.1 g/dL", "13.5-17.5"] == row for t in doc.tables for row in t.rows
        ) or any("Hemoglobin" in (cell or "") for t in doc.tables for row in t.rows for cell in row)
    if style.sidebar:
        box = [b for b in doc.blocks if "Screen every" in doc.text[b.start : b.end]]
        assert len(box) == 1 and box[0].kind == "caption"
        assert _flat(doc.text[box[0].start : box[0].end]) == f"{ARTICLE.sidebar_title} {ARTICLE.sidebar}"


def test_pages_of_paragraphs(built: tuple[Style, Placed, Document]) -> None:
    _, placed, doc = built
    text = doc.text
    flat_starts = []
    paragraphs = [p for _, ps in ARTICLE.sections for p in ps]
    assert len(paragraphs) == len(placed.paragraph_pages)
    for paragraph, (first, last) in zip(paragraphs, placed.paragraph_pages):
        head = " ".join(_sentences(paragraph)[0].split()[:5])
        match = re.search(r"\s+".join(map(re.escape, head.split())), text)
        assert match, head
        assert doc.page_at(match.start()) == first, head
        tail = " ".join(_sentences(paragraph)[-1].split()[-4:])
        match = re.search(r"\s+".join(map(re.escape, tail.split())), text)
        assert match, tail
        assert doc.page_at(match.end() - 1) == last, tail
        flat_starts.append(match.start())
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(text)


def test_page_with_an_image_only(tmp_path: Path) -> None:
    """A scanned page between text pages: the text pages are read, the page is noted."""
    path = tmp_path / "mixed.pdf"
    lines = [
        "A 61-year-old man received R-CHOP for diffuse large B-cell lymphoma.",
        "He developed acute myeloid leukemia 26 months later.",
        "The karyotype was 45,XY,-7[20] in all metaphases.",
        "He died of infection after the second induction course.",
    ]
    image_page_pdf(path, lines)
    doc = read_pdf(path, "mixed")
    for line in lines:
        assert line in doc.text
    assert doc.page_at(doc.text.index("He died")) == 3
    assert "2" in str(doc.meta.get("pages_without_text", ""))


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p, _: zero_page_pdf(p), "empty PDF"),
        (lambda p, src: truncated_with_eof(p, src), "truncated or corrupt PDF"),
    ],
)
def test_more_broken_inputs(tmp_path: Path, make, reason: str) -> None:
    source = tmp_path / "source.pdf"
    journal_pdf(source, ARTICLE, STYLES[1])
    bad = tmp_path / "bad.pdf"
    make(bad, source)
    with pytest.raises(ReaderError) as info:
        read_pdf(bad, "bad")
    assert str(info.value).startswith(reason) or "corrupt" in str(info.value) or "empty" in str(info.value)
    assert "\n" not in str(info.value)


def test_owner_password_only_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "owner.pdf"
    simple_pdf(
        path,
        ["A 54-year-old man presented with therapy-related myeloid neoplasm."],
        owner_password="owner-secret",
    )
    doc = read_pdf(path, "owner")
    assert "therapy-related myeloid neoplasm" in doc.text


def test_join_lines_keeps_compound_and_karyotype_joints() -> None:
    vocab = Vocabulary(Counter(), load_hyphenation())
    joined = lambda a, b: "".join(sep + text for sep, text in join_lines([a, b], vocab))
    assert joined("diffuse large B-", "cell lymphoma") == "diffuse large B-cell lymphoma"
    assert joined("with thirty-", "five percent") == "with thirty-five percent"
    assert joined("a reduced-", "intensity graft") == "a reduced-intensity graft"
    assert joined("Graft-versus-", "host disease") == "Graft-versus-host disease"
    assert joined("karyotype 46,", "XY,t(9;22)(q34;q11.2)[20]") == "karyotype 46,XY,t(9;22)(q34;q11.2)[20]"
    assert joined("karyotype 47,XXY,", "+8[20]") == "karyotype 47,XXY,+8[20]"
    assert joined("hyper-", "cellular marrow") == "hypercellular marrow"


def _seg(text: str, x0: float, top: float, x1: float, size: float = 10.0) -> Segment:
    return Segment(
        text=text, x0=x0, top=top, x1=x1, bottom=top + size, size=size, bold=False, chars=len(text), font=1
    )


def test_loose_justified_words_do_not_make_columns() -> None:
    """Three narrow justified columns whose stretched word spaces are as wide as the gutters."""
    segments = []
    for row in range(8):
        top = 100 + 12 * row
        for col, left in enumerate((40.0, 216.0, 392.0)):
            if row == 3:  # a loose line: three words, word spaces wider than the gutter
                segments += [
                    _seg(f"c{col}r{row}a", left, top, left + 50),
                    _seg(f"c{col}r{row}b", left + 63 + col, top, left + 110 + col),
                    _seg(f"c{col}r{row}c", left + 124 + 2 * col, top, left + 162),
                ]
            else:
                segments.append(_seg(f"c{col}r{row}", left, top, left + 162))
    texts = [line.text for line in order_page(1, segments, 10)]
    expected_order = []
    for col in range(3):
        for row in range(8):
            expected_order.append(
                f"c{col}r{row}a c{col}r{row}b c{col}r{row}c" if row == 3 else f"c{col}r{row}"
            )
    assert texts == expected_order
    assert len(join_word_gaps(segments)) == 24


def test_ragged_line_next_to_an_indented_line_stays_in_its_column() -> None:
    """A ragged-right line that nearly reaches the gutter is not joined to an indented line beside it."""
    segments = []
    for row in range(6):
        top = 100 + 12 * row
        segments.append(_seg(f"left {row}", 50, top, 280 - 10 * row if row != 2 else 300))
        start = 310 if row != 2 else 313  # row 2 of the right column opens an indented paragraph
        segments.append(_seg(f"right {row}", start, top, 540 - 15 * row))
    joined = join_word_gaps(segments)
    assert len(joined) == 12
    texts = [line.text for line in order_page(1, segments, 10)]
    assert texts == [f"left {r}" for r in range(6)] + [f"right {r}" for r in range(6)]
