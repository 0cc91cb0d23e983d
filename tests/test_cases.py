"""Case segmentation on real multi-case reports, series and reviews, and on hand-made mention lists."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.assembly.cases import _cues, segment
from extractor.assembly.records import assemble
from extractor.document import Document
from extractor.parsers.prefilter import fold
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Mention, Record

ABS_001 = (
    (
        "B-cell acute lymphoblastic leukemia in an elderly man with plasma cell myeloma and long-term exposure to "
        "thalidomide and lenalidomide: a case report and literature review"
    ),
    (
        "Background\n\nPCM patients have a statistically significant increased risk for acute myeloid leukemia (AML) and "
        "Kaposi sarcoma. IMiD treatment has also been associated with an increased risk of myelodysplastic syndrome "
        "(MDS), AML, and squamous cell carcinoma of the skin.\n\nCase presentation\n\nHerein, we describe an elderly man "
        "with PCM and a 14-year cumulative history of IMiD therapy who developed persistent pancytopenia and was "
        "diagnosed with B-cell acute lymphoblastic leukemia (B-ALL). He joins a group of 17 other patients documented in "
        "the literature who have followed a similar sequence of events starting with worsening cytopenias while on IMiD "
        "maintenance for PCM. These PCM patients were diagnosed with B-ALL after a median time of 36 months after "
        "starting IMiD therapy and at a median age of 61.5 years old.\n\nConclusions\n\nPCM patients with subsequent "
        "B-ALL have a poorer prognosis than their de novo B-ALL counterparts."
    ),
)
ABS_003 = (
    (
        "Acute Lymphoblastic Leukemia following Lenalidomide Maintenance for Multiple Myeloma: Two Cases with "
        "Unexpected Presentation and Good Prognostic Features"
    ),
    (
        "Acute lymphoblastic leukemia (ALL) as a second primary malignancy is rarely described in the literature. "
        "Herein, we describe two patients with MM treated with induction therapy, ASCT, and lenalidomide maintenance "
        "that experienced cytopenias while on maintenance. ALL was unexpectedly diagnosed on bone marrow biopsy. One "
        "patient was diagnosed on routine biopsy performed as part of requirements of the clinical trial. Both patients "
        "had B-cell ALL, without known poor risk cytogenetics, and were managed with standard induction therapies "
        "resulting in complete remission. We also reviewed the literature for similar cases of secondary ALL (sALL) in "
        "MM patients exposed to immunomodulatory drugs (IMiDs). Patients develop sALL after median of 32.5 months "
        "(range, 20–84) from being on lenalidomide or thalidomide maintenance."
    ),
)
ABS_024 = (
    (
        "Acute Myeloid Leukemia Post Cytotoxic Therapy in Breast Cancer Survivors—Over 23 Years of Single Center "
        "Analysis"
    ),
    (
        "Background: Acute myeloid leukemia post cytotoxic therapy (AML-pCT) among breast cancer (BC) survivors "
        "represents a life-threatening complication. This study aims to assess the clinical outcomes of AML-pCT post BC. "
        "Methods: An analysis of all AML patients treated at a single hematology center (2000–2023) was performed to "
        "select patients with AML-pCT post BC. Results: Among 847 AML patients, 28 were diagnosed with AML-pCT "
        "following BC. Complex karyotype (CK) occurred in 23.8% of patients. The median overall survival (OS) was 40 "
        "months."
    ),
)
ABS_034 = (
    "Near-Haploidy and Low-Hypodiploidy in B-Cell Acute Lymphoblastic Leukemia: When Less Is Too Much",
    (
        "Hypodiploidy with less than 40 chromosomes is a rare genetic abnormality in B-cell acute lymphoblastic leukemia "
        "(B-ALL). Hypodiploid B-ALL with <40 chromosomes has an extremely poor outcome, with 5-year overall survival "
        "rates below 50% and 20% in childhood and adult B-ALL, respectively. Accordingly, this genetic feature "
        "represents an adverse prognostic factor in B-ALL and is associated with early relapse and therapy "
        "refractoriness."
    ),
)
SHM = (
    "Multiple Myeloma Therapy-Related B-Cell Acute Lymphoblastic Leukemia: A Case Series",
    (
        "Case Presentation: We present a case series of three patients who developed secondary B-cell acute "
        "lymphoblastic leukemia (B-ALL) after multiple myeloma (MM) treatment. Case 1: A 71-year-old male with a "
        "four-year history of standard-risk kappa MM presented with weakness, fever, cough, and pancytopenia. He was "
        "treated with doxorubicin/vincristine followed by inotuzumab, but ultimately passed away from meningitis "
        "secondary to his immunocompromised status.Case 2: A 59-year-old female with a five-year history of IgG MM "
        "(unknown risk stratification) presented with persistent neutropenia despite discontinuation of lenalidomide. "
        "Her MM had been initially treated with four cycles of RVd, to which she achieved a very good partial "
        "response.Case 3: A 78-year-old female with a six-year history of standard-risk IgA kappa MM presented with a "
        "white blood cell count of 59,000"
    ),
)
MEDULLOBLASTOMA = (
    "Case report: Therapy-related myeloid neoplasms in three pediatric cases with medulloblastoma",
    (
        "Case presentation\n\nWe describe three cases of pediatric medulloblastoma who developed t-MNs after receiving "
        "chemotherapy, including alkylating agents. Two of the patients had underlying genetic predisposition syndromes "
        "(TP53 pathologic variants). The latency period between initial diagnosis of medulloblastoma and the development "
        "of secondary cancer varied among the cases, ranging from 17 to 65 months. The three cases eventually succumbed "
        "from secondary malignancy, therapy-related complications and progression of primary disease, respectively."
    ),
)
FOUR_CASES = (
    (
        "Therapy-related acute myeloid leukemia in patients with lymphoma: A report of four cases and review of the "
        "literature"
    ),
    (
        "The 4 patients presented aggressive forms of lymphoma in stage III/IV, and 3 were diagnosed with "
        "non‑Hodgkin's lymphoma. At the time of diagnosis of t‑AML, 3 of the 4 patients presented pancytopenia, whilst "
        "the remaining patient exhibited leukocytosis. The majority of the patients succumbed to their disease within 1 "
        "year of t‑AML diagnosis, with the exception of the patient in case 3, who survived following allogeneic "
        "hematopoietic stem cell transplantation (allo‑HSCT)."
    ),
)
EIGHT_PATIENTS = (
    "Therapy-related B-lymphoblastic leukemia after multiple myeloma",
    (
        "We report eight patients with therapy-related B-lymphoblastic leukemias (t-B-ALL) in the setting of therapy "
        "for multiple myeloma, which included lenalidomide maintenance. One patient died of chemotherapy complications; "
        "the other seven responded. No patient died of B-ALL (median follow up of 1.0 years)."
    ),
)
T_APL_SERIES = (
    "Therapy-Related Acute Promyelocytic Leukemia: Case Series and Current Insights",
    (
        "This report describes three cases of t-APL treated at the Haematology Department of Cosenza Hospital between "
        "2022 and 2024. Each case was managed with a different therapeutic approach. The first case involved a "
        "71-year-old man with colorectal and breast cancer, who developed low-risk t-APL and achieved complete remission "
        "(CR) with ATRA alone. A second 71-year-old man case with colorectal cancer developed high-risk t-APL; he "
        "achieved CR with idarubicin and ATRA despite severe sepsis and acute heart failure. The third case involved a "
        "74-year-old man with lung squamous cell carcinoma who developed intermediate-risk t-APL following "
        "chemoimmunotherapy but unfortunately succumbed to pseudotumor cerebri complications during induction therapy."
    ),
)
ONE_AND_THE_OTHER = (
    "Two cases of acute leukemia secondary to the chemotherapy for non-Hodgkin's lymphoma",
    (
        "Two cases with acute leukemia secondary to the chemotherapy for non-Hodgkin's lymphoma (NHL) are reported. One "
        "case involved an 11-year-old girl. She has suffered from acute monoblastic leukemia (M5a) six years and seven "
        "months after the diagnosis of NHL. The other case is a 5-year-old boy. He has suffered from acute lymphoblastic "
        "leukemia seven years and four months from the diagnosis of NHL. It is noted that bothpatients have received "
        "LSA2-L2 protocol, both had a period of MDS (myelodysplastic syndrome) that developed into acute leukemia, and "
        "both had the same chromosomal abnormality of -7."
    ),
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("demographics", "case_markers", "diagnoses", "outcomes"))


def _record(nlp: Language, title: str, text: str) -> tuple[Analysis, Record]:
    document = Document("d", "test", f"{title}\n\n{text}", title=title)
    analysis = analyse(nlp, document)
    return analysis, assemble(analysis)


def _summary(record: Record) -> list[tuple[float | None, str | None, list[tuple[str, str]], list[str]]]:
    return [
        (
            c.age_years,
            c.sex,
            sorted((d.code, d.role) for d in c.diagnoses),
            sorted(o.type for o in c.outcomes),
        )
        for c in record.cases
    ]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (ABS_001, [(None, "male", [("B-ALL", "secondary"), ("MM", "primary")], [])]),
        (
            ABS_003,
            [(None, None, [("B-ALL", "secondary"), ("MM", "primary")], ["complete_remission"])] * 2,
        ),
        (ABS_024, []),
        (ABS_034, []),
        (
            SHM,
            [
                (71.0, "male", [("B-ALL", "secondary"), ("MM", "primary")], ["death"]),
                (59.0, "female", [("B-ALL", "secondary"), ("MM", "primary")], ["vgpr"]),
                (78.0, "female", [("B-ALL", "secondary"), ("MM", "primary")], []),
            ],
        ),
        (
            MEDULLOBLASTOMA,
            [(None, None, [("other:medulloblastoma", "primary"), ("t-MN", "secondary")], ["death"])] * 3,
        ),
        (FOUR_CASES, [(None, None, [("AML", "secondary"), ("other:lymphoma", "primary")], ["alive"])]),
        (
            ONE_AND_THE_OTHER,
            [
                (11.0, "female", [("AML", "secondary"), ("MDS", "secondary"), ("NHL", "primary")], []),
                (5.0, "male", [("ALL", "secondary"), ("MDS", "secondary"), ("NHL", "primary")], []),
            ],
        ),
        (EIGHT_PATIENTS, [(None, None, [("B-ALL", "secondary"), ("MM", "primary")], ["death"])]),
        (
            T_APL_SERIES,
            [
                (
                    71.0,
                    "male",
                    [
                        ("APL", "secondary"),
                        ("breast-cancer", "primary"),
                        ("other:colorectal cancer", "primary"),
                    ],
                    ["complete_remission"],
                ),
                (
                    71.0,
                    "male",
                    [("APL", "secondary"), ("other:colorectal cancer", "primary")],
                    ["complete_remission"],
                ),
                (
                    74.0,
                    "male",
                    [("APL", "secondary"), ("other:lung squamous cell carcinoma", "primary")],
                    ["death"],
                ),
            ],
        ),
    ],
)
def test_cases_of_real_documents(
    nlp: Language, doc: tuple[str, str], expected: list[tuple[object, ...]]
) -> None:
    _, record = _record(nlp, *doc)
    assert _summary(record) == expected
    assert [c.case_id for c in record.cases] == [f"d#{i}" for i in range(1, len(expected) + 1)]


def test_respectively_deals_causes_to_cases_in_order(nlp: Language) -> None:
    _, record = _record(nlp, *MEDULLOBLASTOMA)
    deaths = [(o.cause, o.target) for c in record.cases for o in c.outcomes]
    assert deaths == [
        ("secondary malignancy", "secondary"),
        ("therapy-related complications", "secondary"),
        ("progression of primary disease", "primary"),
    ]


def test_literature_statements_go_to_the_cohort(nlp: Language) -> None:
    analysis, _ = _record(nlp, *ABS_001)
    segmentation = segment(analysis)
    in_case = {m.text for m in segmentation.cases[0].mentions}
    in_cohort = {m.text for m in segmentation.cohort}
    assert "61.5 years old" not in in_case
    assert {"Kaposi sarcoma", "squamous cell carcinoma of the skin"} <= in_cohort
    assert "man" in in_case


def test_an_anonymous_patient_of_a_described_series_is_no_extra_case(nlp: Language) -> None:
    analysis, _ = _record(nlp, *ABS_003)
    segmentation = segment(analysis)
    assert len(segmentation.cases) == 2
    one_patient = next(m for m in analysis.mentions if m.label == "CASE" and m.text.startswith("One patient"))
    assert one_patient in segmentation.cohort


def _mention(label: str, start: int, end: int, norm: str | float | None = None, **attrs: object) -> Mention:
    return Mention(
        doc_id="d", start=start, end=end, label=label, text="x" * (end - start), norm=norm, attrs=attrs
    )


def test_hand_made_mentions_follow_their_sentences() -> None:
    text = (
        "Case 1: A 60-year-old man received lenalidomide. "
        "Case 2: A 70-year-old woman received melphalan. "
        "Both patients received dexamethasone. "
        "Lenalidomide is associated with second malignancies in the literature (median 36 months)."
    )
    sentences = [(0, 48), (49, 96), (97, 134), (135, len(text))]
    mentions = [
        _mention("CASE", 0, 6, 1.0, kind="numbered"),
        _mention("AGE", 10, 21, 60.0),
        _mention("TREATMENT", 35, 47, "lenalidomide"),
        _mention("CASE", 49, 55, 2.0, kind="numbered"),
        _mention("AGE", 59, 70, 70.0),
        _mention("TREATMENT", 86, 95, "melphalan"),
        _mention("CASE", 97, 110, None, kind="group", count=2, distributive=True),
        _mention("TREATMENT", 120, 133, "dexamethasone"),
        _mention("TREATMENT", 135, 147, "lenalidomide"),
        _mention("COHORT", 206, 223, "latency_months", median=36.0),
    ]
    segmentation = segment(Analysis(Document("d", "test", text), mentions, sentences))
    per_case = [[m.norm for m in scope.mentions if m.label == "TREATMENT"] for scope in segmentation.cases]
    assert per_case == [["lenalidomide", "dexamethasone"], ["melphalan", "dexamethasone"]]
    assert [m.label for m in segmentation.cohort] == ["TREATMENT", "COHORT"]
    assert all(m.attrs["case"] == scope.case_id for scope in segmentation.cases for m in scope.mentions)


def test_a_document_without_patients_puts_everything_in_the_cohort() -> None:
    text = "Among 847 AML patients, 28 were diagnosed with AML after breast cancer."
    mentions = [
        _mention("COHORT", 24, 26, "n_patients", n=28),
        _mention("DIAGNOSIS", 47, 50, "AML", role="secondary"),
    ]
    segmentation = segment(Analysis(Document("d", "test", text), mentions, [(0, len(text))]))
    assert segmentation.cases == [] and segmentation.cohort == mentions


def test_annotated_cases_are_honoured() -> None:
    """Spans corrected by an annotator keep the case they were given (feedback-loop gold)."""
    from extractor.assembly.cases import segment
    from extractor.document import Document
    from extractor.pipeline import Analysis
    from extractor.schema import Mention

    text = "Two patients. She was 45. He was 60."
    mentions = [
        Mention(doc_id="d", start=14, end=17, label="SEX", text="She", norm="female", attrs={"case": "d#2"}),
        Mention(doc_id="d", start=26, end=28, label="SEX", text="He", norm="male", attrs={"case": 1}),
        Mention(
            doc_id="d",
            start=0,
            end=12,
            label="COHORT",
            text="Two patients",
            norm="n_patients",
            attrs={"case": 1},
        ),
        Mention(doc_id="d", start=4, end=12, label="SEX", text="patients", norm=None, attrs={}),
    ]
    segmentation = segment(Analysis(Document("d", "t", text), mentions, [(0, 13), (14, 25), (26, 36)]))
    assert [(c.case_id, [m.text for m in c.mentions]) for c in segmentation.cases] == [
        ("d#1", ["He"]),
        ("d#2", ["She"]),
    ]
    assert [m.text for m in segmentation.cohort] == ["Two patients", "patients"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Bone marrow biopsy showed acute myeloid leukemia, which has been described in the literature after alkylators.",
        "A marrow aspirate revealed acute myeloid leukemia which is associated with a poor prognosis in most patients.",
    ],
)
def test_a_trailing_relative_clause_does_not_make_a_finding_generic(nlp: Language, sentence: str) -> None:
    title = "Therapy-related leukemia after breast cancer: a case report"
    text = f"We report a 37-year-old woman treated for breast cancer. {sentence}"
    _, record = _record(nlp, title, text)
    (case,) = record.cases
    evidence = [e.text for d in case.diagnoses if d.code == "AML" for e in d.evidence]
    assert "acute myeloid leukemia" in evidence


def test_a_percentage_in_a_sentence_about_the_patient_stays_with_the_patient(nlp: Language) -> None:
    title = "Therapy-related leukemia after chemoradiotherapy: a case report"
    text = (
        "We report a 66-year-old man treated with chemoradiotherapy for rectal cancer. "
        "Five years later, he developed acute myeloid leukemia with 35% blasts in the bone marrow."
    )
    _, record = _record(nlp, title, text)
    (case,) = record.cases
    assert "acute myeloid leukemia" in [e.text for d in case.diagnoses if d.code == "AML" for e in d.evidence]


@pytest.fixture(scope="module")
def full_nlp() -> Language:
    return build_pipeline()


def test_a_lab_percentage_does_not_make_the_next_finding_generic(full_nlp: Language) -> None:
    """ "(85.1% of all nucleated cells)" is the patient's marrow, not a group statistic (kjlm-2010-30-3-255)."""
    title = "A Case of Therapy-related ALL with MLL Gene Rearrangement Following Treatment of Breast Cancer"
    text = (
        "A 60-yr-old woman with breast cancer underwent breast-conserving surgery. Examination of the bone marrow "
        "aspirate smear revealed a high percentage of blasts (85.1% of all nucleated cells); the blasts showed a "
        "pro-B immunophenotype and were positive for CD19. Cytogenetic and FISH analyses revealed t(4;11)(q21;q23) "
        "and MLL gene rearrangement, respectively. The patient received induction chemotherapy and achieved "
        "complete remission. Following consolidation chemotherapy, she underwent allogenic peripheral blood stem "
        "cell transplantation and has been clinically stable."
    )
    _, record = _record(full_nlp, title, text)
    (case,) = record.cases
    assert case.cytogenetics == ["t(4;11)", "11q23"]
    assert sorted((d.code, d.role) for d in case.diagnoses) == [
        ("B-ALL", "secondary"),
        ("breast-cancer", "primary"),
    ]
    assert "allo-HSCT" in [t.name for t in case.treatments]


def test_a_death_after_a_sentence_opening_with_t_mn_stays_with_the_patient(full_nlp: Language) -> None:
    title = "A Case of Therapy-related Myeloid Neoplasm after Successful Treatment of Acute Promyelocytic Leukemia"
    text = (
        "Recently, we have experienced one patient who developed t-MN 7 yr after APL diagnosis. He received only "
        "supportive care and expired 3 months after the diagnosis of t-MN (6 months of survival after the onset of "
        "cytopenias). t-MN after complete remission of APL is a rare but fatal complication, and patients with "
        "complex karyotypes show ominous prognosis in particular."
    )
    _, record = _record(full_nlp, title, text)
    (case,) = record.cases
    assert [(o.type, o.time_months, o.cause) for o in case.outcomes] == [("death", 3.0, None)]


def test_a_newborn_is_a_reported_patient(nlp: Language) -> None:
    title = "Therapy-related acute myeloid leukemia after hemophagocytic lymphohistiocytosis"
    text = "Here we describe a newborn who developed t-AML after HLH treatment with etoposide."
    _, record = _record(nlp, title, text)
    (case,) = record.cases
    assert ("AML", "secondary") in [(d.code, d.role) for d in case.diagnoses]


def test_run_in_headings_of_a_meeting_abstract(full_nlp: Language) -> None:
    """htct-2024-46-s8-fidan: "Case report: Introduction:" opens a background section (the heading is no patient),
    and a "Case report:" heading after the key words opens the case section mid-sentence."""
    title = (
        "AUTOLOGOUS STEM CELL TRANSPLANTATION EXPERIENCE IN B-ALL DEVELOPING DURING MAINTENANCE LENALIDOMIDE "
        "TREATMENT:CASE REPORT"
    )
    text = (
        "Case report: Introduction: Secondary leukemias that occur after chemotherapy are mostly myelodysplastic "
        "syndrome and acute myeloid leukemias.With the recent increased use of immunomodulatory (IMID) drugs "
        "(pomalidomide, thalidomide and lenalidomide); It has been shown that secondary leukemias increase. Acute "
        "lymphoblastic leukemia (ALL) has frequently been described in association with IMID.Here, we present our "
        "second ASCT experience in a case who underwent autologous stem cell transplantation (ASCT) with the "
        "diagnosis of multiple myeloma and developed B-ALL during the maintenance lenalidomide treatment.Key words: "
        "Multipl myelom, B-ALL, autologous stem cell transplantation Case report: A 62-year-old female patient was "
        "diagnosed with multiple myeloma (MM) in 2017.The patient was given 4 cycles of BED (bortezomide, "
        "cyclophosphamide, dexamethasone) treatment.The patient, who was in remission, underwent ASCT with Melphalan "
        "200 mg/m2 preparation regimen in 2018.After ASCT, the patient was started on lenalidomide maintenance "
        "treatment. Approximately 4 years later, in 2022, during the course of lenalidomide treatment, CALLA+ B-ALL "
        "was diagnosed with a bone marrow biopsy.The patient was given hyper-CVAD Chemotherapy."
    )
    _, record = _record(full_nlp, title, text)
    (case,) = record.cases
    assert sorted((d.code, d.role) for d in case.diagnoses) == [("B-ALL", "secondary"), ("MM", "primary")]
    assert case.latency_months == 48


def test_a_cue_less_sentence_after_a_numbered_case_continues_it(full_nlp: Language) -> None:
    """hgsa-battersby-t8-21-breast (batch 6): after an "Aim:" heading every sentence is in a background
    section; the FISH result right after "Case 2 showed ..." still belongs to case 2."""
    title = "Therapy-related Myeloid Leukaemia in Patients Treated for Breast Cancer"
    text = (
        "Aim: We present two cases identified with t(8;21) following cytotoxic therapy for breast cancer.\n\n"
        "Case 1: 51yo female with pancytopenia and blasts on peripheral blood. The patient was 2 years post "
        "chemotherapy for breast cancer.\n\n"
        "Case 2: 61yo female with blasts on peripheral blood and previously diagnosed with breast cancer.\n\n"
        "Case 1 showed a karyotype involving 45,X,-X,t(8;21)(q22;q22,del(9)(q22q32)[15]/46,XX[5]. FISH results "
        "failed. Case 2 showed a more complex karyotype involving "
        "46,XX,t(8;17;21)(q22;q23;q22),t(10;20)(p15;p11.2)[14]/46,XX[6]. FISH results showed gene fusion of "
        "RUNX1/RUNX1T1 probe.\n\n\n"
        "The finding of the t(8;21) and variant t(8;17;21) with RUNX1/RUNX1T1 gene fusion is consistent with a "
        "secondary abnormality associated with t-AML following breast cancer treatment."
    )
    _, record = _record(full_nlp, title, text)
    first, second = record.cases
    assert [m.gene for m in first.mutations] == []
    assert [(m.gene, m.kind) for m in second.mutations] == [("RUNX1::RUNX1T1", "fusion")]
    assert first.latency_months == 24
    assert [(d.code, d.role) for d in first.diagnoses] == [("breast-cancer", "primary")]


def test_clinical_studies_of_the_patient_are_not_literature(full_nlp: Language) -> None:
    """paperexplained-gct-etoposide-t-aml (batch 6): "hematologic studies showed" is about the patient."""
    title = "Therapy-Related Acute Myeloid Leukemia Following Etoposide Based Chemotherapy in Germ Cell Tumor"
    text = (
        "A 27-year-old man visited our hospital with painless swelling of the left scrotum. The patient received "
        "four cycles of chemotherapy, COMPE regimen (CDDP, VCR, MTX, PEP, VP-16 [etoposide]). Histopathological "
        "examination revealed only a mature teratoma. Two and half years later, hematologic studies showed blast "
        "transformation. Bone marrow biopsy revealed acute myeloblastic lymphoma (M2)."
    )
    _, record = _record(full_nlp, title, text)
    (case,) = record.cases
    assert case.latency_months == 30


def test_a_bare_case_heading_opens_the_patient_section(full_nlp: Language) -> None:
    """isainsmedis-ism-1929 (batch 8): after "OBJECTIVE:", a "CASE:" heading starts the report of the patient, so
    cue-less sentences there ("Pasien also undergo ... radiation therapy") are hers."""
    title = (
        "Acute Lymphoblastic Leukemia (ALL) as a secondary malignancy in adolescent patient after completion of "
        "Ewing's sarcoma chemotherapy: a case report"
    )
    text = (
        "OBJECTIVE: To report an adolescent patient who was diagnosed with Acute lymphoblastic leukemia (ALL) after "
        "completing Ewing sarcoma (ES) therapy.\n\nCASE: A 14 years old girl complained of left crusis tumor since 4 "
        "months before hospitalized. Between chemotherapy, patient also was given granulocyte colony-stimulating "
        "factor several times. Pasien also undergo 31 times radiation therapy with total 31x1.8 Gy (55.8 Gy)."
    )
    _, record = _record(full_nlp, title, text)
    (case,) = record.cases
    assert case.age_years == 14
    assert sorted(t.name for t in case.treatments) == ["g-csf", "radiotherapy"]


def test_a_percentage_of_the_blast_cells_is_the_patients_marrow(nlp: Language) -> None:
    # ecancer-972-murray-endometrial-t-all (batch 7): "in 100% of the blast cells" is no group statistic.
    title = "Common B-cell acute lymphoblastic leukaemia in a 70-year-old woman"
    text = (
        "We present a case of t-ALL occurring 18 months after treatment for metastatic endometrial cancer. "
        "The patient presented with severe pancytopenia and diagnosed with common-B ALL, and the cytogenetic "
        "analysis showed a previously unreported deletion in chromosome 19 (q13.1) in 100% of the blast cells."
    )
    analysis, _ = _record(nlp, title, text)
    second = analysis.document.text.index("The patient presented")
    (case,) = segment(analysis).cases
    assert [m.label for m in case.mentions if m.start > second and m.label == "DIAGNOSIS"]


def test_one_of_whom_singles_out_a_reported_patient(nlp: Language) -> None:
    # pmid-11552977 (batch 7): two cases are reported, only one with a detail of its own.
    title = (
        "Therapy-related acute lymphoblastic leukaemia: report on two new cases and review of the literature"
    )
    text = (
        "We present two such cases with t(4;11)(q21;q23), one of whom had previously received only single-agent "
        "chemotherapy with 4-epi-doxorubicin."
    )
    _, record = _record(nlp, title, text)
    assert len(record.cases) == 1


def test_this_case_describes_names_the_reported_patient(nlp: Language) -> None:
    # jpho-2020-42-4-e258-mariani (batch 7): no age or sex; "This case describes the youngest patient".
    title = "Inv(11)(q21q23); KMT2A-MAML2, a Recurrent Genetic Abnormality in T-Cell Therapy-related Acute Lymphoblastic Leukemia"
    text = (
        "Here we report T-t-ALL with inv(11)(q21q23), which involves KMT2A and MAML2, that occurred after "
        "chemotherapy for Philadelphia chromosome-positive B-cell acute lymphoblastic leukemia. This case describes "
        "the youngest patient with T-t-ALL harboring inv(11)(q21q23)."
    )
    _, record = _record(nlp, title, text)
    assert len(record.cases) == 1
    assert ("B-ALL", "primary") in [(d.code, d.role) for d in record.cases[0].diagnoses]



MM_MDS_TITLE = (
    "Rapid Evolution of a Myelodysplastic Syndrome in a Case of Multiple-Myeloma: Therapy Related or Not?"
)
MM_MDS_TEXT = (
    "An unusual case of concomitant lymphoid and myeloid neoplasias is presented, where a woman with a "
    "history of multiple myeloma developed pancytopenia and dysgranulopoiesis in the peripheral blood. Bone "
    "marrow examination confirmed an additional diagnosis of myelodysplastic syndrome with excess blasts. "
    "This MDS could be either linked to MM treatment or to the increased risk of MM patients to develop "
    "secondary myelodysplasia. {} This case highlights that bone marrow examination is mandatory when "
    "cytopenias are disclosed on blood cell counts."
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # annhematoloncol-2017-4-4-1147 (batch 9): the patient's karyotype, reported after a hedged aside.
        (
            "Interestingly, MDS-specific del(5q) and a t(2;12) were observed on the myeloid karyotype.",
            ["del(5q)", "t(2;12)"],
        ),
        ("Cytogenetic analysis showed a t(2;12).", ["t(2;12)"]),
        # Statements about the abnormality in general stay background.
        ("MDS-specific del(5q) is frequently found in secondary myelodysplasia.", []),
        ("The t(2;12) aberration is extremely rare.", []),
    ],
)
def test_a_finding_observed_after_a_background_aside_is_the_patients(
    full_nlp: Language, sentence: str, expected: list[str]
) -> None:
    _, record = _record(full_nlp, MM_MDS_TITLE, MM_MDS_TEXT.format(sentence))
    (case,) = record.cases
    assert case.cytogenetics == expected


def test_an_observed_finding_does_not_bring_the_background_after_it_to_the_patient(
    full_nlp: Language,
) -> None:
    """gazimj-t11-17-saml-hl (batch 3): the karyotype sentence after "findings suggest AMML" is the
    patient's; the comment on the translocation after it ("This translocation was predominantly in ...
    (M3)") is not."""
    title = (
        "A rare t(11;17) in Secondary Acute Myeloid Leukaemia following treatment of Hodgkin Lymphoma; "
        "A case report and literature review"
    )
    text = (
        "We report a case of 40-year-old ladywho developed AML after four years on multiple lines of "
        "treatment due to Refractory Hodgkin Lymphoma. She presented with progressive lethargy and "
        "pancytopenia. Bone marrow aspiration, trephine biopsy and flow cytometry immunophenotyping findings "
        "suggest Acute Myelomonocytic Leukaemia (AMML). Cytogenetic analysis showed the presence of rare "
        "t(11;17). This translocation was predominantly in AMML and Acute Monoblastic/Monocytic Leukaemia  "
        "or variant type of acute promyelocytic leukemia (M3) and rarely associated with therapy-related AML."
    )
    analysis, record = _record(full_nlp, title, text)
    observed = analysis.document.text.index("Cytogenetic analysis")
    (case,) = segment(analysis).cases
    assert [m.text for m in case.mentions if m.start > observed and m.label == "CYTOGENETICS"] == ["t(11;17)"]
    assert "APL" not in [d.code for d in record.cases[0].diagnoses]


@pytest.mark.parametrize(
    ("sentence", "statistic"),
    [
        ("Laboratory tests showed pancytopenia with 25% of myeloblasts in the bone marrow.", False),
        ("The marrow held 85.1% of all nucleated cells as blasts.", False),
        ("Flow cytometry found 40% lymphoblasts.", False),
        ("Plasma cells made up 30% of plasma cells in the aspirate.", False),
        ("t-MN occurred in 25% of patients after PARP inhibitors.", True),
        ("The median latency was 4 years.", True),
    ],
)
def test_a_percentage_of_marrow_cells_is_no_group_statistic(sentence: str, statistic: bool) -> None:
    # varna-2021-t-aml-elderly (batch 3): "25% of myeloblasts" is the patient's marrow.
    assert _cues().found("statistic", sentence, fold(sentence)) is statistic

