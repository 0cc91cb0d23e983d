"""Prose and inline cytogenetic findings, with local negation, mapped to the guide's forms."""

from __future__ import annotations

import pytest

from extractor.parsers.cytogenetics import find_cytogenetic_findings


def findings(text: str) -> list[tuple[str, str, bool]]:
    return [(text[f.start : f.end], f.finding, f.negated) for f in find_cytogenetic_findings(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abs-022 title (dev corpus): a coordinated list of deletions, then an inversion.
        (
            "The co-presence of deletion 7q, 20q and inversion 16 in therapy-related acute myeloid leukemia",
            [
                ("deletion 7q", "del(7q)", False),
                ("20q", "del(20q)", False),
                ("inversion 16", "inv(16)", False),
            ],
        ),
        # abs-022 body: the karyotype's own items are left to karyotype_findings.
        (
            "revealed a 46, XX, deletion 7 (q22q34), deletion 20 (q11.2q13.1) karyotype in five out of 20 "
            "metaphases and inversion 16 was detected by fluorescence in situ hybridization.",
            [("inversion 16", "inv(16)", False)],
        ),
        # abs-008: an inline translocation outside any karyotype, with its 11q23 break.
        (
            "a chromosomal translocation of t(11;22)(q23;q13) as a solo cytogenetic abnormality",
            [("t(11;22)(q23;q13)", "t(11;22)", False), ("t(11;22)(q23;q13)", "11q23", False)],
        ),
        # abs-028 title.
        (
            "Philadelphia chromosome-positive B-cell acute lymphoblastic leukemia",
            [("Philadelphia chromosome-positive", "Ph+", False)],
        ),
        ("Ph+ ALL and Ph-positive ALL", [("Ph+", "Ph+", False), ("Ph-positive", "Ph+", False)]),
        ("Ph-negative ALL, unlike Ph-like ALL", [("Ph-negative", "Ph-", False)]),
        ("There was no Philadelphia chromosome.", [("Philadelphia chromosome", "Ph-", False)]),
        ("monosomy 7 and trisomy 8 were found", [("monosomy 7", "-7", False), ("trisomy 8", "+8", False)]),
        ("monosomies 5 and 7", [("monosomies 5", "-5", False), ("7", "-7", False)]),
        (
            "loss of chromosome 7 and loss of the Y chromosome",
            [("loss of chromosome 7", "-7", False), ("loss of the Y chromosome", "-Y", False)],
        ),
        (
            "-5/del(5q) and -7/del(7q) are typical",
            [
                ("-5", "-5", False),
                ("del(5q)", "del(5q)", False),
                ("-7", "-7", False),
                ("del(7q)", "del(7q)", False),
            ],
        ),
        (
            "a 7q deletion and deletion of 5q",
            [("7q deletion", "del(7q)", False), ("deletion of 5q", "del(5q)", False)],
        ),
        ("del(7)(q22) by FISH", [("del(7)(q22)", "del(7q)", False)]),
        ("20q- and 5q- syndrome", [("20q-", "del(20q)", False), ("5q- syndrome", "del(5q)", False)]),
        (
            "deletion of the long arm of chromosome 7",
            [("deletion of the long arm of chromosome 7", "del(7q)", False)],
        ),
        (
            "loss of 17p. A 17p13 deletion",
            [("loss of 17p", "del(17p)", False), ("17p13 deletion", "del(17p)", False)],
        ),
        ("gain of 1q and +1q", [("gain of 1q", "+1q", False), ("+1q", "+1q", False)]),
        (
            "isochromosome 17q and i(17q)",
            [("isochromosome 17q", "i(17q)", False), ("i(17q)", "i(17q)", False)],
        ),
        (
            "inv(16)(p13.1q22) and inversion of chromosome 3",
            [("inv(16)(p13.1q22)", "inv(16)", False), ("inversion of chromosome 3", "inv(3)", False)],
        ),
        (
            "translocation between chromosomes 9 and 22",
            [("translocation between chromosomes 9 and 22", "t(9;22)", False)],
        ),
        ("the 4;11 translocation", [("4;11 translocation", "t(4;11)", False)]),
        (
            "+der(22)t(9;22)(q34;q11)",
            [("+der(22)t(9;22)(q34;q11)", "der(22)", False), ("+der(22)t(9;22)(q34;q11)", "t(9;22)", False)],
        ),
        ("normal karyotype", [("normal karyotype", "normal-karyotype", False)]),
        ("The karyotype was normal.", [("karyotype was normal", "normal-karyotype", False)]),
        ("complex karyotype (CK)", [("complex karyotype", "complex-karyotype", False)]),
        ("masked hypodiploidy", [("masked hypodiploidy", "masked-hypodiploid", False)]),
        (
            "masked low hypodiploidy",
            [
                ("masked low hypodiploidy", "masked-hypodiploid", False),
                ("masked low hypodiploidy", "low-hypodiploid", False),
            ],
        ),
        # abs-034 title.
        (
            "Near-Haploidy and Low-Hypodiploidy in B-Cell Acute Lymphoblastic Leukemia",
            [("Near-Haploidy", "near-haploid", False), ("Low-Hypodiploidy", "low-hypodiploid", False)],
        ),
        (
            "high hypodiploid and hypodiploid B-ALL",
            [("high hypodiploid", "high-hypodiploid", False), ("hypodiploid", "hypodiploid", False)],
        ),
        (
            "high hyperdiploidy and near-triploid clones",
            [("high hyperdiploidy", "hyperdiploid", False), ("near-triploid", "near-triploid", False)],
        ),
        (
            "KMT2A/11q23 rearrangement and 11q23 abnormalities",
            [("KMT2A/11q23", "11q23", False), ("11q23 abnormalities", "11q23", False)],
        ),
        # doi-fonc.2023.1036455 (corpus batch-2): no arm is named, so none is guessed.
        ("bone marrow biopsy revealed chromosome 7 deletion", [("chromosome 7 deletion", "del(7)", False)]),
        (
            "deletion of chromosome 5 and deletion of chromosome 7q",
            [("deletion of chromosome 5", "del(5)", False), ("deletion of chromosome 7q", "del(7q)", False)],
        ),
        # Losses and gains listed in prose, each with its own sign.
        (
            "monosomal karyotype with -5, -7 and -17",
            [("-5", "-5", False), ("-7", "-7", False), ("-17", "-17", False)],
        ),
        (
            "a complex karyotype including del(17p), -5 and +8",
            [
                ("complex karyotype", "complex-karyotype", False),
                ("del(17p)", "del(17p)", False),
                ("-5", "-5", False),
                ("+8", "+8", False),
            ],
        ),
        (
            "Cytogenetic analysis was normal.",
            [("Cytogenetic analysis was normal", "normal-karyotype", False)],
        ),
        # The colon misprint of the semicolon.
        ("Cytogenetics showed t(15:17)(q22:q21).", [("t(15:17)(q22:q21)", "t(15;17)", False)]),
        # pmid-16939961 (batch 6): the chromosome number in square brackets.
        (
            "he was diagnosed with an inv [16] Acute Myelogenous Leukemia (AML).",
            [("inv [16]", "inv(16)", False)],
        ),
    ],
)
def test_findings(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert findings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no t(9;22) was seen", [("t(9;22)", "t(9;22)", True)]),
        ("without evidence of 7q deletion", [("7q deletion", "del(7q)", True)]),
        ("t(9;22)(q34;q11.2) was not detected", [("t(9;22)(q34;q11.2)", "t(9;22)", True)]),
        ("negative for inv(16) by FISH", [("inv(16)", "inv(16)", True)]),
        ("monosomy 7 was absent", [("monosomy 7", "-7", True)]),
        # abs-003: a negation word in an earlier clause does not reach the finding.
        ("There was no response; monosomy 7 persisted.", [("monosomy 7", "-7", False)]),
        ("no fever, but trisomy 8 was found", [("trisomy 8", "+8", False)]),
    ],
)
def test_negation(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert findings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "pH-dependent and PH domain",
        "CD7-positive blasts and IL-7 levels",
        "5-7 days and 2-8 cycles",
        "a 46,XX,t(9;22)(q34;q11.2)[20] karyotype",
        "Ph-like ALL",
        "trisomy of the patient's mood",
        "scores of -25, -30 and -41",
    ],
)
def test_no_false_findings(text: str) -> None:
    assert findings(text) == []


def test_given_karyotype_spans_are_skipped() -> None:
    text = "monosomy 7 and 45,XX,-7[20]"
    assert [f.finding for f in find_cytogenetic_findings(text, karyotype_spans=[(0, 10)])] == []


def test_abnormalities_only_tested_for_are_not_findings() -> None:
    # doi-s13256-020-02587-3 (batch 4): probes "to detect" a list of translocations, applied "to exclude" them.
    text = (
        "fluorescence in situ hybridization (FISH) using specific probes to detect translocations t(8;21), "
        "t(15;17), t(16;16)"
    )
    assert findings(text) == [
        ("t(8;21)", "t(8;21)", True),
        ("t(15;17)", "t(15;17)", True),
        ("t(16;16)", "t(16;16)", True),
    ]


def test_a_deletion_in_a_chromosome_with_its_band_in_brackets() -> None:
    # ecancer-972-murray-endometrial-t-all (batch 7): the arm is written after the chromosome, in brackets.
    text = (
        "the cytogenetic analysis showed a previously unreported deletion in chromosome 19 (q13.1) in 100% of the "
        "blast cells."
    )
    assert findings(text) == [("deletion in chromosome 19 (q13.1)", "del(19q)", False)]


def test_a_normal_cytogenetic_karyotype() -> None:
    # pathint-2015-65-10-536-matnani (batch 7).
    text = "In addition, one case demonstrated MLL rearrangement at 11q23 locus while one case demonstrated normal cytogenetic karyotype."
    assert ("normal cytogenetic karyotype", "normal-karyotype", False) in findings(text)
