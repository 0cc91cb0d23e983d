"""Gene alterations in prose: gene, kind, status, origin and alteration, field by field."""

from __future__ import annotations

import json

import pytest

from extractor.parsers.genes import find_gene_alterations, find_gene_mentions, variant_genes
from extractor.parsers.hgvs import find_variants
from extractor.patterns import patterns_dir

Row = tuple[str, str, str, str, str | None, str | None]


def hits(text: str) -> list[Row]:
    return [
        (text[h.start : h.end], h.gene, h.kind, h.status, h.origin, h.alteration)
        for h in find_gene_alterations(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abs-008 (dev corpus): old name MLL -> KMT2A, fusion in written order.
        (
            "Next-generation sequencing analysis identified a rare chimeric transcript, MLL-EP300, without any additional somatic mutations.",
            [("MLL-EP300", "KMT2A::EP300", "fusion", "present", None, None)],
        ),
        (
            "Harboring a Rare MLL-EP300 Rearrangement",
            [("MLL-EP300 Rearrangement", "KMT2A::EP300", "fusion", "present", None, None)],
        ),
        # abs-013: germline origin and the cDNA change.
        (
            "Case report: TP53 c.848G>A germline mutation as a possible screening target",
            [("TP53 c.848G>A germline mutation", "TP53", "mutation", "present", "germline", "c.848G>A")],
        ),
        (
            "TP53 gene germline mutation is considered a risk factor",
            [("TP53 gene germline mutation", "TP53", "mutation", "present", "germline", None)],
        ),
        # abs-028: the transcript belongs to the fusion, before or after it.
        (
            "Philadelphia chromosome-positive ALL with e1a3 BCR-ABL1 transcript in a Nigerian",
            [("e1a3 BCR-ABL1 transcript", "BCR::ABL1", "fusion", "present", None, "e1a3")],
        ),
        (
            "ALL with a rare BCR-ABL1 e1a3 transcript",
            [("BCR-ABL1", "BCR::ABL1", "fusion", "present", None, "e1a3")],
        ),
        (
            "a diagnosis of BCR-ABL1-positive mature B-cell ALL associated with the rare e1a3 transcript.",
            [
                ("BCR-ABL1-positive", "BCR::ABL1", "fusion", "present", None, "e1a3"),
                ("e1a3 transcript", "BCR::ABL1", "fusion", "present", None, "e1a3"),
            ],
        ),
        (
            "p190 BCR-ABL and BCR/ABL",
            [
                ("p190 BCR-ABL", "BCR::ABL1", "fusion", "present", None, "p190"),
                ("BCR/ABL", "BCR::ABL1", "fusion", "present", None, None),
            ],
        ),
        ("BCR::ABL1 was found", [("BCR::ABL1", "BCR::ABL1", "fusion", "present", None, None)]),
        (
            "Ph+ ALL with the p190 transcript.",
            [("p190 transcript", "BCR::ABL1", "fusion", "present", None, "p190")],
        ),
        (
            "TEL-AML1 fusion and AML1-ETO",
            [
                ("TEL-AML1 fusion", "ETV6::RUNX1", "fusion", "present", None, None),
                ("AML1-ETO", "RUNX1::RUNX1T1", "fusion", "present", None, None),
            ],
        ),
        (
            "PML-RARA and CBFB-MYH11",
            [
                ("PML-RARA", "PML::RARA", "fusion", "present", None, None),
                ("CBFB-MYH11", "CBFB::MYH11", "fusion", "present", None, None),
            ],
        ),
        ("MLL gene fusion", [("MLL gene fusion", "KMT2A", "rearrangement", "present", None, None)]),
        ("KMT2A-rearranged ALL", [("KMT2A-rearranged", "KMT2A", "rearrangement", "present", None, None)]),
        (
            "rearrangement of KMT2A",
            [("rearrangement of KMT2A", "KMT2A", "rearrangement", "present", None, None)],
        ),
        ("IKZF1 deletion", [("IKZF1 deletion", "IKZF1", "deletion", "present", None, None)]),
        (
            "CDKN2A/B deletion",
            [
                ("CDKN2A/B deletion", "CDKN2A", "deletion", "present", None, None),
                ("CDKN2A/B deletion", "CDKN2B", "deletion", "present", None, None),
            ],
        ),
        (
            "amplification of RUNX1 (iAMP21)",
            [("amplification of RUNX1", "RUNX1", "amplification", "present", None, None)],
        ),
        (
            "KMT2A partial tandem duplication",
            [("KMT2A partial tandem duplication", "KMT2A", "duplication", "present", None, None)],
        ),
        (
            "mutated NPM1 and NPM1-mutated AML",
            [
                ("mutated NPM1", "NPM1", "mutation", "present", None, None),
                ("NPM1-mutated", "NPM1", "mutation", "present", None, None),
            ],
        ),
        (
            "mutations in NRAS, KRAS and PTPN11",
            [
                ("mutations in NRAS, KRAS and PTPN11", "KRAS", "mutation", "present", None, None),
                ("mutations in NRAS, KRAS and PTPN11", "NRAS", "mutation", "present", None, None),
                ("mutations in NRAS, KRAS and PTPN11", "PTPN11", "mutation", "present", None, None),
            ],
        ),
        (
            "NRAS/KRAS mutations",
            [
                ("NRAS/KRAS mutations", "KRAS", "mutation", "present", None, None),
                ("NRAS/KRAS mutations", "NRAS", "mutation", "present", None, None),
            ],
        ),
        ("JAK2V617F-positive", [("JAK2", "JAK2", "mutation", "present", None, "p.V617F")]),
        ("FLT3-ITD positive AML", [("FLT3-ITD", "FLT3", "mutation", "present", None, "ITD")]),
        ("the TP53 mutation (p.R248Q)", [("TP53 mutation", "TP53", "mutation", "present", None, "p.R248Q")]),
        # abs-013: the protein change restating the cDNA change is the alteration.
        ("TP53 c.848G>A (p.Arg283His)", [("TP53", "TP53", "mutation", "present", None, "p.R283H")]),
        ("somatic DNMT3A mutation", [("DNMT3A mutation", "DNMT3A", "mutation", "present", "somatic", None)]),
        ("a p53 mutation", [("p53 mutation", "TP53", "mutation", "present", None, None)]),
        # pmid-24724063 (Blood Res 2014;49:49): a variant after the gene is a VARIANT of its own.
        (
            "harbored 2 mutations: c-KIT D816V and TP53 E11Q.",
            [
                ("c-KIT", "KIT", "mutation", "present", None, "p.D816V"),
                ("TP53", "TP53", "mutation", "present", None, "p.E11Q"),
            ],
        ),
        (
            "a p210 fusion transcript was associated with CML",
            [("p210 fusion transcript", "BCR::ABL1", "fusion", "present", None, "p210")],
        ),
        (
            "BCR/ABL1 (p190) without ABL1 kinase domain mutations",
            [
                ("BCR/ABL1", "BCR::ABL1", "fusion", "present", None, "p190"),
                ("p190", "BCR::ABL1", "fusion", "present", None, "p190"),
                ("ABL1 kinase domain mutations", "ABL1", "mutation", "absent", None, None),
            ],
        ),
        (
            "the 190 kDa BCR::ABL1 protein",
            [("190 kDa BCR::ABL1 protein", "BCR::ABL1", "fusion", "present", None, "p190")],
        ),
        (
            "after confirming negative PML RARA by RT PCR",
            [("PML RARA", "PML::RARA", "fusion", "absent", None, None)],
        ),
        # J Med Case Rep 2021;15:22: a lettered mutation type is no alteration.
        (
            "Additionally a NPM1 type A mutation was detected.",
            [("NPM1 type A mutation", "NPM1", "mutation", "present", None, None)],
        ),
        # Disease Markers 2013;35:581: a list whose last gene is written inside its variant.
        (
            "positive for both NPM1 and FLT3/ITD mutations",
            [
                ("NPM1 and FLT3/ITD mutations", "FLT3", "mutation", "present", None, "ITD"),
                ("NPM1 and FLT3/ITD mutations", "NPM1", "mutation", "present", None, None),
            ],
        ),
        ("a FLT3-TKD mutation (D835Y)", [("FLT3-TKD", "FLT3", "mutation", "present", None, "p.D835Y")]),
        (
            "IDH1/2-mutated AML",
            [
                ("IDH1/2-mutated", "IDH1", "mutation", "present", None, None),
                ("IDH1/2-mutated", "IDH2", "mutation", "present", None, None),
            ],
        ),
        (
            "TP53 pathologic variants",
            [("TP53 pathologic variants", "TP53", "mutation", "present", None, None)],
        ),
        # pmid-32300401 (corpus batch-2): the symbol in brackets after the gene's full name.
        (
            "a 36-year-old woman with heterozygous mutations in the ataxia telangiectasia mutated (ATM) gene",
            [
                (
                    "mutations in the ataxia telangiectasia mutated (ATM)",
                    "ATM",
                    "mutation",
                    "present",
                    None,
                    None,
                )
            ],
        ),
        (
            "biallelic loss of the cyclin-dependent kinase inhibitor 2A (CDKN2A) gene",
            [
                (
                    "biallelic loss of the cyclin-dependent kinase inhibitor 2A (CDKN2A)",
                    "CDKN2A",
                    "deletion",
                    "present",
                    None,
                    None,
                )
            ],
        ),
        (
            "CCAAT/enhancer-binding protein alpha (CEBPA) mutation",
            [("(CEBPA) mutation", "CEBPA", "mutation", "present", None, None)],
        ),
        # A partner named in brackets is the fusion itself.
        (
            "KMT2A-rearranged (KMT2A::AFF1) B-ALL",
            [
                ("KMT2A-rearranged", "KMT2A", "rearrangement", "present", None, None),
                ("KMT2A::AFF1", "KMT2A::AFF1", "fusion", "present", None, None),
            ],
        ),
        (
            "No mutations were detected in FLT3, NPM1 or CEBPA.",
            [
                ("mutations were detected in FLT3, NPM1 or CEBPA", "CEBPA", "mutation", "absent", None, None),
                ("mutations were detected in FLT3, NPM1 or CEBPA", "FLT3", "mutation", "absent", None, None),
                ("mutations were detected in FLT3, NPM1 or CEBPA", "NPM1", "mutation", "absent", None, None),
            ],
        ),
        # A DNA change restated as a protein change after a comma.
        (
            "a pathogenic germline DDX41 variant (c.3G>A, p.M1I)",
            [("DDX41 variant", "DDX41", "mutation", "present", "germline", "p.M1I")],
        ),
    ],
)
def test_alterations(text: str, expected: list[Row]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There was no TP53 mutation.", [("TP53 mutation", "TP53", "mutation", "absent", None, None)]),
        ("She was negative for BCR-ABL1.", [("BCR-ABL1", "BCR::ABL1", "fusion", "absent", None, None)]),
        (
            "The blasts were BCR::ABL1-negative.",
            [("BCR::ABL1-negative", "BCR::ABL1", "fusion", "absent", None, None)],
        ),
        ("JAK2 V617F was negative", [("JAK2", "JAK2", "mutation", "absent", None, "p.V617F")]),
        ("JAK2 V617F-negative", [("JAK2", "JAK2", "mutation", "absent", None, "p.V617F")]),
        # Cancer Med 2023 (doi 10.1002/cam4.5421): glued status suffixes.
        (
            "TP53WT patients and TP53MUT patients",
            [
                ("TP53WT", "TP53", "mutation", "absent", None, None),
                ("TP53MUT", "TP53", "mutation", "present", None, None),
            ],
        ),
        (
            "FLT3 wild-type and NPM1 unmutated",
            [
                ("FLT3 wild-type", "FLT3", "mutation", "absent", None, None),
                ("NPM1 unmutated", "NPM1", "mutation", "absent", None, None),
            ],
        ),
        ("wild-type TP53", [("wild-type TP53", "TP53", "mutation", "absent", None, None)]),
        ("TP53 mutation was not detected", [("TP53 mutation", "TP53", "mutation", "absent", None, None)]),
        ("no fever; TP53 mutation was found", [("TP53 mutation", "TP53", "mutation", "present", None, None)]),
    ],
)
def test_status(text: str, expected: list[Row]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Blasts expressed CD19, CD34, CD10 and CD117.",
        "ALL and MM patients; AML and CML",
        "TP53 and RB1 are tumour suppressors.",
        "ETO was given; TEL 555-0100; CAN we",
        "The mice were 10 mg/kg; KIT sold separately",
        "p53 protein expression",
        "we analyzed mutations in the IKZF1, NPM1, FLT3, N-RAS, K-RAS, c-KIT, and TP53 genes",
        # pmid-39645610 (corpus batch-1): a class of leukemia, not a fusion.
        "B-Lymphoblastic Leukemia with BCR::ABL1-like Features",
        "Ph-like and BCR-ABL1 like ALL",
        "The patient was screened for TP53 mutations.",
        # Blood 2013;122:2460: a tested panel, its hyphen-glued MLL-PTD included, is no finding.
        "We applied next-generation sequencing to investigate ASXL1, CBL, IDH1/2, JAK2, KRAS, MLL-PTD, NPM1, NRAS at hotspots",
    ],
)
def test_no_false_genes(text: str) -> None:
    assert hits(text) == []


@pytest.mark.parametrize(
    ("text", "genes"),
    [
        ("TP53 c.848G>A (p.Arg283His)", ["TP53", "TP53"]),
        ("DDX41 c.3G>A, p.M1I", ["DDX41", "DDX41"]),
        ("JAK2V617F and JAK2 V617F", ["JAK2", "JAK2"]),
        ("FLT3-ITD", ["FLT3"]),
        ("V617F of JAK2", ["JAK2"]),
        ("the R882H hotspot", [None]),
    ],
)
def test_variant_genes(text: str, genes: list[str | None]) -> None:
    assert variant_genes(text, find_variants(text)) == genes


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        (
            "MLL, MLL1, AF4, AF9, ENL, ETO, TEL, E2A",
            ["KMT2A", "KMT2A", "AFF1", "MLLT3", "MLLT1", "RUNX1T1", "ETV6", "TCF3"],
        ),
        ("IDH1/2 and BRCA1/2", ["IDH1", "IDH2", "BRCA1", "BRCA2"]),
        ("CD19 ALL MM MLLx", []),
    ],
)
def test_gene_mentions(text: str, symbols: list[str]) -> None:
    assert [m.symbol for m in find_gene_mentions(text)] == symbols


def test_lexicon_entries_are_strict() -> None:
    keys = {"symbol", "aliases", "ambiguous"}
    for line in (patterns_dir() / "genes.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        assert set(entry) == keys
        assert set(entry["ambiguous"]) <= {entry["symbol"], *entry["aliases"]}


def test_a_lettered_fusion_transcript_type_is_the_alteration() -> None:
    text = "The CBFB/MYH11 fusion transcript type A was detected by RT-PCR."
    assert hits(text) == [
        ("CBFB/MYH11 fusion transcript", "CBFB::MYH11", "fusion", "present", None, "type A")
    ]
    assert [
        h.alteration for h in find_gene_alterations("Her blood type A was noted; CBFB-MYH11 was present.")
    ] == [None]


def test_greek_alpha_gene_names_and_pml_rara_isoforms() -> None:
    # pmid-21632839 (batch 4): "PML-Rarα bcr1 isoform" is the PML::RARA fusion with its bcr1 isoform.
    text = "Cytogenetic and molecular analyses revealed a t(15;17) and a PML-Rar\u03b1 bcr1 isoform, respectively."
    assert hits(text) == [("PML-Rar\u03b1", "PML::RARA", "fusion", "present", None, "bcr1")]
    assert [h.gene for h in find_gene_alterations("a C/EBP\u03b1 mutation")] == ["CEBPA"]


def test_pml_rar_is_the_pml_rara_fusion_and_a_bare_rar_is_no_gene() -> None:
    """leuklymph-1999-35-623-dunkley: the old name "PML-RAR" for the APL fusion; "RAR" alone is a receptor family."""
    text = (
        "At development of APL cytogenetics revealed t(15;17) and PML-RAR fusion gene was detected by RT-PCR."
    )
    assert [(h.gene, h.kind, h.status) for h in find_gene_alterations(text)] == [
        ("PML::RARA", "fusion", "present")
    ]
    assert find_gene_alterations("Retinoids bind the RAR and RXR receptor families.") == []


# Batch 6 (therapy-related myeloid neoplasms after solid tumours): real sentences.
def test_glued_fusion_names_are_split_into_known_partners() -> None:
    # pmid-34117074 title: "CBFBMYH11" is CBFB::MYH11 written as one word.
    text = "Incidental identification of inv(16)(p13.1q22)/CBFBMYH11 variant transcript in a patient"
    assert [(h.gene, h.kind, h.status) for h in find_gene_alterations(text)] == [
        ("CBFB::MYH11", "fusion", "present")
    ]
    # doi-rrlm-2017-0013 (batch 3): the same glued form, stated negative.
    text = "not identified PMLRARA transcript"
    assert [(h.gene, h.kind, h.status) for h in find_gene_alterations(text)] == [
        ("PML::RARA", "fusion", "absent")
    ]
    # Words that are not two symbols are left alone.
    assert [m.symbol for m in find_gene_mentions("ALLOGENEIC MUTATIONS and TP53WT")] == ["TP53"]


def test_a_plural_deletion_cue_reaches_every_gene_of_its_list() -> None:
    # medworm-runx1-amp-t-aml: FISH probes CKS1B (1q21) and EGR1 (5q31) are in the lexicon.
    text = (
        "Fluorescence in situ hybridization detected deletions of CKS1B, EGR1, TP53, and apparent "
        "amplification of RUNX1 (6-8 signals)."
    )
    assert sorted((h.gene, h.kind) for h in find_gene_alterations(text)) == [
        ("CKS1B", "deletion"),
        ("EGR1", "deletion"),
        ("RUNX1", "amplification"),
        ("TP53", "deletion"),
    ]


@pytest.mark.parametrize(
    ("text", "gene"),
    [
        # PMID 30869817 (Genes Chromosomes Cancer 2019): a KMT2A partner the lexicon does not list.
        (
            "We herein report the case of a 9-month-old boy with a KMT2A-USP2 fusion, which required diagnosis by "
            "whole transcriptome sequencing",
            "KMT2A::USP2",
        ),
        # PMID 34236108 (t-AML after APL): old and new name of KMT2A, then the unlisted partner.
        (
            "In this report, MLL/KMT2A-MON2, with balanced chromosomal translocation t (11;12) (q23; q14), was "
            "identified as a novel fusion in a child transformed to t-AML after successful treatment of APL.",
            "KMT2A::MON2",
        ),
    ],
)
def test_an_unlisted_fusion_partner_in_a_fusion_context(text: str, gene: str) -> None:
    assert [(h.gene, h.kind) for h in find_gene_alterations(text)] == [(gene, "fusion")]


@pytest.mark.parametrize(
    "text",
    [
        "FLT3-ITD and KMT2A-PTD were found in the fusion screen.",
        "a JAK2-V617F mutation and a BCR-ABL1 e1a2 transcript",
        "FLT3-D835 mutation without fusion transcripts",
        "TP53-mutated AML with complex karyotype and KMT2A-AML fusion negative",
    ],
)
def test_cue_words_and_protein_changes_are_not_unlisted_partners(text: str) -> None:
    genes = [h.gene for h in find_gene_alterations(text)]
    assert not any(g.endswith(("::ITD", "::PTD", "::V617F", "::AML", "::D835")) for g in genes)


def test_the_mixed_lineage_leukemia_gene_written_out_is_kmt2a() -> None:
    # pmid-10575839 (batch 8): the spelled-out old name, with the cue before it.
    text = (
        "Cytogenetic analysis of the leukemic cells showed no specific changes, but a rearrangement of the mixed "
        "lineage leukemia gene (chromosome 11q23 translocation) was subsequently found"
    )
    assert [(h.gene, h.kind, h.status) for h in find_gene_alterations(text)] == [
        ("KMT2A", "rearrangement", "present")
    ]
    assert find_gene_alterations("She was diagnosed with mixed lineage leukemia.") == []


def test_the_full_name_mixed_lineage_leukemia_gene_is_kmt2a() -> None:
    # discovery-ball-after-dlbcl-two-patients (batch 7); the disease sense needs a gene cue to count.
    text = (
        "The first case is more consistent with a therapy- related ALL as a PCR analysis of bone marrow aspirate "
        "revealed a distinct clone and the mixed-lineage leukemia gene rearrangement, commonly associated with "
        "exposure to topoisomerase II inhibitors."
    )
    assert [(h.gene, h.kind, h.status) for h in find_gene_alterations(text)] == [
        ("KMT2A", "rearrangement", "present")
    ]
    assert find_gene_alterations("a case of mixed lineage leukemia in a child") == []
