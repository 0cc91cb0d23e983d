"""Gene alterations in prose: "TP53 mutation", "IKZF1 deletion", "KMT2A-rearranged",
"BCR-ABL1" (-> `BCR::ABL1`), "no TP53 mutation" (absent), "germline TP53 c.848G>A".

Genes come only from the lexicon `patterns/genes.jsonl` (HGNC symbol, old names, and the
aliases that are also ordinary words and so need a cue), matched case-sensitively, so common
words, units, "ALL", "MM" and CD markers are never genes. A single gene counts as an alteration
only with a cue ("mutation", "deleted", "rearrangement of", an adjacent sequence variant);
two genes joined by `-`, `/` or `::` are a fusion in the written order. The cue words, the
words allowed between gene and cue, and the status and origin words are in
`patterns/gene_cues.json`. Sequence variants come from `hgvs.find_variants`; `variant_genes`
exposes the gene written right before or after each variant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from extractor.parsers.hgvs import Variant, find_variants
from extractor.parsers.lexicon import Strict, character_table
from extractor.patterns import load_json, load_jsonl

Kind = Literal["mutation", "deletion", "amplification", "duplication", "fusion", "rearrangement", "other"]

_PLACEHOLDER = "\x01"
"""Variant spans are overwritten with this character (same length) so cue patterns can skip them."""


@dataclass(frozen=True)
class GeneHit:
    """One gene alteration: offsets `[start, end)` of the phrase and the guide's fields."""

    start: int
    end: int
    gene: str
    kind: Kind
    status: Literal["present", "absent"] = "present"
    origin: Literal["germline", "somatic"] | None = None
    alteration: str | None = None


@dataclass(frozen=True)
class GeneMention:
    """A gene name as written and its HGNC symbol; `ambiguous` names need a cue to count."""

    start: int
    end: int
    symbol: str
    ambiguous: bool


class _GeneEntry(Strict):
    symbol: str
    aliases: list[str]
    ambiguous: list[str]


class _Cues(Strict):
    description: str
    kinds_after: dict[Kind, list[str]]
    kinds_before: dict[Kind, list[str]]
    fillers: list[str]
    absent_before: list[str]
    absent_after: list[str]
    germline: list[str]
    somatic: list[str]
    transcripts: str
    fusion_separator: str
    fusion_tail: str
    status_suffix: str
    list_separator: str
    philadelphia: str
    testing_before: str
    breaks: list[str]
    window: int


@dataclass(frozen=True)
class _Grammar:
    names: dict[str, tuple[str, bool]]
    symbols: frozenset[str]
    mention: re.Pattern[str]
    after: re.Pattern[str]
    before: re.Pattern[str]
    kinds_after: dict[str, Kind]
    kinds_before: tuple[tuple[re.Pattern[str], Kind], ...]
    absent_before: re.Pattern[str]
    absent_after: re.Pattern[str]
    germline: re.Pattern[str]
    somatic: re.Pattern[str]
    transcripts: re.Pattern[str]
    fusion_separator: re.Pattern[str]
    fusion_tail: re.Pattern[str]
    status_suffix: re.Pattern[str]
    list_separator: re.Pattern[str]
    philadelphia: re.Pattern[str]
    testing_before: re.Pattern[str]
    breaks: re.Pattern[str]
    window: int


def _words(items: list[str]) -> str:
    return "|".join(f"(?:{item})" for item in items)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    entries = load_jsonl("genes.jsonl", _GeneEntry)
    cues = load_json("gene_cues.json", _Cues)
    names: dict[str, tuple[str, bool]] = {}
    for entry in entries:
        for name in [entry.symbol, *entry.aliases]:
            if name in names and names[name][0] != entry.symbol:
                raise ValueError(f"genes.jsonl: {name!r} names both {names[name][0]} and {entry.symbol}")
            names[name] = (entry.symbol, name in entry.ambiguous)
    alternation = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    fillers = _words(cues.fillers)
    after_kinds = {cue: kind for kind, words in cues.kinds_after.items() for cue in words}
    after_cue = "|".join(f"(?P<k{i}>{cue})" for i, cue in enumerate(after_kinds))
    return _Grammar(
        names=names,
        symbols=frozenset(entry.symbol for entry in entries),
        mention=re.compile(rf"(?<![\w])(?:{alternation})(?:(?![\w])|(?=[A-Z]\d+[A-Z*](?![\w]))|(?=r\b))"),
        after=re.compile(rf"(?:[\s-]{{1,2}}(?:{fillers})){{0,4}}(?:[\s-]{{1,2}}|(?<=\d)|(?<=[A-Z]))(?:{after_cue})\b", re.IGNORECASE),
        before=re.compile(rf"(?:{fillers})$"),
        kinds_after={f"k{i}": kind for i, kind in enumerate(after_kinds.values())},
        kinds_before=tuple(
            (re.compile(rf"\b(?:{_words(words)})(?:\s(?:the|a|an|{fillers})){{0,4}}\s?$", re.IGNORECASE), kind)
            for kind, words in cues.kinds_before.items()
            if words
        ),
        absent_before=re.compile(_words(cues.absent_before), re.IGNORECASE),
        absent_after=re.compile(_words(cues.absent_after), re.IGNORECASE),
        germline=re.compile(rf"\b(?:{_words(cues.germline)})", re.IGNORECASE),
        somatic=re.compile(rf"\b(?:{_words(cues.somatic)})\b", re.IGNORECASE),
        transcripts=re.compile(cues.transcripts),
        fusion_separator=re.compile(cues.fusion_separator),
        fusion_tail=re.compile(cues.fusion_tail, re.IGNORECASE),
        status_suffix=re.compile(cues.status_suffix, re.IGNORECASE),
        list_separator=re.compile(cues.list_separator),
        philadelphia=re.compile(cues.philadelphia),
        testing_before=re.compile(cues.testing_before, re.IGNORECASE),
        breaks=re.compile(_words(cues.breaks), re.IGNORECASE),
        window=cues.window,
    )


def find_gene_mentions(text: str) -> list[GeneMention]:
    """Every gene name of the lexicon in `text`; `CDKN2A/B`, `IDH1/2` give both genes."""
    grammar = _grammar()
    normalized = text.translate(character_table())
    mentions: list[GeneMention] = []
    for match in grammar.mention.finditer(normalized):
        symbol, ambiguous = grammar.names[match.group()]
        mentions.append(GeneMention(match.start(), match.end(), symbol, ambiguous))
        sibling = re.match(r"/([A-Z0-9]{1,2})(?![\w])", normalized[match.end() : match.end() + 4])
        stem = symbol[: -len(sibling.group(1))] + sibling.group(1) if sibling else symbol
        if sibling and stem in grammar.symbols and stem != symbol:
            end = match.end() + sibling.end()
            mentions[-1] = GeneMention(match.start(), end, symbol, ambiguous)
            mentions.append(GeneMention(match.start(), end, stem, ambiguous))
    return mentions


def variant_genes(text: str, variants: Sequence[Variant]) -> list[str | None]:
    """For each variant, the gene written right before it ("TP53 c.848G>A", "JAK2V617F",
    "FLT3-ITD") or right after it ("V617F of JAK2"), else None."""
    mentions = [m for m in find_gene_mentions(text) if not m.ambiguous]
    ends = {m.end: m.symbol for m in mentions}
    linked: list[str | None] = []
    for variant in variants:
        symbol = next((m.symbol for m in mentions if variant.start <= m.start and m.end <= variant.end), None)
        for gap in range(0, 8 if symbol is None else 0):
            candidate = ends.get(variant.start - gap)
            if candidate and re.fullmatch(r"[\s\-:]*(?:gene\s)?", text[variant.start - gap : variant.start]):
                symbol = candidate
                break
        if symbol is None:
            following = re.match(r"\s(?:mutation\s)?(?:of|in)\s(?:the\s)?", text[variant.end : variant.end + 20])
            if following:
                start = variant.end + following.end()
                symbol = next((m.symbol for m in mentions if m.start == start), None)
        linked.append(symbol)
    return linked


@dataclass
class _Unit:
    """A fusion (two or more partners) or a list of single genes sharing one cue."""

    mentions: list[GeneMention]
    fusion: bool


def find_gene_alterations(text: str, variants: Sequence[Variant] | None = None) -> list[GeneHit]:
    """Every gene alteration phrase of `text`, ordered by offset.

    `variants` saves a second variant search when the caller already ran `find_variants`.
    """
    grammar = _grammar()
    normalized = text.translate(character_table())
    variants = list(variants) if variants is not None else find_variants(text)
    masked = list(normalized)
    for variant in variants:
        masked[variant.start : variant.end] = _PLACEHOLDER * (variant.end - variant.start)
    work = "".join(masked)
    hits: list[GeneHit] = []
    for unit in _units(grammar, normalized, find_gene_mentions(normalized)):
        hits.extend(_unit_hits(grammar, normalized, work, unit, variants))
    hits.extend(_philadelphia_transcripts(grammar, normalized, hits))
    return sorted(hits, key=lambda hit: (hit.start, hit.gene))


def _units(grammar: _Grammar, text: str, mentions: list[GeneMention]) -> list[_Unit]:
    units: list[_Unit] = []
    index = 0
    while index < len(mentions):
        group = [mentions[index]]
        while index + 1 < len(mentions) and mentions[index + 1].start == group[0].start:
            group.append(mentions[index + 1])
            index += 1
        if len(group) > 1:
            units.append(_Unit(group, fusion=False))
            index += 1
            continue
        while index + 1 < len(mentions):
            gap = text[group[-1].end : mentions[index + 1].start]
            if mentions[index + 1].start < group[-1].end or not grammar.fusion_separator.fullmatch(gap):
                break
            if gap.strip() in ("/", "") and _list_cue_after(grammar, text, mentions[index + 1].end):
                break
            group.append(mentions[index + 1])
            index += 1
        index += 1
        if len(group) > 1:
            units.append(_Unit(group, fusion=True))
            continue
        previous = units[-1] if units else None
        joinable = (
            previous is not None
            and not previous.fusion
            and group[0].symbol not in {m.symbol for m in previous.mentions}
            and grammar.list_separator.fullmatch(text[previous.mentions[-1].end : group[0].start])
        )
        if previous is not None and joinable:
            previous.mentions.append(group[0])
        else:
            units.append(_Unit(group, fusion=False))
    return units


def _list_cue_after(grammar: _Grammar, text: str, end: int) -> bool:
    """`NRAS/KRAS mutations` is a list, `BCR/ABL fusion`, `PML RARA` or `BCR/ABL` alone a fusion."""
    cue = grammar.after.match(text, end)
    return bool(cue) and _kind_of(grammar, cue) not in ("fusion", "rearrangement")


def _kind_of(grammar: _Grammar, match: re.Match[str]) -> Kind:
    name = next(name for name, value in match.groupdict().items() if value is not None and name.startswith("k"))
    return grammar.kinds_after[name]


def _clause_before(grammar: _Grammar, text: str, start: int) -> tuple[int, str]:
    window_start = max(0, start - grammar.window)
    before = text[window_start:start]
    cuts = [m.end() for m in grammar.breaks.finditer(before)]
    offset = cuts[-1] if cuts else 0
    return window_start + offset, before[offset:]


def _unit_hits(grammar: _Grammar, text: str, work: str, unit: _Unit, variants: list[Variant]) -> list[GeneHit]:
    first, last = unit.mentions[0], unit.mentions[-1]
    after = grammar.after.match(work, last.end)
    kind: Kind | None = _kind_of(grammar, after) if after else None
    start, end = first.start, after.end() if after else last.end
    clause_start, clause = _clause_before(grammar, work, first.start)
    if kind is None:
        for pattern, before_kind in grammar.kinds_before:
            found = pattern.search(clause)
            if found:
                if grammar.testing_before.search(clause, 0, found.start()):
                    return []
                kind, start = before_kind, clause_start + found.start()
                break
    attached = [v for v in variants if _attached(text, last, v)]
    if kind is None and attached and len(unit.mentions) == 1:
        kind = "mutation"
        end = max([end] + [v.end for v in attached if v.start <= last.start])
    if unit.fusion:
        kind = "fusion"
    ambiguous = all(m.ambiguous for m in unit.mentions) if unit.fusion else any(m.ambiguous for m in unit.mentions)
    if kind is None or (ambiguous and not (after or start < first.start)):
        return []
    linked = [v for v in variants if start <= v.start and v.end <= end] + attached
    if after:
        trailing = re.match(rf"\s?\(?\s?({_PLACEHOLDER}+)", work[end : end + 6])
        if trailing:
            linked += [v for v in variants if v.start == end + trailing.start(1)]
    status = _status(grammar, text, clause, last.end, end)
    origin = _origin(grammar, text[max(clause_start, start - 30) : end])
    suffix = grammar.status_suffix.match(text[end : end + 12])
    if unit.fusion:
        return _fusion_hits(grammar, text, unit, start, end, status, origin, clause_start)
    if suffix:
        end += suffix.end()
    if kind == "fusion":
        kind = "rearrangement"
    alteration = _alteration(linked) if kind == "mutation" else None
    return [GeneHit(start, end, m.symbol, kind, status, origin, alteration) for m in unit.mentions]


def _fusion_hits(
    grammar: _Grammar,
    text: str,
    unit: _Unit,
    start: int,
    end: int,
    status: Literal["present", "absent"],
    origin: Literal["germline", "somatic"] | None,
    clause_start: int,
) -> list[GeneHit]:
    """A fusion, its transcript written just before ("e1a3 BCR-ABL1", "190 kDa BCR::ABL1
    protein") or just after ("BCR-ABL1 e1a3 transcript", "BCR/ABL1 (p190)")."""
    gene = "::".join(dict.fromkeys(m.symbol for m in unit.mentions))
    before = [m for m in grammar.transcripts.finditer(text, max(clause_start, start - 20), start) if not text[m.end() : start].strip()]
    if before:
        start = before[-1].start()
    tail = grammar.fusion_tail.match(text[end : end + 30])
    if tail:
        end += tail.end()
    suffix = grammar.status_suffix.match(text[end : end + 12])
    if suffix:
        end += suffix.end()
    opening = re.match(r"[\s(-]{0,2}", text[end:])
    following = grammar.transcripts.match(text, end + (opening.end() if opening else 0))
    transcript = before[-1] if before else following
    alteration = _transcript(transcript.group()) if transcript else None
    hits = [GeneHit(start, end, gene, "fusion", status, origin, alteration)]
    if following and not before and "(" in text[end : following.start()]:
        hits.append(GeneHit(following.start(), following.end(), gene, "fusion", status, origin, alteration))
    return hits


def _transcript(written: str) -> str:
    """`e1a3` as written; `190 kDa` -> `p190`."""
    first = written.split()[0] if " " in written and not written[0].isdigit() else written
    size = re.match(r"(\d{3})[\s-]?kDa", first)
    return f"p{size.group(1)}" if size else first.split()[0]


def _attached(text: str, gene: GeneMention, variant: Variant) -> bool:
    """The variant follows the gene name directly ("TP53 c.848G>A", "JAK2V617F") or contains it ("FLT3-ITD")."""
    if variant.start <= gene.start and gene.end <= variant.end:
        return True
    gap = text[gene.end : variant.start]
    return variant.start >= gene.end and bool(re.fullmatch(r"[\s\-:]{0,2}(?:gene\s)?", gap))


def _alteration(variants: list[Variant]) -> str | None:
    """The guide's alteration: the protein change if given, else the cDNA change, else ITD."""
    for wanted in ("protein", "dna", "other"):
        for variant in variants:
            if variant.type == wanted:
                return variant.norm
    return None


def _status(grammar: _Grammar, text: str, clause: str, gene_end: int, end: int) -> Literal["present", "absent"]:
    """Absent when a cue precedes in the clause, or follows the gene name or the whole phrase."""
    after_gene = grammar.absent_after.search(text[gene_end : gene_end + 40])
    if grammar.absent_before.search(clause) or after_gene or grammar.absent_after.search(text[end : end + 40]):
        return "absent"
    return "present"


def _origin(grammar: _Grammar, phrase: str) -> Literal["germline", "somatic"] | None:
    if grammar.germline.search(phrase):
        return "germline"
    if grammar.somatic.search(phrase):
        return "somatic"
    return None


def _philadelphia_transcripts(grammar: _Grammar, text: str, hits: list[GeneHit]) -> list[GeneHit]:
    """A transcript named apart from a written fusion: "Ph+ ALL ... p190", "a p210 fusion
    transcript", "BCR-ABL1-positive ALL ... the rare e1a3 transcript". It fills the alteration of
    a BCR::ABL1 hit of the same sentence, or is a BCR::ABL1 fusion of its own when called a
    transcript or protein, or named in a Philadelphia sentence."""
    found: list[GeneHit] = []
    covered = [(hit.start - 20, hit.end + 20) for hit in hits if hit.alteration and "::" in hit.gene]
    for match in grammar.transcripts.finditer(text):
        if any(s <= match.start() < e for s, e in covered):
            continue
        sentence_start = max(text.rfind(". ", 0, match.start()) + 1, match.start() - 200)
        sentence_end = text.find(". ", match.end())
        sentence_end = sentence_end if sentence_end >= 0 else len(text)
        transcript = _transcript(match.group())
        tail = grammar.fusion_tail.match(text[match.end() : match.end() + 30])
        same = [i for i, hit in enumerate(hits) if hit.gene == "BCR::ABL1" and not hit.alteration and sentence_start <= hit.start < sentence_end]
        if same:
            hit = hits[same[0]]
            hits[same[0]] = GeneHit(hit.start, hit.end, hit.gene, hit.kind, hit.status, hit.origin, transcript)
        if tail or (not same and grammar.philadelphia.search(text, sentence_start, sentence_end)):
            end = match.end() + (tail.end() if tail else 0)
            found.append(GeneHit(match.start(), end, "BCR::ABL1", "fusion", alteration=transcript))
    return found
