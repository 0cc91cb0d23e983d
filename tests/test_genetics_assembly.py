"""`fill_genetics`: hand-built mentions of one case to its karyotypes, cytogenetics and mutations."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.assembly.genetics import fill_genetics
from extractor.document import Document
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention

TEXT = "x" * 400
"""Offsets only have to be distinct; the filler reads mentions, not the text."""


def mention(label: str, start: int, text: str, norm: str | None, **attrs: Any) -> Mention:
    return Mention(
        doc_id="d", start=start, end=start + len(text), label=label, text=text, norm=norm, attrs=attrs
    )


def gene(
    start: int, text: str, norm: str, kind: str = "mutation", status: str = "present", **attrs: Any
) -> Mention:
    assertion = "negated" if status == "absent" else "affirmed"
    return mention("GENE", start, text, norm, kind=kind, status=status, assertion=assertion, **attrs)


def fill(mentions: list[Mention]) -> Case:
    case = Case(case_id="d#1")
    fill_genetics(case, mentions, Analysis(Document("d", "test", TEXT), mentions, [(0, len(TEXT))]))
    return case


def mutations(case: Case) -> list[tuple[Any, ...]]:
    return [(m.gene, m.kind, m.alteration, m.status, m.origin) for m in case.mutations]


def test_karyotypes_are_kept_as_written_once() -> None:
    written = "46, XY, t (9; 22)"
    case = fill(
        [
            mention("KARYOTYPE", 10, written, "46,XY,t(9;22)", parsed=True, findings=["t(9;22)"]),
            mention("KARYOTYPE", 90, "46,XY,t(9;22)", "46,XY,t(9;22)", parsed=True, findings=["t(9;22)"]),
        ]
    )
    assert case.karyotypes == [written]
    assert [e.start for e in case.evidence[f"karyotypes:{written}"]] == [10, 90]
    assert case.cytogenetics == ["t(9;22)"]
    assert [e.start for e in case.evidence["cytogenetics:t(9;22)"]] == [10, 90]


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        # Karyotype findings and prose findings make one set, in order of first mention.
        (
            [
                mention("CYTOGENETICS", 0, "Near-haploid", "near-haploid", assertion="affirmed"),
                mention(
                    "KARYOTYPE", 50, "28<n>,X,-Y", "28<n>,X,-Y", parsed=True, findings=["near-haploid", "-Y"]
                ),
                mention("CYTOGENETICS", 120, "Ph chromosome", "Ph+", assertion="affirmed"),
            ],
            ["near-haploid", "-Y", "Ph+"],
        ),
        # A finding stated absent is left out; Ph- is the one absence the guide lists.
        (
            [
                mention("CYTOGENETICS", 0, "t(9;22)", "t(9;22)", assertion="negated", negated=True),
                mention("CYTOGENETICS", 30, "Ph-negative", "Ph-", assertion="affirmed"),
            ],
            ["Ph-"],
        ),
        # ConText alone negating a Philadelphia chromosome states it absent.
        ([mention("CYTOGENETICS", 0, "Philadelphia chromosome", "Ph+", negated=True)], ["Ph-"]),
        # The clause-level judgement wins over ConText's sentence-wide negation.
        (
            [
                mention(
                    "CYTOGENETICS", 0, "chromosome 7 deletion", "del(7)", assertion="affirmed", negated=True
                )
            ],
            ["del(7)"],
        ),
        # Findings about a relative or a hypothesis are not the patient's.
        (
            [
                mention("CYTOGENETICS", 0, "trisomy 21", "+21", assertion="affirmed", family=True),
                mention("CYTOGENETICS", 40, "monosomy 7", "-7", assertion="affirmed", hypothetical=True),
            ],
            [],
        ),
    ],
)
def test_cytogenetics(mentions: list[Mention], expected: list[str]) -> None:
    case = fill(mentions)
    assert case.cytogenetics == expected
    assert all(case.evidence[f"cytogenetics:{f}"] for f in expected)


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        # abs-013: title and body name one germline TP53 change; the body restates c. as p.
        (
            [
                gene(0, "TP53 c.848G>A germline mutation", "TP53", origin="germline", alteration="c.848G>A"),
                mention("VARIANT", 5, "c.848G>A", "c.848G>A", type="dna", gene="TP53"),
                gene(200, "TP53 germline mutations", "TP53", origin="germline"),
                mention("VARIANT", 260, "c.848G>A", "c.848G>A", type="dna", gene="TP53", protein="p.R283H"),
                mention("VARIANT", 270, "p.Arg283His", "p.R283H", type="protein", gene="TP53"),
            ],
            [("TP53", "mutation", "p.R283H", "present", "germline")],
        ),
        # A VARIANT whose gene is known but has no GENE mention still is a mutation.
        (
            [mention("VARIANT", 0, "JAK2V617F", "p.V617F", type="protein", gene="JAK2")],
            [("JAK2", "mutation", "p.V617F", "present", None)],
        ),
        # A variant written apart from its gene takes the one mutated gene of its sentence.
        (
            [
                gene(0, "TP53 mutations", "TP53", sentence=[0, 100]),
                mention("VARIANT", 60, "p.R175H", "p.R175H", type="protein", sentence=[0, 100]),
            ],
            [("TP53", "mutation", "p.R175H", "present", None)],
        ),
        # ... but not when the sentence names two mutated genes, nor for a bare rs number.
        (
            [
                gene(0, "mutations in TP53", "TP53", sentence=[0, 100]),
                gene(0, "mutations in TP53 and KRAS", "KRAS", sentence=[0, 100]),
                mention("VARIANT", 60, "G12D", "p.G12D", type="protein", sentence=[0, 100]),
                mention("VARIANT", 150, "rs1042522", "rs1042522", type="snp", gene="TP53"),
            ],
            [("TP53", "mutation", None, "present", None), ("KRAS", "mutation", None, "present", None)],
        ),
        # Absent by the recognizer's clause judgement; ConText's reach past the clause is ignored.
        (
            [
                gene(0, "no TP53 mutation", "TP53", status="absent"),
                gene(50, "RUNX1 mutation", "RUNX1", negated=True),
                mention("VARIANT", 90, "V617F", "p.V617F", type="protein", gene="JAK2", negated=True),
            ],
            [
                ("TP53", "mutation", None, "absent", None),
                ("RUNX1", "mutation", None, "present", None),
                ("JAK2", "mutation", "p.V617F", "absent", None),
            ],
        ),
        # Repeated fusions merge, a transcript fills the alteration; a partnerless rearrangement joins the fusion.
        (
            [
                gene(0, "KMT2A-rearranged", "KMT2A", kind="rearrangement"),
                gene(20, "BCR::ABL1", "BCR::ABL1", kind="fusion"),
                gene(80, "190 kDa BCR::ABL1 protein", "BCR::ABL1", kind="fusion", alteration="p190"),
                gene(150, "KMT2A::AFF1", "KMT2A::AFF1", kind="fusion"),
            ],
            [
                ("BCR::ABL1", "fusion", "p190", "present", None),
                ("KMT2A::AFF1", "fusion", None, "present", None),
            ],
        ),
        # Two different changes of one gene stay two mutations; a present and an absent one too.
        (
            [
                gene(0, "TP53 p.R273H", "TP53", alteration="p.R273H"),
                gene(30, "TP53 p.Y220C", "TP53", alteration="p.Y220C"),
                gene(60, "BCR-ABL1-negative", "BCR::ABL1", kind="fusion", status="absent"),
                gene(90, "BCR-ABL1 p210", "BCR::ABL1", kind="fusion", alteration="p210"),
            ],
            [
                ("TP53", "mutation", "p.R273H", "present", None),
                ("TP53", "mutation", "p.Y220C", "present", None),
                ("BCR::ABL1", "fusion", None, "absent", None),
                ("BCR::ABL1", "fusion", "p210", "present", None),
            ],
        ),
        # A relative's mutation is not the patient's.
        ([gene(0, "TP53 germline mutations", "TP53", origin="germline", family=True)], []),
    ],
)
def test_mutations(mentions: list[Mention], expected: list[tuple[Any, ...]]) -> None:
    case = fill(mentions)
    assert mutations(case) == expected
    assert all(m.evidence for m in case.mutations)


def test_mutation_evidence_collects_every_mention() -> None:
    case = fill(
        [
            gene(0, "TP53 c.848G>A germline mutation", "TP53", origin="germline", alteration="c.848G>A"),
            mention("VARIANT", 5, "c.848G>A", "c.848G>A", type="dna", gene="TP53", protein="p.R283H"),
            gene(200, "TP53 mutation", "TP53"),
        ]
    )
    (only,) = case.mutations
    assert [(e.start, e.text) for e in only.evidence] == [
        (0, "TP53 c.848G>A germline mutation"),
        (5, "c.848G>A"),
        (200, "TP53 mutation"),
    ]
