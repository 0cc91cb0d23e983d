"""Latencies and treatment durations from real case-report sentences (guide sections 4-5), and the traps:
survival, follow-up, ages, doses, remission- or completion-anchored intervals and group statistics."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.assembly.treatments import fill_latency
from extractor.document import Document
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Case, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("treatments", "durations"))


def _analysis(nlp: Language, text: str) -> Analysis:
    return analyse(nlp, Document("d", "test", text))


def _labelled(nlp: Language, text: str, label: str) -> list[Mention]:
    return [m for m in _analysis(nlp, text).mentions if m.label == label]


@pytest.mark.parametrize(
    ("text", "months", "anchor"),
    [
        (
            (
                "Herein, we describe an elderly man with PCM and a 14-year cumulative history of IMiD therapy who developed "
                "persistent pancytopenia and was diagnosed with B-ALL."
            ),
            168,
            "therapy",
        ),
        (
            (
                "Case 1: A 71-year-old male with a four-year history of standard-risk kappa MM presented with weakness, "
                "fever, cough, and pancytopenia."
            ),
            48,
            "diagnosis",
        ),
        (
            (
                "Therapy-related acute myeloid leukemia developed three years after adjuvant chemotherapy consisting of an "
                "alkylating agent."
            ),
            36,
            "therapy",
        ),
        (
            (
                "She was diagnosed with invasive ductal carcinoma of the left breast and had bilateral mastectomy followed "
                "by adjuvant chemotherapy 3 years prior."
            ),
            36,
            "therapy",
        ),
        ("The development of t-AML was detected 23 months after HLH diagnosis.", 23, "diagnosis"),
        (
            (
                "We present the case of a patient who had undergone prior therapy with 5-fluorouracil, mitomycin C, and "
                "radiation and developed therapy-related acute promyelocytic leukemia about 18 months later."
            ),
            18,
            "therapy",
        ),
        (
            "After latent period of 23 months she developed symptoms of fever, weakness and generalized body ache.",
            23,
            "other",
        ),
        (
            (
                "We report a case of therapy-related MDS, which developed 9 years after autologous peripheral blood stem "
                "cell transplantation (PBSCT) for PTCL."
            ),
            108,
            "therapy",
        ),
        (
            (
                "We present a 47-year-old lady who developed therapy related MDS 2.5 years after she received four cycles "
                "of chemotherapy."
            ),
            30,
            "therapy",
        ),
        (
            "Eight months after CAR T-cell infusion, the bone marrow biopsy revealed multilineage dysplasia.",
            8,
            "therapy",
        ),
        (
            (
                "We present a case of an elderly male who was diagnosed with B-ALL after 10 years of maintenance "
                "lenalidomide therapy."
            ),
            120,
            "therapy",
        ),
        ("after 33 months of lenalidomide maintenance she developed ALL", 33, "therapy"),
        ("The patient developed B-ALL 50 months after starting lenalidomide.", 50, "therapy"),
        (
            "The interval between diagnosis of breast cancer and the appearance of ALL was 4 years.",
            48,
            "diagnosis",
        ),
        (
            (
                "We report two young adult patients who were both diagnosed with Ph+ ALL 19 years after successful "
                "treatment for ES with combined modality therapy."
            ),
            228,
            "therapy",
        ),
        (
            "After 8 years of evolution since she started chemotherapy, bone marrow aspirate revealed ALL.",
            96,
            "therapy",
        ),
        (
            "He developed chronic myeloid leukemia after a period of 6 years during follow up of DLBCL.",
            72,
            "other",
        ),
        (
            "The latency period between the first dose of MTZ and the development of the tAPL was 47 months.",
            47,
            "therapy",
        ),
        ("After receiving lenalidomide for 4 years, she developed B-ALL.", 48, "therapy"),
        (
            (
                "we report the development of t-AML in a colorectal cancer patient after an approximate 16-month latency "
                "period following treatment with 6 cycles of oxaliplatin plus capecitabine."
            ),
            16,
            "therapy",
        ),
        (
            (
                "A 60-year-old man presented with fatigue. Forty months earlier, he had been diagnosed with stage IIB "
                "sigmoid colon cancer."
            ),
            40,
            "diagnosis",
        ),
        ("The patient was diagnosed with t-AML approximately 16 months after treatment.", 16, "therapy"),
        (
            "A 40-yr-old woman developed acute leukemia 15 months after undergoing 6 cycles of adjuvant chemotherapy.",
            15,
            "therapy",
        ),
        (
            "We report a case of 40-year-old ladywho developed AML after four years on multiple lines of treatment.",
            48,
            "therapy",
        ),
        (
            (
                "He received radioactive iodine on two occasions postoperatively. After six years, he presented with "
                "malaise and was diagnosed with T-cell lymphoblastic leukaemia/lymphoma."
            ),
            72,
            "other",
        ),
    ],
)
def test_latency_statements(nlp: Language, text: str, months: float, anchor: str) -> None:
    latencies = _labelled(nlp, text, "LATENCY")
    assert [(m.norm, m.attrs["anchor"]) for m in latencies] == [(months, anchor)]


@pytest.mark.parametrize(
    "text",
    [
        (
            "Here, we report a 62-year-old female who developed t-MN only three months after the completion of "
            "conventional chemotherapy and anti-CCR4 antibody for ATL acute type."
        ),
        "Thirty-six months after the initial CR, an increase in immature cells was observed in the bone marrow.",
        "she died of viral encephalomyelitis at 7 months after diagnosis of t-MN.",
        "He relapsed 33 months later and received salvage chemotherapy.",
        "At 39 months after PBSCT, he relapsed with a tumor in his right arm.",
        "Our patient developed MDS within 2.5 years of starting chemotherapy and radiotherapy.",
        "was diagnosed to have acute lymphoblastic leukemia one year after stopping temozolomide.",
        "A follow-up examination performed 14 months after the chemotherapy revealed no evidence of breast malignancy.",
        "The median overall survival (OS) was 40 months.",
        "Patients develop sALL after median of 32.5 months (range, 20–84) from being on lenalidomide maintenance.",
        "These PCM patients were diagnosed with B-ALL after a median time of 36 months after starting IMiD therapy.",
        (
            "Different studies have shown that patients treated with alkylating agents and ionizing radiation present "
            "as MDS with a latent period of 3-10 years."
        ),
        "t-MDS rapidly progressed after 3 months to therapy-related acute myeloid leukemia (t-AML).",
        "A 71-year-old male with persistent neutropenia despite discontinuation of lenalidomide.",
        "The 5-year overall survival of the 13 patients treated with a curative intent was 46.2%.",
        "capecitabine-related acute myeloid leukemia that was diagnosed 16 months after the completion of treatment",
        "He remained in complete remission for 1.5 years until he suddenly passed the hematochezia.",
        (
            "We report a case of donor developing acute lymphoblastic leukemia 8 yrs after donating both bone "
            "marrow and peripheral blood hematopoietic stem cells."
        ),
    ],
)
def test_not_latencies(nlp: Language, text: str) -> None:
    assert _labelled(nlp, text, "LATENCY") == []


@pytest.mark.parametrize(
    ("text", "durations"),
    [
        (
            "began maintenance lenalidomide therapy for the next 33 months.",
            [("for the next 33 months", 33.0)],
        ),
        ("She received imatinib 400 mg daily for 5 years.", [("for 5 years", 60.0)]),
        ("and then a 3-year course of dasatinib", [("3-year", 36.0)]),
        (
            "18 months of chemotherapy with intravenous (IV) methotrexate (400 mg/m2), vincristine, and prednisone",
            [("18 months", 18.0)],
        ),
        ("The median overall survival (OS) was 40 months.", []),
        ("No patient died of B-ALL (median follow up of 1.0 years).", []),
        ("lenalidomide 10 mg daily", []),
        ("a 71-year-old man on lenalidomide", []),
        ("She was treated with lenalidomide and remained in remission for 5 years.", []),
        ("cytarabine bid for 12 days", []),
        ("The median duration of PARPi therapy was 16.3 (range, 6.2–48.8) months.", []),
        ("After 2 courses of CHASE, he underwent autologous PBSCT", []),
    ],
)
def test_durations_attach_only_to_treatments(
    nlp: Language, text: str, durations: list[tuple[str, float]]
) -> None:
    assert [(m.text, m.norm) for m in _labelled(nlp, text, "DURATION")] == durations


@pytest.mark.parametrize(
    ("text", "cycles"),
    [
        (
            "His MM had initially been treated with six cycles of lenalidomide (R), bortezomib (V), and dexamethasone",
            [("six cycles", 6.0, ["VRd"])],
        ),
        (
            "After one cycle of blinatumomab, a repeat bone marrow biopsy showed no evidence of leukemia",
            [("one cycle", 1.0, ["blinatumomab"])],
        ),
        ("VRd for 4 cycles followed by lenalidomide maintenance", [("for 4 cycles", 4.0, ["VRd"])]),
        (
            "received six courses of fludarabine plus rituximab",
            [("six courses", 6.0, ["fludarabine", "rituximab"])],
        ),
        ("administration of ≥4 regimens and ≥8 cycles of chemotherapy may be risk factors", []),
    ],
)
def test_cycles(nlp: Language, text: str, cycles: list[tuple[str, float, list[str]]]) -> None:
    analysis = _analysis(nlp, text)
    names = {(m.start, m.end): str(m.norm) for m in analysis.mentions if m.label == "TREATMENT"}
    found = [
        (m.text, m.norm, [names[(s, e)] for s, e in m.attrs["treatments"]])
        for m in analysis.mentions
        if m.label == "CYCLES"
    ]
    assert found == cycles


@pytest.mark.parametrize(
    ("text", "latency"),
    [
        (
            (
                "Case 1: A 71-year-old male with a four-year history of kappa MM presented with weakness. He had received "
                "lenalidomide maintenance; he developed B-ALL 33 months after starting lenalidomide."
            ),
            33.0,
        ),
        (
            (
                "The interval between diagnosis of breast cancer and the appearance of ALL was 4 years. Bone metastases "
                "were found 3 years after surgery."
            ),
            48.0,
        ),
        ("She died 7 months after diagnosis of t-MN.", None),
    ],
)
def test_case_latency_prefers_the_therapy_start(nlp: Language, text: str, latency: float | None) -> None:
    analysis = _analysis(nlp, text)
    case = Case(case_id="d#1")
    fill_latency(case, analysis.mentions, analysis)
    assert case.latency_months == latency
    if latency is not None:
        assert case.evidence["latency_months"][0].text in text


def test_a_treatment_continued_until_a_month_has_that_duration(nlp: Language) -> None:
    # Held-out-style sentence (guide section 4): "continued until N months" is the drug's stated duration.
    text = "The patient achieved complete remission by day 53 and Imatinib was continued until 103 months."
    durations = _labelled(nlp, text, "DURATION")
    assert [(m.text, m.norm) for m in durations] == [("continued until 103 months", 103.0)]
    assert durations[0].attrs["treatments"] == [[54, 62]]


def test_latency_after_chemotherapy_with_drugs_for_n_years(nlp: Language) -> None:
    # pmid-7549140 (batch 4), with the source's run-together drug names separated.
    text = (
        "A case of 77-year-old female with multiple myeloma (IgG-k) developed acute myelomonocytic leukemia "
        "(AMMoL) following a myelodysplastic stage after chemotherapy with melphalan and cyclophosphamide "
        "combinations for 6 years."
    )
    latencies = _labelled(nlp, text, "LATENCY")
    assert [(m.norm, m.attrs["anchor"]) for m in latencies] == [(72.0, "therapy")]


def test_after_a_further_n_years_the_patient_was_diagnosed(nlp: Language) -> None:
    """doi-ol.2015.2867: the interval opens the sentence and counts from the maintenance of the sentence before."""
    text = (
        "The patient was prescribed thalidomide (100 mg/d) to be taken orally for maintenance therapy. After a "
        "further two years the patient was subsequently diagnosed with acute myeloid leukemia."
    )
    assert [m.norm for m in _labelled(nlp, text, "LATENCY")] == [24.0]


def test_years_post_chemotherapy_for_the_primary_is_a_latency(nlp: Language) -> None:
    # hgsa-battersby-t8-21-breast (batch 6), case 1.
    text = (
        "Case 1: 51yo female with pancytopenia. The patient was 2 years post chemotherapy for breast cancer."
    )
    assert [(m.norm, m.attrs["anchor"]) for m in _labelled(nlp, text, "LATENCY")] == [(24.0, "therapy")]


def test_metastases_of_the_primary_dated_n_years_later_are_no_latency(nlp: Language) -> None:
    # pmid-18617535 (batch 6): the event dated is the breast cancer's bone metastases, not the APL.
    text = (
        "A 36-year-old Japanese woman developed right breast cancer and underwent breast-conserving surgery. "
        "Two years later, she developed multiple bone metastases of breast cancer and received hormonal therapy."
    )
    assert _labelled(nlp, text, "LATENCY") == []


# Guards for the event blocker above (constructed sentences): metastases in the start point are not the event.
@pytest.mark.parametrize(
    "text",
    [
        "She developed AML 5 years after chemotherapy for metastatic breast cancer.",
        "t-MDS was diagnosed 3 years after radiotherapy for bone metastases of prostate cancer.",
    ],
)
def test_metastases_named_in_the_start_point_do_not_block_a_latency(nlp: Language, text: str) -> None:
    assert len(_labelled(nlp, text, "LATENCY")) == 1


def test_a_post_relapse_chemotherapy_does_not_block_the_latency(nlp: Language) -> None:
    # ouci-7B0qP8Pl (batch 8): "post-relapse chemotherapy" names a treatment, not a dated relapse; the article's
    # "literature review and description of a clinical case" is about its own patient.
    text = (
        "This article presents a literature review and description of a clinical case of secondary acute myeloid "
        "leukemia (s-AML) developed 57 months after the initial diagnosis in a patient with intermediate-risk NB "
        "who received intensive first-line and post-relapse chemotherapy."
    )
    assert [(m.norm, m.attrs["anchor"]) for m in _labelled(nlp, text, "LATENCY")] == [(57.0, "diagnosis")]
    assert (
        _labelled(
            nlp, "The AML developed 5 years after the diagnosis, when the lymphoma relapsed.", "LATENCY"
        )
        == []
    )


def test_a_duration_during_a_period_of_n_months_belongs_to_every_drug_listed(nlp: Language) -> None:
    # pmid-10575839 (batch 8): one programme of six drugs "during a period of 20 months".
    text = (
        "For the primary tumor, she had received cyclophosphamide, ifosphamide, etoposide, epirubicin, cisplatin, "
        "and vincristine during a period of 20 months; no radiotherapy was given."
    )
    (duration,) = _labelled(nlp, text, "DURATION")
    assert duration.norm == 20.0
    assert len(duration.attrs["treatments"]) == 6
    assert _labelled(nlp, "During the period of 3 months she was well.", "DURATION") == []


def test_a_leukemia_occurring_n_months_after_treatment_is_a_latency(nlp: Language) -> None:
    # ecancer-972-murray-endometrial-t-all (batch 7): "occurring" is the onset word.
    text = (
        "We present a case of t-ALL occurring 18 months after treatment for metastatic endometrial cancer with a "
        "regimen of carboplatin, paclitaxel and radiotherapy."
    )
    assert [m.norm for m in _labelled(nlp, text, "LATENCY")] == [18.0]
