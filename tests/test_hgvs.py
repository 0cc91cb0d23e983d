"""Sequence-variant mentions: spans, normalized forms and types per notation family, the
legacy forms of the literature, and the tokens that look like variants but are not.

Phrasings come from real abstracts (dev corpus, tmVar/MutationFinder development texts,
hematology case reports); the corpus scores themselves are in scripts/eval_variants.py.
"""

from __future__ import annotations

import time

import pytest

from extractor.parsers.hgvs import find_variants, normalize_dna, normalize_protein, restatements


def spans(text: str) -> list[tuple[str, str, str]]:
    return [(text[v.start : v.end], v.norm, v.type) for v in find_variants(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abs-013 (dev corpus): TP53 germline variant written cDNA then protein.
        (
            "c.848G>A (p.Arg283His) heterozygous missense mutation",
            [("c.848G>A", "c.848G>A", "dna"), ("p.Arg283His", "p.R283H", "protein")],
        ),
        ("the TP53 p.R248Q hotspot", [("p.R248Q", "p.R248Q", "protein")]),
        ("a p. K237N change", [("p. K237N", "p.K237N", "protein")]),
        ("p.(Arg248Gln) predicted", [("p.(Arg248Gln)", "p.R248Q", "protein")]),
        ("frameshift p.Pro246HisfsX13 in exon 7", [("p.Pro246HisfsX13", "p.P246Hfs*13", "protein")]),
        (
            "p.G204VfsX17 and p.S124fsX127",
            [("p.G204VfsX17", "p.G204Vfs*17", "protein"), ("p.S124fsX127", "p.S124fs*127", "protein")],
        ),
        (
            "nonsense p.E270X and p.Arg213*",
            [("p.E270X", "p.E270*", "protein"), ("p.Arg213*", "p.R213*", "protein")],
        ),
        ("in-frame p.G204_K247del", [("p.G204_K247del", "p.G204_K247del", "protein")]),
        ("imatinib resistance by T315I in ABL1", [("T315I", "p.T315I", "protein")]),
        ("JAK2V617F-positive polycythemia", [("V617F", "p.V617F", "protein")]),
        ("JAK2 V617F and CALR", [("V617F", "p.V617F", "protein")]),
        ("KRAS G12D, NRAS Q61K", [("G12D", "p.G12D", "protein"), ("Q61K", "p.Q61K", "protein")]),
        ("double mutant C24S/F82A", [("C24S", "p.C24S", "protein"), ("F82A", "p.F82A", "protein")]),
        # Blood 2020;135:1365: further mutants of one residue after a slash.
        (
            "KIT mutations in codon 816 (eg, D816A/F/H) and R882H/C",
            [
                ("D816A", "p.D816A", "protein"),
                ("F", "p.D816F", "protein"),
                ("H", "p.D816H", "protein"),
                ("R882H", "p.R882H", "protein"),
                ("C", "p.R882C", "protein"),
            ],
        ),
        (
            "V617F/WT and T315I/A",
            [("V617F", "p.V617F", "protein"), ("T315I", "p.T315I", "protein"), ("A", "p.T315A", "protein")],
        ),
        ("the Arg72Pro polymorphism", [("Arg72Pro", "p.R72P", "protein")]),
        (
            "Arg 1306 Trp and Gly(388)Arg",
            [("Arg 1306 Trp", "p.R1306W", "protein"), ("Gly(388)Arg", "p.G388R", "protein")],
        ),
        (
            "Glu873Stop and S133stop",
            [("Glu873Stop", "p.E873*", "protein"), ("S133stop", "p.S133*", "protein")],
        ),
        ("Ile262fs and Y248del", [("Ile262fs", "p.I262fs", "protein"), ("Y248del", "p.Y248del", "protein")]),
        ("arginine 124-to-cysteine substitution", [("arginine 124-to-cysteine", "p.R124C", "protein")]),
        ("leucine 269 to phenylalanine", [("leucine 269 to phenylalanine", "p.L269F", "protein")]),
        ("Phe-->Ser at codon 15", [("Phe-->Ser at codon 15", "p.F15S", "protein")]),
        ("Replacement of Tyr74 by Phe removes", [("Tyr74 by Phe", "p.Y74F", "protein")]),
        (
            "Trp-64 to Phe or Tyr were made",
            [("Trp-64 to Phe", "p.W64F", "protein"), ("Tyr", "p.W64Y", "protein")],
        ),
        ("the DeltaF508 allele", [("DeltaF508", "p.F508del", "protein")]),
        ("synonymous mutation (L809L)", [("L809L", "p.L809L", "protein")]),
        # DNA, HGVS and legacy.
        (
            "c.737delC, c.123_125del and c.2153_2155delinsTCC",
            [
                ("c.737delC", "c.737delC", "dna"),
                ("c.123_125del", "c.123_125del", "dna"),
                ("c.2153_2155delinsTCC", "c.2153_2155delinsTCC", "dna"),
            ],
        ),
        (
            "intronic c.87+1G>A and c.444-62C>A",
            [("c.87+1G>A", "c.87+1G>A", "dna"), ("c.444-62C>A", "c.444-62C>A", "dna")],
        ),
        ("IVS2+1G>A and IVS8 -2A>G", [("IVS2+1G>A", "IVS2+1G>A", "dna"), ("IVS8 -2A>G", "IVS8-2A>G", "dna")]),
        (
            "the 1799G>A and 677 C-->T variants",
            [("1799G>A", "c.1799G>A", "dna"), ("677 C-->T", "c.677C>T", "dna")],
        ),
        ("promoter -308G>A polymorphism", [("-308G>A", "c.-308G>A", "dna")]),
        ("MTHFR C677T polymorphism", [("C677T", "c.677C>T", "dna")]),
        ("The mtDNA A3243G mutation", [("A3243G", "c.3243A>G", "dna")]),
        (
            "the 1009delA and 657del5 alleles",
            [("1009delA", "c.1009delA", "dna"), ("657del5", "c.657del5", "dna")],
        ),
        ("C-->T transition at nucleotide 677", [("C-->T transition at nucleotide 677", "c.677C>T", "dna")]),
        ("codon 26, GAG-->GCG", [("codon 26, GAG-->GCG", "codon26,GAG-->GCG", "dna")]),
        ("the G/C polymorphism of RAD51", [("G/C", "G>C", "dna")]),
        (
            "rs1800255:G>A and rs1042522",
            [("rs1800255", "rs1800255", "snp"), ("G>A", "G>A", "dna"), ("rs1042522", "rs1042522", "snp")],
        ),
        ("reference SNP no. 4359426", [("reference SNP no. 4359426", "rs4359426", "snp")]),
        ("FLT3-ITD positive AML", [("FLT3-ITD", "ITD", "other")]),
        # HGVS recommendations (varnomen): extension, unknown stop, stop in an insertion, alleles,
        # uncertain ranges, no change, RNA level (more in tests/data/real_variants.jsonl).
        (
            "p.Ter110GlnextTer17 and p.Met1ext-5",
            [("p.Ter110GlnextTer17", "p.*110Qext*17", "protein"), ("p.Met1ext-5", "p.M1ext-5", "protein")],
        ),
        (
            "p.Ile327Argfs*? and p.(Met1?)",
            [("p.Ile327Argfs*?", "p.I327Rfs*?", "protein"), ("p.(Met1?)", "p.M1?", "protein")],
        ),
        ("p.(Asn47delinsSerSerTer)", [("p.(Asn47delinsSerSerTer)", "p.N47delinsSS*", "protein")]),
        (
            "c.[2376G>C];[3103del] and p.[Ser44Arg;Trp46Arg]",
            [
                ("c.[2376G>C];[3103del]", "c.[2376G>C];[3103del]", "dna"),
                ("p.[Ser44Arg;Trp46Arg]", "p.[S44R;W46R]", "protein"),
            ],
        ),
        (
            "c.(4071+1_4072-1)_(5154+1_5155-1)del",
            [("c.(4071+1_4072-1)_(5154+1_5155-1)del", "c.(4071+1_4072-1)_(5154+1_5155-1)del", "dna")],
        ),
        (
            "c.123=, c.849_850ins858_895, r.76a>g",
            [
                ("c.123=", "c.123=", "dna"),
                ("c.849_850ins858_895", "c.849_850ins858_895", "dna"),
                ("r.76a>g", "r.76a>g", "dna"),
            ],
        ),
        ("an internal tandem duplication of FLT3", [("internal tandem duplication", "ITD", "other")]),
        # MutationFinder development abstracts: a change said with a verb ("X was replaced with Y"),
        # words between position and verb named apart from the residues, further mutants coordinated.
        (
            "no enzyme activity could be detected when Trp-241 was replaced with Ala or Gln, partial",
            [("Trp-241 was replaced with Ala", "p.W241A", "protein"), ("Gln", "p.W241Q", "protein")],
        ),
        (
            "a mutant in which Trp 80 was changed to Gly, we determined",
            [("Trp 80 was changed to Gly", "p.W80G", "protein")],
        ),
        (
            "The active site His-554 of IIA(Mtl) was mutated to glutamine to block",
            [("His-554 of IIA(Mtl) was mutated to glutamine", "p.H554Q", "protein")],
        ),
        (
            "residues Arg112 in P450cam were replaced with Lys, Gln, and Met.",
            [
                ("Arg112 in P450cam were replaced with Lys", "p.R112K", "protein"),
                ("Gln", "p.R112Q", "protein"),
                ("Met", "p.R112M", "protein"),
            ],
        ),
        # ... or with a noun: "substitution of X with Y" (a chain label may follow the position).
        (
            "Substitution of lysine 66 with aspartate or glutamate partially converts",
            [
                ("Substitution of lysine 66 with aspartate", "p.K66D", "protein"),
                ("glutamate", "p.K66E", "protein"),
            ],
        ),
        (
            "A substitution of His-146-beta' with Ala also renders",
            [("substitution of His-146-beta' with Ala", "p.H146A", "protein")],
        ),
        # Old typography: a long dash as the arrow, the position written on both residues.
        (
            "Mutation of two residues, A34----E34 and R37----W37, in the",
            [("A34----E34", "p.A34E", "protein"), ("R37----W37", "p.R37W", "protein")],
        ),
        # A chain label glued before the residue (antibody VL/VH).
        (
            "mutants, VLTyr50Ser (VLY50S), VHTyr32Ala (VHY32A), and",
            [("Tyr50Ser", "p.Y50S", "protein"), ("Tyr32Ala", "p.Y32A", "protein")],
        ),
        # One-letter change hyphenated into a complex name, or after a parenthesized subunit.
        ("the same ligands (beta K87T-IPP-Ser) [Rhee", [("K87T", "p.K87T", "protein")]),
        ("on non-desensitising GluR2i(Q)-L483Y receptors", [("L483Y", "p.L483Y", "protein")]),
        # tmVar training abstracts. HGVS uncertain intronic boundaries, no change written.
        (
            "Patient 2 had a gross deletion of c.1544-?_2916+?, which was a novel",
            [("c.1544-?_2916+?", "c.1544-?_2916+?", "dna")],
        ),
        # Promoter positions: glued to "and", a deleted base, two positions with two bases.
        (
            "No independent role of the -1123 G>C and+2740 A>G variants",
            [("-1123 G>C", "c.-1123G>C", "dna"), ("+2740 A>G", "c.+2740A>G", "dna")],
        ),
        (
            "gene, -369 (C>G), -611 (-T) and -603/604 (GA>AG) were found",
            [
                ("-369 (C>G)", "c.-369C>G", "dna"),
                ("-611 (-T)", "c.-611delT", "dna"),
                ("-603/604 (GA>AG)", "c.-603/604GA>AG", "dna"),
            ],
        ),
        # A codon change in parentheses stays a codon change, not a position before bases.
        (
            "transition at codon 557 (AAG-->GAG) of exon 10",
            [("AAG-->GAG", "AAG-->GAG", "dna")],
        ),
        # Legacy sized indel: "6N" is six nucleotides.
        (
            "we genotyped CASP8 -652 6N del and a deletion/insertion (-652 6N ins/del) variant",
            [("-652 6N del", "c.-652del6", "dna"), ("-652 6N ins/del", "c.-652ins/del6", "dna")],
        ),
        # A codon deletion-insertion located by codon.
        (
            "a 1-base transversion (TAC-->AA) at codon 329, leading",
            [("(TAC-->AA) at codon 329", "(TAC-->AA)atcodon329", "dna")],
        ),
        # Propeptide numbering; the cue written at one mention serves the uncued one too.
        (
            "prothrombin-Edmonton (R-4Q) combined. A point mutation (R-4Q) and",
            [("R-4Q", "p.R-4Q", "protein"), ("R-4Q", "p.R-4Q", "protein")],
        ),
        ("A Cys 23-Ser 23 substitution in the", [("Cys 23-Ser 23", "p.C23S", "protein")]),
        # A bare allele change restated by its rs number; a dbSNP indel allele.
        (
            "SNP216 C>T (rs2297882) in the",
            [("C>T", "C>T", "dna"), ("rs2297882", "rs2297882", "snp")],
        ),
        (
            "located in intron 1 (rs3917887, AGCTCCTCCTTCTC/-). Each",
            [("rs3917887", "rs3917887", "snp"), ("AGCTCCTCCTTCTC/-", "AGCTCCTCCTTCTC/-", "dna")],
        ),
        # Base letters both ends: DNA when the protein change follows it or the position is long,
        # and then at every mention of the document.
        (
            "we identified T10191C (p.S45P) in ND3. Among them, T10191C and",
            [
                ("T10191C", "c.10191T>C", "dna"),
                ("p.S45P", "p.S45P", "protein"),
                ("T10191C", "c.10191T>C", "dna"),
            ],
        ),
        ("the variants of T1270533G and", [("T1270533G", "c.1270533T>G", "dna")]),
        (
            "located in exon 4 C314T, causes the amino acid substitution Thr105Ile",
            [("C314T", "c.314C>T", "dna"), ("Thr105Ile", "p.T105I", "protein")],
        ),
        (
            "receptor (OPRM1) caused by variant A118G. The A118G, leading to an N40D substitution",
            [("A118G", "c.118A>G", "dna"), ("A118G", "c.118A>G", "dna"), ("N40D", "p.N40D", "protein")],
        ),
        (
            "the mutation, C417T, leading to amino acid substitution (R124C) in",
            [("C417T", "c.417C>T", "dna"), ("R124C", "p.R124C", "protein")],
        ),
        # ... but a change that leads to no amino-acid change stays a protein change.
        ("the T315A mutant, leading to loss of activity", [("T315A", "p.T315A", "protein")]),
    ],
)
def test_find_variants(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "cell lines A549, K562, HL60 and U937",
        "CD34, CD19 and CD10 positive",
        "H2O and S1P receptor",
        "dosed Q3W and Q2W",
        "see Fig. S1A and Table S2B",
        "in 1999 and 2005, 11q23 and t(9;22)(q34;q11)",
        "karyotype 46,XX,del(5)(q13q33),-7[20]",
        "the T47D breast cancer line and E2F targets",
        "type 2 diabetes (T2D) and T2D risk",
        "Iodide transport defect (ITD) was diagnosed; ITD patients",
        "the p53 protein, G1 phase, G2/M arrest",
        "the Met326Met genotype and G/A genotype",
        "pH 7.4, 37 C, 5 A",
        "chromosome 5 del(5q) and 46,XX,+21, del(7)(q22)",
        "monosomy 7 (-7) and +8; CD19+ CD10+; pT2N1M0; G-CSF; HbA1c 6.5%",
        "six cycles of R-CHOP, then R-CVP and 7+3; CD34 80%; p53-positive blasts",
        "a variant allele frequency of 42%; VAF 35%; diagnosed 2019-03-12; 25 mg/m2 on days 1-7",
        "inhibitors ripretinib (DCC-2618) and avapritinib (BLU-285); ECOG 2, stage IIIA",
        "mutations of DNMT3A (R882), IDH1 (R132), and IDH2 (R140 and R172); [see ref. 12]; p.[note]",
        # A residue named with "with" but no change; "substituted for" (direction unclear); a
        # replaced residue with no new one; a long-dash arrow between two positions.
        "the complex of Lys48 with Gly-Gly and Cys34 was replaced in the model",
        "a substitution of Cys 32 for serine; the His-554 was mutated to the active form",
        "the A34----E35 region",
        # Names in the shapes of the rules above: a negative position without a change cue
        # (mouse MHC), a repeated small position (zinc finger), a bare allele without a cue.
        "H-2D mice and H-2K",
        "a transcription factor containing three Cys2-His2 zinc fingers",
        "the AGCT/- box",
    ],
)
def test_no_false_variants(text: str) -> None:
    assert spans(text) == []


@pytest.mark.parametrize(
    ("mention", "norm"),
    [
        ("p.Arg248Gln", "p.R248Q"),
        ("R248Q", "p.R248Q"),
        ("Arg248Gln", "p.R248Q"),
        ("Arg 248 Gln", "p.R248Q"),
        ("arginine-248-to-glutamine", "p.R248Q"),
        ("p.Pro246HisfsX13", "p.P246Hfs*13"),
        ("p.Cys817Valfs X15", "p.C817Vfs*15"),
        ("E270X", "p.E270*"),
        ("Glu 272 to stop", "p.E272*"),
        ("Val624-Val625del", "p.V624_V625del"),
        ("Ser-->Cys substitution at the codon 326", "p.S326C"),
        ("Arg753GLn", "p.R753Q"),
        ("R-4Q", "p.R-4Q"),
        ("Tyr-248-Phe", "p.Y248F"),
        ("no change here", None),
    ],
)
def test_normalize_protein(mention: str, norm: str | None) -> None:
    assert normalize_protein(mention) == norm


@pytest.mark.parametrize(
    ("mention", "norm"),
    [
        ("c.848G>A", "c.848G>A"),
        ("c.G1714C", "c.1714G>C"),
        ("c2403T --> C", "c.2403T>C"),
        ("-369 (C>G)", "c.-369C>G"),
        ("469 + 14G/C", "c.469+14G>C"),
        ("IVSI-1 (G-->A)", "IVSI-1G>A"),
        ("(G --> C) substitution at position 1201", "c.1201G>C"),
        ("-652 6N del", "c.-652del6"),
        ("-611 (-T)", "c.-611delT"),
        ("-603/604 (GA>AG)", "c.-603/604GA>AG"),
    ],
)
def test_normalize_dna(mention: str, norm: str) -> None:
    assert normalize_dna(mention) == norm


@pytest.mark.parametrize(
    "line",
    [
        "R248Q/" * 50_000,
        "Arg248Gln-" * 30_000,
        "1" * 300_000,
        "A>" * 150_000,
        "IVS1-" * 60_000,
        "(T2D) " * 50_000,
        "c.1_" * 75_000,
        "p.Arg" * 60_000,
        "G/A polymorphism " * 18_000,
        "c.[" * 100_000,
        "p.[Ser1Arg;" * 27_000,
        "c.(1_2)_(" * 33_000,
        "p.Met1ext" * 33_000,
        "p.Ile1Argfs*?" * 23_000,
        "r.1" * 100_000,
        "Trp-1 of IIA(Mtl) was " * 14_000,
        "substitution of Lys1-beta' with " * 10_000,
        "A1----" * 50_000,
        "VLTyr1" * 50_000,
        "R-1" * 100_000,
        "-1 1N " * 50_000,
        "(TAC-->AA) at " * 21_000,
        "Cys 1-Ser " * 30_000,
        "c.1-?_" * 50_000,
        "-1 (-" * 60_000,
        "and+1 " * 50_000,
        "ACGT/" * 60_000,
        "A" * 299_990 + "/-",
        "C12T, leading " * 21_000,
    ],
)
def test_adversarial_line_is_fast(line: str) -> None:
    line = line[:300_000]
    started = time.process_time()
    find_variants(line)
    assert time.process_time() - started < 2.0, "CPU time, so that a loaded machine does not fail it"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # abs-013 (dev corpus): the protein change restates the cDNA change.
        ("c.848G>A (p.Arg283His) heterozygous missense mutation", {1: 0}),
        ("c.1714G>C/p.A572P and c.3G>A, p.M1I", {1: 0, 3: 2}),
        # Two changes of one level are two variants, not one written twice.
        ("c.848G>A (c.743G>A) and p.R248Q, p.R273H", {}),
        ("c.848G>A was found; elsewhere p.R175H", {}),
    ],
)
def test_restatements(text: str, expected: dict[int, int]) -> None:
    assert restatements(text, find_variants(text)) == expected
