"""ISCN karyotypes: found in running text, parsed into clones, and reduced to the guide's findings.

One recursive-descent reader serves both jobs. `find_karyotypes` starts it wherever a chromosome
number is followed by a sex complement (`46,XY`, `45~48<2n>,X`, `47,idem`) and lets it read as
far as the notation goes, item by item (`,` items, `/` clones, `[20]` counts, `.ish` FISH), so
the span ends where the karyotype ends, not at the sentence's full stop nor at a space inside
the notation. In that lenient mode an item the grammar does not know but that looks like
notation (parentheses, no words) is kept, so a karyotype is never cut or dropped; in strict
mode (`parse_karyotype`) such an item raises `IscnError`. Every step matches a bounded pattern
at the current position and never backtracks over items, so time is linear in the text.

The vocabulary (rearrangement abbreviations, prose equivalents, ploidy classes) lives in
`patterns/iscn.json`; look-alike characters (unicode minus, `∼`) in `patterns/characters.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from extractor.parsers.lexicon import Strict, character_table
from extractor.patterns import load_json


class IscnError(ValueError):
    """A string that is not a karyotype this grammar can read; the message says where it fails."""


@dataclass
class Abnormality:
    """One item of a clone: a numerical change (`gain`/`loss`), a marker, or a rearrangement.

    `chromosomes` and `breakpoints` are aligned (`t(9;22)(q34;q11)` gives `["9", "22"]` and
    `["q34", "q11"]`); `parts` holds the rearrangements a derivative comes from
    (`der(22)t(9;22)(q34;q11)`); `sign` is `+`/`-` for a gained or lost structural chromosome.
    """

    type: str
    chromosomes: list[str]
    breakpoints: list[str]
    raw: str
    sign: str | None = None
    copies: int | None = None
    uncertain: bool = False
    constitutional: bool = False
    parts: list[Abnormality] = field(default_factory=list)


@dataclass
class Clone:
    """One clone (or the single cell line) of a karyotype."""

    modal: int | None
    modal_range: tuple[int, int] | None
    ploidy_note: str | None
    sex: str | None
    cells: int | None
    composite: bool
    abnormalities: list[Abnormality]
    inherits: str | None = None
    """`idem`, `sl`, `sdl1`...: the clone carries the abnormalities of that earlier clone too."""
    fish: list[Abnormality] = field(default_factory=list)
    """Abnormalities read from the `.ish`/`nuc ish` part that the grammar could parse."""
    fish_raw: str | None = None
    raw: str = ""


@dataclass
class Karyotype:
    """A whole karyotype: its clones in written order (stemline first) and the string read."""

    clones: list[Clone]
    raw: str = ""


class _Rearrangement(Strict):
    abbr: str
    prose: list[str]
    finding: Literal["arm", "chromosomes", "gain_arm"]


class _PloidyClass(Strict):
    finding: str
    min: int
    max: int


class _BreakpointFinding(Strict):
    chromosome: str
    band: str
    finding: str


class _IscnPatterns(Strict):
    rearrangements: list[_Rearrangement]
    markers: list[str]
    aliases: dict[str, str]
    """Spellings real reports use for an abbreviation (`iso(21)` for `i(21)`, `+mars` for `+mar`)."""
    heteromorphisms: list[str]
    """Variant suffixes of the older short form (`9qh+`, `15pstk+`): normal variants, not abnormalities."""
    inherited: list[str]
    suffixes: list[str]
    notation_words: list[str]
    """Words that may appear in notation glued to an item (`der(7)(t:7;12)` read past): anything else
    spelled out is running text."""
    ploidy_classes: list[_PloidyClass]
    alternatives: list[str]
    """Words between two readings of one item (`add(11)(q23) or del(11)(q23)`): both are kept."""
    complex_min: int
    breakpoint_findings: list[_BreakpointFinding]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s?") for word in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Lexicon:
    data: _IscnPatterns
    findings_form: dict[str, str]
    prose_to_abbr: dict[str, str]
    keyword: re.Pattern[str]
    prose_keyword: re.Pattern[str]
    marker: re.Pattern[str]
    inherit: re.Pattern[str]
    suffix: re.Pattern[str]
    start: re.Pattern[str]
    clone_start: re.Pattern[str]
    numeric: re.Pattern[str]
    short_form: re.Pattern[str]
    alternative: re.Pattern[str]
    notation_words: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = load_json("iscn.json", _IscnPatterns)
    prose_to_abbr = {word.lower(): item.abbr for item in data.rearrangements for word in item.prose}
    inherited = _alternation(data.inherited)
    aliased = [alias for alias, target in data.aliases.items() if target not in data.markers]
    structural = [item.abbr for item in data.rearrangements] + aliased
    markers = data.markers + [alias for alias, target in data.aliases.items() if target in data.markers]
    # A chromosome count (or range, or `<2n>` note) then the sex chromosomes (`XY`, `Xc`, lower-case
    # `xy`) or `idem`/`sl`; the comma may be missing before sex chromosomes that a comma or a cell
    # count follows (`46-47 XY, +X`, `46 XX[20]`, glued `45XX,-7`).
    head = (
        rf"\??\d{{2,3}}(?:\s?[~-]\s?\d{{2,3}})?(?:\s?<[^<>\n]{{1,6}}>)?"
        rf"(?:\s?,\s?(?:[XYxy]{{1,4}}c?|{inherited})|\s?(?:[XY]{{1,4}}c?)(?=\s?[,\[]))(?!-?[a-zA-Z])"
    )
    return _Lexicon(
        data=data,
        findings_form={item.abbr.replace(" ", ""): item.finding for item in data.rearrangements},
        prose_to_abbr=prose_to_abbr,
        keyword=re.compile(rf"(?P<kw>{_alternation(structural)})(?P<q>\?)?\s?(?=\()"),
        prose_keyword=re.compile(rf"(?P<kw>{_alternation(list(prose_to_abbr))})\b", re.IGNORECASE),
        marker=re.compile(
            rf"(?:(?P<n>\d{{1,2}})(?:[~-](?P<n2>\d{{1,2}}))?)?(?P<kind>{_alternation(markers)})(?P<id>\d{{0,2}})(?:(?![\w(])|(?=x\d))"
        ),
        inherit=re.compile(rf"(?P<inh>(?:{inherited})\d{{0,2}})(?:x\d)?(?![\w])"),
        suffix=re.compile(
            rf"(?:x\s?(?P<x>\d{{1,2}})(?:[~-]\d{{1,2}})?)?(?:\??(?P<tag>{_alternation(data.suffixes)}))?(?![A-Za-z0-9])"
        ),
        numeric=re.compile(
            rf"(?P<chr>\d{{1,2}}|[XYxy])(?=(?:x\d{{1,2}}(?:[~-]\d{{1,2}})?)?\??(?:{_alternation(data.suffixes)})?(?![\w(])(?!\.\d))"
        ),
        start=re.compile(rf"(?<![\w.,/~+])(?<![\d)\]~]-){head}"),
        clone_start=re.compile(head),
        short_form=re.compile(
            rf"(?P<chr>\d{{1,2}}|X|Y)(?P<arm>[pq])(?P<band>\d{{1,2}}(?:\.\d{{1,3}})?)?(?P<h>{_alternation(data.heteromorphisms)})?(?P<change>[+\-])(?![\w(])"
        ),
        alternative=re.compile(rf"[ \t]{{1,2}}(?:{_alternation(data.alternatives)})[ \t]{{1,2}}"),
        notation_words=frozenset(word.lower() for word in data.notation_words),
    )


DIPLOID = 46
"""The chromosome number of a normal human cell: a clone with any other count is abnormal."""

_WS = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?")
_MODAL = re.compile(
    r"\??(?P<n>\d{1,3})(?:\s?~\s?(?P<n2>\d{1,3})|-(?P<n3>\d{1,3}))?(?:\s?<\s?(?P<ploidy>\d?n)\s?[+\-±]{0,2}\s?>)?"
)
_SEX = re.compile(r"(?P<sex>[XY]{1,4}|[xy]{1,4}|X\?|\?)(?P<c>c)?(?![A-Za-z0-9])(?!-[A-Za-z])")
_CELLS = re.compile(r"[\[{]\s?(?P<cp>cp)?\s?(?P<n>\d{1,4})(?:\s?/\s?\d{1,4})?\s?(?:[\]}]|\[(?![\dc]))")
"""`[20]`, `[cp20]`, `[180/200]`; also the misprints `{cp20}`, `[cp5}` and `[8[`."""
_CHROM = r"\??(?:\d{1,2}|X|Y|\?)(?:[pq](?:ter|\d{1,2}(?:\.\d{1,3})?)?)?"
_CHROMS = re.compile(rf"\s?(?P<c>{_CHROM}(?:\s?[;:]\s?{_CHROM})*)\s?")
_BAND = (
    r"(?:\??(?:[pq](?:ter|\??\d(?:\??\d)?\??(?:\.\d{1,3})?\??)?|cen|\d{1,2}(?:\.\d{1,3})?)"
    r"(?:[~-](?:[pq]?\d{1,2}(?:\.\d{1,3})?))?|\?)"
)
"""One band: `q22`, `q11.2`, `pter`, `cen`, uncertain `?q21`/`q?28`/`p1?2`/`q2?`, a range `p13~p15` or
`q11.2-13.1`; an arm-less `21` is read only beside a band that has its arm (`(q13;21)`)."""
_BANDS = re.compile(rf"\s?(?P<b>{_BAND}+(?:\s?[;:]\s?{_BAND}+)*)\s?", re.IGNORECASE)
_ARM = re.compile(r"[pq]|cen|ter", re.IGNORECASE)
_DETAILED = re.compile(r"[\dXYpqtercn?.:;~\s→>\-]{3,158}")
"""The detailed form's breakpoints, `(9pter→9q22::22q13→22qter;22pter→22q13::9q22→9qter)`."""
_PAIR_SEPARATOR = re.compile(r"[;:]")
"""`;` separates the chromosomes and bands of a rearrangement; `:` is the common misprint of it."""
_PAREN = re.compile(r"\(\s?(?P<in>[^()\[\]]{1,160}?)\s?\)")
_OPEN_PAREN = re.compile(r"\(\s?(?P<in>[^()\[\]\n]{1,60}?)\s?(?=\[)")
"""A band list whose `)` was never typed before the cell count: `t(9;22)(q34;q11.2[4]`."""
_JUNK = re.compile(r"[(?`{][^\s,\[\]/]{0,80}")
"""Notation the grammar cannot read glued to an item (`der(7)(t:7;12)`, a stray `?`): kept, read past."""
_JUNK_MARK = re.compile(r"[;:`]")
"""Glued text is read past only when it has a mark of notation (`;`, `:`, a backtick) or is a lone
`?`: `(t:7;12)` is notation, `(p190)` or `(20/20` in running text is not."""
_BARE = re.compile(r"[+\-?]?[A-Za-z0-9?]{1,8}(?=\s?[,\[/])")
"""An item with no sign nor parentheses (`15`, `Y`) between commas: kept, not a finding."""
_WORDS = re.compile(r"[A-Za-z]{3,}")
_PROSE_CHROM = re.compile(r"\s?(?P<chr>\d{1,2}|X|Y)\s?(?=\()")
_FALLBACK = re.compile(r"[+\-?]?\s?[A-Za-z0-9?]{0,8}(?:\s?\([^()\[\]\n]{1,80}\)[A-Za-z0-9?]{0,4}){1,4}")
_FISH_START = re.compile(r"\s?/?[.;,]?\s?(?P<nuc>nuc\s?)?ish(?=[\s(,])\s?,?\s?")
_FISH_ITEM = re.compile(
    r"[+\-]?(?:[A-Za-z0-9'’.]{0,24}(?:\s?\([^()\[\]\n]{1,160}\)(?:x\d{1,2}(?:~\d{1,2})?(?:\sor\s\d{1,2})?)?){1,6}){1,4}(?:\s?\[[^\[\]\n]{1,20}\])?"
)


# The short forms of older karyotypes (`_Lexicon.short_form`): `5q-` (a deletion), `14q+` (added
# material), `9qh+` or `15pstk+` (a heteromorphism: a normal variant, not an abnormality).
_NOT_ABNORMAL = frozenset({"inc", "unparsed", "heteromorphism"})

_CLONE_SEPARATOR = re.compile(r"/{1,2}")
_INCOMPLETE = re.compile(r"inc(?![\w])")
_SIGN = re.compile(r"(?P<sign>[+\-])?\s?(?P<q>\?)?\s?")
_FISH_SEPARATOR = re.compile(r"\s?[,/]\s?")
_ALTERNATIVE_NUMBER = re.compile(r"(?P<chr>1\d|2[0-2]|[1-9]|X|Y)(?=\s?[,\[/])")
"""The unsigned second reading of a gain or loss (`+14 or 18,`)."""


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


class _Reader:
    """Reads one karyotype from `pos`; `strict` refuses items outside the grammar.

    In lenient mode the reader also takes the misprints of real reports, each bounded and read
    past rather than ending the karyotype: a later clone written without its sex chromosomes
    (`/46,+8,-17[3]`), a `)` never typed before the cell count, a cell count after an item
    (`-7[18],+8[17]`), an unsigned item (`, 15,`), or notation glued to an item
    (`der(7)(t:7;12)`); what it cannot read is kept as `unparsed`.
    """

    def __init__(self, text: str, strict: bool) -> None:
        self.text = text
        self.strict = strict
        self.lex = _lexicon()

    def karyotype(self, pos: int) -> tuple[Karyotype, int] | None:
        first = self.clone(pos, first=True)
        if first is None:
            return None
        clones = [first[0]]
        end = first[1]
        while True:
            separator = _CLONE_SEPARATOR.match(self.text, _skip(self.text, end))
            if separator is None:
                break
            following = self.clone(_skip(self.text, separator.end()), first=False)
            if following is None:
                break
            clones.append(following[0])
            end = following[1]
        return Karyotype(clones, raw=self.text[pos:end]), end

    def _head(self, modal: re.Match[str], first: bool) -> int | None:
        """Where the sex chromosomes (or `idem`) start after the count `modal`, if the notation goes on."""
        text = self.text
        after = _skip(text, modal.end())
        if text.startswith(",", after):
            return _skip(text, after + 1)
        glued = after == modal.end() and text.startswith(("X", "Y"), after)
        sex = _SEX.match(text, after) if after > modal.end() or glued else None
        if sex and text.startswith((",", "["), _skip(text, sex.end())):
            return after  # `46-47 XY, +X`, `45XX,-7`: the comma left out
        if not first and self.lex.inherit.match(text, modal.end()):
            return modal.end()  # `48idem`
        return None

    def clone(self, pos: int, first: bool) -> tuple[Clone, int] | None:
        text = self.text
        modal = _MODAL.match(text, pos)
        clone = Clone(None, None, None, None, None, False, [])
        end = pos
        head = self._head(modal, first) if modal else None
        if modal and head is not None:
            sex = _SEX.match(text, head)
            inherit = self.lex.inherit.match(text, head)
            sexless = (
                sex is None
                and inherit is None
                and not first
                and not self.strict
                and text.startswith(",", _skip(text, modal.end()))
                and self.item(head) is not None
            )
            if sex is None and inherit is None and not sexless:
                return None
            low, high = int(modal["n"]), modal["n2"] or modal["n3"]
            clone.modal = low if high is None else None
            clone.modal_range = (low, int(high)) if high is not None else None
            clone.ploidy_note = f"<{modal['ploidy']}>" if modal["ploidy"] else None
            if inherit:
                clone.inherits = inherit["inh"]
                end = inherit.end()
            elif sex:
                clone.sex = sex["sex"].upper()
                end = sex.end()
            else:
                end = modal.end()  # `/88~99,del(6)x2[cp4]`: a later clone without its sex chromosomes
        elif not first and (inherit := self.lex.inherit.match(text, pos)):
            clone.inherits = inherit["inh"]
            end = inherit.end()
        else:
            return None
        end = self.items(clone, end)
        for _ in range(3):  # `+mar[13][cp20]`: an item's own count, then the clone's
            cells = _CELLS.match(text, _skip(text, end))
            if cells is None:
                break
            clone.cells = int(cells["n"])
            clone.composite = clone.composite or bool(cells["cp"])
            end = cells.end()
        end = self.fish(clone, end)
        clone.raw = text[pos:end]
        return clone, end

    def items(self, clone: Clone, end: int) -> int:
        text = self.text
        while True:
            comma = _skip(text, end)
            if text.startswith(",", comma):
                start = _skip(text, comma + 1)
                inherit = self.lex.inherit.match(text, start)
                if inherit and clone.inherits is None and not clone.abnormalities:
                    clone.inherits = inherit["inh"]
                    end = inherit.end()
                    continue
                parsed = self.item_or_kept(start)
            elif other := self.alternative(clone, end):
                parsed = other
            elif comma == end and text.startswith(("+", "-"), end):
                parsed = self.item(end)  # `XX+8`, `idem+13`, `+8+8`: the comma left out
            elif not self.strict and comma == end and (junk := self.junk(end)):
                parsed = junk
            elif not self.strict and (cells := _CELLS.match(text, comma)) and self.item_follows(cells.end()):
                end = cells.end()  # `add(X)(q22)[7],Y[4],-7[18]`: a count after each item
                continue
            else:
                return end
            if parsed is None:
                return end
            clone.abnormalities.append(parsed[0])
            end = parsed[1]

    def alternative(self, clone: Clone, end: int) -> tuple[Abnormality, int] | None:
        """The other reading after `or` (`add(11)(q23) or del(11)(q23)`, `+14 or 18` with the sign
        left out); a following karyotype or prose is not a reading."""
        text = self.text
        word = self.lex.alternative.match(text, end)
        if (
            word is None
            or not clone.abnormalities
            or self.lex.clone_start.match(text, word.end())
            or self.lex.prose_keyword.match(text, word.end())
        ):
            return None
        parsed = self.item(word.end())
        previous = clone.abnormalities[-1]
        numeric = _ALTERNATIVE_NUMBER.match(text, word.end())
        if parsed is None and previous.type in ("gain", "loss") and numeric:
            return Abnormality(previous.type, [numeric["chr"]], [], numeric.group()), numeric.end()
        return parsed

    def item_or_kept(self, start: int) -> tuple[Abnormality, int] | None:
        """The item at `start`; in lenient mode, else a look-alike of notation kept as `unparsed`."""
        text = self.text
        parsed = self.item(start)
        if (
            parsed is not None
            or self.strict
            or _FISH_START.match(text, start)
            or self.lex.clone_start.match(text, start)
        ):
            return parsed
        kept = _FALLBACK.match(text, start) or _BARE.match(text, start)
        if kept is None or _WORDS.search(kept.group()):
            return None
        return Abnormality("unparsed", [], [], text[start : kept.end()]), kept.end()

    def item_follows(self, pos: int) -> bool:
        """Whether a comma and one more item follow `pos` (a cell count is then an item's own)."""
        text = self.text
        return (
            text.startswith(",", pos)
            and not text[pos + 1 : pos + 2].isspace()
            and self.item_or_kept(pos + 1) is not None
        )

    def junk(self, pos: int) -> tuple[Abnormality, int] | None:
        """Notation glued to the previous item that the grammar cannot read, kept as `unparsed`."""
        match = _JUNK.match(self.text, pos)
        if (
            match is None
            or not (
                _JUNK_MARK.search(match.group())
                or (match.group() == "?" and self.text.startswith(",", match.end()))
            )
            or any(word.lower() not in self.lex.notation_words for word in _WORDS.findall(match.group()))
        ):
            return None
        return Abnormality("unparsed", [], [], match.group()), match.end()

    def item(self, pos: int) -> tuple[Abnormality, int] | None:
        """One abnormality at `pos` (numerical, marker, structural or prose structural)."""
        text = self.text
        if _INCOMPLETE.match(text, pos):
            return Abnormality("inc", [], [], "inc"), pos + 3
        sign_match = _SIGN.match(text, pos)
        if sign_match is None:
            return None
        sign, uncertain, body = sign_match["sign"], bool(sign_match["q"]), sign_match.end()
        result: tuple[Abnormality, int] | None = None
        marker = self.lex.marker.match(text, body)
        numeric = self.lex.numeric.match(text, body)
        if marker:
            count = int(marker["n"]) if marker["n"] else None
            kind = self.lex.data.aliases.get(marker["kind"], marker["kind"])
            result = Abnormality(kind, [], [], "", sign=sign, copies=count), marker.end()
        elif numeric and sign:
            kind = "gain" if sign == "+" else "loss"
            result = Abnormality(kind, [numeric["chr"].upper()], [], ""), numeric.end()
        elif sign is None and (short := self.lex.short_form.match(text, body)):
            kind = "heteromorphism" if short["h"] else "del" if short["change"] == "-" else "add"
            result = (
                Abnormality(kind, [short["chr"]], [short["arm"] + (short["band"] or "")], ""),
                short.end(),
            )
        else:
            chain = self.structural_chain(body)
            if chain is not None:
                chain[0].sign = sign
                result = chain
        if result is None:
            return None
        abnormality, end = result
        suffix = self.lex.suffix.match(text, end)
        if suffix and suffix.end() > end:
            abnormality.copies = int(suffix["x"]) if suffix["x"] else abnormality.copies
            abnormality.constitutional = suffix["tag"] == "c"
            end = suffix.end()
        abnormality.uncertain = uncertain
        abnormality.raw = text[pos:end]
        return abnormality, end

    def structural_chain(self, pos: int) -> tuple[Abnormality, int] | None:
        head = self.structural(pos)
        if head is None:
            return None
        abnormality, end = head
        while True:
            following = self.structural(_skip(self.text, end))
            if following is None:
                return abnormality, end
            abnormality.parts.append(following[0])
            end = following[1]

    def structural(self, pos: int) -> tuple[Abnormality, int] | None:
        """`del(7)(q22q34)`, `i(17q)`, `t(9;22)(q34;q11)`, `?inv(7)(q22q32)` inside a derivative,
        or prose `deletion 7 (q22q34)`."""
        text = self.text
        start = pos
        if text.startswith("?", pos):
            pos += 1
        keyword = self.lex.keyword.match(text, pos)
        if keyword:
            kind = "".join(keyword["kw"].split())
            kind = self.lex.data.aliases.get(kind, kind)
            chroms = _PAREN.match(text, keyword.end())
            if chroms is None or not (parsed := _CHROMS.fullmatch(chroms["in"])):
                return None
            chromosomes = [c.strip() for c in _PAIR_SEPARATOR.split(parsed["c"])]
            end = chroms.end()
        else:
            prose = self.lex.prose_keyword.match(text, pos)
            if prose is None:
                return None
            kind = self.lex.prose_to_abbr[prose["kw"].lower()]
            single = _PROSE_CHROM.match(text, prose.end())
            paren = _PAREN.match(text, _skip(text, prose.end()))
            if single:
                chromosomes, end = [single["chr"]], single.end()
            elif paren and (parsed := _CHROMS.fullmatch(paren["in"])):
                chromosomes, end = [c.strip() for c in _PAIR_SEPARATOR.split(parsed["c"])], paren.end()
            else:
                return None
        breakpoints: list[str] = []
        bands_at = _skip(text, end)
        bands = _PAREN.match(text, bands_at) or (None if self.strict else _OPEN_PAREN.match(text, bands_at))
        if bands and (read := _read_bands(bands["in"])) is not None:
            breakpoints = read
            end = bands.end()
        chromosomes, breakpoints = _split_arms(chromosomes, breakpoints)
        return Abnormality(kind, chromosomes, breakpoints, text[start:end]), end

    def fish(self, clone: Clone, end: int) -> int:
        """The FISH parts after a clone; reports chain them (`.ish ….nuc ish …`), so each is read
        in turn, and every part consumes text, which keeps the loop linear."""
        text = self.text
        fish_from = end
        items: list[str] = []
        while (start := _FISH_START.match(text, end)) is not None:
            position = start.end()
            count = len(items)
            while (item := _FISH_ITEM.match(text, position)) is not None:
                items.append(item.group())
                position = item.end()
                more = _FISH_SEPARATOR.match(text, position)
                if more is None or _FISH_ITEM.match(text, more.end()) is None:
                    break
                position = more.end()
            if len(items) == count:
                break
            end = position
        if end == fish_from:
            return end
        clone.fish_raw = text[fish_from:end].lstrip(" ./;,")
        for raw in items:
            parsed = _Reader(raw, strict=True).item(0)
            if parsed is not None:
                clone.fish.append(parsed[0])
        return end


def _read_bands(written: str) -> list[str] | None:
    """The breakpoints of a band parenthesis, one per chromosome, or None when it holds none.

    Short form `q34;q11.2` (`:` misprinted for `;`, upper-case `P13`), or the detailed form
    `9pter→9q22::22q13→22qter;…`, each piece kept as written."""
    parsed = _BANDS.fullmatch(written)
    if parsed and _ARM.search(written):
        return [b.strip().lower() for b in _PAIR_SEPARATOR.split(parsed["b"])]
    if ("::" in written or "→" in written or "->" in written) and _DETAILED.fullmatch(written):
        return [piece.strip() for piece in written.split(";")]
    return None


def _split_arms(chromosomes: list[str], breakpoints: list[str]) -> tuple[list[str], list[str]]:
    """`i(17q)` is chromosome 17 at arm q: move an arm or band written with the chromosome."""
    if breakpoints:
        return chromosomes, breakpoints
    split = [re.fullmatch(r"(\??(?:\d{1,2}|X|Y|\?))([pq].*)?", c) for c in chromosomes]
    if not any(match and match.group(2) for match in split):
        return chromosomes, breakpoints
    return [m.group(1) if m else c for m, c in zip(split, chromosomes)], [
        m.group(2) or "" if m else "" for m in split
    ]


def _normalize(text: str) -> str:
    return text.translate(character_table())


def find_karyotypes(text: str) -> list[tuple[int, int]]:
    """Character spans `[start, end)` of the whole karyotype strings in `text`, in order."""
    return [(start, end) for start, end, _ in read_karyotypes(text)]


def read_karyotypes(text: str) -> list[tuple[int, int, Karyotype]]:
    """The karyotypes of `text` with their spans, each read leniently: an item outside the grammar
    is kept as `unparsed` (`is_fully_parsed` tells), so one pass gives both span and findings."""
    normalized = _normalize(text)
    reader = _Reader(normalized, strict=False)
    found_all: list[tuple[int, int, Karyotype]] = []
    position = 0
    while True:
        start = _lexicon().start.search(normalized, position)
        if start is None:
            return found_all
        found = reader.karyotype(start.start())
        end = found[1] if found else start.end()
        if found:
            found_all.append((start.start(), end, found[0]))
        position = max(end, start.start() + 1)


def is_fully_parsed(k: Karyotype) -> bool:
    """No item of `k` was kept only as look-alike notation (`unparsed`)."""
    return not any(a.type == "unparsed" for clone in k.clones for a in clone.abnormalities)


def parse_karyotype(s: str) -> Karyotype:
    """Parse one karyotype string into clones; raise `IscnError` where the grammar fails."""
    normalized = _normalize(s).strip().rstrip(".;, ")
    if not normalized:
        raise IscnError("empty karyotype")
    found = _Reader(normalized, strict=True).karyotype(0)
    if found is None:
        raise IscnError(f"no chromosome number and sex complement at the start of {normalized[:40]!r}")
    karyotype, end = found
    rest = normalized[end:].strip()
    if rest:
        raise IscnError(f"cannot read {rest[:40]!r} at offset {end} of {normalized[:60]!r}")
    return karyotype


_ITEM_WINDOW = 600
"""Characters read for one inline abnormality: far more than any real one needs, and bounded so
that matching every candidate of a long text stays linear."""


def match_abnormality(text: str, pos: int = 0) -> tuple[Abnormality, int] | None:
    """The ISCN abnormality written at `text[pos:]` (`del(7)(q22)`, `t(9;22)(q34;q11)`,
    `+der(22)t(9;22)`), with its end offset; for inline notation in prose."""
    found = _Reader(_normalize(text[pos : pos + _ITEM_WINDOW]), strict=True).item(0)
    return (found[0], pos + found[1]) if found else None


def abnormality_findings(abnormality: Abnormality) -> list[str]:
    """The guide's short forms for one abnormality: `-7`, `+8`, `del(7q)`, `t(9;22)`, `+1q`, `11q23`."""
    lex = _lexicon()
    found: list[str] = []
    kind = abnormality.type
    chromosomes = [c.lstrip("?") or "?" for c in abnormality.chromosomes]
    if kind in ("gain", "loss"):
        found.append(("+" if kind == "gain" else "-") + chromosomes[0])
    elif kind in lex.data.markers and not chromosomes:
        found.append(f"{abnormality.sign or '+'}{kind}" if kind == "mar" else kind)
    elif kind in lex.findings_form and chromosomes:
        form = lex.findings_form[kind]
        arm = _arm(abnormality.breakpoints[0]) if abnormality.breakpoints else None
        if form == "chromosomes" or (form in ("arm", "gain_arm") and arm is None and kind != "i"):
            found.append(f"{kind}({';'.join(chromosomes)})")
        elif form == "gain_arm":
            found.append(f"+{chromosomes[0]}{arm}")
        else:
            found.append(f"{kind}({chromosomes[0]}{arm or ''})")
    for chromosome, breakpoint in zip(chromosomes, abnormality.breakpoints):
        for rule in lex.data.breakpoint_findings:
            bands = re.findall(r"[pq]\d+", breakpoint)
            if chromosome == rule.chromosome and any(band.startswith(rule.band) for band in bands):
                found.append(rule.finding)
    for part in abnormality.parts:
        found.extend(abnormality_findings(part))
    return found


def _arm(breakpoint: str) -> str | None:
    match = re.search(r"[pq]", breakpoint)
    return match.group() if match else None


def _modal_bounds(clone: Clone) -> tuple[int, int] | None:
    if clone.modal is not None:
        return clone.modal, clone.modal
    return clone.modal_range


def karyotype_findings(k: Karyotype) -> list[str]:
    """The guide's normalized findings of a parsed karyotype, in order of appearance, unique.

    Ploidy classes come from each clone's modal number (a range counts when both ends fall in
    one class); `normal-karyotype` when no clone has an abnormality or a count other than 46
    (`92,XXYY` is not normal); `complex-karyotype` when a
    clone (with what it inherits through `idem`/`sl`) has at least `complex_min` abnormalities.
    A clone of a ploidy class counts only its own structural changes: its gains and losses, and
    the stemline it doubles, are what the ploidy class already says.
    """
    lex = _lexicon()
    found: list[str] = []
    stemline: list[Abnormality] = []
    previous: list[Abnormality] = []
    any_abnormal = False
    for index, clone in enumerate(k.clones):
        ploidy = _ploidy_class(clone)
        if ploidy:
            found.append(ploidy)
        own = [a for a in clone.abnormalities if a.type not in _NOT_ABNORMAL]
        inherited = stemline if clone.inherits in ("idem", "sl") else previous if clone.inherits else []
        carried = inherited + own
        any_abnormal = (
            any_abnormal
            or bool(carried)
            or any(a.type == "unparsed" for a in clone.abnormalities)
            or _modal_bounds(clone) not in (None, (DIPLOID, DIPLOID))
        )
        for abnormality in own + clone.fish:
            found.extend(abnormality_findings(abnormality))
        counted = [a for a in own if a.type not in ("gain", "loss")] if ploidy else carried
        if len({_identity(a) for a in counted}) >= lex.data.complex_min:
            found.append("complex-karyotype")
        if index == 0:
            stemline = carried
        previous = carried
    if not any_abnormal and k.clones:
        found.insert(0, "normal-karyotype")
    return list(dict.fromkeys(found))


def _identity(abnormality: Abnormality) -> tuple[object, ...]:
    """One abnormality however often it is written: `+21,+21` is one change (tetrasomy 21) when
    counting a karyotype's complexity."""
    parts = tuple(_identity(part) for part in abnormality.parts)
    a = abnormality
    return (a.type, a.sign, tuple(a.chromosomes), tuple(a.breakpoints), parts)


def _ploidy_class(clone: Clone) -> str | None:
    bounds = _modal_bounds(clone)
    if bounds is None:
        return None
    for ploidy in _lexicon().data.ploidy_classes:
        if ploidy.min <= bounds[0] and bounds[1] <= ploidy.max:
            return ploidy.finding
    return None
