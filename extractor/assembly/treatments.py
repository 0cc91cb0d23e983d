"""Treatment fields of a case (annotation guide sections 4-5): treatments and the latency.

A treatment is reported when at least one of its mentions was given to the
patient: mentions ConText negated (except "no response to X"), hypothetical
or about the family, mentions only planned ("prepared for allo-SCT"), and
names that only appear in sentences about therapy in general ("X is the
standard of care") are left out. Mentions of one name and target become one
treatment; its setting, duration and cycle count come from its mentions and
from the DURATION/CYCLES mentions attached to them. A generic name joins the
named form of it the case lists ("CAR T-cell therapy with idecabtagene
vicleucel" is one treatment, idecabtagene vicleucel: guide section 4), as the
lexicon's `specifies` declares; without a named form the generic stays.

Target: a treatment named with the disease it treats ("etoposide for HLH")
takes that disease's role; one named as what the secondary malignancy
followed ("AML developed after X", "history of X", the therapy a LATENCY
counts from) is `primary`; otherwise
the nearest disease named before it in the sentence decides, else the
disease the text was last speaking of (the secondary one once its diagnosis
is stated). Without DIAGNOSIS mentions every treatment is `primary`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from extractor.assembly.evidence import evidence_of
from extractor.components.treatments import treatment_context
from extractor.pipeline import Analysis
from extractor.schema import Case, Mention, Role, Treatment

_ANCHOR_RANK = {"therapy": 0, "diagnosis": 1, "other": 2}
_CUE_WINDOW = 200


@dataclass(frozen=True, slots=True)
class _Cues:
    background: re.Pattern[str]
    patient: re.Pattern[str]
    not_given: re.Pattern[str]
    negation_overrides: re.Pattern[str]
    primary: re.Pattern[str]
    onset_relation: re.Pattern[str]
    turn: re.Pattern[str]
    target_links: re.Pattern[str]
    onset: re.Pattern[str]
    secondary_words: re.Pattern[str]
    primary_disease: re.Pattern[str]
    outcome: re.Pattern[str]


@cache
def _cues() -> _Cues:
    ctx = treatment_context()
    flags = re.IGNORECASE
    return _Cues(
        background=re.compile(ctx.background_cues, flags),
        patient=re.compile(ctx.patient_cues, flags),
        not_given=re.compile(ctx.not_given_cues, flags),
        negation_overrides=re.compile(ctx.negation_overrides, flags),
        primary=re.compile(ctx.primary_cues, flags),
        onset_relation=re.compile(ctx.onset_relation_cues, flags),
        turn=re.compile(ctx.secondary_turn_cues, flags),
        target_links=re.compile(ctx.target_links, flags),
        onset=re.compile(ctx.onset_cues, flags),
        secondary_words=re.compile(ctx.secondary_disease_words),
        primary_disease=re.compile(ctx.primary_disease_cues, flags),
        outcome=re.compile(ctx.outcome_cues, flags),
    )


@dataclass(slots=True)
class _Entry:
    """One treatment being assembled from its mentions."""

    name: str
    kind: str
    target: Role
    first: int
    mentions: list[Mention] = field(default_factory=list)
    setting: str | None = None
    duration: Mention | None = None
    cycles: Mention | None = None
    components: list[str] = field(default_factory=list)
    specifies: str | None = None


def fill_treatments(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """Treatments given to the patient, one per name and target, in order of first mention."""
    text = analysis.document.text
    sentences = analysis.sentences
    given = [
        m
        for m in mentions
        if m.label == "TREATMENT"
        and _given(m, text, sentences)
        and not _background(_sentence_of(m, sentences), text, sentences)
    ]
    diagnoses = _case_roles(
        case,
        [
            m
            for m in mentions
            if m.label == "DIAGNOSIS" and not m.attrs.get("negated") and not m.attrs.get("lineage_cue")
        ],
    )
    causes = [
        (m.start, m.end) for m in mentions if m.label == "LATENCY" and m.attrs.get("anchor") == "therapy"
    ]
    targets = _targets(given, diagnoses, text, sentences)
    for m in given:
        if any(start <= m.start < end for start, end in causes):
            targets[(m.start, m.end)] = "primary"
    times = {
        (m.label, start, end): m
        for m in mentions
        if m.label in ("DURATION", "CYCLES")
        for start, end in m.attrs.get("treatments", [])
    }
    entries: dict[tuple[str, Role], _Entry] = {}
    for m in given:
        key = (str(m.norm), targets[(m.start, m.end)])
        entry = entries.setdefault(key, _Entry(key[0], str(m.attrs.get("kind", "drug")), key[1], m.start))
        entry.mentions.append(m)
        entry.setting = entry.setting or m.attrs.get("setting")
        entry.duration = entry.duration or times.get(("DURATION", m.start, m.end))
        entry.cycles = entry.cycles or times.get(("CYCLES", m.start, m.end))
        entry.components += [c for c in m.attrs.get("components", []) if c not in entry.components]
        entry.specifies = entry.specifies or m.attrs.get("specifies")
    for entry in _without_announced_components(_generics_joined(list(entries.values())), given):
        case.treatments.append(_treatment(entry))


def _case_roles(case: Case, diagnoses: list[Mention]) -> list[Mention]:
    """Diagnosis mentions with the role the case gives their code, when it gives one role only: the case's
    diagnoses (filled before the treatments) weigh every mention, a single mention may be misread."""
    roles: dict[str, set[str]] = {}
    for d in case.diagnoses:
        roles.setdefault(d.code, set()).add(d.role)
    out: list[Mention] = []
    for m in diagnoses:
        known = roles.get(str(m.norm), set())
        if len(known) == 1 and m.attrs.get("role") not in known:
            m = m.model_copy(update={"attrs": {**m.attrs, "role": next(iter(known))}})
        out.append(m)
    return out


def _treatment(entry: _Entry) -> Treatment:
    extra = [m for m in (entry.duration, entry.cycles) if m is not None]
    return Treatment(
        name=entry.name,
        kind=entry.kind,  # type: ignore[arg-type]
        target=entry.target,
        setting=entry.setting,  # type: ignore[arg-type]
        duration_months=float(entry.duration.norm) if entry.duration is not None else None,  # type: ignore[arg-type]
        cycles=float(entry.cycles.norm) if entry.cycles is not None else None,  # type: ignore[arg-type]
        components=entry.components,
        evidence=evidence_of([*entry.mentions, *extra]),
    )


def _generics_joined(entries: list[_Entry]) -> list[_Entry]:
    """A generic name ("CAR-T") and a named form of it in the same case ("axicabtagene ciloleucel") are one
    treatment: the generic's mentions, setting and times go to the named form of the same target, else to the
    first one, so that nothing the generic mentions said is lost."""
    named: dict[str, list[_Entry]] = {}
    for entry in entries:
        if entry.specifies is not None:
            named.setdefault(entry.specifies, []).append(entry)
    kept: list[_Entry] = []
    for entry in entries:
        forms = named.get(entry.name)
        if not forms:
            kept.append(entry)
            continue
        owner = next((f for f in forms if f.target == entry.target), forms[0])
        owner.mentions.extend(entry.mentions)
        owner.first = min(owner.first, entry.first)
        owner.setting = owner.setting or entry.setting
        owner.duration = owner.duration or entry.duration
        owner.cycles = owner.cycles or entry.cycles
    return kept


def _without_announced_components(entries: list[_Entry], given: list[Mention]) -> list[_Entry]:
    """A drug named once, alone, before the regimen that contains it ("treated with doxorubicin ... 6 cycles
    of AC (doxorubicin, cyclophosphamide)") is that regimen, not a treatment of its own."""
    regimens = [e for e in entries if e.kind == "regimen" and e.components]
    kept: list[_Entry] = []
    for entry in entries:
        owner = next(
            (
                r
                for r in regimens
                if r.target == entry.target
                and entry.name in r.components
                and all(m.start < r.mentions[0].start for m in entry.mentions)
            ),
            None,
        )
        alone = len(entry.mentions) == 1 and not any(
            m is not entry.mentions[0] and m.attrs.get("sentence") == entry.mentions[0].attrs.get("sentence")
            for m in given
        )
        if (
            entry.kind == "drug"
            and owner is not None
            and alone
            and not (entry.setting or entry.duration or entry.cycles)
        ):
            owner.mentions.extend(entry.mentions)
            continue
        kept.append(entry)
    return sorted(kept, key=lambda e: e.first)


def fill_latency(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """The stated latency, preferring one counted from the causative therapy, then from the primary diagnosis."""
    latencies = [
        m
        for m in mentions
        if m.label == "LATENCY" and not (m.attrs.get("hypothetical") or m.attrs.get("family"))
    ]
    if not latencies:
        return
    best = min(latencies, key=lambda m: (_ANCHOR_RANK.get(str(m.attrs.get("anchor")), 3), m.start))
    case.latency_months = float(best.norm)  # type: ignore[arg-type]
    case.evidence["latency_months"] = evidence_of([best])


def _sentence_of(m: Mention, sentences: Sequence[tuple[int, int]]) -> tuple[int, int]:
    span = m.attrs.get("sentence")
    if isinstance(span, list) and len(span) == 2:
        return span[0], span[1]
    return next(((s, e) for s, e in sentences if s <= m.start < e), (0, m.end))


def _is_title(sentence: tuple[int, int], text: str, sentences: Sequence[tuple[int, int]]) -> bool:
    """The first sentence when a line break ends it: the document's title."""
    if not sentences or sentence != sentences[0]:
        return False
    start, end = sentence
    return "\n" in text[start:end].strip(" ")[-2:] or text[end : end + 1] == "\n"


def _background(sentence: tuple[int, int], text: str, sentences: Sequence[tuple[int, int]]) -> bool:
    """A sentence about therapy in general, not about the patient."""
    if _is_title(sentence, text, sentences):
        return False
    words = text[sentence[0] : sentence[1]]
    cues = _cues()
    return bool(cues.background.search(words)) and not cues.patient.search(words)


def _given(m: Mention, text: str, sentences: Sequence[tuple[int, int]]) -> bool:
    """Whether the text says this treatment was given (not negated, hypothetical, planned or familial)."""
    if m.attrs.get("hypothetical") or m.attrs.get("family"):
        return False
    start, _ = _sentence_of(m, sentences)
    before = text[start : m.start]
    cues = _cues()
    if m.attrs.get("negated") and not cues.negation_overrides.search(before):
        return False
    return not cues.not_given.search(before[-_CUE_WINDOW:])


def _targets(
    treatments: list[Mention], diagnoses: list[Mention], text: str, sentences: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], Role]:
    """The disease each treatment mention targeted, walking the sentences in order: the text speaks of the
    secondary malignancy from the sentence that states its onset ("bone marrow revealed B-ALL", "the blood
    count indicated acute leukemia") until a sentence speaks of the primary disease alone."""
    cues = _cues()
    targets: dict[tuple[int, int], Role] = {}
    context: Role = "primary"
    secondary_known = any(_role(d) == "secondary" for d in diagnoses)
    for index, (start, end) in enumerate(sentences):
        in_sentence = [d for d in diagnoses if start <= d.start < end]
        title = index == 0 and _is_title((start, end), text, sentences)
        for t in (t for t in treatments if start <= t.start < end):
            targets[(t.start, t.end)] = (
                _target(t, in_sentence, text, start, context, title) if diagnoses else "primary"
            )
        if title:
            continue
        roles = {_role(d) for d in in_sentence}
        words = text[start:end]
        onset = cues.onset.search(words) is not None
        if "secondary" in roles and (onset or "primary" not in roles):
            context = "secondary"
        elif "primary" in roles and "secondary" not in roles:
            context = "primary"
        elif not roles and onset and secondary_known and cues.secondary_words.search(words):
            context = "secondary"
    for t in treatments:
        targets.setdefault((t.start, t.end), "primary")
    return targets


def _target(
    t: Mention, diagnoses: list[Mention], text: str, sentence_start: int, context: Role, title: bool
) -> Role:
    """One mention's target: the disease it is named for, what the secondary malignancy followed, the
    treatment of a primary tumour (adjuvant, after surgery), the disease named last before it in the
    sentence, or the context. A title ("AML following X for Y") speaks only through the first two."""
    cues = _cues()
    following = next((d for d in diagnoses if d.start >= t.end), None)
    if following is not None and cues.target_links.match(text[t.end : following.start]):
        return _role(following)
    before = text[max(sentence_start, t.start - _CUE_WINDOW) : t.start]
    if _cue_holds(cues.primary, cues.turn, before) or _follows_onset(t, diagnoses, before) or title:
        return "primary"
    if cues.primary_disease.search(before) and not any(_role(d) == "secondary" for d in diagnoses):
        return "primary"
    earlier = [d for d in diagnoses if d.end <= t.start]
    if earlier:
        role = _role(earlier[-1])
        return role if role in ("primary", "secondary") else context
    return context


def _follows_onset(t: Mention, diagnoses: list[Mention], before: str) -> bool:
    """ "AML developed three years after X", "MDS within 2.5 years of starting X": the secondary malignancy,
    then a cue of what it followed, with no outcome ("survived following") or new turn in between."""
    cues = _cues()
    relation = list(cues.onset_relation.finditer(before))
    if not relation or cues.turn.search(before[relation[-1].end() :]):
        return False
    offset = t.start - len(before)
    cue_at = offset + relation[-1].start()
    secondary = [d for d in diagnoses if _role(d) == "secondary" and d.end <= cue_at]
    if secondary:
        return not cues.outcome.search(before[max(0, secondary[-1].end - offset) : relation[-1].start()])
    words = cues.secondary_words.search(before[: relation[-1].start()])
    return words is not None and not cues.outcome.search(before[words.end() : relation[-1].start()])


def _cue_holds(cue: re.Pattern[str], turn: re.Pattern[str], before: str) -> bool:
    """A cue before the treatment that no later turn ("was then treated with") overrides."""
    found = list(cue.finditer(before))
    return bool(found) and not turn.search(before[found[-1].end() :])


def _role(d: Mention) -> Role:
    role = d.attrs.get("role")
    return role if role in ("primary", "secondary", "other") else "primary"  # type: ignore[return-value]
