"""Sequence-variant mentions (HGVS and the legacy forms of the literature), found and normalized.

Why rules and not one regex: the literature writes one change in many shapes (`p.Arg248Gln`,
`R248Q`, `Arg 248 Gln`, `arginine-248-to-glutamine`, `Trp-241 was replaced with Ala`, `1799G>A`,
`G1799A`, `IVS2+1G>A`, `rs1042522`).
Each shape is a small rule in `patterns/variants.json` (macros expanded, one regex per rule, no
nested quantifiers, so time stays linear in the text length). All rules run over the whole
document; overlapping candidates are resolved leftmost-longest; guards reject shapes that are
also common non-variant tokens (`Q3W`, `S1P`, `Fig. S1A`) unless the context speaks of a change;
a cue at one mention serves the document's other mentions of the same string. A bare `C260T` (both
letters bases) is DNA or protein by its context, and once DNA is DNA at all its mentions.
Protein changes are normalized to one-letter HGVS (`p.R248Q`, `p.P246Hfs*13`, `p.E270*`),
DNA changes to a compact HGVS-like form with a `c.` prefix when none is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import field_validator

from extractor.parsers.alternation import literal_alternation
from extractor.parsers.lexicon import Strict, character_table, expand_macros
from extractor.parsers.prefilter import Prefiltered, fold
from extractor.patterns import PatternError, load_json

VariantType = Literal["protein", "dna", "snp", "other"]

_WINDOW = 80
"""Characters each side of a candidate searched for context cues."""


@dataclass(frozen=True)
class Variant:
    """One variant mention: offsets `[start, end)` in the text, its normalized form and type."""

    start: int
    end: int
    norm: str
    type: VariantType


class AminoAcid(Strict):
    one: str
    three: str
    names: list[str]


class Rule(Strict):
    name: str
    examples: list[str]
    """Mentions the rule's pattern must match whole; checked when the rules are loaded."""
    type: VariantType
    form: Literal["protein", "protein_delta", "protein_phrase", "dna", "snp", "itd", "literal", "allele"]
    """`protein_phrase`: the pattern names the parts `wt`, `pos` and `mt`, because words between them
    ("His-554 of IIA(Mtl) was mutated to glutamine") would be misread as residues."""
    guard: Literal["none", "one_letter", "allele_cue"]
    pattern: str
    coordinated: bool = False
    """True when a list of further mutant residues may follow ("Trp-64 to Phe or Tyr")."""


class VariantPatterns(Strict):
    amino_acids: list[AminoAcid]
    macros: dict[str, str]
    rules: list[Rule]
    not_variants: list[str]
    not_before: list[str]
    mutation_cues: list[str]
    allele_cues: list[str]
    dna_cues: list[str]
    protein_cues: list[str]
    synonymous_cues: list[str]

    @field_validator("amino_acids")
    @classmethod
    def _one_letter(cls, value: list[AminoAcid]) -> list[AminoAcid]:
        for acid in value:
            if len(acid.one) != 1 or len(acid.three) != 3:
                raise ValueError(f"amino acid codes must be 1 and 3 characters: {acid}")
        return value


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    regex: Prefiltered


@dataclass(frozen=True)
class _Grammar:
    rules: tuple[_Compiled, ...]
    to_one: dict[str, str]
    token: re.Pattern[str]
    not_variants: frozenset[str]
    not_before: re.Pattern[str]
    mutation_cue: re.Pattern[str]
    allele_cue: re.Pattern[str]
    dna_cue: re.Pattern[str]
    protein_cue: re.Pattern[str]
    synonymous_cue: re.Pattern[str]
    coordinated: re.Pattern[str]
    residue: re.Pattern[str]


def _alternation(words: list[str], flags: str = "") -> str:
    body = literal_alternation(words, ignore_case="i" in flags)
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    data = load_json("variants.json", VariantPatterns)
    acids = [acid for acid in data.amino_acids if acid.one != "*"]
    threes = [acid.three for acid in acids]
    names = [name for acid in acids for name in acid.names]
    macros = dict(data.macros)
    macros["AA3"] = _alternation(threes + [three.upper() for three in threes])
    macros["AANAME"] = _alternation(names, "i")
    rules = tuple(
        _Compiled(rule, Prefiltered.compile(expand_macros(rule.pattern, macros))) for rule in data.rules
    )
    for compiled in rules:
        if compiled.rule.form == "protein_phrase" and not {"wt", "pos", "mt"} <= set(
            compiled.regex.regex.groupindex
        ):
            raise PatternError(f"variants.json: rule {compiled.rule.name!r} must name the groups wt, pos, mt")
        for example in compiled.rule.examples:
            if not compiled.regex.regex.fullmatch(example):
                raise PatternError(
                    f"variants.json: rule {compiled.rule.name!r} does not match its example {example!r}"
                )
    to_one: dict[str, str] = {}
    for acid in data.amino_acids:
        to_one[acid.three.lower()] = acid.one
        to_one[acid.one] = acid.one
        for name in acid.names:
            to_one[name.lower()] = acid.one
    to_one["x"] = "*"
    token = re.compile(
        r"(?P<op>delins|del|dup|ins|ext|fs)"
        rf"|(?P<name>{_alternation(names + ['stop', 'termination'], 'i')})"
        rf"|(?P<three>{_alternation(threes + ['Ter'], 'i')})"
        r"|(?P<one>[ACDEFGHIKLMNPQRSTVWYUOX*=])"
        r"|(?P<num>(?<=\b[A-Z])-\d+|\d+)"
        r"|(?P<range>_)"
        r"|(?P<unknown>\?)"
        r"|(?P<skip>[^A-Za-z0-9_*=]+|[a-z]+|[A-Z][a-z]+)"
    )

    def cues(words: list[str]) -> re.Pattern[str]:
        return re.compile(_alternation(words, "i"))

    return _Grammar(
        rules=rules,
        to_one=to_one,
        token=token,
        not_variants=frozenset(data.not_variants),
        not_before=re.compile(rf"\b{_alternation(data.not_before)}\.?\s*$"),
        mutation_cue=cues(data.mutation_cues),
        allele_cue=cues(data.allele_cues),
        dna_cue=cues(data.dna_cues),
        protein_cue=cues(data.protein_cues),
        synonymous_cue=cues(data.synonymous_cues),
        residue=re.compile(rf"\b(?:{macros['AA3']}|{macros['AANAME']})\b"),
        coordinated=re.compile(
            rf"(?:\s?,\s?(?:and\s|or\s)?|\s(?:and|or)\s)(?P<aa>{macros['AA3']}|{macros['AANAME']})(?![\w]|[\s-]?\(?\d)"
        ),
    )


@lru_cache(maxsize=65_536)
def normalize_protein(mention: str) -> str | None:
    """One-letter HGVS form of a protein change written in any supported shape, else None.

    `p.Arg248Gln`, `R248Q`, `Arg 248 Gln`, `arginine-248-to-glutamine`, `Phe-->Ser at codon 15`
    all give `p.R248Q`/`p.F15S`; `p.Pro246HisfsX13` gives `p.P246Hfs*13`; `E270X`/`Glu270Stop`
    give `p.E270*`; `Y248del` gives `p.Y248del`.
    """
    grammar = _grammar()
    text = re.sub(r"^\(?p\.\s?\(?", "", mention.strip())
    if "ext" in text:
        return _extension(grammar, text)
    acids: list[str] = []
    numbers: list[str] = []
    ops: list[str] = []
    sequence: list[tuple[str, str]] = []
    for match in grammar.token.finditer(text):
        kind = match.lastgroup or "skip"
        value = match.group()
        if kind == "skip":
            continue
        if kind in ("name", "three", "one"):
            value = grammar.to_one.get(value.lower(), value) if kind != "one" else value.replace("X", "*")
            kind = "aa"
        sequence.append((kind, value))
        if kind == "aa":
            acids.append(value)
        elif kind == "num":
            numbers.append(value)
        elif kind == "op":
            ops.append(value)
    return _protein_form(sequence, acids, numbers, ops)


_EXTENSION = re.compile(r"(?P<head>.*?\d+)(?P<new>[A-Za-z]*)ext(?P<tail>[^)]*)\)?$")


def _extension(grammar: _Grammar, text: str) -> str | None:
    """`Ter110GlnextTer17`/`*110Glnext*17` give `p.*110Qext*17`, `Met1ext-5` gives `p.M1ext-5`,
    `Ter315TyrextAsnLysGlyThrTer` gives `p.*315YextNKGT*` (residues one-letter, `Ter` as `*`)."""
    match = _EXTENSION.match(text)
    if match is None:
        return None
    head = re.match(r"(?P<aa>[A-Za-z]{3}|[A-Z*])(?P<num>\d+)$", match["head"])
    if head is None:
        return None

    def one(residues: str) -> str:
        return "".join(
            grammar.to_one.get(code.lower(), code) for code in re.findall(r"[A-Z][a-z]{2}|[A-Z*]", residues)
        )

    tail = re.sub(
        r"Ter|[A-Z][a-z]{2}",
        lambda code: grammar.to_one.get(code.group().lower(), code.group()),
        match["tail"],
    )
    return f"p.{one(head['aa'])}{head['num']}{one(match['new'])}ext{tail}"


def _protein_form(
    sequence: list[tuple[str, str]], acids: list[str], numbers: list[str], ops: list[str]
) -> str | None:
    if not acids or not numbers:
        return None
    kinds = [kind for kind, _ in sequence]
    first_num = kinds.index("num")
    wt_before = [value for kind, value in sequence[:first_num] if kind == "aa"]
    if "fs" in ops:
        fs_at = next(i for i, item in enumerate(sequence) if item == ("op", "fs"))
        if not wt_before:
            return None
        new = "".join(value for kind, value in sequence[first_num + 1 : fs_at] if kind == "aa")
        tail = [value for kind, value in sequence[fs_at + 1 :] if kind in ("num", "unknown")]
        return f"p.{wt_before[-1]}{numbers[0]}{new}fs" + (f"*{tail[0]}" if tail else "")
    ranged = kinds[:4] == ["aa", "num", "aa", "num"] or "range" in kinds
    if ranged and len(numbers) >= 2 and len(acids) >= 2:
        op = "".join(ops)
        inserted = (
            "".join(value for kind, value in sequence[kinds.index("op") + 1 :] if kind == "aa") if ops else ""
        )
        return f"p.{acids[0]}{numbers[0]}_{acids[1]}{numbers[1]}{op}{inserted}"
    if ops:
        op = ops[0]
        inserted = "".join(value for kind, value in sequence[kinds.index("op") + 1 :] if kind == "aa")
        if not wt_before:
            return None
        return f"p.{wt_before[-1]}{numbers[0]}{op}{inserted}"
    if wt_before and kinds[first_num + 1 : first_num + 2] == ["unknown"] and len(kinds) == first_num + 2:
        return f"p.{wt_before[-1]}{numbers[0]}?"
    if wt_before:
        after = [value for kind, value in sequence[first_num + 1 :] if kind == "aa"]
        if len(wt_before) >= 2 and not after:
            return f"p.{wt_before[0]}{numbers[0]}{wt_before[1]}"
        if after:
            return f"p.{wt_before[-1]}{numbers[0]}{after[0]}"
    return None


_ARROW = re.compile(r"(?<=[ACGTUacgtu(])\s*(?:-{1,2}>|\u2192|\u27f6|>|/|-|\bto\b|\bby\b)\s*(?=[ACGTUacgtu)])")
_DESCRIBED = re.compile(
    r"^\(?(?P<ref>[ACGTU])>(?P<alt>[ACGTU])\)?.*?(?P<pos>[-+]?\d+)(?:position)?(?:ofintron\d+)?$"
)


_SIZED_INDEL = re.compile(r"(?P<pos>[-+]?\d+)\s?(?P<size>\d+)N\s?(?P<op>\S+)")
_DELETED_BASES = re.compile(r"(?P<pos>[-+]?\d+(?:/\d+)?)\s?\(-(?P<bases>[ACGTU]+)\)")


def normalize_dna(mention: str) -> str:
    """Compact HGVS-like form of a DNA change: `c.` added when no prefix is written.

    `677 C-->T` and `C677T` give `c.677C>T`; `c.G1714C` gives `c.1714G>C`; `IVS2 + 1G>A`
    gives `IVS2+1G>A`; `C-->T transition at nucleotide 677` gives `c.677C>T`; the legacy
    `-652 6N del` (six bases deleted) gives `c.-652del6`, `-611 (-T)` gives `c.-611delT`.
    """
    sized = _SIZED_INDEL.fullmatch(mention.strip())
    if sized:
        return f"c.{sized['pos']}{sized['op']}{sized['size']}"
    deleted = _DELETED_BASES.fullmatch(mention.strip())
    if deleted:
        return f"c.{deleted['pos']}del{deleted['bases']}"
    compact = re.sub(r"\s+", "", _ARROW.sub(">", mention.strip()))
    compact = re.sub(r"\(([ACGTUacgtu]{2,}>[ACGTUacgtu]+)\)", r"\1", compact)
    compact = re.sub(r"\((?=[ACGTUacgtu]>)|(?<=>[ACGTUacgtu])\)", "", compact)
    if not any(char.isdigit() for char in compact):
        return compact
    if compact.upper().startswith("IVS"):
        return compact[:3].upper() + compact[3:].upper().replace("DEL", "del")
    prefix = "c."
    head = re.match(r"^([cgmnr])\.?(?=[\d*\-?(ACGTU])", compact)
    if head:
        prefix, compact = head.group(1) + ".", compact[head.end() :]
    letters = re.match(r"^(?P<ref>[ACGTU])(?P<pos>[-*]?\d+)(?P<alt>[ACGTU])$", compact)
    if letters:
        return f"{prefix}{letters['pos']}{letters['ref']}>{letters['alt']}"
    described = _DESCRIBED.match(
        re.sub(r"(substitution|transition|transversion|at|the|nucleotide|cDNAbase|base)", "", compact)
    )
    if described and not compact[0].isdigit():
        return f"{prefix}{described['pos']}{described['ref']}>{described['alt']}"
    return prefix + compact


_RESTATEMENT_GAP = re.compile(r"\s?[(\[/;,]\s?")


def restatements(text: str, variants: Sequence[Variant]) -> dict[int, int]:
    """Variants that restate the one before them at the other level: `c.848G>A (p.Arg283His)`,
    `c.1714G>C/p.A572P`, `c.3G>A, p.M1I`. Maps the index of the restating variant to the index it restates."""
    found: dict[int, int] = {}
    for index in range(1, len(variants)):
        first, second = variants[index - 1], variants[index]
        if {first.type, second.type} == {"dna", "protein"} and _RESTATEMENT_GAP.fullmatch(
            text[first.end : second.start]
        ):
            found[index] = index - 1
    return found


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def find_variants(text: str) -> list[Variant]:
    """Every variant mention of `text`, in order, non-overlapping (leftmost-longest).

    Look-alike characters (unicode minus, non-breaking space) are read as their ASCII forms;
    offsets still refer to `text`.
    """
    grammar = _grammar()
    text = text.translate(character_table())
    abbreviations = _abbreviations(text)
    folded = fold(text)
    candidates: list[tuple[int, int, int, _Compiled]] = []
    uncued: list[tuple[int, int, int, _Compiled]] = []
    for order, compiled in enumerate(grammar.rules):
        for match in compiled.regex.finditer(text, folded):
            start, end = _trim(text, match.start(), match.end())
            if end <= start or text[start:end] in abbreviations:
                continue
            verdict = _guard(grammar, compiled.rule, text, start, end)
            if verdict:
                candidates.append((start, -end, order, compiled))
            elif verdict is None:
                uncued.append((start, -end, order, compiled))
    # A mention whose change cue is written at another of its mentions ("prothrombin-Edmonton
    # (R-4Q)" in a title, "point mutation (R-4Q)" below) is the same change.
    cued = {text[start:-neg_end] for start, neg_end, _, _ in candidates}
    candidates.extend(item for item in uncued if text[item[0] : -item[1]] in cued)
    candidates.sort(key=lambda item: (item[0], item[1], item[2]))
    variants: list[Variant] = []
    last_end = -1
    for start, neg_end, _, compiled in candidates:
        end = -neg_end
        if start < last_end:
            continue
        variant = _make(grammar, compiled, text, start, end)
        if variant is None:
            continue
        variants.append(variant)
        last_end = end
        if compiled.rule.coordinated:
            more = _coordinated(grammar, text, variant)
            variants.extend(more)
            last_end = max([last_end] + [extra.end for extra in more])
    return _one_level_per_mention(text, variants)


def _one_level_per_mention(text: str, variants: list[Variant]) -> list[Variant]:
    """A bare `C260T` read as DNA once is DNA throughout the document: the cue that decides it
    (`C260T (p.T87M)`, `C260T, leading to ...`) is usually written at one mention only."""
    dna = {
        text[v.start : v.end]
        for v in variants
        if v.type == "dna" and _BASE_CHANGE.fullmatch(text[v.start : v.end])
    }
    return [
        Variant(v.start, v.end, normalize_dna(text[v.start : v.end]), "dna")
        if v.type == "protein" and text[v.start : v.end] in dna
        else v
        for v in variants
    ]


_SLASH_RESIDUE = re.compile(r"/(?P<aa>[ACDEFGHIKLMNPQRSTVWY])(?![\w])")
"""One further one-letter mutant of the same residue: "D816A/F/H", "R882H/C"."""


def _coordinated(grammar: _Grammar, text: str, variant: Variant) -> list[Variant]:
    """The further mutants of "Trp-64 to Phe or Tyr" / "Ala16 > Cys, Thr and Met" / "D816A/F/H",
    one per residue."""
    head = re.fullmatch(r"p\.([A-Z*])(\d+)[A-Z*]", variant.norm)
    if head is None:
        return []
    if re.fullmatch(r"[A-Z]\d+[A-Z]", text[variant.start : variant.end]):
        found_one: list[Variant] = []
        position = variant.end
        while len(found_one) < 20 and (match := _SLASH_RESIDUE.match(text, position)):
            found_one.append(
                Variant(
                    match.start("aa"),
                    match.end("aa"),
                    f"p.{head.group(1)}{head.group(2)}{match.group('aa')}",
                    "protein",
                )
            )
            position = match.end()
        return found_one
    found: list[Variant] = []
    position = variant.end
    while len(found) < 20:
        match = grammar.coordinated.match(text, position)
        if match is None:
            break
        residue = grammar.to_one.get(match.group("aa").lower())
        if residue is None:
            break
        found.append(
            Variant(
                match.start("aa"), match.end("aa"), f"p.{head.group(1)}{head.group(2)}{residue}", "protein"
            )
        )
        position = match.end()
    return found


_ABBREVIATION = re.compile(r"\(([A-Za-z][A-Za-z0-9]{1,9})\)")


def _abbreviations(text: str) -> frozenset[str]:
    """Short forms defined in the text ("type 2 diabetes (T2D)") whose long form names no change.

    A Schwartz-Hearst-style match: the short form's characters are found, right to left, in the
    words before the parenthesis, the first one at a word start.
    """
    grammar = _grammar()
    found: set[str] = set()
    for match in _ABBREVIATION.finditer(text):
        short = match.group(1)
        window = text[max(0, match.start() - 10 * len(short) - 20) : match.start()].rstrip()
        words = window.split()[-(len(short) + 4) :]
        long_form = " ".join(words)
        if _matches_long_form(short.lower(), long_form.lower()) and not (
            grammar.mutation_cue.search(long_form) or grammar.residue.search(long_form)
        ):
            found.add(short)
    return frozenset(found)


def _matches_long_form(short: str, long_form: str) -> bool:
    s_index, l_index = len(short) - 1, len(long_form) - 1
    while s_index >= 0:
        char = short[s_index]
        while l_index >= 0 and (
            long_form[l_index] != char or (s_index == 0 and l_index > 0 and long_form[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return False
        s_index -= 1
        l_index -= 1
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing spaces and separators (not the `-` of an indel allele `AGCT/-`), and a
    parenthesis the span does not open."""
    while end > start and text[end - 1] in " \t\n,;-" and text[end - 2 : end] != "/-":
        end -= 1
    span = text[start:end]
    if span.endswith(")") and span.count(")") > span.count("("):
        end -= 1
    if span.startswith("(") and span.count("(") > span.count(")"):
        start += 1
    return start, end


_ALLELE_LETTERS = re.compile(r"[ACGTU]")
_GENOTYPE_AFTER = re.compile(r"\s*genotype")
_RS_BEFORE = re.compile(r"rs\d+\s?[:,(]\s?$")
_RS_AFTER = re.compile(r"\s?\(\s?rs\d+")
_ONE_LETTER_POSITION = re.compile(r"[A-Z](-?\d+)")
_SYNONYMOUS = re.compile(r"p\.([A-Z])\d+\1")
_DELTA_RESIDUE = re.compile(r"([A-Z])(\d+)$")
_BASE_CHANGE = re.compile(r"(?:p\.)?([ACGTU])\d+([ACGTU])")


def _near(
    pattern: re.Pattern[str], text: str, start: int, end: int, before: int = _WINDOW, after: int = _WINDOW
) -> int:
    return len(pattern.findall(text, max(0, start - before), start)) + len(
        pattern.findall(text, end, end + after)
    )


def _guard(grammar: _Grammar, rule: Rule, text: str, start: int, end: int) -> bool | None:
    """Whether the candidate may be a variant; None when only a change cue near it is missing."""
    span = text[start:end]
    if rule.guard == "allele_cue":
        alleles = _ALLELE_LETTERS.findall(span)
        if (len(alleles) == 2 and alleles[0] == alleles[1]) or _GENOTYPE_AFTER.match(text[end : end + 12]):
            return False
        after = grammar.allele_cue.search(text[end : end + 40])
        rs_before = _RS_BEFORE.search(text[max(0, start - 20) : start])
        return bool(after or rs_before or _RS_AFTER.match(text, end))
    if rule.guard == "one_letter":
        bare = span.removeprefix("p.").strip()
        if bare in grammar.not_variants or grammar.not_before.search(text, max(0, start - 20), start):
            return False
        position = _ONE_LETTER_POSITION.match(bare)
        glued = start > 0 and text[start - 1].isalnum()
        if position and (len(position.group(1)) == 1 or position.group(1).startswith("-")):
            # Short and negative positions ("Q3W", "H-2D") are names as often as changes.
            if glued:
                return False
            return True if _near(grammar.mutation_cue, text, start, end) > 0 else None
    if rule.form == "protein" and not span.startswith("p.") and _is_synonymous(span):
        return _near(grammar.synonymous_cue, text, start, end) > 0
    return True


def _is_synonymous(span: str) -> bool:
    """`L809L`, `Met326Met`: a written-out unchanged residue, usually a genotype unless called silent."""
    norm = normalize_protein(span)
    return bool(norm and _SYNONYMOUS.fullmatch(norm))


def _make(grammar: _Grammar, compiled: _Compiled, text: str, start: int, end: int) -> Variant | None:
    rule = compiled.rule
    span = text[start:end]
    kind: VariantType = rule.type
    if rule.form == "protein_phrase":
        parts = compiled.regex.regex.fullmatch(span)
        norm = normalize_protein(f"{parts['wt']} {parts['pos']} {parts['mt']}") if parts else None
        return Variant(start, end, norm, kind) if norm else None
    if rule.form in ("protein", "protein_delta"):
        if rule.name == "protein_one" and _looks_like_dna(grammar, text, start, end):
            return Variant(start, end, normalize_dna(span), "dna")
        norm = normalize_protein(span)
        if rule.form == "protein_delta":
            bare = _DELTA_RESIDUE.search(span)
            norm = f"p.{bare.group(1)}{bare.group(2)}del" if bare else None
        return Variant(start, end, norm or _compact(span), kind)
    if rule.form == "dna":
        return Variant(start, end, normalize_dna(span), kind)
    if rule.form == "allele":
        return _allele(span, start, end)
    if rule.form == "snp":
        return Variant(start, end, "rs" + re.sub(r"\D", "", span), kind)
    if rule.form == "itd":
        return Variant(start, end, "ITD", kind)
    return Variant(start, end, _compact(span), kind)


_ALLELE_ITEM = re.compile(r"[^\[\];()]+")


def _allele(span: str, start: int, end: int) -> Variant | None:
    """`c.[2376G>C;3103del]`, `c.[2376G>C];[3103del]` as written; `p.[Ser44Arg;Trp46Arg]` with
    each change in one-letter form (`p.[S44R;W46R]`). Brackets holding no position are no allele."""
    if not any(char.isdigit() for char in span):
        return None
    if not span.startswith("p."):
        return Variant(start, end, _compact(span), "dna")
    items = []
    for item in _ALLELE_ITEM.finditer(span[2:]):
        norm = normalize_protein(item.group())
        if norm is None:
            return None
        items.append((item.span(), norm.removeprefix("p.")))
    body = span[2:]
    for (item_start, item_end), norm in reversed(items):
        body = body[:item_start] + norm + body[item_end:]
    return Variant(start, end, "p." + body, "protein")


_PROTEIN_AFTER = re.compile(r"\s?[(\[/]\s?p\.")
_CONSEQUENCE_AFTER = re.compile(
    r"[^.;]{0,40}?\b(?:lead(?:s|ing)?|led|result(?:s|ed|ing)?|caus(?:es|ed|ing)|predicted\sto\sresult)"
    r"\s(?:(?:to|in)\s)?"
    r"(?:an?\s|the\s)?(?:amino\sacid|substitution|missense|[A-Z][a-z]{2}\d+[A-Z][a-z]{2}|[A-Z]\d+[A-Z])"
)
"""`C417T, leading to amino acid substitution (R124C)`: what leads to an amino-acid change is a DNA change."""


def _looks_like_dna(grammar: _Grammar, text: str, start: int, end: int) -> bool:
    """`C677T` is a nucleotide change when both letters are bases and the context speaks of DNA, the
    protein change follows it (`T10191C (p.S45P)`, `C417T, leading to ... (R124C)`), or the position
    has five digits, beyond all but the longest proteins (`T1270533G`, mtDNA `A11470C`)."""
    match = _BASE_CHANGE.fullmatch(text[start:end])
    if match is None or text[start:end].startswith("p."):
        return False
    position = text[start + 1 : end - 1]
    if (
        len(position) >= 5
        or _PROTEIN_AFTER.match(text, end)
        or _CONSEQUENCE_AFTER.match(text, end, end + 120)
    ):
        return True
    dna = _near(grammar.dna_cue, text, start, end, 120, 120)
    protein = _near(grammar.protein_cue, text, start, end, 120, 120)
    return dna > protein
