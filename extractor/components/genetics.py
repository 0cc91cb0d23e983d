"""Genetics mentions (`KARYOTYPE`, `CYTOGENETICS`, `VARIANT`, `GENE`) from the pure parsers.

One component, one pass: each parser runs once over the whole text and hands what it found
to the next (karyotype spans to the prose findings, so a karyotype's own items are not found
twice; sequence variants to the gene alterations, which attach them to their gene). The
parsers work on characters, not spaCy tokens, because notation such as
`+der(22)t(9;22)(q34;q11)[13]` or `JAK2V617F` does not follow token boundaries; `add_mention`
keeps the exact offsets.

Negation is judged by the parsers within the clause ("no t(9;22)", "BCR-ABL1-negative") and
stored as `assertion` (`affirmed`/`negated`; genes also as `status`), as the other recognizers
do: ConText adds its sentence-wide `negated` later, which reaches past the clause.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention, doc_text
from extractor.parsers.cytogenetics import find_cytogenetic_findings
from extractor.parsers.genes import find_gene_alterations, find_gene_mentions, variant_genes
from extractor.parsers.hgvs import find_variants, restatements
from extractor.parsers.iscn import (
    IscnError,
    is_fully_parsed,
    karyotype_findings,
    parse_karyotype,
    read_karyotypes,
)

_WHITESPACE = re.compile(r"\s+")


class GeneticsRecognizer:
    """Marks karyotypes, prose cytogenetic findings, sequence variants and gene alterations."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans = self._karyotypes(doc)
        for finding in find_cytogenetic_findings(text, spans):
            attrs = (
                {"assertion": "negated", "negated": True} if finding.negated else {"assertion": "affirmed"}
            )
            add_mention(doc, finding.start, finding.end, "CYTOGENETICS", finding.finding, **attrs)
        variants = find_variants(text)
        genes = find_gene_mentions(text)
        protein_of = {
            j: variants[i].norm
            for i, j in restatements(text, variants).items()
            if variants[i].type == "protein"
        }
        for index, (variant, gene) in enumerate(zip(variants, variant_genes(text, variants, genes))):
            attrs = {"type": variant.type}
            if gene:
                attrs["gene"] = gene
            if index in protein_of:
                attrs["protein"] = protein_of[index]
            add_mention(doc, variant.start, variant.end, "VARIANT", variant.norm, **attrs)
        for hit in find_gene_alterations(text, variants, genes):
            add_mention(
                doc,
                hit.start,
                hit.end,
                "GENE",
                hit.gene,
                kind=hit.kind,
                status=hit.status,
                origin=hit.origin,
                alteration=hit.alteration,
                assertion="negated" if hit.status == "absent" else "affirmed",
            )
        return doc

    @staticmethod
    def _karyotypes(doc: Doc) -> list[tuple[int, int]]:
        """Add one `KARYOTYPE` per karyotype string. Findings come from the lenient reading, so
        a string with an item the grammar does not know keeps the findings of the others; such a
        string is `parsed: false` with the strict grammar's error."""
        text = doc_text(doc)
        spans: list[tuple[int, int]] = []
        for start, end, karyotype in read_karyotypes(text):
            written = text[start:end]
            attrs: dict[str, object] = {"parsed": True, "findings": karyotype_findings(karyotype)}
            if not is_fully_parsed(karyotype):
                attrs["parsed"] = False
                attrs["error"] = _strict_error(written)
            add_mention(doc, start, end, "KARYOTYPE", _WHITESPACE.sub("", written), **attrs)
            spans.append((start, end))
        return spans


def _strict_error(written: str) -> str:
    try:
        parse_karyotype(written)
    except IscnError as error:
        return str(error)
    return "an item was read only as look-alike notation"


@Language.factory("genetics")
def make_genetics(nlp: Language, name: str) -> GeneticsRecognizer:
    return GeneticsRecognizer()
