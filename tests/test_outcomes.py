"""Outcomes from real case-report sentences: type, negation, cause, time, and the disease they refer to."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.assembly.outcomes import fill_outcomes
from extractor.document import Document
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Case, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("diagnoses", "outcomes"))


def _outcomes(nlp: Language, text: str) -> list[Mention]:
    return [m for m in analyse(nlp, Document("d", "test", text)).mentions if m.label == "OUTCOME"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "Both patients had B-cell ALL, without known poor risk cytogenetics, and were managed with standard "
                "induction therapies resulting in complete remission."
            ),
            [("complete_remission", "affirmed", None, None)],
        ),
        (
            (
                "Although the patient underwent allogenic hematopoietic stem cell transplantation, she died of viral "
                "encephalomyelitis at 7 months after diagnosis of t-MN."
            ),
            [("death", "affirmed", "viral encephalomyelitis", 7.0)],
        ),
        (
            (
                "There was no response to chemotherapy (cytarabine and idarubicin, FLAG-IDA protocol, azacitidine) "
                "and our patient died in the 11th month after diagnosis."
            ),
            [("refractory", "affirmed", None, None), ("death", "affirmed", None, 11.0)],
        ),
        (
            "However, he died  six  months after diagnosis from meningoencephalitis.",
            [("death", "affirmed", "meningoencephalitis", 6.0)],
        ),
        (
            (
                "He was treated with doxorubicin/vincristine followed by inotuzumab, but ultimately passed away from "
                "meningitis secondary to his immunocompromised status."
            ),
            [("death", "affirmed", "meningitis", None)],
        ),
        (
            (
                "The third case involved a 74-year-old man with lung squamous cell carcinoma who developed "
                "intermediate-risk t-APL following chemoimmunotherapy but unfortunately succumbed to pseudotumor "
                "cerebri complications during induction therapy."
            ),
            [("death", "affirmed", "pseudotumor cerebri complications", None)],
        ),
        (
            (
                "Her MM had been initially treated with four cycles of RVd, to which she achieved a very good partial "
                "response."
            ),
            [("vgpr", "affirmed", None, None)],
        ),
        (
            "After one cycle of blinatumomab, a repeat bone marrow biopsy showed no evidence of leukemia",
            [("complete_remission", "affirmed", None, None)],
        ),
        (
            (
                "Following treatment with all-trans-retinoic acid and arsenic trioxide, the patient achieved complete "
                "clinical, morphological and molecular remission."
            ),
            [("complete_remission", "affirmed", None, None), ("mrd_negative", "affirmed", None, None)],
        ),
        (
            "End-of-induction bone marrow results were MRD negative.",
            [("mrd_negative", "affirmed", None, None)],
        ),
        # pmid-16939961 (batch 6).
        (
            "Despite aggressive treatment and support, the patient had a rapidly fatal clinical course.",
            [("death", "affirmed", None, None)],
        ),
        (
            "He relapsed 33 months later and received salvage chemotherapy",
            [("relapse", "affirmed", None, 33.0)],
        ),
        (
            "Thirty-six months after the initial CR, an increase in immature cells (up to 12.0%) was observed",
            [("complete_remission", "affirmed", None, None)],
        ),
        (
            "She did not achieve remission after two cycles of induction.",
            [("refractory", "affirmed", None, None)],
        ),
        ("No patient died of B-ALL (median follow up of 1.0 years).", [("death", "negated", "b-all", None)]),
        (
            (
                "with the exception of the patient in case 3, who survived following allogeneic hematopoietic stem "
                "cell transplantation"
            ),
            [("alive", "affirmed", None, None)],
        ),
        ("We report a case of high risk MDS in a patient with relapsed diffuse large B cell lymphoma.", []),
        ("Median event-free survival was 35.4 months; relapse-free survival was not reached.", []),
        (
            "Despite initial remission, a day 100 bone marrow biopsy revealed MDS.",
            [("complete_remission", "affirmed", None, None)],
        ),
        ("She received initial remission induction chemotherapy with daunorubicin and cytarabine.", []),
        ("Treatment related acute myeloid leukemia (t-AML) is well documented phenomenon", []),
    ],
)
def test_outcome_mentions(
    nlp: Language, text: str, expected: list[tuple[str, str, str | None, float | None]]
) -> None:
    found = [
        (m.norm, m.attrs["assertion"], m.attrs.get("cause"), m.attrs.get("time_months"))
        for m in _outcomes(nlp, text)
    ]
    assert found == expected


def test_causes_listed_respectively_become_one_death_each(nlp: Language) -> None:
    text = (
        "The three cases eventually succumbed from secondary malignancy, therapy-related complications and "
        "progression of primary disease, respectively."
    )
    found = [
        (m.attrs["cause"], m.attrs["respectively"], m.attrs.get("target_cue")) for m in _outcomes(nlp, text)
    ]
    assert found == [
        ("secondary malignancy", 0, "secondary"),
        ("therapy-related complications", 1, None),
        ("progression of primary disease", 2, "primary"),
    ]


def _m(label: str, norm: str, start: int, **attrs: object) -> Mention:
    base: dict[str, object] = {"assertion": "affirmed"}
    if label == "DIAGNOSIS":
        base.update(role="primary", role_cue="default")
    return Mention(
        doc_id="d", start=start, end=start + 2, label=label, text=norm, norm=norm, attrs={**base, **attrs}
    )


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        # shm case 1: sCR of the myeloma, then death after the B-ALL.
        (
            [
                _m("DIAGNOSIS", "MM", 10),
                _m("OUTCOME", "complete_remission", 20),
                _m("DIAGNOSIS", "B-ALL", 40, role="secondary", role_cue="explicit", therapy_related=True),
                _m("OUTCOME", "death", 60, cause="meningitis"),
            ],
            [("complete_remission", "primary", None, None), ("death", "secondary", None, "meningitis")],
        ),
        # abs-013: a lone ALL; its remission is a remission of the primary disease.
        (
            [_m("DIAGNOSIS", "ALL", 10, therapy_related=True), _m("OUTCOME", "complete_remission", 90)],
            [("complete_remission", "primary", None, None)],
        ),
        # abs-022: "in complete remission from breast cancer" names its disease.
        (
            [
                _m("DIAGNOSIS", "AML", 5, role="secondary", role_cue="explicit", therapy_related=True),
                _m("OUTCOME", "complete_remission", 30, target_cue="primary"),
                _m("DIAGNOSIS", "breast-cancer", 50),
            ],
            [("complete_remission", "primary", None, None)],
        ),
        # pmid-38417872: two relapses with their times stay two outcomes; a negated remission is dropped.
        (
            [
                _m("DIAGNOSIS", "other:peripheral t-cell lymphoma", 5),
                _m("OUTCOME", "relapse", 20, time_months=33.0),
                _m("OUTCOME", "relapse", 40, time_months=39.0),
                _m("OUTCOME", "relapse", 60),
                _m("OUTCOME", "complete_remission", 80, assertion="negated"),
            ],
            [("relapse", "primary", 33.0, None), ("relapse", "primary", 39.0, None)],
        ),
    ],
)
def test_fill_outcomes(
    mentions: list[Mention], expected: list[tuple[str, str, float | None, str | None]]
) -> None:
    case = Case(case_id="d#1")
    fill_outcomes(case, mentions, Analysis(Document("d", "test", ""), mentions, []))
    assert [(o.type, o.target, o.time_months, o.cause) for o in case.outcomes] == expected
    assert all(o.evidence for o in case.outcomes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "Induction therapy consisting of cytosine arabinoside, 5‐aza‐cytidine, vincristine, and prednisone was "
                "unsuccessful, and the patient died of sepsis two months after diagnosis."
            ),
            [("refractory", "affirmed", None, None), ("death", "affirmed", "sepsis", 2.0)],
        ),
        (
            (
                "He received only supportive care and expired 3 months after the diagnosis of t-MN (6 months of "
                "survival after the onset of cytopenias)."
            ),
            [("death", "affirmed", None, 3.0)],
        ),
        (
            (
                "We report the case of a 36 year old patient with t-MN (t-MDS) after achieving complete remission (CR) "
                "of a PML-RARA positive acute promyelocytic leukemia (APL) at 32 months after diagnosis."
            ),
            [("complete_remission", "affirmed", None, None), ("complete_remission", "affirmed", None, None)],
        ),
        ("She achieved complete remission after 2 months.", [("complete_remission", "affirmed", None, 2.0)]),
    ],
)
def test_word_number_times_and_remissions_as_reference_points(
    nlp: Language, text: str, expected: list[tuple[str, str, str | None, float | None]]
) -> None:
    """A time written in words; a cause that stops before the time; "unsuccessful" induction; and a
    remission that is only the reference point of a later event takes no time ("after achieving CR")."""
    found = [
        (m.norm, m.attrs["assertion"], m.attrs.get("cause"), m.attrs.get("time_months"))
        for m in _outcomes(nlp, text)
    ]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A decimal point is not a clause boundary: "died 2.5 years later" keeps its time.
        (
            "Multiple remission or relapsing marrow were seen, and she died 2.5 years later.",
            [("relapse", None), ("death", 30.0)],
        ),
        # "by day 53" is a time like "on day 53".
        (
            "The patient achieved complete remission by day 53 and Imatinib was continued until 103 months.",
            [("complete_remission", 1.7)],
        ),
        # pmid-33796400 (batch 4): "2 years later" is the time of the MPAL ("developed"), not of the remission.
        (
            (
                "Here we describe a unique case of a 56-years old female patient affected by MM since 2015 in complete "
                "remission after autologous stem cell transplant and in lenalidomide maintenance, who developed 2 years "
                "later mixed phenotype acute leukemia (MPAL)."
            ),
            [("complete_remission", None)],
        ),
        # pmid-10217195 (batch 4): the remission that lasts to the death has the death's time.
        (
            "The patient died 20 months after DLI, still in CR for his leukemia, due to ALCL progression.",
            [("death", 20.0), ("complete_remission", 20.0)],
        ),
    ],
)
def test_outcome_times_from_batch_4(
    nlp: Language, text: str, expected: list[tuple[str, float | None]]
) -> None:
    assert [(str(m.norm), m.attrs.get("time_months")) for m in _outcomes(nlp, text)] == expected


def test_chemotherapy_that_resulted_in_no_remission_is_refractory(nlp: Language) -> None:
    """doi-ol.2015.2867: "resulted in no remission" is a failure, not a remission."""
    text = (
        "Chemotherapy regimens of cytarabine, aclacinomycin and daunorubicin, homoharringtonine and etoposide, and "
        "mitoxantrone and cytarabine resulted in no remission."
    )
    assert [m.norm for m in _outcomes(nlp, text)] == ["refractory"]
    assert [m.norm for m in _outcomes(nlp, "Induction chemotherapy resulted in complete remission.")] == [
        "complete_remission"
    ]


def test_post_relapse_chemotherapy_is_no_relapse_event(nlp: Language) -> None:
    """ouci-7B0qP8Pl (batch 8): the modifier dates a treatment; its relapse must not take the latency's time."""
    text = (
        "This article presents a literature review and description of a clinical case of secondary acute myeloid "
        "leukemia (s-AML) developed 57 months after the initial diagnosis in a patient with intermediate-risk NB "
        "who received intensive first-line and post-relapse chemotherapy."
    )
    assert _outcomes(nlp, text) == []
    assert [m.norm for m in _outcomes(nlp, "Nine months later, her APL relapsed.")] == ["relapse"]


def test_a_relapse_between_a_remission_and_a_time_takes_the_time(nlp: Language) -> None:
    # rjim-53-2-184-all-after-cll (batch 7): "one year later" dates the relapse, not the remission.
    text = (
        "After that, the disease progressed and the patient began chemotherapy (fludarabine/cyclophosphamide "
        "combination), obtained complete remission and relapsed one year later after finishing treatment."
    )
    assert [(str(m.norm), m.attrs.get("time_months")) for m in _outcomes(nlp, text)] == [
        ("complete_remission", None),
        ("relapse", 12.0),
    ]
