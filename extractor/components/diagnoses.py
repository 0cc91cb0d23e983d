"""Diagnosis mentions (`DIAGNOSIS`): the guide's codes in their written forms, with a role cue.

The lexicon (`patterns/diagnoses.jsonl`, one entry per code) gives names
(case-insensitive, with spelling and hyphen variants), abbreviations (case
matters: "t-ALL" is therapy-related ALL, "T-ALL" T-lineage) and secondary
abbreviations ("t-AML", "sALL"). `patterns/diagnosis_roles.json` holds the
words around a name that state its role ("therapy-related", "after ... therapy",
"history of"), negation and uncertainty, and the generic "<organ> cancer" rule
for `other:` codes. A mention's `role` here is only what its own words say
(`role_cue` tells explicit from default); the case filler decides the final
role from all mentions of a case.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.components.base import add_mention, doc_folded, doc_lowered, doc_text, mentions
from extractor.parsers.alternation import literal_alternation
from extractor.parsers.prefilter import Prefiltered
from extractor.patterns import load_json, load_jsonl

MEMO_SIZE = 4096

Role = Literal["primary", "secondary", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DiagnosisEntry(_Strict):
    """One guide code and every way the literature writes it.

    `role` is the role the code has on its own (`other` for germline syndromes, `secondary` for t-MN);
    `therapy_related` marks the diseases that are typically the secondary, therapy-related one (acute
    leukemias, MDS); `refines` names the lineage-free code a specific one refines (B-ALL refines ALL).
    `lineage_cues` are regexes for words that state this lineage without naming the disease ("the
    blasts showed a pro-B immunophenotype"): they only refine the lineage-free code of the same case.
    """

    code: str
    names: list[str]
    abbreviations: list[str]
    secondary_abbreviations: list[str]
    regexes: list[str]
    role: Role
    therapy_related: bool
    refines: str | None
    lineage: str | None
    lineage_cues: list[str] = []
    note: str | None = None


class GenericOther(_Strict):
    modifiers: list[str]
    heads: list[str]
    bare_heads: list[str]
    organs_after: list[str]
    organ_tails: list[str]
    ellipsis_heads: list[str]


class Placeholder(_Strict):
    """A code that only stands in for a more specific disease of the same case, and is dropped beside it:
    beside a secondary one of `yields_to`, or (`same_role`) one with its own role; `yields_to_words`
    also admits an `other:` code holding one of the words ("other:hodgkin lymphoma")."""

    code: str
    yields_to: list[str]
    yields_to_words: list[str]
    same_role: bool
    note: str = ""


class RoleRules(_Strict):
    description: str = ""
    separator: str
    spellings: list[tuple[str, str]]
    blockers_after: str
    uncertain_before: str
    negation_before: str
    negation_after: str
    clause_boundary: str
    secondary_before: list[str]
    secondary_link_after: str
    secondary_link_object: str
    in_survivor_after: str
    primary_before: list[str]
    primary_after: list[str]
    coordination: str
    lineage_words: list[str]
    generic_other: GenericOther
    placeholders: list[Placeholder]


@dataclass(slots=True)
class Found:
    """A candidate diagnosis span before overlaps are resolved (lower priority wins ties)."""

    start: int
    end: int
    code: str
    entry: DiagnosisEntry | None
    secondary_form: bool
    priority: int


def _abbreviation_key(written: str) -> str:
    """An abbreviation without its separators: "t‑MDS", "t-MDS" and "tMDS" are one form."""
    return re.sub(r"[\s\-‐‑‒–]+", "", written)


def phrase_regex(phrase: str, rules: RoleRules) -> str:
    """A regex for a lexicon phrase: any separator between words, spelling variants, optional final plural."""
    words = [w for w in re.split(r"[\s\-‐‑‒–]+", phrase.strip()) if w]
    parts: list[str] = []
    for word in words:
        # "leukemia/lymphoma": each side of a slash takes its own spelling variants
        parts.append("/".join(_spelled(side, rules) for side in word.split("/")))
    return f"{rules.separator}*".join(parts)


def _spelled(word: str, rules: RoleRules) -> str:
    piece = re.escape(word)
    for plain, variant in rules.spellings:
        if plain == word or (not plain.isalpha() and plain in piece):
            piece = piece.replace(re.escape(plain) if plain.isalpha() else plain, variant)
    return piece


class DiagnosisRecognizer:
    """Finds diagnoses, normalizes them to guide codes and records the role their own words state."""

    def __init__(self, lexicon: str, roles: str) -> None:
        self.entries = load_jsonl(lexicon, DiagnosisEntry)
        self.rules = load_json(roles, RoleRules)
        r = self.rules
        flags = re.IGNORECASE
        self.by_code = {e.code: e for e in self.entries}
        self._name_form = lru_cache(maxsize=MEMO_SIZE)(self._read_name_form)
        self._code_of = lru_cache(maxsize=MEMO_SIZE)(self._read_code)
        """Phrases recur from document to document, and reading one goes through the lexicon form
        by form: each phrase is read once per process."""
        self.name_res: list[tuple[DiagnosisEntry, re.Pattern[str]]] = []
        self.name_forms: list[tuple[DiagnosisEntry, re.Pattern[str]]] = []
        self.abbreviation_forms: dict[str, tuple[DiagnosisEntry, bool]] = {}
        names: list[str] = []
        abbreviations: list[str] = []
        for entry in self.entries:
            alternatives = sorted(
                {phrase_regex(n, r) for n in entry.names} | set(entry.regexes), key=len, reverse=True
            )
            if alternatives:
                self.name_res.append(
                    (entry, re.compile(rf"(?<![\w])(?:{'|'.join(alternatives)})(?![\w])", flags))
                )
            names.extend(alternatives)
            self.name_forms.extend((entry, re.compile(a)) for a in alternatives)
            for forms, secondary in ((entry.abbreviations, False), (entry.secondary_abbreviations, True)):
                for form in forms:
                    abbreviations.append(phrase_regex(form, r))
                    self.abbreviation_forms.setdefault(_abbreviation_key(form), (entry, secondary))
        self.names_re = re.compile(rf"(?<![\w])(?:{'|'.join(sorted(names, key=len, reverse=True))})(?![\w])")
        self.abbreviations_re = re.compile(
            rf"(?<![A-Za-z0-9])(?:{'|'.join(sorted(abbreviations, key=len, reverse=True))})s?(?![A-Za-z0-9])"
        )
        g = r.generic_other
        mods = literal_alternation(g.modifiers)
        heads = "|".join(sorted((phrase_regex(h, r) for h in g.heads), key=len, reverse=True))
        bare = "|".join(sorted((phrase_regex(h, r) for h in g.bare_heads), key=len, reverse=True))
        organs = literal_alternation(g.organs_after)
        tails = literal_alternation(g.organ_tails)
        of_organ = rf"(?:\s+of\s+the\s+(?:(?:left|right)\s+)?(?:{organs})(?:\s+(?:{tails}))?)?"
        self.generic_re = Prefiltered.compile(
            rf"(?<![\w\-])(?:(?:(?:{mods})[\s\-‐‑]+){{1,3}}(?:{heads})|(?:(?:{mods})[\s\-‐‑]+){{0,3}}(?:{bare})){of_organ}(?![\w])"
            rf"|(?<![\w\-])(?:{heads})\s+of\s+the\s+[a-z]+(?:\s+of\s+[a-z]+)?(?![\w])"
        )
        ellipsis_heads = "|".join(re.escape(h) for h in g.ellipsis_heads)
        self.ellipsis_re = re.compile(
            rf"(?<![\w\-])(?P<mod>{mods})\s+(?:and|or)\s+(?=(?:[a-z]+[\s\-‐‑]+){{1,2}}(?P<head>{ellipsis_heads})s?\b)"
        )
        self.blockers_after = re.compile(r.blockers_after, flags)
        self.uncertain_before = re.compile(r.uncertain_before, flags)
        self.negation_before = re.compile(r.negation_before, flags)
        self.negation_after = re.compile(r.negation_after, flags)
        self.clause_boundary = re.compile(r.clause_boundary, flags)
        self.secondary_before = [re.compile(p, flags) for p in r.secondary_before]
        self.secondary_link_after = re.compile(r.secondary_link_after, flags)
        self.secondary_link_object = re.compile(r.secondary_link_object, flags)
        self.in_survivor_after = re.compile(r.in_survivor_after, flags)
        self.primary_before = [re.compile(p, flags) for p in r.primary_before]
        self.primary_after = [re.compile(p, flags) for p in r.primary_after]
        self.coordination = re.compile(r.coordination, flags)
        self.lineage_res = [
            (entry, Prefiltered.compile("|".join(f"(?:{c})" for c in entry.lineage_cues)))
            for entry in self.entries
            if entry.lineage_cues
        ]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = self._resolve(self._candidates(doc, text))
        sentence_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        treatments = [(s.start_char, s.end_char) for s in mentions(doc, "TREATMENT")]
        roles: list[tuple[Role | None, str]] = []
        link_objects: list[tuple[int, int]] = []
        for i, f in enumerate(found):
            k = bisect_right(sentence_starts, f.start) - 1
            sent_start = sentence_starts[k] if k >= 0 else 0
            sent_end = sentence_starts[k + 1] if k + 1 < len(sentence_starts) else len(text)
            prev_end = max(sent_start, found[i - 1].end if i > 0 else 0)
            before = text[prev_end : f.start]
            after = text[f.end : sent_end]
            role, cue = self._role(f, before, after)
            if cue == "default" and any(s <= f.start < e for s, e in link_objects):
                role, cue = "primary", "explicit"
            if cue == "default" and self._links_to_therapy(
                f, after, found[i + 1 :], treatments, link_objects
            ):
                role, cue = "secondary", "explicit"
            if self._coordinated(text, found, roles, i, sent_start) and cue == "default":
                role, cue = roles[i - 1][0], "coordinated"
            roles.append((role, cue))
            attrs: dict[str, object] = {"role": role or "primary", "role_cue": cue}
            if f.entry is not None:
                attrs["therapy_related"] = f.entry.therapy_related
                if f.entry.refines:
                    attrs["refines"] = f.entry.refines
            clause = self._clause(text[sent_start : f.start])
            if self.negation_before.search(clause) or self.negation_after.match(after):
                attrs["assertion"] = "negated"
            elif self.uncertain_before.search(clause):
                attrs["assertion"] = "uncertain"
            else:
                attrs["assertion"] = "affirmed"
            add_mention(doc, f.start, f.end, "DIAGNOSIS", f.code, **attrs)
        self._lineage_cues(doc, text, doc_folded(doc), found)
        return doc

    def _lineage_cues(self, doc: Doc, text: str, folded: str, found: list[Found]) -> None:
        """Lineage stated apart from the disease name ("B lineage immunophenotype"): a `lineage_cue`
        DIAGNOSIS mention that the case filler uses only to refine a lineage-free code (ALL as B-ALL)."""
        for entry, regex in self.lineage_res:
            for m in regex.finditer(text, folded):
                if any(m.start() < f.end and f.start < m.end() for f in found):
                    continue
                add_mention(
                    doc,
                    m.start(),
                    m.end(),
                    "DIAGNOSIS",
                    entry.code,
                    role="primary",
                    role_cue="default",
                    therapy_related=entry.therapy_related,
                    refines=entry.refines,
                    lineage_cue=True,
                    assertion="affirmed",
                )

    def _coordinated(
        self, text: str, found: list[Found], roles: list[tuple[Role | None, str]], i: int, sent_start: int
    ) -> bool:
        """ "t-MDS/AML", "therapy-related MDS and AML": the role words of the first name cover the second."""
        return (
            i > 0
            and found[i - 1].end >= sent_start
            and roles[i - 1][1] != "default"
            and bool(self.coordination.match(text[found[i - 1].end : found[i].start]))
        )

    def _read_name_form(self, written: str) -> tuple[int, DiagnosisEntry] | None:
        """The first lexicon form that reads the whole of `written`, with its priority (its index)."""
        return next(
            ((i, entry) for i, (entry, form) in enumerate(self.name_forms) if form.fullmatch(written)), None
        )

    def code_of(self, text: str) -> tuple[str, bool] | None:
        """The code of a whole phrase (an abbreviation's long form), and whether it says therapy-related."""
        return self._code_of(text.strip())

    def _read_code(self, phrase: str) -> tuple[str, bool] | None:
        ends = [
            (m.start(), entry)
            for entry, regex in self.name_res
            for m in regex.finditer(phrase)
            if m.end() == len(phrase)
        ]
        if ends:
            start, entry = min(ends, key=lambda e: e[0])
            if self._only_cue_words(phrase[:start]):
                return entry.code, self._is_secondary_prefix(phrase[:start]) or entry.role == "secondary"
        m = self.generic_re.regex.search(phrase)
        if m and m.end() == len(phrase) and self._only_cue_words(phrase[: m.start()]):
            return self._other_code(m.group(0)), self._is_secondary_prefix(phrase[: m.start()])
        return None

    def _only_cue_words(self, prefix: str) -> bool:
        """A long form may start with one stray word, or with up to three role words ("therapy-related")."""
        words = len(prefix.split())
        return words <= 1 or (words <= 3 and self._is_secondary_prefix(prefix))

    def _is_secondary_prefix(self, prefix: str) -> bool:
        return any(p.search(prefix + " ") for p in self.secondary_before)

    def _other_code(self, written: str) -> str:
        return "other:" + re.sub(r"[\s\-‐‑‒–]+", " ", written.lower()).strip()

    def _candidates(self, doc: Doc, text: str) -> list[Found]:
        lowered = doc_lowered(doc)
        out: list[Found] = []
        for m in self.names_re.finditer(lowered):
            form = self._name_form(m.group())
            if form is not None:
                out.append(Found(m.start(), m.end(), form[1].code, form[1], False, form[0]))
        for m in self.abbreviations_re.finditer(text):
            key = _abbreviation_key(m.group())
            known = self.abbreviation_forms.get(key) or self.abbreviation_forms.get(key[:-1])
            if known is not None:
                out.append(Found(m.start(), m.end(), known[0].code, known[0], known[1], len(self.name_forms)))
        low = len(self.name_forms) + 1
        for m in self.generic_re.finditer(lowered, doc_folded(doc)):
            out.append(
                Found(m.start(), m.end(), self._lexicon_code(text[m.start() : m.end()]), None, False, low)
            )
        for m in self.ellipsis_re.finditer(lowered):
            written = f"{m.group('mod')} {m.group('head')}"
            out.append(Found(m.start("mod"), m.end("mod"), self._lexicon_code(written), None, False, low + 1))
        for defined in self._defined_abbreviations(doc, -1):
            inside = [f for f in out if defined.start <= f.start and f.end <= defined.end]
            if len(self._resolve(inside)) < 2:
                out.append(defined)
        return [f for f in out if not self._blocked(text, f)]

    def _lexicon_code(self, written: str) -> str:
        for entry, regex in self.name_res:
            if regex.fullmatch(written.strip()):
                return entry.code
        return self._other_code(written)

    def _defined_abbreviations(self, doc: Doc, priority: int) -> list[Found]:
        """Short forms the document defines ("breast cancer (BC)"), read as their long form says.

        A short form that holds two lexicon forms ("t-MDS/AML") is left to the lexicon, which reads both.
        """
        out: list[Found] = []
        for short in getattr(doc._, "abbreviations", []):
            long_form = getattr(short._, "long_form", None)
            if long_form is None:
                continue
            coded = self.code_of(str(long_form))
            if coded is None:
                continue
            code, secondary = coded
            entry = self.by_code.get(code)
            # the short form may state more than its long form is read to: "T-cell therapy-related acute
            # lymphoblastic leukemia (T-t-ALL)" reads ALL, the lexicon's T-t-ALL is the T-ALL refining it
            known = self.abbreviation_forms.get(_abbreviation_key(short.text))
            if (
                known is not None
                and known[0].refines == code
                and self._states_lineage(self._with_word_before(doc, long_form), known[0])
            ):
                entry, code, secondary = known[0], known[0].code, secondary or known[1]
            out.append(Found(short.start_char, short.end_char, code, entry, secondary, priority))
        return out

    def _states_lineage(self, long_form: str, entry: DiagnosisEntry) -> bool:
        """Whether the long form names the entry's lineage ("T-cell ..."); "therapy-related ... (T-ALL)" does not."""
        lineage = entry.lineage or ""
        words = "|".join(map(re.escape, self.rules.lineage_words))
        return (
            bool(lineage)
            and re.search(
                rf"(?<![\w\-‐‑]){re.escape(lineage)}[\s\-‐‑]*(?:{words})\b", long_form, re.IGNORECASE
            )
            is not None
        )

    @staticmethod
    def _with_word_before(doc: Doc, long_form: Span) -> str:
        """The long form with the word before it: the detector may leave a leading "T-cell" outside it."""
        text = doc_text(doc)
        start = long_form.start_char
        before = re.search(r"(?:[\w\-‐‑]+\s+)?$", text[max(0, start - 30) : start])
        return (before.group() if before else "") + text[start : long_form.end_char]

    def _blocked(self, text: str, f: Found) -> bool:
        """Names that are part of something else: "leukemia-like", "ataxia telangiectasia mutated gene"."""
        return bool(self.blockers_after.match(text[f.end : f.end + 40]))

    @staticmethod
    def _resolve(found: list[Found]) -> list[Found]:
        """Longest match wins; among equal spans the lower priority (defined abbreviations, then lexicon order)."""
        kept: list[Found] = []
        for f in sorted(found, key=lambda f: (-(f.end - f.start), f.priority)):
            if not any(f.start < k.end and k.start < f.end for k in kept):
                kept.append(f)
        return sorted(kept, key=lambda f: f.start)

    def _clause(self, before: str) -> str:
        """The part of `before` after its last clause boundary."""
        ends = [m.end() for m in self.clause_boundary.finditer(before)]
        return before[ends[-1] :] if ends else before

    def _role(self, f: Found, before: str, after: str) -> tuple[Role | None, str]:
        """The role the mention's own words state: its form, then the cue words before and after it."""
        if f.secondary_form or (f.entry is not None and f.entry.role == "secondary"):
            return "secondary", "explicit"
        if f.entry is not None and f.entry.role == "other":
            return "other", "explicit"
        if any(p.search(before) for p in self.secondary_before):
            return "secondary", "explicit"
        therapy_related = f.entry.therapy_related if f.entry is not None else False
        if therapy_related and self.in_survivor_after.match(after):
            return "secondary", "explicit"
        if any(p.search(before) for p in self.primary_before) or any(
            p.match(after) for p in self.primary_after
        ):
            return "primary", "explicit"
        return None, "default"

    def _links_to_therapy(
        self,
        f: Found,
        after: str,
        later: list[Found],
        treatments: list[tuple[int, int]],
        link_objects: list[tuple[int, int]],
    ) -> bool:
        """ "B-ALL after multiple myeloma treatment": a disease that arose after a therapy or another disease.

        The object of the link must name a therapy (for diseases that can be therapy-related) or another
        diagnosis; that diagnosis is then the primary one, recorded in `link_objects`.
        """
        link = self.secondary_link_after.match(after)
        if not link:
            return False
        obj_start = f.end + link.end()
        obj_text = after[link.end() : link.end() + 80]
        boundary = self.clause_boundary.search(obj_text)
        obj_text = obj_text[: boundary.start()] if boundary else obj_text
        obj_end = obj_start + len(obj_text)
        has_dx = any(obj_start <= g.start < obj_end for g in later)
        therapy_related = f.entry.therapy_related if f.entry is not None else False
        has_tx = any(obj_start <= s < obj_end for s, _ in treatments) or bool(
            self.secondary_link_object.search(obj_text)
        )
        if has_dx:
            link_objects.append((obj_start, obj_end))
        return has_dx or (therapy_related and has_tx)


@Language.factory(
    "diagnoses",
    default_config={"lexicon": "diagnoses.jsonl", "roles": "diagnosis_roles.json"},
)
def make_diagnoses(nlp: Language, name: str, lexicon: str, roles: str) -> DiagnosisRecognizer:
    return DiagnosisRecognizer(lexicon, roles)
