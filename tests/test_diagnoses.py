"""Diagnosis codes and roles from real case-report sentences, and the roles a case settles on."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.assembly.patients import fill_diagnoses
from extractor.document import Document
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Case, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("diagnoses",))


def _diagnoses(nlp: Language, text: str) -> list[Mention]:
    return [m for m in analyse(nlp, Document("d", "test", text)).mentions if m.label == "DIAGNOSIS"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "B-cell acute lymphoblastic leukemia in an elderly man with plasma cell myeloma",
            [("B-ALL", None), ("MM", None)],
        ),
        (
            "In precursor B-cell lineage acute lymphoblastic leukemia (BCP-ALL), leukemic cells harbor",
            [("B-ALL", None), ("B-ALL", None)],
        ),
        (
            (
                "Detection of an atypical BCR::ABL1 fusion in a patient with secondary B-cell acute "
                "lymphoblastic leukemia/lymphoma following multiple myeloma treatment"
            ),
            [("B-ALL", "secondary"), ("MM", "primary")],
        ),
        (
            "Therapy-related acute lymphoblastic leukemia (t-ALL) with t(9;22)(q34;q11.2) is rarely reported",
            [("ALL", "secondary"), ("ALL", "secondary")],
        ),
        ("Bone marrow examination revealed T-ALL with a complex karyotype.", [("T-ALL", None)]),
        (
            "We report eight patients with therapy-related B-lymphoblastic leukemias (t-B-ALL) in the setting",
            [("B-ALL", "secondary"), ("B-ALL", "secondary")],
        ),
        (
            (
                "However, the incidence of therapy‑related myelodysplastic syndrome/acute myeloid leukemia (t‑MDS/AML) "
                "has increased."
            ),
            [("MDS", "secondary"), ("AML", "secondary"), ("MDS", "secondary"), ("AML", "secondary")],
        ),
        (
            "Therapy-related myeloid neoplasm (t-MN) is a late and lethal complication induced by chemotherapy",
            [("t-MN", "secondary"), ("t-MN", "secondary")],
        ),
        (
            (
                "We report a case of therapy-related acute myeloid leukemia in a 37-year-old Turkish woman in "
                "complete remission from breast cancer."
            ),
            [("AML", "secondary"), ("breast-cancer", "primary")],
        ),
        (
            "a known sickle cell anemia patient was admitted on account of severe vaso-occlusive crisis",
            [("other:sickle cell anemia", "other")],
        ),
        (
            (
                "The first case involved a 71-year-old man with colorectal and breast cancer, who developed "
                "low-risk t-APL"
            ),
            [("other:colorectal cancer", None), ("breast-cancer", None), ("APL", "secondary")],
        ),
        (
            "prior therapy for stage IIIC squamous cell carcinoma of the anorectal region with 5-fluorouracil",
            [("other:squamous cell carcinoma of the anorectal region", "primary")],
        ),
        (
            "A 55-year-old Korean woman was initially diagnosed with acute myelomonocytic leukemia (AML).",
            [("AML", "primary"), ("AML", None)],
        ),
        (
            "two types of malignant cells (leukemic lymphoblasts and metastatic breast cancer cells) coexisted",
            [("breast-cancer", None)],
        ),
        (
            "Acute lymphoblastic leukemia followed by chronic myelocytic leukemia",
            [("ALL", "primary"), ("CML", "secondary")],
        ),
        (
            "Adult T-cell leukemia/lymphoma (ATL) patients are rarely reported; the dismal prognosis of ATL",
            [("other:adult t-cell leukemia/lymphoma", None)] * 3,
        ),
        (
            "Bone marrow examinations revealed chronic myelomonocytic leukemia-like disease",
            [],
        ),
        (
            "a patient with heterozygous mutations in the ataxia telangiectasia mutated (ATM) gene",
            [],
        ),
    ],
)
def test_codes_and_role_cues(nlp: Language, text: str, expected: list[tuple[str, str | None]]) -> None:
    found = [
        (m.norm, m.attrs["role"] if m.attrs["role_cue"] != "default" else None) for m in _diagnoses(nlp, text)
    ]
    assert found == expected


def test_a_defined_abbreviation_is_read_by_its_definition(nlp: Language) -> None:
    text = (
        "Among 847 AML patients, 28 were diagnosed with acute myeloid leukemia post cytotoxic therapy "
        "(AML-pCT) following breast cancer (BC). Outcomes of AML-pCT post BC were poor."
    )
    found = [(m.text, m.norm) for m in _diagnoses(nlp, text)]
    assert ("BC", "breast-cancer") in found
    assert found.count(("AML-pCT", "AML")) == 2


def test_T_ALL_defined_as_therapy_related_is_ALL(nlp: Language) -> None:
    text = "Therapy-related acute lymphoblastic leukemia (T-ALL) is rare. T-ALL followed lenalidomide."
    found = [(m.norm, m.attrs["role"]) for m in _diagnoses(nlp, text)]
    assert found[1:] == [("ALL", "secondary"), ("ALL", "secondary")]


@pytest.mark.parametrize(
    ("text", "assertion"),
    [
        (
            "This suspected Li-Fraumeni syndrome case report with a likely pathogenic TP53 variant",
            "uncertain",
        ),
        ("Recognition that this patient had APL, rather than the more common therapy-related MDS", "negated"),
        ("Both patients had B-cell ALL, without known poor risk cytogenetics", "affirmed"),
        ("a patient with no history of breast cancer", "negated"),
        (
            "Marrow morphology showed dysplasia, suggesting that the disease had evolved from myelodysplastic syndrome",
            "uncertain",
        ),
    ],
)
def test_assertion_is_judged_within_the_clause(nlp: Language, text: str, assertion: str) -> None:
    assert _diagnoses(nlp, text)[-1].attrs["assertion"] == assertion


def _dx(code: str, start: int, role: str = "primary", cue: str = "default", **attrs: object) -> Mention:
    return Mention(
        doc_id="d",
        start=start,
        end=start + 3,
        label="DIAGNOSIS",
        text=code,
        norm=code,
        attrs={"role": role, "role_cue": cue, "assertion": "affirmed", **attrs},
    )


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        # abs-003: ALL secondary in the title, "Both patients had B-cell ALL" -> one B-ALL, secondary.
        (
            [
                _dx("ALL", 0, "secondary", "explicit", therapy_related=True),
                _dx("MM", 60, "primary", "explicit"),
                _dx("B-ALL", 900, therapy_related=True, refines="ALL"),
            ],
            [("B-ALL", "secondary"), ("MM", "primary")],
        ),
        # abs-001: no role words; a leukemia found with a myeloma is the secondary disease.
        (
            [_dx("B-ALL", 0, therapy_related=True, refines="ALL"), _dx("MM", 59)],
            [("B-ALL", "secondary"), ("MM", "primary")],
        ),
        # abs-028: a lone leukemia with sickle cell anemia stays primary.
        (
            [
                _dx("B-ALL", 0, therapy_related=True, refines="ALL"),
                _dx("other:sickle cell anemia", 50, "other", "explicit"),
            ],
            [("B-ALL", "primary"), ("other:sickle cell anemia", "other")],
        ),
        # pmid-21325260: de novo AML, then t-MDS and t-AML: AML twice, with two roles.
        (
            [
                _dx("AML", 0, "primary", "explicit", therapy_related=True),
                _dx("MDS", 40, "secondary", "explicit", therapy_related=True),
                _dx("AML", 80, "secondary", "explicit", therapy_related=True),
            ],
            [("AML", "primary"), ("MDS", "secondary"), ("AML", "secondary")],
        ),
        # t-MN stands in only when AML or MDS is not named for the case.
        (
            [
                _dx("t-MN", 0, "secondary", "explicit", therapy_related=True),
                _dx("AML", 40, "secondary", "explicit", therapy_related=True),
            ],
            [("AML", "secondary")],
        ),
        # pmid-39645610: "multiple subsequent skin cancers" beside a secondary B-ALL are a third cancer.
        (
            [
                _dx("MM", 0),
                _dx("other:skin cancers", 20, "secondary", "explicit"),
                _dx("B-ALL", 60, therapy_related=True, refines="ALL"),
            ],
            [("MM", "primary"), ("other:skin cancers", "other"), ("B-ALL", "secondary")],
        ),
        # A negated or uncertain diagnosis is not the patient's.
        (
            [
                _dx("LFS", 0, "other", "explicit").model_copy(
                    update={"attrs": {"role": "other", "role_cue": "explicit", "assertion": "uncertain"}}
                ),
                _dx("ALL", 30, therapy_related=True),
            ],
            [("ALL", "primary")],
        ),
    ],
)
def test_case_roles(mentions: list[Mention], expected: list[tuple[str, str]]) -> None:
    case = Case(case_id="d#1")
    fill_diagnoses(case, mentions, Analysis(Document("d", "test", ""), mentions, []))
    assert [(d.code, d.role) for d in case.diagnoses] == expected
    assert all(d.evidence for d in case.diagnoses)


def _case_of(nlp: Language, text: str) -> list[tuple[str, str]]:
    found = _diagnoses(nlp, text)
    case = Case(case_id="d#1")
    fill_diagnoses(case, found, Analysis(Document("d", "test", text), found, []))
    return sorted((d.code, d.role) for d in case.diagnoses)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "We report a case of therapy-related ALL (t-ALL) in a patient who had undergone treatment for breast "
                "cancer. The blasts showed a pro-B immunophenotype and were positive for CD19."
            ),
            [("B-ALL", "secondary"), ("breast-cancer", "primary")],
        ),
        (
            (
                "A 40-yr-old woman developed acute leukemia after chemotherapy for breast cancer; the blasts showed B "
                "lineage immunophenotype. Here, we report a case of t-ALL with t(11;19)(q23;p13.3)."
            ),
            [("B-ALL", "secondary"), ("breast-cancer", "primary")],
        ),
        (
            "The CLL cells showed a B-cell immunophenotype.",
            [("CLL", "primary")],
        ),
        (
            (
                "The 18-year-old white male developed acute myeloblastic leukemia (AML) 25 months after diagnosis of "
                "non-Hodgkin lymphoma. Treatment of the lymphoma consisted of 2,000 rads to the mantle area."
            ),
            [("AML", "secondary"), ("NHL", "primary")],
        ),
        (
            (
                "A 70-year-old man received chemoradiotherapy for esophageal cancer. Subsequently, he developed acute "
                "myeloid leukemia and died 8 months later."
            ),
            [("AML", "secondary"), ("other:esophageal cancer", "primary")],
        ),
        (
            "Two years after autologous transplantation for myeloma, she developed therapy-related pure erythroid leukemia.",
            [("AML", "secondary"), ("MM", "primary")],
        ),
        (
            "We present a case of chronic myeloid leukemia diagnosed 12 years after radiotherapy for prostate cancer.",
            [("CML", "secondary"), ("other:prostate cancer", "primary")],
        ),
        (
            (
                "The marrow showed chronic myeloid leukemia in chronic phase, and the lymph node showed T-cell acute "
                "lymphoblastic leukemia."
            ),
            [("CML", "primary"), ("T-ALL", "primary")],
        ),
    ],
)
def test_lineage_cues_restatements_and_subtypes_settle_the_case(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    """A lineage stated apart from the name refines ALL (never a diagnosis alone); the bare word "lymphoma"
    restates the named lymphoma; "Subsequently, he developed" states the secondary one; AML subtypes are AML;
    CML can be the therapy-related disease, and two leukemias found together are both primary."""
    assert _case_of(nlp, text) == expected


def test_myeloproliferative_neoplasia_is_a_diagnosis(nlp: Language) -> None:
    text = "He was diagnosed with eosinophilic myeloproliferative neoplasia and T-cell lymphoblastic leukaemia/lymphoma."
    assert [str(m.norm) for m in _diagnoses(nlp, text)] == ["other:myeloproliferative neoplasm", "T-ALL"]


def test_mixed_phenotype_word_order_and_multiple_sclerosis(nlp: Language) -> None:
    # pmid-22440894 (batch 4): MS is the treated condition, the leukemia is written "acute mixed-phenotype leukemia".
    text = (
        "The second patient was a 55-year-old female suffering from multiple sclerosis for 16 years, who developed "
        "acute mixed-phenotype leukemia, T/myeloid type."
    )
    assert [str(m.norm) for m in _diagnoses(nlp, text)] == ["other:multiple sclerosis", "MPAL"]


def test_the_disease_a_therapy_was_given_for_is_not_made_secondary_by_post(nlp: Language) -> None:
    # hgsa-battersby-t8-21-breast (batch 6): "post chemotherapy for breast cancer" names the primary.
    found = [
        (m.norm, m.attrs["role"])
        for m in _diagnoses(nlp, "The patient was 2 years post chemotherapy for breast cancer.")
    ]
    assert found == [("breast-cancer", "primary")]
    found = [
        (m.norm, m.attrs["role"])
        for m in _diagnoses(nlp, "She developed post-chemotherapy acute myeloid leukemia.")
    ]
    assert found == [("AML", "secondary")]


def test_a_short_form_that_states_the_lineage_refines_its_long_form(nlp: Language) -> None:
    # jpho-2020-42-4-e258-mariani (batch 7): the long form reads ALL, the short form "T-t-ALL" says T-lineage.
    text = (
        "T-cell therapy-related acute lymphoblastic leukemia (T-t-ALL) is a rare condition associated with previous "
        "cytotoxic therapy for another disease. Here we report T-t-ALL with inv(11)(q21q23)."
    )
    found = [(m.text, m.norm, m.attrs["role"]) for m in _diagnoses(nlp, text) if m.text == "T-t-ALL"]
    assert found == [("T-t-ALL", "T-ALL", "secondary"), ("T-t-ALL", "T-ALL", "secondary")]


def test_the_disease_a_secondary_malignancy_follows_is_not_secondary(nlp: Language) -> None:
    # discovery-ball-after-dlbcl-two-patients (batch 7), the title.
    text = "B-cell acute lymphoblastic leukemia as a secondary malignancy following diffuse large B-cell lymphoma"
    assert [(m.norm, m.attrs["role"]) for m in _diagnoses(nlp, text)] == [
        ("B-ALL", "secondary"),
        ("DLBCL", "primary"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A 45-year-old woman with Crohn's disease treated with azathioprine for 6 years developed acute myeloid leukemia.",
            [("AML", "secondary"), ("other:crohn disease", "primary")],
        ),
        (
            "We describe a man with rheumatoid arthritis who developed therapy-related AML after methotrexate.",
            [("AML", "secondary"), ("other:rheumatoid arthritis", "primary")],
        ),
        (
            "Her systemic lupus erythematosus (SLE) had been treated with cyclophosphamide before t-MDS was diagnosed.",
            [("MDS", "secondary"), ("other:systemic lupus erythematosus", "primary")],
        ),
        ("The lupus anticoagulant was negative and AML was diagnosed.", [("AML", "primary")]),
    ],
)
def test_a_treated_non_malignant_disease_is_the_primary(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    """Immunosuppressed autoimmune diseases, coded like multiple sclerosis and HLH (batch-4 convention)."""
    assert _case_of(nlp, text) == expected
