"""The PDF reader against PDFs built with known text (tests/pdf_factory.py) and broken inputs."""

from __future__ import annotations

import itertools
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pdf_factory import (
    CaseReport,
    Layout,
    blank_pdf,
    case_report_pdf,
    encrypted_pdf,
    plain,
    random_bytes,
    scanned_pdf,
    simple_pdf,
    truncated_bytes,
)

from extractor.document import Document
from extractor.readers.base import ReaderError
from extractor.readers.pdf import (
    Vocabulary,
    _glyph_text,
    join_lines,
    load_hyphenation,
    load_sections,
    read_pdf,
)
from extractor.readers.pdf_layout import Segment, order_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from pdf_order_check import in_order

SHARED_PDFS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus-pdfs"


def _p(*sentences: str) -> str:
    """A paragraph from its sentences; U+00AD marks hyphenation points, U+200B breaks without hyphen."""
    return " ".join(sentences)


DOC = CaseReport(
    title="Therapy-related acute myeloid leukemia with t(9;22) after treatment of breast cancer: a case report",
    authors="A. Example, B. Sample and C. Placeholder",
    abstract=_p(
        "Therapy-related myeloid neoplasms arise after cytotoxic chemotherapy or radiotherapy.",
        "We describe a woman who developed acute myeloid leukemia with a Philadelphia chromosome four years after adjuvant treatment of breast cancer.",
        "The case shows that latency can be short.",
    ),
    sections=[
        (
            "Introduction",
            [
                _p(
                    "Therapy-related myeloid neoplasms account for ten to twenty percent of all cases of acute myeloid leukemia.",
                    "They follow exposure to alkylating agents, topoisomerase II inhibitors or radiation, and their prognosis is poor.",
                    "Balanced translocations are typical after topoisomerase inhibitors, whereas losses of chromosomes 5 and 7 follow alkylating agents.",
                ),
                _p(
                    "The Philadelphia chromosome is rare in this setting and few cases have been described so far in the literature."
                ),
            ],
        ),
        (
            "Case presentation",
            [
                _p(
                    "A 54-year-old woman was diagnosed with invasive ductal carcinoma of the left breast in 2015.",
                    "She received adjuvant chemo\u00adtherapy with doxo\u00adru\u00adbi\u00adcin and cyclo\u00adphos\u00adpha\u00admide followed by pacli\u00adtaxel, and then took tamoxifen for 33 months until the treatment was stopped because of side effects.",
                    "In 2019 she presented with fatigue, fever and bruising on both legs.",
                ),
                _p(
                    "The blood count showed leukocytosis with circulating blasts and severe throm\u00adbo\u00adcy\u00adto\u00adpenia.",
                    "A heparin-induced thrombo\u00adcy\u00adto\u00adpenia was excluded by a negative antibody test.",
                    "The bone marrow was hyper\u00adcel\u00adlu\u00adlar with sixty percent myeloid blasts.",
                    "Conventional cytogenetics of the bone marrow aspirate showed the karyotype 46,\u200bXX,\u200bt(9;22)\u200b(q34;q11.2)\u200b[20] in all metaphases examined.",
                    "Molecular analysis confirmed a BCR-ABL1 fusion transcript of the p210 type.",
                ),
                _p(
                    "Flow cytometry showed that the blasts expressed CD34, CD117, HLA-DR and CD13 with aberrant expression of CD19.",
                    "Next-generation sequencing of a panel of myeloid genes found no mutation in FLT3, NPM1, TP53 or RUNX1, and a variant of uncertain significance in ASXL1 at a variant allele frequency of four percent.",
                    "Cerebrospinal fluid was free of blasts and the echocardiogram showed a normal left ventricular ejection fraction.",
                ),
                _p(
                    "She was treated with induction chemotherapy combined with imatinib and achieved a complete remission after the first cycle.",
                    "An allo\u00adgeneic stem cell trans\u00adplan\u00adta\u00adtion from a matched sibling donor followed in first remission.",
                    "She remains alive and in molecular remission two years after the transplant.",
                ),
            ],
        ),
        (
            "Discussion",
            [
                _p(
                    "This case illustrates that a Philadelphia chromosome may occur in a therapy-related leukemia after anthracyclines.",
                    "The latency of four years is shorter than usually reported after alkylating agents and fits exposure to topoisomerase II inhibitors.",
                ),
                _p(
                    "Tyrosine kinase inhibitors combined with intensive chemotherapy can induce deep remissions in such patients.",
                    "Before imatinib, patients with Philadelphia-positive acute leukemia rarely survived beyond one year, and relapse after transplantation was frequent.",
                    "Monitoring of the BCR-ABL1 transcript by quantitative polymerase chain reaction guides the duration of maintenance therapy.",
                ),
                _p(
                    "Several mechanisms have been proposed for therapy-related leukemia.",
                    "Topo\u00adisom\u00ader\u00adase II inhibitors stabilize cleavage complexes and promote chromosomal breaks near recurrent breakpoints, whereas alkylating agents cause point mutations and deletions.",
                    "Germline predisposition, for example variants in TP53 or BRCA genes, may add to the risk in women treated for breast cancer.",
                    "Clonal hematopoiesis present before chemotherapy may also be selected by cytotoxic treatment.",
                ),
                _p(
                    "Our patient had no family history of cancer, and germline testing was not performed.",
                    "The short latency, the balanced translocation and the exposure to an anthracycline together suggest a topoisomerase-related pathogenesis.",
                    "Reports of similar cases are collected in Table 1, which shows that the outcome after transplantation can be favourable.",
                ),
            ],
        ),
        (
            "Review of the literature",
            [
                _p(
                    "We searched PubMed for reports of therapy-related leukemia with a Philadelphia chromosome published in English.",
                    "Three further cases with complete clinical data were found and are listed in Table 1.",
                    "All patients had received an anthracycline or another topoisomerase II inhibitor, and two had also received radiotherapy.",
                    "The median latency between the first cytotoxic treatment and the diagnosis of leukemia was forty-one months.",
                ),
                _p(
                    "Two of the four patients underwent allogeneic transplantation and both were alive at the last follow-up.",
                    "The patient treated with chemotherapy and a tyrosine kinase inhibitor alone relapsed after eleven months and died of progressive disease.",
                    "These observations are limited by the small number of cases and by the selective reporting of favourable outcomes.",
                    "Nevertheless they support early transplantation in eligible patients with this rare entity.",
                ),
                _p(
                    "Larger registries will be needed to define the incidence of the Philadelphia chromosome among therapy-related leukemias.",
                    "Until then, every case should be reported with its cytogenetic and molecular findings, its exposures and its latency, so that pooled analyses can identify the treatments that carry the highest risk.",
                ),
            ],
        ),
        (
            "Conclusion",
            [
                _p(
                    "Cytogenetic analysis should be performed in every patient with a myeloid neoplasm after chemotherapy."
                ),
            ],
        ),
    ],
    figure_caption=_p(
        "Figure 1.",
        "Bone marrow aspirate showing myeloid blasts (May-Gruenwald-Giemsa stain, original magnification x400).",
    ),
    table_caption="Table 1. Reported cases of therapy-related leukemia with t(9;22)",
    table=[
        ["Case", "Age/Sex", "Exposure", "Karyotype"],
        ["1", "54/F", "AC-T", "46,XX,t(9;22)(q34;q11.2)[20]"],
        ["2", "61/M", "R-CHOP", "45,XY,-7,t(9;22)(q34;q11)[15]"],
        ["3", "47/F", "FEC", "46,XX,t(9;22)(q34;q11)[18]"],
    ],
    references=[
        "Smith J, Doe A. Therapy-related myeloid neoplasms. Blood Reviews 2010; 24: 1-10.",
        "Brown K, Green L. Philadelphia chromosome in secondary leukemia. Leukemia Research 2015; 39: 100-105.",
    ],
)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", plain(text)) if s]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Layout, Document]:
    path = tmp_path_factory.mktemp("pdf") / "case.pdf"
    layout = case_report_pdf(path, DOC)
    return path, layout, read_pdf(path, "case-1")


def test_fixture_exercises_line_breaks(built: tuple[Path, Layout, Document]) -> None:
    """The built PDF really breaks the tricky items across lines, or the other tests prove nothing."""
    _, layout, _ = built
    assert layout.pages == 2
    assert not any(
        "46,XX,t(9;22)(q34;q11.2)[20]" in line
        for line in layout.lines[: len(layout.lines) // 2]
        if "AC-T" not in line
    )
    assert any(line.endswith("for 33") for line in layout.lines)
    assert any(line.endswith("BCR-") for line in layout.lines)
    assert any(line.endswith("therapy-") for line in layout.lines)


def test_every_body_sentence_comes_out_whole_and_in_order(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    text = " ".join(doc.text.split())
    position = 0
    for _, paragraphs in DOC.sections:
        for paragraph in paragraphs:
            for sentence in _sentences(paragraph):
                found = text.find(sentence, position)
                assert found >= 0, sentence
                position = found + len(sentence)


def test_karyotype_and_duration_survive_line_breaks(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    assert "karyotype 46,XX,t(9;22)(q34;q11.2)[20] in all metaphases" in doc.text
    assert "tamoxifen for 33 months until" in doc.text
    assert "BCR-ABL1 transcript" in doc.text
    assert "therapy-related leukemia. Topoisomerase" in doc.text


def test_title_abstract_and_sections(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    assert doc.title == DOC.title
    headings = {doc.text[b.start : b.end]: b.section for b in doc.blocks if b.kind == "heading"}
    assert headings["Abstract"] == "abstract"
    assert headings["Case presentation"] == "case"
    assert headings["Discussion"] == "discussion"
    assert headings["Review of the literature"] == "discussion"
    assert headings["Conclusion"] == "conclusion"
    karyotype = doc.text.index("46,XX,t(9;22)(q34;q11.2)[20]")
    block = next(b for b in doc.blocks if b.start <= karyotype < b.end)
    assert (block.kind, block.section) == ("body", "case")


def test_headers_footnotes_references_kept_apart(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    for kept_out in (DOC.header, "Page 2", "Correspondence", "Smith J, Doe A", "CD34\nx400"):
        assert kept_out.split("\n")[0] not in doc.text.replace("CD34, CD117", "")
    assert DOC.header in doc.excluded["headers_footers"]
    assert "Page 1" in doc.excluded["headers_footers"]
    assert "Correspondence" in doc.excluded["footnotes"]
    assert "Blood Reviews 2010" in doc.excluded["references"]
    assert "Leukemia Research 2015" in doc.excluded["references"]


def test_captions_are_own_blocks_outside_sentences(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    captions = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "caption"]
    assert captions == [DOC.figure_caption, DOC.table_caption]
    for caption in captions:
        start = doc.text.index(caption)
        assert (
            doc.text[start - 2 : start] == "\n\n"
            and doc.text[start + len(caption) : start + len(caption) + 2] == "\n\n"
        )


def test_table_cells_with_page(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.page == 1 and table.bbox is not None
    assert ["2", "61/M", "R-CHOP", "45,XY,-7,t(9;22)(q34;q11)[15]"] in table.rows
    assert "R-CHOP" not in doc.text


def test_every_character_maps_to_a_page(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    spans = doc.pages
    assert spans[0].start == 0 and spans[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in itertools.pairwise(spans))
    assert [s.page for s in spans] == [1, 2]
    assert doc.page_at(doc.text.index("Case presentation")) == 1
    assert doc.page_at(doc.text.index("Cytogenetic analysis should be performed")) == 2
    for start, end, page, x0, top, x1, bottom in doc.meta["line_boxes"]:
        assert doc.page_at(start) == page and start < end and x0 < x1 and top < bottom


def test_blocks_are_ordered_and_disjoint(built: tuple[Path, Layout, Document]) -> None:
    _, _, doc = built
    for a, b in zip(doc.blocks, doc.blocks[1:]):
        assert a.end <= b.start
    assert all(doc.text[b.start : b.end].strip() == doc.text[b.start : b.end] for b in doc.blocks)


def test_faster_than_pdfplumber_plain_text(built: tuple[Path, Layout, Document]) -> None:
    path = built[0]
    started = time.process_time()
    read_pdf(path, "timing")
    ours = time.process_time() - started
    started = time.process_time()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
    theirs = time.process_time() - started
    assert ours < theirs


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p, _: random_bytes(p), "not a PDF"),
        (lambda p, src: truncated_bytes(p, src), "truncated or corrupt PDF"),
        (lambda p, _: encrypted_pdf(p), "encrypted PDF"),
        (lambda p, _: scanned_pdf(p), "no text layer"),
        (lambda p, _: blank_pdf(p), "empty PDF"),
        (lambda p, _: p.write_bytes(b""), "empty file"),
        (lambda p, _: p.write_bytes(b"%PDF-1.7\n1 0 obj garbage\ntrailer\n%%EOF\n"), "corrupt PDF"),
    ],
)
def test_unreadable_inputs_raise_one_line_reasons(
    tmp_path: Path, built: tuple[Path, Layout, Document], make, reason: str
) -> None:
    bad = tmp_path / "bad.pdf"
    make(bad, built[0])
    with pytest.raises(ReaderError) as info:
        read_pdf(bad, "bad")
    assert str(info.value).startswith(reason)
    assert "\n" not in str(info.value)


def test_ligatures_and_odd_spaces_are_normalized() -> None:
    assert [_glyph_text(ord(c)) for c in "\ufb01\ufb02\ufb03"] == ["fi", "fl", "ffi"]
    assert [_glyph_text(ord(c)) for c in "\u00a0\u2009\u202f"] == [" ", " ", " "]
    assert [_glyph_text(ord(c)) for c in "\u2212\u2010\u00ad"] == ["-", "-", "-"]
    assert _glyph_text(0x200B) == "" and _glyph_text(2) == "-"


def test_plain_single_column_page(tmp_path: Path) -> None:
    path = tmp_path / "one.pdf"
    lines = [
        "A 61-year-old man received R-CHOP for diffuse large B-cell lymphoma",
        "and developed acute myeloid leukemia 26 months later.",
    ]
    simple_pdf(path, lines)
    doc = read_pdf(path, "one")
    assert doc.text == " ".join(lines)
    assert doc.pages[0].page == 1 and doc.pages[-1].end == len(doc.text)


def test_join_lines_dehyphenates_by_evidence() -> None:
    vocab = Vocabulary(Counter({"thrombocytopenia": 3, "heparin-induced": 0}), load_hyphenation())
    joined = lambda a, b: "".join(sep + text for sep, text in join_lines([a, b], vocab))
    assert joined("severe thrombocy-", "topenia was seen") == "severe thrombocytopenia was seen"
    assert joined("a heparin-", "induced thrombocytopenia") == "a heparin-induced thrombocytopenia"
    assert joined("the BCR-", "ABL1 fusion") == "the BCR-ABL1 fusion"
    assert joined("pre- and", "post-transplant") == "pre- and post-transplant"
    assert joined("karyotype 46,XY,", "t(9;22)(q34;q11.2)[20]") == "karyotype 46,XY,t(9;22)(q34;q11.2)[20]"
    assert joined("with t(9;22)", "(q34;q11) and") == "with t(9;22)(q34;q11) and"
    assert joined("in 20 patients,", "12 of whom") == "in 20 patients, 12 of whom"
    assert joined("treated for 33", "months") == "treated for 33 months"


def _seg(text: str, x0: float, top: float, width: float) -> Segment:
    return Segment(
        text=text,
        x0=x0,
        top=top,
        x1=x0 + width,
        bottom=top + 10,
        size=10,
        bold=False,
        chars=len(text),
        font=1,
    )


def test_order_page_reads_columns_below_a_full_width_title() -> None:
    segments = [_seg("Title across the page", 50, 50, 490)]
    for i in range(5):
        segments.append(_seg(f"right {i}", 310, 100 + 12 * i, 230))
        segments.append(_seg(f"left {i}", 50, 100 + 12 * i, 230))
    segments.append(_seg("Full-width caption under both columns", 50, 200, 490))
    texts = [line.text for line in order_page(1, segments, 10)]
    assert texts == ["Title across the page"] + [f"left {i}" for i in range(5)] + [
        f"right {i}" for i in range(5)
    ] + ["Full-width caption under both columns"]


def test_sections_file_is_strict_and_maps_headings() -> None:
    sections = load_sections()
    assert sections.match("Case Presentation") == "case"
    assert sections.match("2. Case report") == "case"
    assert sections.match("MATERIALS AND METHODS") == "methods"
    assert sections.match("References") == "references"
    assert sections.match("Bone marrow findings") is None
    assert "references" in sections.excluded


@pytest.mark.skipif(not SHARED_PDFS.is_dir(), reason="shared development PDFs not present")
@pytest.mark.parametrize(
    "name", sorted(json.loads((Path(__file__).parent / "data" / "pdf_sentences.json").read_text()))
)
def test_shared_pdf_sentences_whole_and_in_order(name: str) -> None:
    """Sentences picked by eye from real two-column journal PDFs come out whole, de-hyphenated and in order."""
    picked = json.loads((Path(__file__).parent / "data" / "pdf_sentences.json").read_text(encoding="utf-8"))[
        name
    ]
    doc = read_pdf(SHARED_PDFS / name, name)
    found = in_order(doc.text, picked)
    assert sum(found) >= 0.9 * len(picked), [s for s, ok in zip(picked, found) if not ok]
    assert "References" not in doc.text.split("\n\n")
