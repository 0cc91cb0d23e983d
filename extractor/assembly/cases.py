"""Case segmentation: which mentions describe which patient, and which describe a group.

A document describes zero, one or several patients (guide section 1). The text
is cut into units (sentences, and clauses where a case marker starts mid
sentence) and each unit is classified:

* `title`: about every reported patient of a case report;
* `generic`: background, literature or group statistics ("median", "in the
  literature", "patients with X are ...") - never a case value;
* `subset`: some patients of a series ("3 of the 4 patients") - no one patient;
* `singleton`: one anonymous patient of a series ("One patient died of ..."): a case
  of its own when the series is otherwise reported only in aggregate;
* `numbered`: a numbered case ("Case 2", "the second patient");
* `group`: several reported patients at once ("both patients", "the three cases");
* `patient`: the patient in focus (a report phrase, an age, "the patient", or a
  sentence that continues one of those).

Sections ("Background", "Case presentation") set the default for sentences
without cues. The number of cases comes from numbered markers and from series
("two patients ... both patients"); a series reported only in aggregate gives
no case. Mentions of a unit go to its cases; those of generic and subset
units, and every `COHORT` mention, go to the cohort. In a sentence that ends
with "respectively" the listed mentions are dealt out to the cases in order.

The cue and marker rules are data in `patterns/cases.json`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Literal

from extractor.components.cases import CaseRules, load_case_rules
from extractor.parsers.prefilter import Prefiltered, fold
from extractor.pipeline import Analysis
from extractor.schema import Mention

UnitKind = Literal["title", "generic", "subset", "singleton", "numbered", "group", "patient", "neutral"]

PATIENT_NOUN_LABELS = frozenset({"AGE"})
"""Labels that show on their own that a unit is about one patient."""

FINDING_LABELS = frozenset({"KARYOTYPE", "CYTOGENETICS", "GENE", "VARIANT"})
"""Labels of the patient-level findings a cue-less observation reports."""

PATIENT_KINDS: frozenset[UnitKind] = frozenset({"patient", "numbered", "group", "singleton"})
"""Unit kinds of the reported patients' narrative, which a cue-less unit continues."""

SPLITTING_MARKERS = frozenset({"numbered", "one", "other", "subset", "singleton"})
"""Marker kinds that start a new clause unit when they appear mid sentence."""

_CLAUSE_BOUNDARY = re.compile(r"[,;:.]\s*|\s+(?:whilst|while|whereas|but)\s+")


@dataclass(slots=True)
class CaseScope:
    case_id: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Segmentation:
    cases: list[CaseScope]
    cohort: list[Mention]


@dataclass(slots=True)
class Unit:
    """A stretch of text whose mentions share one destination."""

    start: int
    end: int
    section: str | None
    title: bool = False
    kind: UnitKind = "neutral"
    markers: list[Mention] = field(default_factory=list)
    respectively: bool = False
    targets: list[int] = field(default_factory=list)
    section_default: bool = False
    """Generic only because its section is background: a cue-less sentence that may still go on
    with the numbered case right before it ("Case 2 showed ... FISH results showed ...")."""
    observed: bool = False
    """Cue-less, and reports a finding of the patient in the past tense ("del(5q) was observed"):
    general statements about a disease are made in the present tense, so it is the patient's
    narrative even after a background aside."""


@dataclass(frozen=True, slots=True)
class _Heading:
    """An inline section heading ("Case presentation:"): its words at the start of a line or
    sentence, or before a colon after a lower-case word.

    The whole pattern opens with look-behinds and optional blanks, so `re` would try it at every
    position; its heading words (`word`) are found first, through the prefilter, and the whole
    pattern is tried only from the blanks before each of them, which gives the same matches."""

    section: str
    word: Prefiltered
    whole: re.Pattern[str]

    @classmethod
    def compile(cls, section: str, words: str) -> _Heading:
        suffix = r"(?=[ \t]*[:\n]|[ \t]+[A-Z(]|[A-Z])"
        return cls(
            section,
            Prefiltered.compile(rf"(?P<h>{words}){suffix}", re.IGNORECASE),
            re.compile(
                rf"(?:(?:^|(?<=[\n.!?])|(?<=[.!?:]\s))[ \t]*|(?<=[a-z]\s)(?=(?:{words})[ \t]*:))"
                rf"(?P<h>{words}){suffix}",
                re.IGNORECASE,
            ),
        )

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """`whole.finditer(text)`: a match's heading words start where `word` matches, after
        nothing but the blanks its prefix may take."""
        if not self.word.may_match(folded):
            return
        pos = 0
        while (hit := self.word.search_from(text, pos)) is not None:
            start = hit.start()
            blank = start
            while blank > pos and text[blank - 1] in " \t":
                blank -= 1
            found = next(filter(None, (self.whole.match(text, q) for q in range(blank, start + 1))), None)
            if found is None:
                pos = start + 1
            else:
                yield found
                pos = found.end()


@dataclass(frozen=True, slots=True)
class _Cues:
    """The compiled rules of `patterns/cases.json` that segmentation uses."""

    rules: CaseRules
    headings: list[_Heading]
    by_kind: dict[str, list[Prefiltered]]
    relative_clause: Prefiltered

    def found(self, kind: str, text: str, folded: str) -> bool:
        """Whether a cue of `kind` occurs in `text` (`folded` is `fold(text)`)."""
        return any(p.occurs(text, folded) for p in self.by_kind.get(kind, []))


@cache
def _cues(name: str = "cases.json") -> _Cues:
    rules = load_case_rules(name)
    headings = [_Heading.compile(h.section, h.regex) for h in rules.headings]
    by_kind: dict[str, list[Prefiltered]] = defaultdict(list)
    for cue in rules.cues:
        by_kind[cue.kind].append(Prefiltered.compile(cue.regex, re.IGNORECASE))
    return _Cues(rules, headings, dict(by_kind), Prefiltered.compile(rules.relative_clause, re.IGNORECASE))


def segment(analysis: Analysis) -> Segmentation:
    """Split the document's mentions into the cases it describes and the cohort."""
    if any("case" in m.attrs for m in analysis.mentions):
        return _annotated_segmentation(analysis)
    cues = _cues()
    units = _units(analysis, cues)
    for unit in units:
        _classify(unit, analysis, cues)
    _inherit(units)
    _continue_numbered(units, analysis.document.text)
    numbers, singletons = _case_numbers(units, analysis, cues)
    doc_id = analysis.document.doc_id
    if not numbers:
        return Segmentation(cases=[], cohort=list(analysis.mentions))
    _assign(units, numbers, singletons, analysis)
    scopes = {n: CaseScope(f"{doc_id}#{i}") for i, n in enumerate(numbers, 1)}
    cohort: list[Mention] = []
    starts = [u.start for u in units]
    for mention in analysis.mentions:
        if mention.label == "COHORT":
            cohort.append(mention)
            continue
        unit = units[_unit_index(starts, mention.start)] if units else None
        if unit is None or not unit.targets:
            cohort.append(mention)
            continue
        for n in _targets_of(mention, unit, analysis):
            scopes[n].mentions.append(
                mention.model_copy(update={"attrs": {**mention.attrs, "case": scopes[n].case_id}})
            )
    return Segmentation(cases=[scopes[n] for n in numbers], cohort=cohort)


def _annotated_segmentation(analysis: Analysis) -> Segmentation:
    """The cases an annotator assigned (`attrs["case"]`: a case id, a number or a list), honoured as given.

    Corrected spans come back from Label Studio or brat with their case; gold assembled from them
    must follow the annotator, not re-derive the cases. Unassigned mentions go to the cohort.
    """
    doc_id = analysis.document.doc_id
    scopes: dict[str, CaseScope] = {}
    cohort: list[Mention] = []
    for mention in analysis.mentions:
        assigned = mention.attrs.get("case")
        values = assigned if isinstance(assigned, list) else [assigned] if assigned is not None else []
        ids = [str(v) if "#" in str(v) else f"{doc_id}#{v}" for v in values]
        if mention.label == "COHORT" or not ids:
            cohort.append(mention)
        for case_id in ids if mention.label != "COHORT" else []:
            scopes.setdefault(case_id, CaseScope(case_id)).mentions.append(mention)
    ordered = sorted(scopes.values(), key=lambda c: _case_number(c.case_id))
    return Segmentation(cases=ordered, cohort=cohort)


def _case_number(case_id: str) -> tuple[int, str]:
    suffix = case_id.rsplit("#", 1)[-1]
    return (int(suffix), case_id) if suffix.isdigit() else (10**9, case_id)


def _unit_index(starts: list[int], position: int) -> int:
    return max(bisect_right(starts, position) - 1, 0)


def _title_end(analysis: Analysis) -> int:
    document = analysis.document
    if document.title and document.text.startswith(document.title):
        return len(document.title)
    ends = [b.end for b in document.blocks if b.section == "title"]
    return max(ends, default=0)


def _sections(analysis: Analysis, cues: _Cues) -> list[tuple[int, str]]:
    """Section starts: from the reader's blocks when it found sections, else from inline headings."""
    blocks = [
        (b.start, str(b.section)) for b in analysis.document.blocks if b.section and b.section != "title"
    ]
    if blocks:
        return sorted(blocks)
    text = analysis.document.text
    folded = fold(text)
    found: list[tuple[int, int, str]] = []
    for heading in cues.headings:
        for m in heading.finditer(text, folded):
            if m.group("h")[0].isupper():
                found.append((m.start("h"), m.end("h"), heading.section))
    found.sort()
    # A heading followed at once by another ("Case report: Introduction: ...") opens the later one's section.
    merged: list[tuple[int, str]] = []
    for i, (start, end, section) in enumerate(found):
        if i + 1 < len(found) and not text[end : found[i + 1][0]].strip(" \t:"):
            section = found[i + 1][2]
        merged.append((start, section))
    return merged


def _units(analysis: Analysis, cues: _Cues) -> list[Unit]:
    """Sentences, cut again where a case marker starts a new clause, each with its section."""
    title_end = _title_end(analysis)
    sections = _sections(analysis, cues)
    markers = [m for m in analysis.mentions if m.label == "CASE"]
    units: list[Unit] = []
    for start, end in analysis.sentences or [(0, len(analysis.document.text))]:
        section = next((s for pos, s in reversed(sections) if pos <= start + 2), None)
        cuts = [start]
        for m in markers:
            if start < m.start < end and m.attrs.get("kind") in SPLITTING_MARKERS:
                boundary = _last_boundary(analysis.document.text, start, m.start)
                if boundary is not None and boundary > cuts[-1]:
                    cuts.append(boundary)
        cuts.append(end)
        for a, b in pairwise(cuts):
            if a < b:
                units.append(Unit(a, b, section, title=a < title_end))
    # A heading ("Case report: Introduction: ...") names a section, not a patient.
    heading_starts = {pos for pos, _ in sections}
    for unit in units:
        unit.markers = [
            m
            for m in markers
            if unit.start <= m.start < unit.end
            and not (m.start in heading_starts and m.attrs.get("kind") == "single")
        ]
    return units


def _last_boundary(text: str, start: int, marker: int) -> int | None:
    """Where the clause holding a mid-sentence marker starts, or None when the marker opens the sentence."""
    last = None
    for m in _CLAUSE_BOUNDARY.finditer(text, start, marker):
        last = m.end()
    if last is None or not text[start:last].strip(" ,;:."):
        return None
    return last


def _classify(unit: Unit, analysis: Analysis, cues: _Cues) -> None:
    """The unit's kind from its cues, markers and mentions (see the module docstring)."""
    text = analysis.document.text[unit.start : unit.end]
    folded = fold(text)
    unit.respectively = cues.found("respectively", text, folded)
    kinds = {str(m.attrs.get("kind")) for m in unit.markers}
    main = _main_clause(text, folded, cues)
    main_folded = folded if main is text else fold(main)
    if unit.title:
        unit.kind = "title"
    elif cues.found("literature", main, main_folded):
        unit.kind = "generic"
    elif cues.found("statistic", main, main_folded) and not _has_patient_mention(unit, analysis):
        unit.kind = "generic"
    elif "singleton" in kinds and not kinds & {"numbered", "one", "other"}:
        unit.kind = "singleton"
    elif "subset" in kinds and not kinds & {"numbered", "one", "other"}:
        unit.kind = "subset"
    elif kinds & {"numbered", "one", "other"}:
        unit.kind = "numbered"
    elif "group" in kinds:
        unit.kind = "group"
    elif (
        _has_patient_mention(unit, analysis, nouns_only=True)
        or cues.found("patient", text, folded)
        or any(_names_a_patient(m) for m in unit.markers)
    ):
        unit.kind = "patient"
    elif cues.found("generic", main, main_folded):
        unit.kind = "generic"
    elif (
        "single" in kinds
        or _has_patient_mention(unit, analysis)
        or unit.section in cues.rules.patient_sections
    ):
        unit.kind = "patient"
    elif unit.section in cues.rules.background_sections:
        unit.kind = "generic"
        unit.section_default = True
    else:
        unit.observed = cues.found("observation", main, main_folded) and any(
            unit.start <= m.start < unit.end and m.label in FINDING_LABELS for m in analysis.mentions
        )


def _main_clause(text: str, folded: str, cues: _Cues) -> str:
    """The text before a trailing relative clause: "showed a near-triploid clone, which is associated
    with a poor prognosis" is about the patient; the comment on the literature comes after "which"."""
    m = cues.relative_clause.search(text, folded)
    return text[: m.start()] if m and text[: m.start()].strip() else text


def _names_a_patient(marker: Mention) -> bool:
    """ "a case of", "our patient", "case report": one patient named outright; "the patient" or "this case"
    alone may also be a general statement ("the patient should be monitored")."""
    if marker.attrs.get("kind") != "single":
        return False
    return not marker.text.lower().startswith(("the ", "this "))


def _has_patient_mention(unit: Unit, analysis: Analysis, nouns_only: bool = False) -> bool:
    """An age or a sex word in the unit; with `nouns_only`, pronouns do not count."""
    return any(
        unit.start <= m.start < unit.end
        and (
            m.label in PATIENT_NOUN_LABELS
            or (m.label == "SEX" and not (nouns_only and m.attrs.get("kind") == "pronoun"))
        )
        for m in analysis.mentions
    )


def _inherit(units: list[Unit]) -> None:
    """A unit without cues continues the one before it (a narrative goes on; so does background).

    An observed finding (`Unit.observed`) after background goes back to the patient of the last unit
    that is not background ("This MDS could be linked to MM treatment. Interestingly, del(5q) ... were
    observed on the myeloid karyotype"); only its own finding does, so the units after it still
    continue the background ("Cytogenetic analysis showed t(11;17). This translocation was
    predominantly in AMML ...")."""
    previous: UnitKind = "generic"
    narrative = False
    for unit in units:
        if unit.kind == "neutral":
            if previous not in PATIENT_KINDS and unit.observed and narrative:
                unit.kind = "patient"
                continue
            unit.kind = "patient" if previous in PATIENT_KINDS else "generic"
        if unit.kind != "title":
            previous = unit.kind
            if unit.kind != "generic":
                narrative = unit.kind in PATIENT_KINDS


def _continue_numbered(units: list[Unit], text: str) -> None:
    """A cue-less sentence of a background section right after a numbered case's sentence, in the same
    paragraph, continues that case ("Case 2 showed a karyotype ... FISH results showed gene fusion ...")."""
    for previous, unit in pairwise(units):
        if (
            unit.section_default
            and previous.kind == "numbered"
            and "\n\n" not in text[previous.start : unit.start]
        ):
            unit.kind = "patient"


def _lists_patients(unit: Unit, analysis: Analysis, count: object) -> bool:
    """ "two cases: a 45-year-old woman and a 60-year-old man": one age per patient of the group, in order."""
    if not isinstance(count, int) or count < 2:
        return False
    ages = [m for m in analysis.mentions if unit.start <= m.start < unit.end and m.label == "AGE"]
    return len(ages) == count


def _shows_one_patient(unit: Unit, analysis: Analysis, cues: _Cues) -> bool:
    """An age, or a sex noun where a patient is presented ("we describe an elderly man", a case section)."""
    inside = [m for m in analysis.mentions if unit.start <= m.start < unit.end]
    if any(m.label in PATIENT_NOUN_LABELS for m in inside):
        return True
    if not any(m.label == "SEX" and m.attrs.get("kind") != "pronoun" for m in inside):
        return False
    text = analysis.document.text[unit.start : unit.end]
    return unit.title or unit.section == "case" or cues.found("patient", text, fold(text))


def _case_numbers(units: list[Unit], analysis: Analysis, cues: _Cues) -> tuple[list[int], bool]:
    """The numbers of the cases the document describes, in order of appearance, and whether they are
    the anonymous singletons of a series reported in aggregate."""
    live = [u for u in units if u.kind not in ("generic", "subset")]
    numbers: list[int] = []
    one_seen = other_seen = False
    series = _series_count(units)
    distributive = False
    single = False
    for unit in live:
        for m in unit.markers:
            kind = m.attrs.get("kind")
            if kind == "numbered" and isinstance(m.norm, float) and int(m.norm) not in numbers:
                numbers.append(int(m.norm))
            elif kind == "one":
                one_seen = True
            elif kind == "other" and one_seen:
                other_seen = True
            elif kind == "group":
                distributive = distributive or bool(m.attrs.get("distributive")) or unit.respectively
                distributive = distributive or _lists_patients(unit, analysis, m.attrs.get("count"))
            elif kind == "single" and (_names_a_patient(m) or unit.section == "case"):
                single = True
        single = single or (unit.kind in ("patient", "title") and _shows_one_patient(unit, analysis, cues))
    if other_seen:
        numbers = [n for n in (1, 2) if n not in numbers] + numbers
    if distributive and series is not None and 1 < series <= cues.rules.max_series:
        return list(range(1, max([series, *numbers]) + 1)), False
    if numbers:
        return numbers, False
    if single:
        return [1], False
    singletons = sum(1 for u in live if u.kind == "singleton")
    return list(range(1, singletons + 1)), True


def _assign(units: list[Unit], numbers: list[int], singletons_are_cases: bool, analysis: Analysis) -> None:
    """Each unit's target cases: a numbered case, all or the first cases of a group, or the case in focus.

    A group smaller than the series ("four cases of CML" among seven) is a subset, unless it lists
    values case by case ("two cases ... respectively").

    Singletons are cases only when nothing else in the document is (see `_case_numbers`); each then
    takes the next case number.
    """
    current: list[int] = []
    next_singleton = 0
    series = _series_count(units)
    for unit in units:
        if unit.kind == "title":
            unit.targets = list(numbers)
        elif unit.kind == "singleton":
            if singletons_are_cases and next_singleton < len(numbers):
                unit.targets = [numbers[next_singleton]]
                next_singleton += 1
            else:
                unit.targets = []
            current = unit.targets
        elif unit.kind in ("generic", "subset"):
            unit.targets = []
        elif unit.kind == "numbered":
            found = _numbered_targets(unit, numbers)
            unit.targets = found or list(current or numbers)
            current = unit.targets
        elif unit.kind == "group":
            counts = [m.attrs.get("count") for m in unit.markers if m.attrs.get("kind") == "group"]
            count = next((c for c in counts if isinstance(c, int)), None)
            if count is not None and series is not None and count < series and not unit.respectively:
                unit.targets = []
            else:
                unit.targets = (
                    numbers[:count] if count is not None and 1 < count < len(numbers) else list(numbers)
                )
                current = unit.targets
                unit.respectively = unit.respectively or _lists_patients(unit, analysis, len(unit.targets))
        else:
            unit.targets = list(current or numbers)


def _series_count(units: list[Unit]) -> int | None:
    """The size of the series the document reports: the count of its first group marker outside background."""
    for unit in units:
        if unit.kind in ("generic", "subset"):
            continue
        for m in unit.markers:
            if m.attrs.get("kind") == "group" and isinstance(m.attrs.get("count"), int):
                return int(m.attrs["count"])  # type: ignore[arg-type]
    return None


def _numbered_targets(unit: Unit, numbers: list[int]) -> list[int]:
    found: list[int] = []
    for m in unit.markers:
        kind = m.attrs.get("kind")
        n = (
            int(m.norm)
            if kind == "numbered" and isinstance(m.norm, float)
            else 1
            if kind == "one"
            else 2
            if kind == "other"
            else None
        )
        if n is not None and n in numbers and n not in found:
            found.append(n)
    return found


def _targets_of(mention: Mention, unit: Unit, analysis: Analysis) -> list[int]:
    """The cases of one mention: its unit's, or one of them when the unit lists values "respectively".

    A recognizer that split the list itself numbers the items (`respectively`); otherwise the k-th of
    k listed values of one label goes to the k-th case, and a value listed once goes to every case.
    """
    if not unit.respectively or len(unit.targets) < 2:
        return unit.targets
    index = mention.attrs.get("respectively")
    if isinstance(index, int):
        return [unit.targets[index]] if index < len(unit.targets) else []
    peers = [
        m
        for m in analysis.mentions
        if unit.start <= m.start < unit.end and m.label == mention.label and _role(m) == _role(mention)
    ]
    if len({_identity(m) for m in peers}) == 1:
        return unit.targets
    if len(peers) == len(unit.targets):
        return [unit.targets[peers.index(mention)]]
    return []


def _role(m: Mention) -> object:
    return m.attrs.get("role")


def _identity(m: Mention) -> tuple[str, str]:
    """What makes two listed values different: the normalized value and, for deaths, the cause."""
    return str(m.norm), str(m.attrs.get("cause"))
