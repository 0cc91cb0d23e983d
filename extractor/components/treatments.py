"""Treatment and setting mentions (`TREATMENT`, `SETTING`) from the lexicon in `patterns/treatments.jsonl`.

Names are matched word by word over the document text rather than over spaCy
tokens, so "MEL-ASCT", "stem-cell" / "stem cell" and "alloHCT" need one entry
each, not one per tokenization: two words match when they are equal and the
characters between them are equal once spaces and hyphens are removed.
Synonyms compare case-insensitively, abbreviations ("Rd", "MP", "AC") exactly.

Beyond the lexicon, the recognizer reads the words around each name:
drugs named one after another ("lenalidomide (R), bortezomib (V), and
dexamethasone (d)") become the regimen whose components they are (VRd) when
the guide lists its acronym; a regimen followed or preceded by its drugs in
brackets ("CHOP (cyclophosphamide, ...)", "CHASE regimen (CPA, ...)") takes
them as components, including acronyms the lexicon does not know; a
transplant without a donor type ("HSCT", "post-transplantation") takes the
one the document states; a named product carries the generic name it
specifies (`specifies` in the lexicon), for the filler to merge the two; and
a setting word ("maintenance", "consolidation with") is attached to the
treatment it modifies (`patterns/settings.json`).
"""

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from collections.abc import Sequence
from itertools import accumulate, pairwise
from typing import NamedTuple, overload

from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention, doc_text
from extractor.parsers.alternation import literal_alternation
from extractor.patterns import load_json, load_jsonl
from extractor.schema import Setting, TreatmentKind


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Compose(_Strict):
    """A name built from a lead word, up to `max_middle` modifiers and a head ("allogeneic ... transplantation")."""

    lead: list[str]
    middle: list[str] = []
    head: list[str]
    max_middle: int = 6


class TreatmentEntry(_Strict):
    """One concept of the lexicon: a drug, a regimen, a transplant, radiotherapy or a cellular therapy."""

    name: str
    kind: TreatmentKind
    category: str
    synonyms: list[str] = []
    abbreviations: list[str] = []
    components: list[str] = []
    from_components: bool = False
    compose: list[Compose] = []
    resolve: list[str] = []
    specifies: str | None = None
    """The generic entry this one is a named form of ("axicabtagene ciloleucel" of "CAR-T"): the guide records
    one treatment, the product when the text names it."""


class SettingWords(_Strict):
    setting: Setting
    words: list[str]


class SettingRules(_Strict):
    description: str
    settings: list[SettingWords]
    link_words: list[str]
    comma_ok_before: list[str]
    post_link_words: list[str]


class TransplantCue(_Strict):
    name: str
    regex: str


class TreatmentContext(_Strict):
    description: str
    chain_separator: str
    chain_modifiers: list[str]
    propagation_separator: str
    regimen_words: list[str]
    acronym: str
    acronym_stoplist: list[str]
    parenthetical_merge: str
    background_cues: str
    patient_cues: str
    not_given_cues: str
    negation_overrides: str
    primary_cues: str
    onset_relation_cues: str
    secondary_turn_cues: str
    target_links: str
    onset_cues: str
    secondary_disease_words: str
    primary_disease_cues: str
    outcome_cues: str
    transplant_cues: list[TransplantCue]

    @cached_property
    def chain_gap(self) -> re.Pattern[str]:
        """What may stand between two treatments named together ("lenalidomide and low-dose
        dexamethasone"): a separator, then modifiers of the next name."""
        return re.compile(self.chain_separator + self._modifiers_tail, re.IGNORECASE)

    @cached_property
    def propagation_gap(self) -> re.Pattern[str]:
        """The same for a setting or time that reaches the next name ("maintenance with X or Y")."""
        return re.compile(self.propagation_separator + self._modifiers_tail, re.IGNORECASE)

    @property
    def _modifiers_tail(self) -> str:
        return rf"(?:(?:{literal_alternation(self.chain_modifiers, ignore_case=True)})\s+)*$"


@cache
def treatment_context() -> TreatmentContext:
    """The context rules, shared with the treatment filler."""
    return load_json("treatment_context.json", TreatmentContext)


_WORD = re.compile(r"([^\W_]+)")
"""A run of letters or digits; captured, so that `split` gives the runs and what lies between."""
_SQUASH = re.compile(r"[\s\-\u2010-\u2015]+")
_MAX_GAP = 3


def _squash(gap: str) -> str:
    return _SQUASH.sub("", gap)


class _Word(NamedTuple):
    """A run of letters or digits of the text."""

    start: int
    end: int
    text: str
    lower: str


class _Words(Sequence[_Word]):
    """The words of a text as parallel lists, split and measured in C: a document has thousands
    of words, and only the few a name or a setting is read from become `_Word`s."""

    def __init__(self, text: str) -> None:
        parts = _WORD.split(text)
        ends = list(accumulate(map(len, parts)))
        self.text: list[str] = parts[1::2]
        self.lower: list[str] = [word.lower() for word in self.text]
        self.start: list[int] = ends[0 : 2 * len(self.text) : 2]
        self.end: list[int] = ends[1::2]

    def __len__(self) -> int:
        return len(self.text)

    @overload
    def __getitem__(self, i: int) -> _Word: ...

    @overload
    def __getitem__(self, i: slice) -> list[_Word]: ...

    def __getitem__(self, i: int | slice) -> _Word | list[_Word]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return _Word(self.start[i], self.end[i], self.text[i], self.lower[i])


_CLOSING_AFTER_LAST = re.compile(r"^\s*(?:\[[^\[\]()]{1,40}\]\s*)?[\)\]]")
"""The bracket that closes a regimen's drug list, after an optional gloss of the last drug
("COMPE regimen (CDDP, VCR, MTX, PEP, VP-16 [etoposide])")."""


@dataclass(frozen=True, slots=True)
class _Phrase:
    entry: int
    words: tuple[str, ...]
    gaps: tuple[str, ...]
    exact: bool


@dataclass(slots=True)
class _Hit:
    """A treatment found in the text, before it becomes a mention."""

    start: int
    end: int
    first_word: int
    last_word: int
    name: str
    kind: str
    resolve: tuple[str, ...] = ()
    specifies: str | None = None
    components: list[str] = field(default_factory=list)
    setting: str | None = None
    setting_distance: int = 1 << 30
    absorbed: bool = False


def _phrase(entry: int, surface: str, exact: bool) -> _Phrase | None:
    parts = _Words(surface)
    if not parts:
        return None
    gaps = tuple(_squash(surface[a.end : b.start]) for a, b in pairwise(parts))
    words = tuple(p.text if exact else p.lower for p in parts)
    return _Phrase(entry, words, gaps, exact)


class PhraseIndex:
    """Lexicon phrases indexed by their first word, longest first."""

    def __init__(self, surfaces: list[tuple[int, str, bool]]) -> None:
        index: dict[str, list[_Phrase]] = {}
        for entry, surface, exact in surfaces:
            phrase = _phrase(entry, surface, exact)
            if phrase is not None:
                index.setdefault(phrase.words[0].lower(), []).append(phrase)
        for phrases in index.values():
            phrases.sort(key=lambda p: len(p.words), reverse=True)
        self.index = index

    def match(self, text: str, words: _Words, i: int) -> tuple[int, int] | None:
        """(entry, index of the last word) of the longest phrase starting at word `i`."""
        phrases = self.index.get(words[i].lower)
        if phrases is None:
            return None
        for phrase in phrases:
            n = len(phrase.words)
            if i + n > len(words):
                continue
            if all(_same(words[i + k], phrase.words[k], phrase.exact) for k in range(n)) and all(
                _gap_ok(text, words[i + k - 1], words[i + k], phrase.gaps[k - 1]) for k in range(1, n)
            ):
                return phrase.entry, i + n - 1
        return None


def _same(word: _Word, expected: str, exact: bool) -> bool:
    return word.text == expected if exact else word.lower == expected


def _gap_ok(text: str, left: _Word, right: _Word, expected: str) -> bool:
    gap = text[left.end : right.start]
    return len(gap) <= _MAX_GAP and _squash(gap) == expected


class Lexicon:
    """The treatment lexicon compiled for matching: phrases and composed names."""

    def __init__(self, entries: list[TreatmentEntry]) -> None:
        _check_families(entries)
        self.entries = entries
        surfaces = [
            (i, s, False) for i, e in enumerate(entries) for s in [e.name, *e.synonyms] if e.kind != "regimen"
        ]
        surfaces += [(i, s, False) for i, e in enumerate(entries) for s in e.synonyms if e.kind == "regimen"]
        surfaces += [(i, s, True) for i, e in enumerate(entries) for s in e.abbreviations]
        self.phrases = PhraseIndex(surfaces)
        self.compose: dict[str, list[tuple[int, Compose]]] = {}
        for i, entry in enumerate(entries):
            for rule in entry.compose:
                for lead in rule.lead:
                    self.compose.setdefault(lead.lower(), []).append((i, rule))
        self.first_words = frozenset(self.phrases.index) | frozenset(self.compose)
        self.spelled = {
            frozenset(e.components): e
            for e in entries
            if e.kind == "regimen" and e.from_components and e.components
        }

    def match(self, text: str, words: _Words, i: int) -> tuple[int, int] | None:
        """(entry, last word) of the longest name starting at word `i`, phrases and composed names alike."""
        if words[i].lower not in self.first_words:
            return None
        best = self.phrases.match(text, words, i)
        for entry, rule in self.compose.get(words[i].lower, ()):
            last = _compose_end(text, words, i, rule)
            if last is not None and (best is None or last > best[1]):
                best = (entry, last)
        return best


def _check_families(entries: list[TreatmentEntry]) -> None:
    """A `specifies` must name a generic entry of the same kind, itself specific of nothing: the filler merges
    one level only, and a misspelt generic would silently never merge."""
    by_name = {e.name: e for e in entries}
    for entry in entries:
        if entry.specifies is None:
            continue
        generic = by_name.get(entry.specifies)
        if generic is None or generic.kind != entry.kind or generic.specifies is not None:
            raise ValueError(
                f"{entry.name}: specifies {entry.specifies!r}, "
                f"which is not a generic {entry.kind} entry of the lexicon"
            )


def _compose_end(text: str, words: _Words, i: int, rule: Compose) -> int | None:
    middle = {w.lower() for w in rule.middle}
    head = {w.lower() for w in rule.head}
    j = i + 1
    while j < len(words) and j - i - 1 <= rule.max_middle and _joined(text, words[j - 1], words[j]):
        if words[j].lower in head:
            return j
        if words[j].lower not in middle:
            return None
        j += 1
    return None


def _joined(text: str, left: _Word, right: _Word) -> bool:
    gap = text[left.end : right.start]
    return len(gap) <= _MAX_GAP and _squash(gap) in ("", "/")


class TreatmentRecognizer:
    """Marks drugs, regimens, transplants, radiotherapy and cellular therapies, and their settings."""

    def __init__(self, lexicon: str, settings: str) -> None:
        self.lexicon = Lexicon(load_jsonl(lexicon, TreatmentEntry))
        rules = load_json(settings, SettingRules)
        self.settings = PhraseIndex([(i, w, False) for i, s in enumerate(rules.settings) for w in s.words])
        self.setting_names = [s.setting for s in rules.settings]
        self.link_words = frozenset(w.lower() for w in rules.link_words)
        self.post_link_words = frozenset(w.lower() for w in rules.post_link_words)
        self.comma_ok_before = frozenset(w.lower() for w in rules.comma_ok_before)
        ctx = treatment_context()
        self.chain_gap = ctx.chain_gap
        self.propagation_gap = ctx.propagation_gap
        regimen_words = "|".join(re.escape(w) for w in ctx.regimen_words)
        self.into_brackets = re.compile(rf"^\s*(?:(?:{regimen_words})\s+){{0,3}}[\(\[]\s*$", re.IGNORECASE)
        self.acronym = re.compile(ctx.acronym)
        self.stoplist = frozenset(ctx.acronym_stoplist)
        self.merge_gap = re.compile(ctx.parenthetical_merge)
        self.transplant_cues = [(c.name, re.compile(c.regex)) for c in ctx.transplant_cues]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        words = _Words(text)
        hits = self._merge_parentheticals(text, self._lexicon_hits(text, words))
        hits = self._regimens(text, words, hits)
        hits = self._resolve_transplants(text, hits)
        settings = self._settings(text, words, hits)
        for start, end, setting in settings:
            add_mention(doc, start, end, "SETTING", setting)
        for hit in hits:
            attrs: dict[str, object] = {"kind": hit.kind, "components": list(hit.components)}
            if hit.setting is not None:
                attrs["setting"] = hit.setting
            if hit.specifies is not None:
                attrs["specifies"] = hit.specifies
            add_mention(doc, hit.start, hit.end, "TREATMENT", hit.name, **attrs)
        return doc

    def _lexicon_hits(self, text: str, words: _Words) -> list[_Hit]:
        hits: list[_Hit] = []
        first_words = self.lexicon.first_words
        i = 0
        for k, word in enumerate(words.lower):
            found = self.lexicon.match(text, words, k) if k >= i and word in first_words else None
            if found is None:
                continue
            entry_index, last = found
            entry = self.lexicon.entries[entry_index]
            hits.append(
                _Hit(
                    words.start[k],
                    words.end[last],
                    k,
                    last,
                    entry.name,
                    entry.kind,
                    resolve=tuple(entry.resolve),
                    specifies=entry.specifies,
                )
            )
            i = last + 1
        return hits

    def _merge_parentheticals(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """ "autologous stem cell transplant (ASCT)", "melphalan-based ... transplant (MEL-ASCT)": a bracketed
        repeat of what was just named is the same mention."""
        kept: list[_Hit] = []
        for hit in hits:
            opening = _opening_bracket(text, hit.start)
            if opening is not None and re.match(r"^[^()\[\]]{0,12}[\)\]]", text[hit.end : hit.end + 13]):
                named = [k for k in kept if opening - 80 <= k.end <= opening]
                if any(k.name == hit.name or (hit.resolve and k.kind == "transplant") for k in named) and (
                    named and self.merge_gap.match(text[named[-1].end : opening + 1])
                ):
                    continue
            kept.append(hit)
        return kept

    def _chains(self, text: str, hits: list[_Hit]) -> list[list[_Hit]]:
        """Runs of drugs named together ("X, Y and Z", "X/Y", "X (R), Y (V), and Z (d)")."""
        chains: list[list[_Hit]] = []
        for hit in hits:
            if hit.kind != "drug":
                continue
            if (
                chains
                and chains[-1][-1] is _previous(hits, hit)
                and self.chain_gap.match(text[chains[-1][-1].end : hit.start])
            ):
                chains[-1].append(hit)
            else:
                chains.append([hit])
        return [c for c in chains if len(c) >= 2]

    def _regimens(self, text: str, words: _Words, hits: list[_Hit]) -> list[_Hit]:
        hits = hits + self._unknown_regimens(text, hits)
        hits.sort(key=lambda h: h.start)
        chains = self._chains(text, hits)
        for chain in chains:
            names = [h.name for h in chain]
            regimen = self._bracketed_owner(text, hits, chain)
            if regimen is not None:
                regimen.components = _unique(names)
                if regimen.start > chain[-1].end:
                    regimen.start, regimen.first_word = chain[0].start, chain[0].first_word
                for h in chain:
                    h.absorbed = True
                continue
            entry = self.lexicon.spelled.get(frozenset(names))
            if entry is not None:
                first, last = chain[0], chain[-1]
                merged = _Hit(
                    first.start,
                    last.end,
                    first.first_word,
                    last.last_word,
                    entry.name,
                    "regimen",
                    components=_unique(names),
                )
                for h in chain:
                    h.absorbed = True
                hits.append(merged)
        hits = [h for h in hits if not h.absorbed]
        hits += self._repeats(text, words, hits)
        hits.sort(key=lambda h: h.start)
        return hits

    def _bracketed_owner(self, text: str, hits: list[_Hit], chain: list[_Hit]) -> _Hit | None:
        """The regimen whose drugs `chain` lists in brackets, right after it or right before it."""
        before = _previous(hits, chain[0])
        if (
            before is not None
            and before.kind == "regimen"
            and self.into_brackets.match(text[before.end : chain[0].start])
            and _CLOSING_AFTER_LAST.match(text[chain[-1].end : chain[-1].end + 60])
        ):
            return before
        after = _next(hits, chain[-1])
        if after is not None and after.kind == "regimen":
            gap = text[chain[-1].end : after.start]
            if re.match(r"^\s*[\(\[]\s*$", gap) and re.match(r"^\s*[\)\]]", text[after.end : after.end + 5]):
                return after
        return None

    def _unknown_regimens(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """Acronyms the lexicon lacks, shown to be regimens by the drugs bracketed after them."""
        found: list[_Hit] = []
        starts = {h.start for h in hits}
        for m in self.acronym.finditer(text):
            name = m.group(0)
            if (
                name in self.stoplist
                or m.start() in starts
                or any(h.start <= m.start() < h.end for h in hits)
            ):
                continue
            following = [h for h in hits if h.start >= m.end()][:2]
            if len(following) < 2 or any(h.kind != "drug" for h in following):
                continue
            if not self.into_brackets.match(text[m.end() : following[0].start]):
                continue
            if not self.chain_gap.match(text[following[0].end : following[1].start]):
                continue
            found.append(_Hit(m.start(), m.end(), -1, -1, name, "regimen"))
        return found

    def _repeats(self, text: str, words: _Words, hits: list[_Hit]) -> list[_Hit]:
        """Later bare mentions of an acronym regimen learnt from its bracketed drugs ("2 courses of CHASE")."""
        learnt = {h.name for h in hits if h.kind == "regimen" and h.first_word < 0}
        if not learnt:
            return []
        taken = [(h.start, h.end) for h in hits]
        out: list[_Hit] = []
        for i, word in enumerate(words.text):
            if word in learnt and not any(s <= words.start[i] < e for s, e in taken):
                out.append(_Hit(words.start[i], words.end[i], i, i, word, "regimen"))
        return out

    def _resolve_transplants(self, text: str, hits: list[_Hit]) -> list[_Hit]:
        """A transplant without donor type takes the type the document states, or is dropped."""
        specific = [h for h in hits if h.kind == "transplant" and not h.resolve]
        cued = [name for name, rx in self.transplant_cues if rx.search(text)]
        kept: list[_Hit] = []
        for hit in hits:
            if hit.resolve:
                earlier = [h.name for h in specific if h.start < hit.start and h.name in hit.resolve]
                stated = {h.name for h in specific if h.name in hit.resolve}
                candidates = (
                    earlier[-1:]
                    or (sorted(stated) if len(stated) == 1 else [])
                    or [name for name in cued if name in hit.resolve]
                )
                if not candidates:
                    continue
                hit.name = candidates[0]
            kept.append(hit)
        return kept

    def _settings(self, text: str, words: _Words, hits: list[_Hit]) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        taken = [(h.start, h.end) for h in hits]
        index_of = self.settings.index
        i = 0
        for k, word in enumerate(words.lower):
            match = self.settings.match(text, words, k) if k >= i and word in index_of else None
            if match is None or any(s <= words.start[k] < e for s, e in taken):
                continue
            index, last = match
            found.append((words.start[k], words.end[last], self.setting_names[index]))
            i = last + 1
        for start, end, setting in found:
            self._attach(text, hits, start, end, setting)
        return found

    def _attach(self, text: str, hits: list[_Hit], start: int, end: int, setting: str) -> None:
        following = next((h for h in hits if h.start >= end), None)
        if following is not None and self._linked(text[end : following.start], self.link_words):
            distance = following.start - end
            _offer(following, setting, distance)
            chained = following
            for h in hits[hits.index(following) + 1 :]:
                if not self.propagation_gap.match(text[chained.end : h.start]):
                    break
                _offer(h, setting, distance + h.start - end)
                chained = h
        preceding = next((h for h in reversed(hits) if h.end <= start), None)
        if preceding is not None and self._linked(text[preceding.end : start], self.post_link_words):
            _offer(preceding, setting, start - preceding.end)

    def _linked(self, gap: str, allowed: frozenset[str]) -> bool:
        """Whether only linking words (and a comma before "which"/"consisting") stand in `gap`."""
        if len(gap) > 80 or "\n" in gap:
            return False
        tokens = re.findall(r"[^\W_]+|[^\w\s]", gap)
        for k, token in enumerate(tokens):
            if token[0].isalnum() or token[0] == "_":
                if token.lower() not in allowed:
                    return False
            elif token == ",":
                if k + 1 >= len(tokens) or tokens[k + 1].lower() not in self.comma_ok_before:
                    return False
            elif token not in "-\u2010\u2011\u2013":
                return False
        return True


def _opening_bracket(text: str, position: int) -> int | None:
    """The bracket that opens shortly before `position` and is still open there."""
    window = text[max(0, position - 14) : position]
    index = max(window.rfind("("), window.rfind("["))
    if index < 0 or any(c in window[index + 1 :] for c in ")]"):
        return None
    return position - len(window) + index


def _offer(hit: _Hit, setting: str, distance: int) -> None:
    if distance < hit.setting_distance:
        hit.setting = setting
        hit.setting_distance = distance


def _previous(hits: list[_Hit], hit: _Hit) -> _Hit | None:
    i = hits.index(hit)
    return hits[i - 1] if i > 0 else None


def _next(hits: list[_Hit], hit: _Hit) -> _Hit | None:
    i = hits.index(hit)
    return hits[i + 1] if i + 1 < len(hits) else None


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


@Language.factory("treatments", default_config={"lexicon": "treatments.jsonl", "settings": "settings.json"})
def make_treatments(nlp: Language, name: str, lexicon: str, settings: str) -> TreatmentRecognizer:
    return TreatmentRecognizer(lexicon, settings)
