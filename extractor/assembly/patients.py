"""Patient fields of a case: age, sex (guide section 2) and diagnoses with their roles (section 3)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from extractor.assembly.evidence import evidence_of
from extractor.pipeline import Analysis
from extractor.schema import Case, Diagnosis, Mention, Role

DROPPED_WHEN_SPECIFIED: dict[str, frozenset[str]] = {"t-MN": frozenset({"AML", "MDS", "APL"})}
"""A code that only stands in for a more specific secondary disease of the same case."""

GENERIC_LYMPHOMA = "other:lymphoma"
"""The bare word "lymphoma": a restatement of the case's named lymphoma of the same role, when it has one."""

SPECIFIC_LYMPHOMAS = frozenset({"NHL", "HL", "DLBCL", "FL", "MCL", "CLL"})


def is_stated(m: Mention) -> bool:
    """Affirmed by the recognizer's own clause-level judgement, and not about a relative or a hypothesis.

    Recognizers of this family judge negation and uncertainty within the clause (`assertion`);
    ConText's sentence-wide `negated` is used only for mentions without that judgement.
    """
    if m.attrs.get("family") or m.attrs.get("hypothetical"):
        return False
    assertion = m.attrs.get("assertion")
    if assertion is not None:
        return assertion == "affirmed"
    return not (m.attrs.get("negated") or m.attrs.get("uncertain"))


def fill_demographics(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """Age at the secondary malignancy (the latest age stated); sex from nouns, else from pronouns."""
    ages = [m for m in mentions if m.label == "AGE" and isinstance(m.norm, float) and is_stated(m)]
    if ages:
        oldest = max(ages, key=lambda m: (float(m.norm), -m.start))  # type: ignore[arg-type]
        case.age_years = float(oldest.norm)  # type: ignore[arg-type]
        case.evidence["age_years"] = evidence_of([oldest])
    sexes = [m for m in mentions if m.label == "SEX" and not m.attrs.get("family")]
    nouns = [m for m in sexes if m.attrs.get("kind") != "pronoun"]
    voters = nouns or sexes
    if voters:
        value, _ = Counter(str(m.norm) for m in voters).most_common(1)[0]
        case.sex = value  # type: ignore[assignment]
        case.evidence["sex"] = evidence_of(m for m in voters if m.norm == value)


def diagnosis_roles(mentions: Sequence[Mention]) -> dict[tuple[int, int], tuple[str, Role]]:
    """The final (code, role) of every stated diagnosis mention of one case, keyed by its offsets.

    A mention's own words give an explicit role; a mention without one takes the
    role its code has elsewhere in the case. A lineage-free code is read as the
    lineage the case states (ALL as B-ALL, AML as APL), also by a lineage cue
    that names no disease ("pro-B immunophenotype"; never a diagnosis itself). When no disease is stated
    to be secondary, a leukemia or MDS found with an earlier kind of cancer
    (myeloma, lymphoma, a solid tumour) is the secondary one. Beside a secondary
    leukemia or MDS, another "subsequent" cancer (skin cancers after myeloma) is a
    third malignancy: `other`.
    """
    dx = [m for m in mentions if m.label == "DIAGNOSIS" and is_stated(m)]
    children: dict[str, set[str]] = defaultdict(set)
    for m in dx:
        parent = m.attrs.get("refines")
        if isinstance(parent, str):
            children[parent].add(str(m.norm))
    refine = {parent: next(iter(codes)) for parent, codes in children.items() if len(codes) == 1}
    dx = [m for m in dx if not m.attrs.get("lineage_cue")]

    def code(m: Mention) -> str:
        return refine.get(str(m.norm), str(m.norm))

    explicit_secondary = {code(m) for m in dx if m.attrs.get("role_cue") != "default" and m.attrs.get("role") == "secondary"}
    roles: dict[tuple[int, int], tuple[str, Role]] = {}
    for m in dx:
        c = code(m)
        if m.attrs.get("role_cue") != "default":
            role: Role = m.attrs.get("role", "primary")  # type: ignore[assignment]
        else:
            role = "secondary" if c in explicit_secondary else "primary"
        roles[(m.start, m.end)] = (c, role)
    therapy_related = {code(m) for m in dx if m.attrs.get("therapy_related")}
    if not any(role == "secondary" and c in therapy_related for c, role in roles.values()):
        earlier = {c for c, role in roles.values() if role == "primary" and c not in therapy_related}
        if earlier:
            for m in dx:
                c, role = roles[(m.start, m.end)]
                if c in therapy_related and m.attrs.get("role_cue") == "default":
                    roles[(m.start, m.end)] = (c, "secondary")
    secondary = {c for c, role in roles.values() if role == "secondary"}
    lymphomas = {
        role for c, role in roles.values() if c in SPECIFIC_LYMPHOMAS or (c.startswith("other:") and c != GENERIC_LYMPHOMA and "lymphoma" in c)
    }
    for key, (c, role) in list(roles.items()):
        if DROPPED_WHEN_SPECIFIED.get(c, frozenset()) & secondary or (c == GENERIC_LYMPHOMA and role in lymphomas):
            del roles[key]
        elif role == "secondary" and c not in therapy_related and secondary & therapy_related:
            roles[key] = (c, "other")
    return roles


def fill_diagnoses(case: Case, mentions: Sequence[Mention], analysis: Analysis) -> None:
    """One diagnosis per (code, role) of the case, in order of first mention, with all its evidence."""
    roles = diagnosis_roles(mentions)
    grouped: dict[tuple[str, Role], list[Mention]] = {}
    for m in mentions:
        key = roles.get((m.start, m.end)) if m.label == "DIAGNOSIS" else None
        if key is not None:
            grouped.setdefault(key, []).append(m)
    case.diagnoses = [Diagnosis(code=c, role=role, evidence=evidence_of(ms)) for (c, role), ms in grouped.items()]
