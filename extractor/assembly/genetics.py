"""Genetics of a case (guide sections 6 and 7): karyotypes, cytogenetic findings, mutations.

The genetics recognizer judges negation within the clause ("no t(9;22)", "BCR-ABL1-negative")
and says so in `assertion`; ConText's sentence-wide `negated` reaches past the clause ("without
excess of blasts associated with ... RUNX1 mutation") and is used only for mentions without
that judgement (VARIANT). Mentions about relatives or hypotheses are left out. Which mentions
are about this patient and not background is the case segmentation's decision, made before.

A gene alteration written several times is one item: mentions of the same gene, kind and
status merge, a mention without a change joining one with a change, and a cDNA change the
text restates as a protein change ("c.848G>A (p.Arg283His)") counts as that protein change.
A rearrangement of a gene joins the fusion the case names for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from extractor.assembly.evidence import evidence_of
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention, Mutation, MutationKind

NEGATED_FINDINGS: dict[str, str] = {"Ph+": "Ph-"}
"""A finding stated absent that is itself a finding of the guide (section 6)."""

KEPT_WHEN_ABSENT: frozenset[str] = frozenset({"Ph-"})
"""Findings listed although they state an absence."""

VARIANT_TYPES_AS_MUTATIONS: frozenset[str] = frozenset({"protein", "dna", "other"})
"""Variant types that make a mutation on their own; a bare rs number is a polymorphism."""

_WHITESPACE = re.compile(r"\s+")


def is_about_patient(m: Mention) -> bool:
    """Not about a relative, not a hypothesis."""
    return not (m.attrs.get("family") or m.attrs.get("hypothetical"))


def is_negated(m: Mention) -> bool:
    """The recognizer's clause-level judgement when it made one, else ConText's."""
    assertion = m.attrs.get("assertion")
    if assertion is not None:
        return assertion == "negated"
    return bool(m.attrs.get("negated"))


def fill_genetics(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """Karyotypes as written, the set of findings from karyotypes and prose, and mutations."""
    kept = [m for m in mentions if is_about_patient(m)]
    _fill_karyotypes(case, kept)
    _fill_cytogenetics(case, kept)
    case.mutations = _mutations(kept)


def _fill_karyotypes(case: Case, mentions: Sequence[Mention]) -> None:
    """Each karyotype once (compared without whitespace), as first written, with every mention."""
    written: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.label == "KARYOTYPE":
            written.setdefault(_WHITESPACE.sub("", m.text), []).append(m)
    case.karyotypes = [ms[0].text for ms in written.values()]
    for ms in written.values():
        case.evidence[f"karyotypes:{ms[0].text}"] = evidence_of(ms)


def _fill_cytogenetics(case: Case, mentions: Sequence[Mention]) -> None:
    """Findings of the karyotypes and of the prose, each once, in order of first mention."""
    sources: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.label == "KARYOTYPE":
            for finding in m.attrs.get("findings") or []:
                sources.setdefault(str(finding), []).append(m)
        elif m.label == "CYTOGENETICS" and m.norm is not None:
            finding = str(m.norm)
            if is_negated(m) and finding not in KEPT_WHEN_ABSENT:
                if finding not in NEGATED_FINDINGS:
                    continue
                finding = NEGATED_FINDINGS[finding]
            sources.setdefault(finding, []).append(m)
    case.cytogenetics = list(sources)
    for finding, ms in sources.items():
        case.evidence[f"cytogenetics:{finding}"] = evidence_of(ms)


Status = Literal["present", "absent"]
Origin = Literal["germline", "somatic"] | None


@dataclass
class _Item:
    """One mutation being assembled, with the mentions it comes from."""

    gene: str
    kind: MutationKind
    status: Status
    alteration: str | None
    origin: Origin
    mentions: list[Mention] = field(default_factory=list)


def _mutations(mentions: Sequence[Mention]) -> list[Mutation]:
    variants = [m for m in mentions if m.label == "VARIANT"]
    protein_of = {str(v.norm): str(v.attrs["protein"]) for v in variants if v.attrs.get("protein")}
    genes = [m for m in mentions if m.label == "GENE" and m.norm is not None]
    items: list[_Item] = []
    for m in genes:
        alteration = m.attrs.get("alteration")
        alteration = protein_of.get(str(alteration), alteration) if alteration else None
        status: Status = "absent" if m.attrs.get("status") == "absent" or is_negated(m) else "present"
        items.append(
            _Item(
                str(m.norm), m.attrs.get("kind") or "mutation", status, alteration, m.attrs.get("origin"), [m]
            )
        )
    covered = {(i.gene, i.alteration): i for i in items if i.alteration}
    mutated = _mutated_genes_by_sentence(genes)
    for v in variants:
        gene = v.attrs.get("gene") or _only(mutated.get(str(v.attrs.get("sentence")), set()))
        alteration = protein_of.get(str(v.norm), str(v.norm))
        if gene is None or v.attrs.get("type") not in VARIANT_TYPES_AS_MUTATIONS:
            continue
        if (gene, alteration) in covered:
            covered[(gene, alteration)].mentions.append(v)
            continue
        covered[(gene, alteration)] = _Item(
            str(gene), "mutation", "absent" if is_negated(v) else "present", alteration, None, [v]
        )
        items.append(covered[(gene, alteration)])
    return [_mutation(item) for item in _absorb_rearrangements(_merge(items))]


def _mutated_genes_by_sentence(genes: Sequence[Mention]) -> dict[str, set[str]]:
    """The single genes called mutated in each sentence: where a variant written apart from its
    gene finds it ("TP53 germline mutations ... c.848G>A")."""
    found: dict[str, set[str]] = {}
    for g in genes:
        if g.attrs.get("kind") == "mutation" and "::" not in str(g.norm):
            found.setdefault(str(g.attrs.get("sentence")), set()).add(str(g.norm))
    return found


def _only(symbols: set[str]) -> str | None:
    return next(iter(symbols)) if len(symbols) == 1 else None


@dataclass
class _Group:
    """The items of one gene, kind and status, by change."""

    by_alteration: dict[str | None, _Item] = field(default_factory=dict)
    first: _Item | None = None
    first_altered: _Item | None = None


def _merge(items: list[_Item]) -> list[_Item]:
    """One item per gene, kind, status and change; an item without a change joins the first
    one of its gene, kind and status that has one (or the first without one)."""
    merged: list[_Item] = []
    groups: dict[tuple[str, str, str], _Group] = {}
    for item in items:
        group = groups.setdefault((item.gene, item.kind, item.status), _Group())
        target = group.by_alteration.get(item.alteration)
        if target is None and item.alteration is None:
            target = group.first_altered or group.first
        if target is None and item.alteration is not None and None in group.by_alteration:
            target = group.by_alteration.pop(None)
            target.alteration = item.alteration
            group.by_alteration[item.alteration] = target
        if target is None:
            merged.append(item)
            group.by_alteration[item.alteration] = item
            group.first = group.first or item
            target = item
        else:
            target.origin = target.origin or item.origin
            target.mentions.extend(item.mentions)
        if group.first_altered is None and target.alteration is not None:
            group.first_altered = target
    return merged


def _absorb_rearrangements(items: list[_Item]) -> list[_Item]:
    """A rearrangement of a gene the case also names a fusion partner for ("KMT2A-rearranged
    (KMT2A::AFF1)") is that fusion, not a second alteration."""
    fusion_of: dict[tuple[str, str], _Item] = {}
    for item in items:
        if item.kind == "fusion":
            for partner in item.gene.split("::"):
                fusion_of.setdefault((partner, item.status), item)
    kept: list[_Item] = []
    for item in items:
        fusion = fusion_of.get((item.gene, item.status)) if item.kind == "rearrangement" else None
        if fusion is None:
            kept.append(item)
        else:
            fusion.origin = fusion.origin or item.origin
            fusion.mentions.extend(item.mentions)
    return kept


def _mutation(item: _Item) -> Mutation:
    return Mutation(
        gene=item.gene,
        kind=item.kind,
        alteration=item.alteration,
        status=item.status,
        origin=item.origin,
        evidence=evidence_of(item.mentions),
    )
