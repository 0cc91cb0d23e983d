"""Outcome mentions (`OUTCOME`): remission, MRD negativity, responses, relapse, death, alive.

Rules live in `patterns/outcomes.jsonl`: one line per outcome type (its written
forms in lower case, see `components.lowercase`; words one of which a text must
contain for them to be tried; the types it implies; whether the phrase carries
its own negation) and
one line per attribute rule (negation and hypothetical cues, death causes,
times, target cues). A mention keeps `cause`, `time_months` and `target_cue`
as the text states them; which disease it refers to is settled per case by
the filler, which sees the case's diagnoses.

ConText's negation reaches to the end of a sentence ("without known poor risk
cytogenetics ... resulting in complete remission" would negate the remission),
so this component judges negation within the clause and stores it as
`assertion`.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, RootModel
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention, doc_folded, doc_lowered, doc_text, mentions
from extractor.components.anchored import AnchoredRules
from extractor.parsers.numbers import parse_number
from extractor.patterns import load_jsonl
from extractor.schema import OutcomeType

AttributeName = Literal[
    "negation",
    "hypothetical",
    "blocked_after",
    "adjective_forms",
    "adjective_before_disease",
    "cause",
    "cause_lead",
    "cause_after_lead",
    "cause_end",
    "cause_strip",
    "clause_boundary",
    "time",
    "time_not_before",
    "time_relative",
    "time_reference",
    "time_other_event",
    "target_primary",
    "target_secondary",
    "respectively",
    "list_separator",
]

MONTHS_PER_UNIT: dict[str, float] = {
    "day": 1 / 30.44,
    "week": 1 / 4.345,
    "month": 1.0,
    "mo": 1.0,
    "year": 12.0,
    "yr": 12.0,
}
"""The guide's conversions (section 4) from a time unit to months."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutcomeEntry(_Strict):
    """One outcome type and its written forms."""

    type: OutcomeType
    patterns: list[str]
    implies: list[OutcomeType] = []
    reference_point: bool = False
    """A response that texts often use as the starting point of a later event ("after entering CR")."""
    self_negating: bool = False
    anchors: list[str] = []
    note: str | None = None


class AttributeRule(_Strict):
    """Cue regexes for one attribute of outcome mentions."""

    attribute: AttributeName
    patterns: list[str]


class OutcomeLine(RootModel[OutcomeEntry | AttributeRule]):
    """A line of `patterns/outcomes.jsonl`: an outcome type or an attribute rule."""


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    entry: OutcomeEntry


class OutcomeRecognizer:
    """Marks outcomes with their type, negation, death cause, time in months and target cue."""

    def __init__(self, rules_file: str) -> None:
        lines = [line.root for line in load_jsonl(rules_file, OutcomeLine)]
        self.entries = [line for line in lines if isinstance(line, OutcomeEntry)]
        attrs: dict[str, list[re.Pattern[str]]] = {}
        for line in lines:
            if isinstance(line, AttributeRule):
                attrs.setdefault(line.attribute, []).extend(
                    re.compile(p, re.IGNORECASE) for p in line.patterns
                )
        missing = set(get_args(AttributeName)) - set(attrs)
        if missing:
            raise ValueError(f"{rules_file}: no rule for {sorted(missing)}")
        self.attrs = attrs
        self.rules = AnchoredRules((entry, p, entry.anchors) for entry in self.entries for p in entry.patterns)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        diagnoses = sorted(s.start_char for s in mentions(doc, "DIAGNOSIS"))
        previous: tuple[Candidate, dict[str, object]] | None = None
        for cand in self._resolve(self._candidates(text, doc_lowered(doc), doc_folded(doc))):
            k = bisect_right(starts, cand.start) - 1
            sent_start = starts[k] if k >= 0 else 0
            sent_end = starts[k + 1] if k + 1 < len(starts) else len(text)
            if self._blocked(text, cand, sent_end, diagnoses):
                continue
            if previous is not None and self._restates(text, previous[0], cand):
                add_mention(doc, cand.start, cand.end, "OUTCOME", cand.entry.type, **previous[1])
                continue
            previous = (cand, self._emit(doc, text, cand, sent_start, sent_end))
        return doc

    @staticmethod
    def _restates(text: str, previous: Candidate, cand: Candidate) -> bool:
        """The abbreviation after its long form, "complete remission (CR)": it takes the long form's attributes."""
        return previous.entry.type == cand.entry.type and text[previous.end : cand.start].strip() == "("

    def _candidates(self, text: str, lowered: str, folded: str) -> list[Candidate]:
        return [Candidate(m.start(), m.end(), entry) for entry, m in self.rules.finditer(text, lowered, folded)]

    @staticmethod
    def _resolve(found: list[Candidate]) -> list[Candidate]:
        """Longest phrase wins ("very good partial response" over "partial response")."""
        kept: list[Candidate] = []
        for c in sorted(found, key=lambda c: (-(c.end - c.start), c.start)):
            if not any(c.start < k.end and k.start < c.end for k in kept):
                kept.append(c)
        return sorted(kept, key=lambda c: c.start)

    def _blocked(self, text: str, cand: Candidate, sent_end: int, diagnoses: list[int]) -> bool:
        """ "relapse-free survival", "risk of relapse rates", "relapsed diffuse large B-cell lymphoma": an
        `adjective_forms` word right before a disease name describes the disease, not an event."""
        after = text[cand.end : sent_end]
        if any(p.match(after) for p in self.attrs["blocked_after"]):
            return True
        word = text[cand.start : cand.end].lower()
        if any(p.fullmatch(word) for p in self.attrs["adjective_forms"]):
            i = bisect_right(diagnoses, cand.end)
            if i < len(diagnoses):
                between = text[cand.end : diagnoses[i]]
                return any(p.match(between) for p in self.attrs["adjective_before_disease"])
        return False

    def _emit(
        self, doc: Doc, text: str, cand: Candidate, sent_start: int, sent_end: int
    ) -> dict[str, object]:
        """Add the outcome (or one death per cause listed "respectively"); return the attributes it got."""
        clause_start, clause_end = self._clause(text, cand, sent_start, sent_end)
        before = text[clause_start : cand.start]
        assertion = "affirmed"
        if not cand.entry.self_negating and any(p.search(before) for p in self.attrs["negation"]):
            assertion = "negated"
        elif any(p.search(before) for p in self.attrs["hypothetical"]):
            assertion = "hypothetical"
        time = self._time(text, cand, clause_start, clause_end)
        items = self._causes(text, cand, sent_start, sent_end) if cand.entry.type == "death" else []
        window = text[clause_start:clause_end]
        cue = self._target_cue(window)
        base: dict[str, object] = {"assertion": assertion}
        if time is not None:
            base["time_months"] = time
        if len(items) > 1:
            for index, (start, end, cause) in enumerate(items):
                attrs = {**base, "cause": cause, "respectively": index}
                item_cue = self._target_cue(cause)
                if item_cue:
                    attrs["target_cue"] = item_cue
                add_mention(doc, start, end, "OUTCOME", "death", **attrs)
            return base
        attrs = dict(base)
        end = cand.end
        if items:
            end, attrs["cause"] = items[0][1], items[0][2]
        if cue:
            attrs["target_cue"] = cue
        add_mention(doc, cand.start, end, "OUTCOME", cand.entry.type, **attrs)
        for implied in cand.entry.implies:
            add_mention(doc, cand.start, end, "OUTCOME", implied, **attrs)
        return attrs

    def _clause(self, text: str, cand: Candidate, sent_start: int, sent_end: int) -> tuple[int, int]:
        start = sent_start
        for p in self.attrs["clause_boundary"]:
            for m in p.finditer(text, sent_start, cand.start):
                start = max(start, m.end())
        end = sent_end
        for p in self.attrs["clause_boundary"]:
            m = p.search(text, cand.end, sent_end)
            if m:
                end = min(end, m.start())
        return start, end

    def _time(self, text: str, cand: Candidate, start: int, end: int) -> float | None:
        """The stated time nearest to the outcome within its clause, in months.

        An outcome written as the reference point of another event ("developed MDS 40 months after
        entering complete remission", "t-MDS after achieving CR ... at 32 months") has no time of its own,
        and a time with another event's verb between it and the outcome ("in complete remission ..., who
        developed 2 years later MPAL") is that event's time.
        """
        if cand.entry.reference_point and any(
            p.search(text[start : cand.start]) for p in self.attrs.get("time_reference", [])
        ):
            return None
        best: tuple[int, float] | None = None
        for p in self.attrs["time"]:
            for m in p.finditer(text, start, end):
                if cand.start <= m.start() < cand.end and cand.entry.type != "death":
                    continue
                months = self._months(m)
                if months is None or any(
                    q.search(text[start : m.start()]) for q in self.attrs["time_not_before"]
                ):
                    continue
                gap = text[m.end() : cand.start]
                if m.end() <= cand.start and any(q.match(gap) for q in self.attrs["time_relative"]):
                    continue
                between = gap if m.end() <= cand.start else text[cand.end : m.start()]
                if any(q.search(between) for q in self.attrs["time_other_event"]):
                    continue
                distance = cand.start - m.end() if m.end() <= cand.start else m.start() - cand.end
                if best is None or abs(distance) < best[0]:
                    best = (abs(distance), months)
        return best[1] if best else None

    @staticmethod
    def _months(m: re.Match[str]) -> float | None:
        groups = m.groupdict()
        if groups.get("day"):
            return round(float(groups["day"]) / 30.44, 1)
        unit = (groups.get("unit") or "").lower().rstrip("s")
        per = MONTHS_PER_UNIT.get(unit)
        if per is None:
            return None
        written = groups.get("ordinal") or groups.get("number")
        value = parse_number(written) if written else None
        if value is None or value <= 0:
            return None
        return round(value * per, 1)

    def _causes(
        self, text: str, cand: Candidate, sent_start: int, sent_end: int
    ) -> list[tuple[int, int, str]]:
        """The stated cause of death: one item, or one per patient before "respectively".

        The cause follows the death word ("died of", "succumbed to"), or the verb after "the cause of death".
        """
        after = text[cand.end : sent_end]
        led = any(p.search(text[sent_start : cand.start]) for p in self.attrs["cause_lead"])
        for p in self.attrs["cause_after_lead"] if led else self.attrs["cause"]:
            m = p.search(after)
            if not m:
                continue
            start = cand.end + m.start("cause")
            rest = text[start:sent_end]
            resp = self.attrs["respectively"][0].search(rest)
            if resp:
                listed = rest[: resp.start()].rstrip(" ,")
                return self._list_items(start, listed)
            stop = min(
                (e.start() for e in (q.search(rest) for q in self.attrs["cause_end"]) if e), default=len(rest)
            )
            cause = self._clean(rest[:stop])
            if cause:
                return [(start, start + stop, cause)]
        return []

    def _list_items(self, start: int, listed: str) -> list[tuple[int, int, str]]:
        items: list[tuple[int, int, str]] = []
        pos = 0
        for sep in self.attrs["list_separator"][0].finditer(listed):
            items.append((start + pos, start + sep.start(), self._clean(listed[pos : sep.start()])))
            pos = sep.end()
        items.append((start + pos, start + len(listed), self._clean(listed[pos:])))
        return [i for i in items if i[2]]

    def _clean(self, cause: str) -> str:
        cleaned = cause.strip()
        for p in self.attrs["cause_strip"]:
            cleaned = p.sub("", cleaned)
        return re.sub(r"\s+", " ", cleaned).strip().lower()

    def _target_cue(self, window: str) -> str | None:
        if any(p.search(window) for p in self.attrs["target_primary"]):
            return "primary"
        if any(p.search(window) for p in self.attrs["target_secondary"]):
            return "secondary"
        return None


@Language.factory("outcomes", default_config={"rules_file": "outcomes.jsonl"})
def make_outcomes(nlp: Language, name: str, rules_file: str) -> OutcomeRecognizer:
    return OutcomeRecognizer(rules_file)
