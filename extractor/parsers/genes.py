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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Literal

from extractor.parsers.alternation import literal_alternation
from extractor.parsers.hgvs import Variant, find_variants, restatements
from extractor.parsers.lexicon import Strict, character_table
from extractor.patterns import load_json, load_jsonl

Kind = Literal["mutation", "deletion", "amplification", "duplication", "fusion", "rearrangement", "other"]

_PLACEHOLDER = "\x01"
"""Variant spans are overwritten with this character (same length) so cue patterns can skip them."""

_SENTENCE_REACH = 1000
"""Characters after a transcript searched for the end of its sentence."""

_ATTACH_GAP = 8
"""At most this many characters between a gene name and a variant written after it ("TP53 gene c.")."""

_SIBLING = re.compile(r"/([A-Z0-9]{1,2})(?![\w])")
_GENE_GAP_BEFORE = re.compile(r"[\s\-:]*(?:gene\s)?")
_GENE_AFTER = re.compile(r"\s(?:mutation\s)?(?:of|in)\s(?:the\s)?")
_TRAILING_VARIANT = re.compile(rf"(?:\s(?:mutations?|variants?|mutated))?\s?\(?\s?({_PLACEHOLDER}+)")
_LIST_TAIL = re.compile(r"(?:\b[A-Z][\w/-]{1,14},\s(?:and\s|or\s)?)+$")
"""The genes of a list written before a unit ("investigate ASXL1, CBL, IDH1/2, ... MLL-PTD")."""
_OPENING = re.compile(r"[\s(-]{0,2}")
_ATTACH_GAP_TEXT = re.compile(r"[\s\-:]{0,2}(?:gene\s)?")


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
    not_after: str
    named_before: str
    name_words: int
    testing_before: str
    breaks: list[str]
    window: int
    unnamed_partner: str
    partner_context: str
    partner_stoplist: list[str]


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
    not_after: re.Pattern[str]
    named_before: re.Pattern[str]
    name_words: int
    testing_before: re.Pattern[str]
    breaks: re.Pattern[str]
    window: int
    unnamed_partner_after: re.Pattern[str]
    unnamed_partner_before: re.Pattern[str]
    partner_context: re.Pattern[str]
    partner_stoplist: frozenset[str]


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
    alternation = literal_alternation(names)
    fillers = _words(cues.fillers)
    after_kinds = {cue: kind for kind, words in cues.kinds_after.items() for cue in words}
    after_cue = "|".join(f"(?P<k{i}>{cue})" for i, cue in enumerate(after_kinds))
    return _Grammar(
        names=names,
        symbols=frozenset(entry.symbol for entry in entries),
        mention=re.compile(
            rf"(?<![\w])(?:{alternation})(?:(?![\w])|(?=[A-Z]\d+[A-Z*](?![\w]))|(?=r\b)|(?<=\d)(?=(?:mut|MUT|WT|wt)\b))"
        ),
        after=re.compile(
            rf"(?:[\s-]{{1,2}}(?:{fillers})){{0,4}}(?:[\s-]{{1,2}}|(?<=\d)|(?<=[A-Z]))(?:{after_cue})\b",
            re.IGNORECASE,
        ),
        before=re.compile(rf"(?:{fillers})$"),
        kinds_after={f"k{i}": kind for i, kind in enumerate(after_kinds.values())},
        kinds_before=tuple(
            (
                re.compile(rf"\b(?:{_words(words)})(?:\s(?:the|a|an|{fillers})){{0,4}}\s?$", re.IGNORECASE),
                kind,
            )
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
        not_after=re.compile(cues.not_after, re.IGNORECASE),
        named_before=re.compile(cues.named_before),
        name_words=cues.name_words,
        testing_before=re.compile(cues.testing_before, re.IGNORECASE),
        breaks=re.compile(_words(cues.breaks), re.IGNORECASE),
        window=cues.window,
        unnamed_partner_after=re.compile(rf"(?:::|-|/)(?P<name>{cues.unnamed_partner})(?![\w])"),
        unnamed_partner_before=re.compile(rf"(?<![\w-])(?P<name>{cues.unnamed_partner})(?:::|-|/)$"),
        partner_context=re.compile(cues.partner_context, re.IGNORECASE),
        partner_stoplist=frozenset(cues.partner_stoplist),
    )


def find_gene_mentions(text: str) -> list[GeneMention]:
    """Every gene name of the lexicon in `text`; `CDKN2A/B`, `IDH1/2` give both genes."""
    grammar = _grammar()
    normalized = text.translate(character_table())
    mentions: list[GeneMention] = []
    for match in grammar.mention.finditer(normalized):
        symbol, ambiguous = grammar.names[match.group()]
        mentions.append(GeneMention(match.start(), match.end(), symbol, ambiguous))
        sibling = _SIBLING.match(normalized[match.end() : match.end() + 4])
        stem = symbol[: -len(sibling.group(1))] + sibling.group(1) if sibling else symbol
        if sibling and stem in grammar.symbols and stem != symbol:
            end = match.end() + sibling.end()
            mentions[-1] = GeneMention(match.start(), end, symbol, ambiguous)
            mentions.append(GeneMention(match.start(), end, stem, ambiguous))
    mentions.extend(_glued_pairs(grammar, normalized, mentions))
    mentions.extend(_unnamed_partners(grammar, normalized, mentions))
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _unnamed_partners(grammar: _Grammar, text: str, found: list[GeneMention]) -> list[GeneMention]:
    """A fusion partner the lexicon does not know, joined to a known gene in a fusion context
    ("a novel KMT2A-SNX9 gene fusion"): promiscuous genes such as KMT2A have over a hundred
    partners. The partner is kept as written (upper case); cue words, protein changes and
    the stoplist of gene_cues.json are not partners."""
    partners: list[GeneMention] = []
    taken = [(m.start, m.end) for m in found]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for mention in found:
        if mention.ambiguous:
            continue
        candidates = []
        after = grammar.unnamed_partner_after.match(text, mention.end)
        if after:
            candidates.append((after.start("name"), after.end("name")))
        before = grammar.unnamed_partner_before.search(text[max(0, mention.start - 16) : mention.start])
        if before:
            offset = max(0, mention.start - 16)
            candidates.append((offset + before.start("name"), offset + before.end("name")))
        for start, end in candidates:
            name = text[start:end]
            if name in grammar.names or name in grammar.partner_stoplist or not free(start, end):
                continue
            window = text[max(0, mention.start - 80) : end + 80]
            if not grammar.partner_context.search(window):
                continue
            partners.append(GeneMention(start, end, name, False))
            taken.append((start, end))
    return partners


_GLUED_TOKEN = re.compile(r"(?<![\w])[A-Z][A-Z0-9]{5,15}(?![\w])")


def _glued_pairs(grammar: _Grammar, text: str, found: list[GeneMention]) -> list[GeneMention]:
    """Two gene symbols written as one word, the way fusions are sometimes glued
    ("CBFBMYH11", "PMLRARA"): both halves must be unambiguous symbols of at least three
    characters. The two mentions touch, so the fusion grouping reads them as one fusion."""
    taken = {(m.start, m.end) for m in found}
    pairs: list[GeneMention] = []
    for token in _GLUED_TOKEN.finditer(text):
        if (token.start(), token.end()) in taken:
            continue
        word = token.group()
        for cut in range(3, len(word) - 2):
            first, second = grammar.names.get(word[:cut]), grammar.names.get(word[cut:])
            if first and second and not first[1] and not second[1] and first[0] != second[0]:
                pairs.append(GeneMention(token.start(), token.start() + cut, first[0], False))
                pairs.append(GeneMention(token.start() + cut, token.end(), second[0], False))
                break
    return pairs


def variant_genes(
    text: str, variants: Sequence[Variant], gene_mentions: Sequence[GeneMention] | None = None
) -> list[str | None]:
    """For each variant, the gene written right before it ("TP53 c.848G>A", "JAK2V617F",
    "FLT3-ITD") or right after it ("V617F of JAK2"), else None; a variant restating the one
    before it takes its gene. `gene_mentions` saves a second gene search."""
    found = gene_mentions if gene_mentions is not None else find_gene_mentions(text)
    mentions = [m for m in found if not m.ambiguous]
    ends = {m.end: m.symbol for m in mentions}
    starts = {m.start: m.symbol for m in reversed(mentions)}
    mention_starts = [m.start for m in mentions]
    linked: list[str | None] = []
    for variant in variants:
        inside = mentions[
            bisect_left(mention_starts, variant.start) : bisect_left(mention_starts, variant.end)
        ]
        symbol = next((m.symbol for m in inside if m.end <= variant.end), None)
        for gap in range(8 if symbol is None else 0):
            candidate = ends.get(variant.start - gap)
            if candidate and _GENE_GAP_BEFORE.fullmatch(text[variant.start - gap : variant.start]):
                symbol = candidate
                break
        if symbol is None:
            following = _GENE_AFTER.match(text[variant.end : variant.end + 20])
            if following:
                symbol = starts.get(variant.end + following.end())
        linked.append(symbol)
    for index, restated in restatements(text, variants).items():
        linked[index] = linked[index] or linked[restated]
    return linked


class _VariantIndex:
    """The variants of a text by position, so each gene looks only at the variants near it."""

    def __init__(self, variants: list[Variant], restated: dict[int, int]) -> None:
        self.variants = variants
        self.starts = [v.start for v in variants]
        self.restating = {earlier: later for later, earlier in restated.items()}

    def between(self, start: int, end: int) -> list[Variant]:
        """Variants that start in `[start, end)` and end by `end`."""
        found = self.variants[bisect_left(self.starts, start) : bisect_left(self.starts, end)]
        return [v for v in found if v.end <= end]

    def at(self, position: int) -> list[Variant]:
        """The variant that starts at `position`, if any, with its restatement."""
        index = bisect_left(self.starts, position)
        if index == len(self.starts) or self.starts[index] != position:
            return []
        return [self.variants[index]] + (
            [self.variants[self.restating[index]]] if index in self.restating else []
        )

    def attached(self, text: str, gene: GeneMention) -> list[Variant]:
        """Variants written on the gene or right after it, with the restatement of each
        ("TP53 c.848G>A (p.Arg283His)")."""
        first = max(bisect_right(self.starts, gene.start) - 1, 0)
        last = bisect_left(self.starts, gene.end + _ATTACH_GAP)
        found: list[Variant] = []
        for index in range(first, last):
            if _attached(text, gene, self.variants[index]):
                found.append(self.variants[index])
                if index in self.restating:
                    found.append(self.variants[self.restating[index]])
        return found


@dataclass
class _Unit:
    """A fusion (two or more partners) or a list of single genes sharing one cue."""

    mentions: list[GeneMention]
    fusion: bool


def find_gene_alterations(
    text: str, variants: Sequence[Variant] | None = None, gene_mentions: Sequence[GeneMention] | None = None
) -> list[GeneHit]:
    """Every gene alteration phrase of `text`, ordered by offset.

    `variants` and `gene_mentions` save a second search when the caller already ran
    `find_variants` and `find_gene_mentions`.
    """
    grammar = _grammar()
    normalized = text.translate(character_table())
    variants = list(variants) if variants is not None else find_variants(text)
    masked = list(normalized)
    for variant in variants:
        masked[variant.start : variant.end] = _PLACEHOLDER * (variant.end - variant.start)
    work = "".join(masked)
    index = _VariantIndex(variants, restatements(normalized, variants))
    hits: list[GeneHit] = []
    mentions = list(gene_mentions) if gene_mentions is not None else find_gene_mentions(normalized)
    for unit in _units(grammar, normalized, mentions):
        hits.extend(_unit_hits(grammar, normalized, work, unit, index))
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
            if gap and gap.strip() in ("/", "") and _list_cue_after(grammar, text, mentions[index + 1].end):
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
    name = next(
        name for name, value in match.groupdict().items() if value is not None and name.startswith("k")
    )
    return grammar.kinds_after[name]


def _kind_before(grammar: _Grammar, clause: str) -> tuple[re.Match[str], Kind] | None:
    """The first kind cue ending the clause before a gene ("mutations in the", "loss of")."""
    for pattern, kind in grammar.kinds_before:
        found = pattern.search(clause)
        if found:
            return found, kind
    return None


def _name_starts(grammar: _Grammar, text: str, paren: int) -> list[int]:
    """Where the name before a symbol in brackets may start, nearest first: "mutations in the
    ataxia telangiectasia mutated (ATM)" gives the starts of "mutated", "telangiectasia", ..."""
    starts: list[int] = []
    position = paren
    while len(starts) < grammar.name_words:
        word = grammar.named_before.search(text, max(0, position - 40), position)
        if word is None:
            break
        starts.append(word.start())
        position = word.start()
    return starts


def _clause_before(grammar: _Grammar, text: str, start: int) -> tuple[int, str]:
    window_start = max(0, start - grammar.window)
    before = text[window_start:start]
    cuts = [m.end() for m in grammar.breaks.finditer(before)]
    offset = cuts[-1] if cuts else 0
    return window_start + offset, before[offset:]


def _unit_hits(
    grammar: _Grammar, text: str, work: str, unit: _Unit, variants: _VariantIndex
) -> list[GeneHit]:
    first, last = unit.mentions[0], unit.mentions[-1]
    if grammar.not_after.match(text, last.end):
        return []
    if (
        not unit.fusion
        and len(unit.mentions) > 1
        and text[last.end : last.end + 1] == "-"
        and grammar.after.match(work, last.end)
    ):
        unit = _Unit(_glued_tail(text, unit.mentions), fusion=False)
        first = unit.mentions[0]
    symbol_of_name = (
        not unit.fusion
        and text[first.start - 1 : first.start] == "("
        and text[last.end : last.end + 1] == ")"
    )
    after_from = last.end + 1 if symbol_of_name else last.end
    while work[after_from : after_from + 1] == _PLACEHOLDER:
        after_from += 1  # the gene is written inside its variant ("FLT3/ITD mutations")
    after = grammar.after.match(work, after_from)
    if after and after_from > last.end and _kind_of(grammar, after) != "mutation":
        after = None  # "FLT3-ITD fusion transcripts": the variant, not the word after it, says the kind
    kind: Kind | None = _kind_of(grammar, after) if after else None
    start, end = (
        first.start - (symbol_of_name and after is not None),
        after.end() if after else last.end + symbol_of_name,
    )
    clause_start, clause = _clause_before(grammar, work, first.start)
    if after and grammar.testing_before.search(_LIST_TAIL.sub("", clause)):
        return []
    cuts = _name_starts(grammar, work, first.start - 1) if symbol_of_name else [first.start]
    for cut in cuts if kind is None else []:
        cut_start, cut_clause = (
            (clause_start, clause) if cut == first.start else _clause_before(grammar, work, cut)
        )
        found = _kind_before(grammar, cut_clause)
        if found is None:
            continue
        match, before_kind = found
        if grammar.testing_before.search(cut_clause, 0, match.start()):
            return []
        clause_start, clause = cut_start, cut_clause
        kind, start = before_kind, cut_start + match.start()
        break
    attached = variants.attached(text, last)
    if kind is None and attached and len(unit.mentions) == 1:
        kind = "mutation"
        end = max([end] + [v.end for v in attached if v.start <= last.start])
    if unit.fusion:
        kind = "fusion"
    ambiguous = (
        all(m.ambiguous for m in unit.mentions) if unit.fusion else any(m.ambiguous for m in unit.mentions)
    )
    if kind is None or (ambiguous and not (after or start < first.start)):
        return []
    linked = variants.between(start, end) + attached
    if after:
        trailing = _TRAILING_VARIANT.match(work[end : end + 18])
        if trailing:
            linked += variants.at(end + trailing.start(1))
    status = _status(grammar, text, clause, last.end, max([end] + [v.end for v in attached]))
    origin = _origin(grammar, text[max(clause_start, start - 30) : end])
    suffix = grammar.status_suffix.match(text[end : end + 12])
    if unit.fusion:
        return _fusion_hits(grammar, text, unit, start, end, status, origin, clause_start)
    if suffix:
        end += suffix.end()
    if kind == "fusion":
        kind = "rearrangement"
    if kind != "mutation":
        return [GeneHit(start, end, m.symbol, kind, status, origin) for m in unit.mentions]
    if len({m.start for m in unit.mentions}) == 1:
        return [
            GeneHit(start, end, m.symbol, kind, status, origin, _alteration(linked)) for m in unit.mentions
        ]
    hits = []
    for mention in unit.mentions:
        own = variants.attached(text, mention)
        if not own and mention.start == last.start:
            own = [v for v in linked if v.start >= last.start]
        hits.append(GeneHit(start, end, mention.symbol, kind, status, origin, _alteration(own)))
    return hits


def _glued_tail(text: str, mentions: list[GeneMention]) -> list[GeneMention]:
    """The mentions a hyphen-glued cue belongs to: the last gene, with the genes slash-joined to
    it or sharing its start ("NRAS/KRAS-mutated", "IDH1/2-mutated"), not a comma list before it."""
    kept = [mentions[-1]]
    for mention in reversed(mentions[:-1]):
        joined = mention.start == kept[0].start or text[mention.end : kept[0].start].strip() == "/"
        if not joined:
            break
        kept.insert(0, mention)
    return kept


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
    before = [
        m
        for m in grammar.transcripts.finditer(text, max(clause_start, start - 20), start)
        if not text[m.end() : start].strip()
    ]
    if before:
        start = before[-1].start()
    tail = grammar.fusion_tail.match(text[end : end + 30])
    if tail:
        end += tail.end()
    suffix = grammar.status_suffix.match(text[end : end + 12])
    if suffix:
        end += suffix.end()
    opening = _OPENING.match(text, end)
    following = grammar.transcripts.match(text, opening.end() if opening else end)
    transcript = before[-1] if before else following
    alteration = _transcript(transcript.group()) if transcript else None
    hits = [GeneHit(start, end, gene, "fusion", status, origin, alteration)]
    if following and not before and "(" in text[end : following.start()]:
        hits.append(GeneHit(following.start(), following.end(), gene, "fusion", status, origin, alteration))
    return hits


def _transcript(written: str) -> str:
    """`e1a3` as written; `190 kDa` -> `p190`; a lettered transcript type ("type A", CBFB::MYH11) whole."""
    lettered = re.match(r"(?i)type\s+([a-j])$", written.strip())
    if lettered:
        return f"type {lettered.group(1).upper()}"
    first = written.split()[0] if " " in written and not written[0].isdigit() else written
    size = re.match(r"(\d{3})[\s-]?kDa", first)
    return f"p{size.group(1)}" if size else first.split()[0]


def _attached(text: str, gene: GeneMention, variant: Variant) -> bool:
    """The variant follows the gene name directly ("TP53 c.848G>A", "JAK2V617F") or contains it ("FLT3-ITD")."""
    if variant.start <= gene.start and gene.end <= variant.end:
        return True
    gap = text[gene.end : variant.start]
    return variant.start >= gene.end and bool(_ATTACH_GAP_TEXT.fullmatch(gap))


def _alteration(variants: list[Variant]) -> str | None:
    """The guide's alteration: the protein change if given, else the cDNA change, else ITD."""
    for wanted in ("protein", "dna", "other"):
        for variant in variants:
            if variant.type == wanted:
                return variant.norm
    return None


def _status(
    grammar: _Grammar, text: str, clause: str, gene_end: int, end: int
) -> Literal["present", "absent"]:
    """Absent when a cue precedes in the clause, or follows the gene name or the whole phrase."""
    after_gene = grammar.absent_after.search(text[gene_end : gene_end + 40])
    if (
        grammar.absent_before.search(clause)
        or after_gene
        or grammar.absent_after.search(text[end : end + 40])
    ):
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
    covered = sorted((hit.start - 20, hit.end + 20) for hit in hits if hit.alteration and "::" in hit.gene)
    covered_starts = [s for s, _ in covered]
    covered_reach = list(accumulate((e for _, e in covered), max))
    unfilled = sorted(
        (hit.start, i) for i, hit in enumerate(hits) if hit.gene == "BCR::ABL1" and not hit.alteration
    )
    unfilled_starts = [s for s, _ in unfilled]
    for match in grammar.transcripts.finditer(text):
        position = match.start()
        before = bisect_right(covered_starts, position)
        if before and covered_reach[before - 1] > position:
            continue
        sentence_start = max(text.rfind(". ", max(0, position - 200), position) + 1, position - 200)
        sentence_end = text.find(". ", match.end(), match.end() + _SENTENCE_REACH)
        sentence_end = sentence_end if sentence_end >= 0 else min(len(text), match.end() + _SENTENCE_REACH)
        transcript = _transcript(match.group())
        tail = grammar.fusion_tail.match(text[match.end() : match.end() + 30])
        first = bisect_left(unfilled_starts, sentence_start)
        same = first < len(unfilled_starts) and unfilled_starts[first] < sentence_end
        if same:
            index = unfilled[first][1]
            hit = hits[index]
            hits[index] = GeneHit(hit.start, hit.end, hit.gene, hit.kind, hit.status, hit.origin, transcript)
            del unfilled[first], unfilled_starts[first]
        if tail or (not same and grammar.philadelphia.search(text, sentence_start, sentence_end)):
            end = match.end() + (tail.end() if tail else 0)
            found.append(GeneHit(match.start(), end, "BCR::ABL1", "fusion", alteration=transcript))
    return found
