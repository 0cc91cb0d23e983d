"""Group statements from real abstracts (guide section 9): series sizes, median/range latency and exposure,
never survival, follow-up or ages; and the document's cohort built from them."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.assembly.cohort import build_cohort
from extractor.document import Document
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("treatments", "cohort_stats"))


def _analysis(nlp: Language, text: str) -> Analysis:
    return analyse(nlp, Document("d", "test", text))


def _cohort(nlp: Language, text: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for m in _analysis(nlp, text).mentions:
        if m.label != "COHORT":
            continue
        if m.norm == "n_patients":
            out.append(("n_patients", m.attrs["n"]))
        else:
            out.append((str(m.norm), (m.attrs["median"], m.attrs["min"], m.attrs["max"])))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "B-cell ALL (B-ALL) was diagnosed at median 54 months (range, 5-119) after first exposure to lenalidomide "
                "and after median 42 months of cumulative lenalidomide exposure (range, 2-114)."
            ),
            [("latency_months", (54.0, 5.0, 119.0)), ("exposure_months", (42.0, 2.0, 114.0))],
        ),
        (
            (
                "Patients develop sALL after median of 32.5 months (range, 20–84) from being on lenalidomide or "
                "thalidomide maintenance, often presenting with cytopenias."
            ),
            [("latency_months", (32.5, 20.0, 84.0))],
        ),
        (
            (
                "These PCM patients were diagnosed with B-ALL after a median time of 36 months after starting IMiD therapy "
                "and at a median age of 61.5 years old."
            ),
            [("latency_months", (36.0, None, None))],
        ),
        (
            "The median duration of PARPi therapy was 16.3 (range, 6.2–48.8) months.",
            [("exposure_months", (16.3, 6.2, 48.8))],
        ),
        (
            "The median latency period was 29 months (range, 11–68 mo).",
            [("latency_months", (29.0, 11.0, 68.0))],
        ),
        (
            "After a median of 36.5 months (range, 4 to 190) from first neoplasm, patients developed t-AML in 19 cases.",
            [("latency_months", (36.5, 4.0, 190.0))],
        ),
        (
            "The median time from the diagnosis of MM to the occurrence of sALL was 51.1 (31.7–91.5) months.",
            [("latency_months", (51.1, 31.7, 91.5))],
        ),
        (
            "The interval from MM diagnosis to ALL onset was 5.4 years (range 3.3–10).",
            [("latency_months", (64.8, 39.6, 120.0))],
        ),
        (
            (
                "The median latency for therapy-related acute lymphoblastic leukemia onset was 6.8 years from original "
                "diagnosis."
            ),
            [("latency_months", (81.6, None, None))],
        ),
        (
            (
                "The latency period between the time of primary diagnosis and occurrence of t-AML ranged from 15 to 42 "
                "months."
            ),
            [("latency_months", (None, 15.0, 42.0))],
        ),
        ("The median overall survival (OS) was 40 months.", []),
        ("(median OS: 47 versus 7 months, p = 0.008)", []),
        ("The median follow-up interval was 69.1 months.", []),
        ("During a 6.8 months (range 2.3-49) median observation time, 3 out of 16 patients were alive.", []),
        ("The median patient age was 11.5 years (range, 1.6–20.4 yr).", []),
        ("The mean time interval from cytotoxic therapy initiation to t-MN detection was 49 months.", []),
        ("Median event-free survival was 35.4 months among treated patients.", []),
    ],
)
def test_statistics(nlp: Language, text: str, expected: list[tuple[str, object]]) -> None:
    assert [c for c in _cohort(nlp, text) if c[0] != "n_patients"] == expected


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        (
            (
                "We conducted a dual institution retrospective study of 32 ALL cases that arose after lenalidomide "
                "maintenance."
            ),
            [32],
        ),
        ("He joins a group of 17 other patients documented in the literature.", [17]),
        ("Among 847 AML patients, 28 were diagnosed with AML-pCT following BC.", [28]),
        (
            (
                "In our study, of 182 women with EOC treated with PARPi, 16 (8.7%) developed therapy-related myeloid "
                "neoplasms (t-MNs)."
            ),
            [16],
        ),
        ("Among 52 patients treated with PARPi, four were diagnosed with t-MNs.", [4]),
        (
            "The medical records of 16 patients under 21 years of age at the time of t-MN diagnosis were reviewed.",
            [16],
        ),
        ("We describe a cohort of 30 patients, 18 females and 12 males.", [30]),
        ("The study subjects included 39 consecutive patients diagnosed with t-MN.", [39]),
        (
            "Of 1022 patients with acute lymphoblastic leukemia, 93 (9.1%) were classified as therapy-related.",
            [93],
        ),
        (
            "We report a retrospective multi-institutional study of patients with t-ALL (n = 116), dn-ALL (n = 100).",
            [116],
        ),
        ("the present study reports 4 cases of t-AML following treatment for lymphoma.", [4]),
        ("A total of 272 cases of AML were reviewed, among which nine cases of t-AML were identified.", [9]),
        ("Of 412 patients with CMML seen at our center, 41 (10%) had t-CMML after cytotoxic therapy.", [41]),
        ("We identified 210 AML patients, of whom 23 (11%) had t-AML.", [210, 23]),
        ("A total of 12 patients were identified and included in the analysis.", [12]),
        ("Secondary ALL after myeloma: a single-center experience with 11 patients", [11]),
        ("Twelve patients had therapy-related AML, 3 patients had MDS.", []),
        (
            "4 patients did not undergo transplantation due to toxic death (N=3) or parental refusal (N=1).",
            [],
        ),
        ("High incidence of TP53 mutations (9/19 evaluable cases) and low hypodiploidy (8/26 patients).", []),
    ],
)
def test_series_sizes(nlp: Language, text: str, counts: list[int]) -> None:
    assert [n for field, n in _cohort(nlp, text) if field == "n_patients"] == counts


def _sex(text: str, word: str) -> Mention:
    start = text.index(word)
    return Mention(doc_id="d", start=start, end=start + len(word), label="SEX", text=word, norm="female")


@pytest.mark.parametrize(
    ("text", "individual", "expected"),
    [
        (
            (
                "We conducted a study of 32 ALL cases that arose after lenalidomide maintenance. B-ALL was diagnosed at "
                "median 54 months (range, 5-119) after first exposure to lenalidomide."
            ),
            None,
            (32, (54.0, 5.0, 119.0), None),
        ),
        (
            (
                "Among 847 AML patients, 28 were diagnosed with AML-pCT following BC. The median overall survival (OS) "
                "was 40 months."
            ),
            None,
            (28, None, None),
        ),
        (
            (
                "Herein, we describe two patients with MM. Both patients had B-cell ALL. Patients develop sALL after "
                "median of 32.5 months (range, 20–84) from being on lenalidomide maintenance."
            ),
            None,
            (None, (32.5, 20.0, 84.0), None),
        ),
        (
            "This report describes three cases of t-APL. The first case involved a 71-year-old man.",
            "man",
            None,
        ),
        ("We present two cases of B-ALL following treatment for breast cancer.", None, None),
        (
            (
                "Herein, we describe an elderly man with PCM who developed B-ALL. He joins a group of 17 other patients "
                "documented in the literature. These patients were diagnosed with B-ALL after a median time of 36 months "
                "after starting IMiD therapy."
            ),
            "man",
            (17, (36.0, None, None), None),
        ),
        (
            (
                "This case report presents three pediatric cases of medulloblastoma with subsequent t-MNs. The latency "
                "period between initial diagnosis and the development of secondary cancer varied among the cases, ranging "
                "from 17 to 65 months."
            ),
            None,
            (3, (None, 17.0, 65.0), None),
        ),
        (
            (
                "Among 52 patients treated with PARPi, four were diagnosed with t-MNs. The median duration of PARPi therapy "
                "was 16.3 (range, 6.2–48.8) months."
            ),
            None,
            (4, None, (16.3, 6.2, 48.8)),
        ),
        ("We report a case of a 37-year-old woman with therapy-related AML.", "woman", None),
        ("We identified 210 AML patients, of whom 23 (11%) had t-AML.", None, (23, None, None)),
        (
            (
                "We describe a 64-year-old woman with B-ALL after lenalidomide. To date, 12 similar cases have been "
                "reported in the literature."
            ),
            "woman",
            (12, None, None),
        ),
    ],
)
def test_build_cohort(nlp: Language, text: str, individual: str | None, expected: tuple | None) -> None:
    analysis = _analysis(nlp, text)
    if individual is not None:
        analysis.mentions.append(_sex(text, individual))
    cohort = build_cohort(analysis.mentions, analysis)
    if expected is None:
        assert cohort is None
        return
    assert cohort is not None

    def stat(name: str) -> tuple | None:
        value = getattr(cohort, name)
        return None if value is None else (value.median, value.min, value.max)

    assert (cohort.n_patients, stat("latency_months"), stat("exposure_months")) == expected
    for evidence in cohort.evidence.values():
        assert all(text[e.start : e.end] == e.text for e in evidence)


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        (
            "Twenty-one cases of CML following treatment for primary diseases were collected and retrospectively analyzed.",
            [21],
        ),
        ("Of 55 patients identified, two received only lenalidomide before myelodysplasia developed.", [55]),
        ("A thorough literature search identified only six published cases of TMZ-related ALL.", [6]),
    ],
)
def test_more_series_sizes(nlp: Language, text: str, counts: list[int]) -> None:
    assert [n for field, n in _cohort(nlp, text) if field == "n_patients"] == counts


def test_a_series_reported_only_in_aggregate_is_the_cohort(nlp: Language) -> None:
    """Guide section 1: no patient described alone, so the reported cases are the cohort, not cases."""
    text = (
        "We report 3 cases of glioblastoma multiforme in children developing 11-72 months following completion "
        "of chemotherapy/radiotherapy for ALL."
    )
    analysis = _analysis(nlp, text)
    cohort = build_cohort(analysis.mentions, analysis, has_cases=False)
    assert cohort is not None and cohort.n_patients == 3
    assert build_cohort(analysis.mentions, analysis, has_cases=True) is None


def test_a_total_of_n_secondary_neoplasms_were_included(nlp: Language) -> None:
    # doi-10428194.2024.2367699 (batch 4): the series is counted in t-MNs, not in "patients".
    text = "A total of 71 TP53 -mutated t-MNs were included, including 56 (78.9%) MH and 15 (21.1%) SH."
    assert [n for field, n in _cohort(nlp, text) if field == "n_patients"] == [71]


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # pmid-7890264: the first number is the series, the second the screened population.
        (
            (
                "Over a follow-up period of ten years, nine of our 100 patients with multiple myeloma (MM), developed "
                "myelodysplastic syndrome (MDS, preleukaemia)."
            ),
            [9],
        ),
        # blood-2017-130-s1-1285-geyer: "pts", and a "(n=2)" after a therapy line is no series.
        (
            "We identified 9 pts at MSKCC diagnosed with ALL from 2008-2016 during or within 4 months of therapy.",
            [9],
        ),
        (
            "Pts received Len during first induction (n=5) and/or subsequent salvage (n=2) and/or maintenance (n=9).",
            [],
        ),
    ],
)
def test_series_sizes_of_myeloma_series(nlp: Language, text: str, counts: list[int]) -> None:
    assert [n for field, n in _cohort(nlp, text) if field == "n_patients"] == counts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pmid-7890264: a range followed by its median in brackets.
        (
            "MDS occurred 19-156 (median 35) months from the diagnosis of MM.",
            [("latency_months", (35, 19, 156))],
        ),
        # pmid-17680015: an interval that ends at the transplant is not a latency.
        ("Median time from diagnosis to APBSCT was 8.2 months (range: 2.6-86.1 months).", []),
    ],
)
def test_statistics_of_myeloma_series(nlp: Language, text: str, expected: list[tuple[str, object]]) -> None:
    assert [c for c in _cohort(nlp, text) if c[0] != "n_patients"] == expected


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # pmid-29752743 (batch 6): a fraction and a percentage between the count and the verb.
        (
            "Results: Four testicular tumor patients (4/171, 2.3%) developed therapy-related acute myeloid leukemia "
            "and myelodysplastic syndrome.",
            [4],
        ),
        # pmid-36201165 (batch 6): the series counted in t-MNs "diagnosed among" a referred population.
        (
            "In a French cancer center, we identified and described the profiles of 13 t-MN diagnosed among 37 "
            "patients with ovarian cancer referred to hematology consultation for cytopenia under PARPi.",
            [13],
        ),
    ],
)
def test_series_sizes_from_batch_6(nlp: Language, text: str, counts: list[int]) -> None:
    assert [n for field, n in _cohort(nlp, text) if field == "n_patients"] == counts


def test_a_median_counted_from_the_completion_of_therapy_is_no_latency(nlp: Language) -> None:
    # doi-kjh.2010.45.3.177 (batch 6), guide section 5: intervals from the end of a therapy are not latencies.
    text = "The median interval between completion of chemotherapy for breast cancer and occurrence of t-AL was 25 months."
    assert [f for f, _ in _cohort(nlp, text) if f == "latency_months"] == []


def test_a_bracketed_range_without_a_central_value_gives_min_and_max(nlp: Language) -> None:
    # scilit-t9-11-four-cases (batch 6): four t-AML reported in aggregate.
    text = (
        "In agreement with previous reports, the leukemia was monoblastic (FAB M5 subtype) in all 4 patients, with "
        "only 1 having prior myelodysplasia, and the latency period from primary therapy was relatively short "
        "(24\u201348 months)."
    )
    assert [s for f, s in _cohort(nlp, text) if f == "latency_months"] == [(None, 24.0, 48.0)]
