"""Patient fields of a case: age, sex (guide section 2) and diagnoses with their roles (section 3)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache

from extractor.assembly.evidence import evidence_of
from extractor.components.diagnoses import Placeholder, RoleRules
from extractor.pipeline import Analysis
from extractor.patterns import load_json
from extractor.schema import Case, Diagnosis, Mention, Role


@cache
def _placeholders() -> dict[str, Placeholder]:
    return {p.code: p for p in load_json("diagnosis_roles.json", RoleRules).placeholders}


def _yields(code: str, role: Role, roles: Iterable[tuple[str, Role]]) -> bool:
    """Whether a placeholder code gives way to a more specific disease of the case (`placeholders`)."""
    rule = _placeholders().get(code)
    if rule is None:
        return False
    return any(
        other != code
        and (
            other in rule.yields_to
            or (other.startswith("other:") and any(w in other for w in rule.yields_to_words))
        )
        and (other_role == role if rule.same_role else other_role == "secondary")
        for other, other_role in roles
    )


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

    explicit_secondary = {
        code(m) for m in dx if m.attrs.get("role_cue") != "default" and m.attrs.get("role") == "secondary"
    }
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
    stated = set(roles.values())
    for key, (c, role) in list(roles.items()):
        if _yields(c, role, stated):
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
    case.diagnoses = [
        Diagnosis(code=c, role=role, evidence=evidence_of(ms)) for (c, role), ms in grouped.items()
    ]
