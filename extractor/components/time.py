"""Time mentions: treatment durations and cycles (`DURATION`, `CYCLES`), case latencies (`LATENCY`)
and group statistics (`COHORT`).

Both factories read the time expressions of `extractor.parsers.durations` and
decide from the words around them what each one states:

* `durations` runs after `treatments`: "for the next 33 months" and "six cycles
  of VRd" become DURATION/CYCLES mentions of the treatment they belong to
  (attrs `treatments` = their `[start, end]`s); a duration not attached to a
  treatment (survival, follow-up, an age, a study period) is not a mention.
  Latency statements ("developed ALL 50 months after starting lenalidomide",
  "a four-year history of MM presented with B-ALL") become LATENCY mentions
  with the point they count from (`anchor`: therapy, diagnosis or other);
  intervals from a remission or from the end of a therapy are not latencies
  (`patterns/latency.json`).
* `cohort_stats` marks statements about a group (`patterns/cohort.json`):
  series sizes ("32 ALL cases", "17 other patients documented in the
  literature") and median/range latencies and exposures.

Sentences about a group (median, range) never give case durations or latencies.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention, doc_text, mentions
from extractor.components.treatments import treatment_context
from extractor.parsers.alternation import literal_alternation
from extractor.parsers.durations import (
    TimeExpression,
    duration_rules,
    find_time_expressions,
    number_regex,
    to_months,
)
from extractor.parsers.numbers import parse_number
from extractor.patterns import load_json


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LatencyForm(_Strict):
    """Where the interval phrase sits: `before`/`after` match the text just before/after the number;
    `anchor` and `onset` say where its start point and the onset word stand (`patterns/latency.json`)."""

    id: str
    before: str | None = None
    after: str | None = None
    adjectival: bool = False
    anchor: Literal["following", "preceding", "phrase", "sentence"]
    onset: Literal["outside_anchor", "sentence", "none"]
    named_anchor_only: bool = False


class LatencyRules(_Strict):
    description: str
    forms: list[LatencyForm]
    onset: str
    blockers: str
    event_blockers: str
    anchor_exclusions: str
    anchor_clause_end: str
    therapy_anchor: str
    diagnosis_anchor: str
    max_anchor_chars: int
    cohort_cues: str


class CountRule(_Strict):
    """A series-size statement around a number: `before` ends where the number starts, `after` starts where
    it ends."""

    kind: str
    before: str | None = None
    after: str


class CohortRules(_Strict):
    description: str
    secondary_condition: str
    counts: list[CountRule]
    kind_priority: list[str]
    count_max: int
    median: str
    range_bracket: str
    range_prose: str
    range_then_median: str
    range_alone: str
    max_words_to_value: int
    exclude: str
    exposure: str
    latency: str
    individual_cues: str


@cache
def cohort_rules() -> CohortRules:
    """The cohort rules, shared with `assembly.cohort`."""
    return load_json("cohort.json", CohortRules)


@dataclass(frozen=True, slots=True)
class _Treatment:
    start: int
    end: int


def _unit_alternation() -> str:
    rules = duration_rules()
    words = sorted({w for u in rules.units for w in u.words}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


def _count_regex() -> str:
    """A count written as digits or words, standing alone ("32", "four", "twenty-eight")."""
    return rf"(?<![\w.,])(?:{number_regex()})(?![\w.])"


class DurationRecognizer:
    """Attaches durations and cycle counts to treatments and marks latency statements."""

    def __init__(self, latency_rules: str) -> None:
        rules = duration_rules().attachment
        self.of_link = frozenset(w.lower() for w in rules.of_link_words)
        self.before_leads = frozenset(w.lower() for w in rules.before_leads)
        """Leads whose duration belongs to the treatment named before it: "lenalidomide for 33 months"."""
        self.for_blockers = re.compile(rules.for_blockers, re.IGNORECASE)
        self.max_for_gap = rules.max_for_gap
        self.bracket_cycles = re.compile(rules.bracket_cycles, re.IGNORECASE)
        latency = load_json(latency_rules, LatencyRules)
        flags = re.IGNORECASE
        self.forms = [
            (
                f,
                re.compile(f.before, flags) if f.before else None,
                re.compile(f.after, flags) if f.after else None,
            )
            for f in latency.forms
        ]
        self.onset = re.compile(latency.onset, flags)
        self.blockers = re.compile(latency.blockers, flags)
        self.event_blockers = re.compile(latency.event_blockers, flags)
        self.anchor_exclusions = re.compile(latency.anchor_exclusions)
        self.anchor_end = re.compile(latency.anchor_clause_end, flags)
        self.therapy_anchor = re.compile(latency.therapy_anchor, flags)
        self.diagnosis_anchor = re.compile(latency.diagnosis_anchor)
        self.max_anchor = latency.max_anchor_chars
        self.cohort_cues = re.compile(latency.cohort_cues, flags)
        units = duration_rules()
        self.time_words = re.compile(
            literal_alternation([*(w for u in units.units for w in u.words), *units.cycle_words], ignore_case=True),
            flags,
        )
        ctx = treatment_context()
        self.together = ctx.chain_gap
        self.background = re.compile(ctx.background_cues, flags)
        self.patient = re.compile(ctx.patient_cues, flags)

    def __call__(self, doc: Doc) -> Doc:
        treatments = [_Treatment(s._.mention.start, s._.mention.end) for s in mentions(doc, "TREATMENT")]
        whole = doc_text(doc)
        for sentence in doc.sents:
            offset, end = sentence.start_char, sentence.end_char
            text = whole[offset:end]
            if not self.time_words.search(text):
                continue
            expressions = find_time_expressions(text)
            if not expressions or self.cohort_cues.search(text):
                continue
            generic = bool(self.background.search(text)) and not self.patient.search(text)
            local = [
                _Treatment(t.start - offset, t.end - offset) for t in treatments if offset <= t.start < end
            ]
            for expression in expressions:
                self._treatment_time(doc, text, offset, expression, local)
                if not generic:
                    self._latency(doc, text, offset, expression, local)
        return doc

    def _treatment_time(
        self, doc: Doc, text: str, offset: int, e: TimeExpression, treatments: list[_Treatment]
    ) -> None:
        if e.schedule or e.bound == "upper":
            return
        owners = self._owners(text, e, treatments)
        if not owners:
            return
        attrs = {"treatments": [[t.start + offset, t.end + offset] for t in owners]}
        if e.kind == "cycles":
            add_mention(doc, e.start + offset, e.end + offset, "CYCLES", e.value, **attrs)
        else:
            add_mention(
                doc,
                e.start + offset,
                e.end + offset,
                "DURATION",
                e.months,
                unit=e.unit,
                value=e.value,
                **attrs,
            )

    def _owners(self, text: str, e: TimeExpression, treatments: list[_Treatment]) -> list[_Treatment]:
        """The treatments a duration or cycle count belongs to ("six courses of fludarabine plus
        rituximab": both), if the words around it say so."""
        after = next((i for i, t in enumerate(treatments) if t.start >= e.end), None)
        if after is not None and self._of_linked(text[e.end : treatments[after].start]):
            return self._given_together(text, treatments, after, 1)
        before = next((i for i in range(len(treatments) - 1, -1, -1) if treatments[i].end <= e.start), None)
        if before is None:
            return []
        gap = text[treatments[before].end : e.start]
        if e.kind == "cycles" and self.bracket_cycles.match(gap):
            return self._given_together(text, treatments, before, -1)
        if e.lead not in self.before_leads and e.kind != "cycles":
            return []
        if len(gap) > self.max_for_gap or self.for_blockers.search(gap):
            return []
        if (
            e.kind == "cycles"
            and e.lead not in self.before_leads
            and not re.search(r"\bafter\s+$|\bfor\s+$", text[: e.number_start])
        ):
            return []
        return self._given_together(text, treatments, before, -1)

    def _given_together(
        self, text: str, treatments: list[_Treatment], index: int, step: int
    ) -> list[_Treatment]:
        """The treatment at `index` and those named together with it, walking forward or backward."""
        group = [treatments[index]]
        i = index + step
        while 0 <= i < len(treatments):
            left, right = (group[-1], treatments[i]) if step > 0 else (treatments[i], group[-1])
            if not self.together.match(text[left.end : right.start]):
                break
            group.append(treatments[i])
            i += step
        return sorted(group, key=lambda t: t.start)

    def _of_linked(self, gap: str) -> bool:
        """ "10 years of maintenance", "18 months of chemotherapy with intravenous (IV)": only linking words."""
        tokens = re.findall(r"[^\W_]+|[^\w\s]", re.sub(r"\([^()]{0,20}\)", " ", gap))
        lowered = [t.lower() for t in tokens]
        if not lowered or not (
            lowered[0] in ("of", "on", "with")
            or (lowered[0] in ("course", "courses", "period") and "of" in lowered[:2])
        ):
            return False
        return all(t.lower() in self.of_link or t in "-\u2010\u2011" for t in tokens) and len(tokens) <= 8

    def _latency(
        self, doc: Doc, text: str, offset: int, e: TimeExpression, treatments: list[_Treatment]
    ) -> None:
        if e.kind != "duration" or e.bound == "upper" or e.schedule or e.months is None:
            return
        before, after = text[: e.number_start], text[e.end :]
        for form, before_rx, after_rx in self.forms:
            if form.adjectival and not e.adjectival:
                continue
            b = before_rx.search(before) if before_rx else None
            a = after_rx.match(after) if after_rx else None
            if (before_rx and b is None) or (after_rx and a is None):
                continue
            anchor_start, anchor_end = self._anchor(form, text, e, b, a)
            anchor = text[anchor_start:anchor_end]
            if self.anchor_exclusions.search(anchor):
                return
            if self.blockers.search(self._clause(text, e)):
                return
            if self.event_blockers.search(self._event_text(text, e, anchor_start, anchor_end)):
                return
            if form.onset == "outside_anchor":
                onset_text = text[: min(anchor_start, e.start)] + " " + text[max(anchor_end, e.end) :]
            else:
                onset_text = text
            if form.onset != "none" and not self.onset.search(onset_text):
                continue
            kind, cue_end = self._anchor_kind(anchor, anchor_start, anchor_end, treatments)
            if form.named_anchor_only and kind == "other":
                continue
            if form.anchor == "following" and cue_end is not None:
                anchor_end = cue_end
            start = min(e.number_start, anchor_start)
            end = max(e.end, anchor_end)
            add_mention(
                doc,
                start + offset,
                end + offset,
                "LATENCY",
                e.months,
                anchor=kind,
                form=form.id,
                unit=e.unit,
                value=e.value,
            )
            return

    def _anchor(
        self,
        form: LatencyForm,
        text: str,
        e: TimeExpression,
        b: re.Match[str] | None,
        a: re.Match[str] | None,
    ) -> tuple[int, int]:
        """The characters naming what the interval counts from."""
        if form.anchor == "following":
            start = e.end + (a.end() if a else 0)
            tail = text[start : start + self.max_anchor]
            stop = self.anchor_end.search(tail)
            return start, start + (stop.start() if stop else len(tail))
        if form.anchor == "preceding":
            clause_start = max(text.rfind(";", 0, e.number_start), text.rfind(". ", 0, e.number_start), 0)
            return max(clause_start, e.number_start - self.max_anchor), e.number_start
        if form.anchor == "phrase" and b is not None:
            return b.start(), b.end()
        if form.anchor == "sentence":
            return 0, len(text)
        return e.start, e.end

    def _anchor_kind(
        self, anchor: str, start: int, end: int, treatments: list[_Treatment]
    ) -> tuple[str, int | None]:
        """What the interval counts from, and where the first word saying so ends."""
        treatment = next((t for t in treatments if start <= t.start < end), None)
        therapy = self.therapy_anchor.search(anchor)
        if treatment is not None or therapy is not None:
            ends = [
                t
                for t in (treatment.end if treatment else None, start + therapy.end() if therapy else None)
                if t
            ]
            return "therapy", min(ends)
        diagnosis = self.diagnosis_anchor.search(anchor)
        if diagnosis is not None:
            return "diagnosis", start + diagnosis.end()
        return "other", None

    @staticmethod
    def _event_text(text: str, e: TimeExpression, anchor_start: int, anchor_end: int) -> str:
        """The words after a time expression up to the end of its sentence, without the start point's
        words: the event it dates ("later, she developed bone metastases", not "after therapy for
        metastases")."""
        stops = [i for i in (text.find(". ", e.end), text.find(";", e.end)) if i != -1]
        end = min(stops) if stops else len(text)
        if anchor_start < end and e.end < anchor_end:
            return text[e.end : max(e.end, anchor_start)] + " " + text[min(end, anchor_end) : end]
        return text[e.end : end]

    def _clause(self, text: str, e: TimeExpression) -> str:
        """The clause around a time expression, for outcome words that rule a latency out."""
        left = max(text.rfind(",", 0, e.number_start), text.rfind(";", 0, e.number_start), 0)
        stops = [i for i in (text.find(",", e.end), text.find(";", e.end)) if i != -1]
        right = min(stops) if stops else len(text)
        return text[left:right]


class CohortRecognizer:
    """Marks group statements: series sizes and median/range latency or exposure."""

    def __init__(self) -> None:
        rules = cohort_rules()
        count = _count_regex()
        units = _unit_alternation()
        flags = re.IGNORECASE

        def compiled(regex: str) -> re.Pattern[str]:
            return re.compile(regex.replace("SEC", rules.secondary_condition), flags)

        self.number = re.compile(count, flags)
        self.counts = [
            (r.kind, compiled(r.before) if r.before else None, compiled(r.after)) for r in rules.counts
        ]
        self.statistic_cue = re.compile(r"median|rang|\(\s*\d", flags)
        self.priority = {kind: rank for rank, kind in enumerate(rules.kind_priority)}
        self.count_max = rules.count_max
        self.median = re.compile(rules.median, flags)
        self.range_bracket = re.compile(rules.range_bracket.replace("UNIT", units), flags)
        self.range_prose = re.compile(rules.range_prose.replace("UNIT", units), flags)
        self.range_then_median = re.compile(rules.range_then_median.replace("UNIT", units), flags)
        self.range_alone = re.compile(rules.range_alone.replace("UNIT", units), flags)
        self.value = re.compile(rf"(?<![\w.])(?P<v>\d+(?:\.\d+)?)\s*(?P<unit>(?:{units})(?![\w]))?", flags)
        self.unit_after = re.compile(rf"^\s*(?P<unit>{units})(?![\w])", flags)
        self.max_words = rules.max_words_to_value
        self.exclude = re.compile(rules.exclude, flags)
        self.exposure = re.compile(rules.exposure, flags)
        self.latency = re.compile(rules.latency, flags)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        for start, end, n, kind in self._counts(text):
            add_mention(doc, start, end, "COHORT", "n_patients", n=n, kind=kind)
        for sentence in doc.sents:
            words = text[sentence.start_char : sentence.end_char]
            if not self.statistic_cue.search(words):
                continue
            for start, end, field, stat in self._statistics(words):
                add_mention(
                    doc, start + sentence.start_char, end + sentence.start_char, "COHORT", field, **stat
                )
        return doc

    def _counts(self, text: str) -> list[tuple[int, int, int, str]]:
        """Series sizes: each number tried against the count rules, the best-ranked kind kept."""
        found: list[tuple[int, int, int, str]] = []
        for number in self.number.finditer(text):
            n = parse_number(number.group(0))
            if n is None or not 2 <= n <= self.count_max:
                continue
            best: tuple[int, int, int, str] | None = None
            for kind, before, after in self.counts:
                if best is not None and self.priority[kind] >= self.priority[best[3]]:
                    continue
                tail = after.match(text, number.end())
                if tail is None:
                    continue
                if (
                    before is not None
                    and before.search(text[max(0, number.start() - 80) : number.start()]) is None
                ):
                    continue
                best = (number.start(), tail.end(), int(n), kind)
            if best is not None:
                found.append(best)
        return found

    def _statistics(self, text: str) -> list[tuple[int, int, str, dict[str, float | None]]]:
        """Median/range statements of a sentence, each with the field it fills."""
        found: list[tuple[int, int, dict[str, float | None]]] = []
        found.extend(_range(m, with_median=True) for m in self.range_then_median.finditer(text))
        for keyword in self.median.finditer(text):
            if _inside(found, keyword.start()):
                continue
            stat = self._median_at(text, keyword.start(), keyword.end())
            if stat is not None:
                found.append(stat)
        for m in self.range_prose.finditer(text):
            if not _inside(found, m.start()):
                found.append(_range(m))
        for m in self.value.finditer(text):
            bracket = self.range_bracket.match(text, m.end())
            if bracket is None or _inside(found, m.start()):
                continue
            unit = m.group("unit") or bracket.group("unit") or self._unit_at(text, bracket.end())
            if unit is not None:
                found.append((m.start(), bracket.end(), _stat(float(m.group("v")), bracket, unit)))
        for m in self.range_alone.finditer(text):
            if not _inside(found, m.start()) and not _inside(found, m.end() - 1):
                found.append(_range(m))
        found.sort(key=lambda f: f[0])
        out: list[tuple[int, int, str, dict[str, float | None]]] = []
        for k, (start, end, stat) in enumerate(found):
            window_start = found[k - 1][1] if k > 0 else 0
            window_end = found[k + 1][0] if k + 1 < len(found) else len(text)
            near = text[max(window_start, start - 60) : min(window_end, end + 40)]
            field = self._field(
                text[start:end], text[window_start:start], near, text[window_start:window_end]
            )
            if field is not None:
                out.append((start, end, field, stat))
        return out

    def _median_at(self, text: str, start: int, end: int) -> tuple[int, int, dict[str, float | None]] | None:
        """ "median 54 months (range, 5-119)", "median of 32.5 months", "median ... was 16.3 (range ...) months"."""
        for m in self.value.finditer(text, end):
            between = text[end : m.start()]
            if len(re.findall(r"[^\W\d_]+", between)) > self.max_words or re.search(r"[;.]\s", between):
                return None
            bracket = self._bracket_after(text, m.end())
            unit = m.group("unit") or (bracket.group("unit") if bracket else None)
            if unit is None and bracket is not None:
                unit = self._unit_at(text, bracket.end())
            if unit is None:
                return None
            value = float(m.group("v"))
            if bracket is None:
                return start, m.end(), {"median": to_months(value, unit), "min": None, "max": None}
            return start, bracket.end(), _stat(value, bracket, unit)
        return None

    def _bracket_after(self, text: str, position: int) -> re.Match[str] | None:
        """A range in brackets right after a value, or a few words later ("42 months of ... exposure (range, 2-114)")."""
        direct = self.range_bracket.match(text, position)
        if direct is not None:
            return direct
        tail = re.match(r"\s*(?:[\w-]+\s+){1,6}?(?=[\(\[])", text[position:])
        return self.range_bracket.match(text, position + tail.end()) if tail else None

    def _unit_at(self, text: str, position: int) -> str | None:
        m = self.unit_after.match(text[position:])
        return m.group("unit") if m else None

    def _field(self, statement: str, lead: str, near: str, window: str) -> str | None:
        """latency_months, exposure_months, or None for survival, follow-up, ages and the like."""
        if self.exclude.search(near):
            return None
        if self.exposure.search(statement) or re.search(r"\bduration\b[^.;]*$", lead, re.IGNORECASE):
            return "exposure_months"
        if self.latency.search(window):
            return "latency_months"
        return None


def _range(m: re.Match[str], with_median: bool = False) -> tuple[int, int, dict[str, float | None]]:
    """A range statement (groups `lo`, `hi`, `unit`, and `median` when it states one), in months."""
    unit = m.group("unit")
    return (
        m.start(),
        m.end(),
        {
            "median": to_months(float(m.group("median")), unit) if with_median else None,
            "min": to_months(float(m.group("lo")), unit),
            "max": to_months(float(m.group("hi")), unit),
        },
    )


def _inside(found: list[tuple[int, int, dict[str, float | None]]], position: int) -> bool:
    return any(s <= position < e for s, e, _ in found)


def _stat(value: float, bracket: re.Match[str], unit: str) -> dict[str, float | None]:
    low, high = float(bracket.group("lo")), float(bracket.group("hi"))
    range_unit = bracket.group("unit") or unit
    return {
        "median": to_months(value, unit),
        "min": to_months(low, range_unit),
        "max": to_months(high, range_unit),
    }


@Language.factory("durations", default_config={"latency_rules": "latency.json"})
def make_durations(nlp: Language, name: str, latency_rules: str) -> DurationRecognizer:
    return DurationRecognizer(latency_rules)


@Language.factory("cohort_stats")
def make_cohort_stats(nlp: Language, name: str) -> CohortRecognizer:
    return CohortRecognizer()
