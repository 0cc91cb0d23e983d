"""Treatments from real case-report sentences: lexicon names, regimens written out or bracketed, transplants,
settings, and the case's treatment list (given or not, background, target, durations, cycles)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from spacy.language import Language

from extractor.assembly.treatments import fill_treatments
from extractor.components.treatments import Lexicon, TreatmentEntry
from extractor.document import Document
from extractor.patterns import load_jsonl, pattern_path
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Case, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("treatments", "durations"))


def _analysis(nlp: Language, text: str) -> Analysis:
    return analyse(nlp, Document("d", "test", text))


def _treatments(nlp: Language, text: str) -> list[tuple[str, str]]:
    return [(m.text, str(m.norm)) for m in _analysis(nlp, text).mentions if m.label == "TREATMENT"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "long-term exposure to thalidomide and lenalidomide",
            [("thalidomide", "thalidomide"), ("lenalidomide", "lenalidomide")],
        ),
        (
            "She was on Revlimid maintenance after Velcade induction.",
            [("Revlimid", "lenalidomide"), ("Velcade", "bortezomib")],
        ),
        (
            "prior therapy with 5-fluorouracil, mitomycin C, and radiation",
            [("5-fluorouracil", "fluorouracil"), ("mitomycin C", "mitomycin"), ("radiation", "radiotherapy")],
        ),
        ("achieved CR with ATRA alone", [("ATRA", "tretinoin")]),
        (
            "consolidation with ATRA (All Trans Retinoic Acid) and arsenic trioxide",
            [("ATRA", "tretinoin"), ("arsenic trioxide", "arsenic trioxide")],
        ),
        (
            "She began treatment with hyperCVAD, and she switched to blinatumomab.",
            [("hyperCVAD", "hyper-CVAD"), ("blinatumomab", "blinatumomab")],
        ),
        (
            "He was treated with doxorubicin followed by inotuzumab",
            [("doxorubicin", "doxorubicin"), ("inotuzumab", "inotuzumab ozogamicin")],
        ),
        (
            "no response to chemotherapy (cytarabine and idarubicin, FLAG-IDA protocol, azacitidine)",
            [
                ("cytarabine", "cytarabine"),
                ("idarubicin", "idarubicin"),
                ("FLAG-IDA", "FLAG-Ida"),
                ("azacitidine", "azacitidine"),
            ],
        ),
        (
            "recombinant human granulocyte colony-stimulating factor (G-CSF)",
            [("recombinant human granulocyte colony-stimulating factor", "g-csf")],
        ),
        (
            "cytarabine, idarubicin, and G-CSF",
            [("cytarabine", "cytarabine"), ("idarubicin", "idarubicin"), ("G-CSF", "g-csf")],
        ),
        ("High risk-MDS following CAR T-cell therapy", [("CAR T-cell therapy", "CAR-T")]),
        ("relapsed after tisagenlecleucel", [("tisagenlecleucel", "tisagenlecleucel")]),
        ("the patient was treated with dasatinib as the only medication", [("dasatinib", "dasatinib")]),
        ("after alkylating agents and exemestane", [("exemestane", "exemestane")]),
        ("four cycles of RVd", [("RVd", "VRd")]),
        ("Len-Dex was continued", [("Len-Dex", "Rd")]),
        ("8 cycles of R-CHOP based chemo-immunotherapy", [("R-CHOP", "R-CHOP")]),
        ("CALGB 10403 regimen", [("CALGB 10403", "CALGB 10403")]),
        ("conventional 7+3 induction", [("7+3", "7+3")]),
        ("treated with PARPi, IMiDs, a TKI and anthracycline-based chemotherapy", []),
        ("RT-PCR was negative for PML-RARA", []),
    ],
)
def test_lexicon_names(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert _treatments(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("autologous stem cell transplant (ASCT)", [("autologous stem cell transplant", "ASCT")]),
        (
            "a consolidative melphalan-based autologous stem cell transplant (MEL-ASCT)",
            [("melphalan", "melphalan"), ("autologous stem cell transplant", "ASCT")],
        ),
        ("She then underwent MEL-ASCT", [("MEL", "melphalan"), ("ASCT", "ASCT")]),
        (
            "autologous peripheral blood stem cell transplantation (PBSCT)",
            [("autologous peripheral blood stem cell transplantation", "ASCT")],
        ),
        (
            "the patient underwent allogenic hematopoietic stem cell transplantation",
            [("allogenic hematopoietic stem cell transplantation", "allo-HSCT")],
        ),
        (
            "after allogenic hematopoietic stem cell transplantation (alloHCT) treatment",
            [("allogenic hematopoietic stem cell transplantation", "allo-HSCT")],
        ),
        ("she has since undergone allogeneic SCT.Case 3:", [("allogeneic SCT", "allo-HSCT")]),
        ("Nine patients underwent allogeneic transplantation", [("allogeneic transplantation", "allo-HSCT")]),
        (
            "survived following allogeneic hematopoietic stem cell transplantation (allo-HSCT)",
            [("allogeneic hematopoietic stem cell transplantation", "allo-HSCT")],
        ),
        (
            "mutation frequency dropped post-transplantation; the donor was her son",
            [("post-transplantation", "allo-HSCT")],
        ),
        (
            "At 39 months after autologous PBSCT he relapsed; a second PBSCT was done",
            [("autologous PBSCT", "ASCT"), ("PBSCT", "ASCT")],
        ),
        ("stem cell transplantation was discussed", []),
    ],
)
def test_transplants(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert _treatments(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "name", "components"),
    [
        (
            "treated with six cycles of lenalidomide (R), bortezomib (V), and dexamethasone (d) followed by Rd",
            "VRd",
            ["lenalidomide", "bortezomib", "dexamethasone"],
        ),
        (
            "Induction with bortezomib, lenalidomide and dexamethasone was given.",
            "VRd",
            ["bortezomib", "lenalidomide", "dexamethasone"],
        ),
        ("lenalidomide plus dexamethasone", "Rd", ["lenalidomide", "dexamethasone"]),
        ("melphalan and prednisone", "MP", ["melphalan", "prednisone"]),
        (
            "After 6 cycles of the CHOP (cyclophosphamide [CPA], doxorubicin, vincristine, and prednisone) regimen",
            "CHOP",
            ["cyclophosphamide", "doxorubicin", "vincristine", "prednisone"],
        ),
        (
            "She was treated with 6 cycle of adjuvant AC (Doxorubicin, Cyclophosphamide).",
            "AC",
            ["doxorubicin", "cyclophosphamide"],
        ),
        (
            (
                "salvage chemotherapy, which consisted of the CHASE regimen (CPA, high-dose cytarabine, dexamethasone, "
                "and etoposide)"
            ),
            "CHASE",
            ["cyclophosphamide", "cytarabine", "dexamethasone", "etoposide"],
        ),
        (
            "the LEED preconditioning regimen (melphalan, CPA, etoposide, and dexamethasone)",
            "LEED",
            ["melphalan", "cyclophosphamide", "etoposide", "dexamethasone"],
        ),
        (
            "six cycles of CMF (cyclophosphamide, methotrexate, 5-fluorouracil) chemotherapy",
            "CMF",
            ["cyclophosphamide", "methotrexate", "fluorouracil"],
        ),
        ("the XYZ protocol (busulfan and fludarabine) was used", "XYZ", ["busulfan", "fludarabine"]),
        (
            "fractionated cyclophosphamide, vincristine, doxorubicin, and dexamethasone (Hyper-CVAD)",
            "hyper-CVAD",
            ["cyclophosphamide", "vincristine", "doxorubicin", "dexamethasone"],
        ),
        # paperexplained-gct-etoposide-t-aml (batch 6): peplomycin (PEP), and a gloss of the last drug.
        (
            "The patient received four cycles of chemotherapy, COMPE regimen (CDDP, VCR, MTX, PEP, VP-16 [etoposide]).",
            "COMPE",
            ["cisplatin", "vincristine", "methotrexate", "peplomycin", "etoposide"],
        ),
    ],
)
def test_regimens_and_components(nlp: Language, text: str, name: str, components: list[str]) -> None:
    treatments = [m for m in _analysis(nlp, text).mentions if m.label == "TREATMENT"]
    regimen = next(m for m in treatments if m.attrs["kind"] == "regimen")
    assert (str(regimen.norm), regimen.attrs["components"]) == (name, components)
    assert not set(components) & {m.norm for m in treatments if m.attrs["kind"] == "drug"}


@pytest.mark.parametrize(
    "text",
    [
        "There was no response to chemotherapy (cytarabine and idarubicin).",
        (
            "adjuvant chemotherapy consisting of an alkylating agent, cyclophosphamide and DNA topoisomerase II "
            "inhibitor, doxorubicin"
        ),
        "the patient was started on venetoclax and azacitidine",
    ],
)
def test_drugs_without_a_listed_acronym_stay_drugs(nlp: Language, text: str) -> None:
    assert all(m.attrs["kind"] == "drug" for m in _analysis(nlp, text).mentions if m.label == "TREATMENT")


@pytest.mark.parametrize(
    ("text", "settings"),
    [
        (
            "Lenalidomide maintenance following autologous stem cell transplant (ASCT) is the standard of care",
            {"lenalidomide": "maintenance", "ASCT": None},
        ),
        (
            "two patients with MM treated with induction therapy, ASCT, and lenalidomide maintenance",
            {"ASCT": None, "lenalidomide": "maintenance"},
        ),
        (
            (
                "He subsequently underwent a consolidative melphalan-based autologous stem cell transplant (MEL-ASCT) and "
                "began maintenance lenalidomide therapy for the next 33 months."
            ),
            {"melphalan": "consolidation", "ASCT": "consolidation", "lenalidomide": "maintenance"},
        ),
        (
            (
                "We had successfully treated t-APML with conventional 7+3 induction and subsequent consolidation with "
                "ATRA (All Trans Retinoic Acid) and arsenic trioxide."
            ),
            {"7+3": "induction", "tretinoin": "consolidation", "arsenic trioxide": "consolidation"},
        ),
        ("He was commenced simultaneously on induction chemotherapy and Imatinib", {"imatinib": None}),
        (
            (
                "received salvage chemotherapy, which consisted of the CHASE regimen (CPA, cytarabine, dexamethasone, "
                "and etoposide)"
            ),
            {"CHASE": "salvage"},
        ),
        (
            "the LEED preconditioning regimen (melphalan, CPA, etoposide, and dexamethasone)",
            {"LEED": "conditioning"},
        ),
        ("CNS prophylaxis with intrathecal methotrexate", {"methotrexate": "prophylaxis"}),
        (
            "After induction chemotherapy was performed using cytarabine, idarubicin, and G-CSF, CR was achieved",
            {"cytarabine": "induction", "idarubicin": "induction", "g-csf": "induction"},
        ),
        (
            "a conditioning regimen of busulfan and cyclophosphamide",
            {"busulfan": "conditioning", "cyclophosphamide": "conditioning"},
        ),
    ],
)
def test_settings(nlp: Language, text: str, settings: dict[str, str | None]) -> None:
    found = {
        str(m.norm): m.attrs.get("setting") for m in _analysis(nlp, text).mentions if m.label == "TREATMENT"
    }
    assert found == settings


def _dx(text: str, surface: str, role: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return Mention(
        doc_id="d",
        start=start,
        end=start + len(surface),
        label="DIAGNOSIS",
        text=surface,
        norm=surface,
        attrs={"role": role},
    )


def _fill(nlp: Language, text: str, diagnoses: list[tuple[str, str, int]] = ()) -> Case:
    analysis = _analysis(nlp, text)
    mentions = sorted(
        analysis.mentions + [_dx(text, s, r, k) for s, r, k in diagnoses], key=lambda m: m.start
    )
    case = Case(case_id="d#1")
    fill_treatments(case, mentions, analysis)
    return case


@pytest.mark.parametrize(
    ("text", "diagnoses", "expected"),
    [
        (
            (
                "Therapy-related AML developed three years after adjuvant chemotherapy with cyclophosphamide, "
                "doxorubicin and adjuvant radiotherapy. There was no response to chemotherapy (cytarabine and "
                "idarubicin, FLAG-IDA protocol, azacitidine) and our patient died."
            ),
            [("AML", "secondary", 0)],
            [
                ("cyclophosphamide", "primary"),
                ("doxorubicin", "primary"),
                ("radiotherapy", "primary"),
                ("cytarabine", "secondary"),
                ("idarubicin", "secondary"),
                ("FLAG-Ida", "secondary"),
                ("azacitidine", "secondary"),
            ],
        ),
        (
            (
                "She was diagnosed with invasive ductal carcinoma of the left breast. A diagnosis of t-AML was made. "
                "She subsequently received an allogenic stem cell transplant and was cured."
            ),
            [("invasive ductal carcinoma", "primary", 0), ("t-AML", "secondary", 0)],
            [("allo-HSCT", "secondary")],
        ),
        (
            (
                "Acute myeloid leukemia following etoposide therapy for EBV-associated hemophagocytic "
                "lymphohistiocytosis: a case report\n\nWe report a case of HLH with progression to t-AML."
            ),
            [
                ("Acute myeloid leukemia", "secondary", 0),
                ("hemophagocytic lymphohistiocytosis", "primary", 0),
            ],
            [("etoposide", "primary")],
        ),
        (
            (
                "A 55-year-old woman was initially diagnosed with AML. After induction chemotherapy was performed "
                "using cytarabine, idarubicin, and G-CSF, complete remission was achieved. The patient was diagnosed "
                "with t-MDS. Although the patient subsequently received chemotherapy and G-CSF for neutropenia, t-MDS "
                "rapidly progressed."
            ),
            [("AML", "primary", 0), ("t-MDS", "secondary", 0), ("t-MDS", "secondary", 1)],
            [
                ("cytarabine", "primary"),
                ("idarubicin", "primary"),
                ("g-csf", "primary"),
                ("g-csf", "secondary"),
            ],
        ),
        (
            (
                "A 60-yr-old woman underwent 6 cycles of adjuvant chemotherapy (cyclophosphamide, epirubicin, and "
                "fluorouracil). However, the complete blood cell count indicated acute leukemia. The patient received "
                "induction chemotherapy with vincristine and dexamethasone."
            ),
            [("acute leukemia", "secondary", 0)],
            [
                ("cyclophosphamide", "primary"),
                ("epirubicin", "primary"),
                ("fluorouracil", "primary"),
                ("vincristine", "secondary"),
                ("dexamethasone", "secondary"),
            ],
        ),
        (
            (
                "High risk-MDS following CAR T-cell therapy in a patient with relapsed DLBCL\n\nWe report a case of "
                "high risk MDS. Eight months after CAR T-cell infusion, the bone marrow biopsy revealed dysplasia."
            ),
            [("MDS", "secondary", 0), ("DLBCL", "primary", 0), ("MDS", "secondary", 1)],
            [("CAR-T", "primary")],
        ),
        (
            "The patient was treated with imatinib for B-ALL.",
            [("B-ALL", "primary", 0)],
            [("imatinib", "primary")],
        ),
    ],
)
def test_targets(
    nlp: Language, text: str, diagnoses: list[tuple[str, str, int]], expected: list[tuple[str, str]]
) -> None:
    assert [(t.name, t.target) for t in _fill(nlp, text, diagnoses).treatments] == expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            (
                "He was commenced simultaneously on induction chemotherapy and Imatinib while being prepared for "
                "allogeneic stem cell transplantation."
            ),
            ["imatinib"],
        ),
        (
            "There was no response to chemotherapy (cytarabine and idarubicin) and our patient died.",
            ["cytarabine", "idarubicin"],
        ),
        ("The patient did not receive rituximab. She was treated with bendamustine.", ["bendamustine"]),
        (
            (
                "Lenalidomide, a derivative of thalidomide, is a type of immunomodulatory drug that has been standard "
                "therapy for multiple myeloma. We present a case of an elderly male who was diagnosed with B-ALL after "
                "10 years of maintenance lenalidomide therapy."
            ),
            ["lenalidomide"],
        ),
        (
            (
                "Cytopenia following CAR T-cell treatment is attributed in most cases to lymphodepletion regimens, "
                "bridging chemotherapy, or radiotherapy. Eight months after CAR T-cell infusion, the marrow revealed MDS."
            ),
            ["CAR-T"],
        ),
        (
            (
                "We are reporting a case of t-APML in a breast cancer patient treated with doxorubicin. She was treated "
                "with 6 cycle of adjuvant AC (Doxorubicin, Cyclophosphamide)."
            ),
            ["AC"],
        ),
    ],
)
def test_given_treatments_only(nlp: Language, text: str, names: list[str]) -> None:
    assert [t.name for t in _fill(nlp, text).treatments] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            (
                "We present the case of a 65-year-old man with relapsed/refractory multiple myeloma (RRMM) who "
                "developed therapy-related myelodysplastic syndrome (MDS) following chimeric antigen receptor T-cell "
                "(CAR-T) therapy with idecabtagene vicleucel (ide-cel). The patient underwent multiple lines of "
                "therapy before receiving ide-cel for progressive disease."
            ),
            ["idecabtagene vicleucel"],
        ),
        (
            (
                "Myelodysplastic syndrome following chimeric antigen receptor T-cell therapy treated with allogenic "
                "stem cell transplantation\n\nThe authors report the case of a patient with diffuse large B-cell "
                "lymphoma treated with axicabtagene ciloleucel who developed prolonged hematological toxicity by day 28."
            ),
            ["axicabtagene ciloleucel", "allo-HSCT"],
        ),
        (
            (
                "We report a case of high risk (HR)-MDS following CAR T-cell therapy in a patient with relapsed diffuse "
                "large B cell lymphoma. Eight months after CAR T-cell infusion, the blood count showed progressive, "
                "worsening cytopenia."
            ),
            ["CAR-T"],
        ),
        (
            (
                "CD19 CAR-T therapy followed by HLA-identical unrelated hematopoietic stem cell transplantation was "
                "applied and the patient remains in remission for 7 months till now."
            ),
            ["CAR-T", "allo-HSCT"],
        ),
    ],
)
def test_a_generic_name_yields_to_the_named_product(nlp: Language, text: str, names: list[str]) -> None:
    treatments = _fill(nlp, text).treatments
    assert [t.name for t in treatments] == names
    product = treatments[0]
    mentions = _analysis(nlp, text).mentions
    words = {m.text for m in mentions if m.label == "TREATMENT" and m.attrs["kind"] == "cellular"}
    assert {e.text for e in product.evidence} == words


@pytest.mark.parametrize("specifies", ["CAR T", "tisagenlecleucel", "ASCT"])
def test_a_product_specifies_a_generic_entry_of_its_kind(specifies: str) -> None:
    entries = [
        e.model_copy(update={"specifies": specifies}) if e.name == "axicabtagene ciloleucel" else e
        for e in load_jsonl("treatments.jsonl", TreatmentEntry)
    ]
    with pytest.raises(ValueError, match="axicabtagene ciloleucel: specifies"):
        Lexicon(entries)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He subsequently underwent MEL-ASCT and began maintenance lenalidomide therapy for the next 33 months.",
            {"melphalan": (None, None), "ASCT": (None, None), "lenalidomide": (33.0, None)},
        ),
        (
            (
                "His MM had initially been treated with six cycles of lenalidomide (R), bortezomib (V), and "
                "dexamethasone (d) followed by an additional cycle of Rd."
            ),
            {"VRd": (None, 6.0), "Rd": (None, 1.0)},
        ),
        (
            "VRd for 4 cycles followed by lenalidomide maintenance for 3 years.",
            {"VRd": (None, 4.0), "lenalidomide": (36.0, None)},
        ),
        (
            (
                "He received treatment with four cycles of rituximab (375mg/m, day 1) and bendamustine (90 mg/m, days "
                "1–2)."
            ),
            {"rituximab": (None, 4.0), "bendamustine": (None, 4.0)},
        ),
        (
            "was diagnosed with B-ALL after 10 years of maintenance lenalidomide therapy.",
            {"lenalidomide": (120.0, None)},
        ),
        (
            "cytarabine was given bid for 12 days with daunorubicin",
            {"cytarabine": (None, None), "daunorubicin": (None, None)},
        ),
        (
            "lenalidomide 10 mg daily; the 71-year-old patient remained in remission for 5 years",
            {"lenalidomide": (None, None)},
        ),
    ],
)
def test_durations_and_cycles(
    nlp: Language, text: str, expected: dict[str, tuple[float | None, float | None]]
) -> None:
    found = {t.name: (t.duration_months, t.cycles) for t in _fill(nlp, text).treatments}
    assert found == expected


def test_evidence_points_at_the_words() -> None:
    nlp = build_pipeline(recognizers=("treatments", "durations"))
    text = "She then underwent MEL-ASCT before starting lenalidomide maintenance for the next 54 months."
    case = _fill(nlp, text)
    lenalidomide = next(t for t in case.treatments if t.name == "lenalidomide")
    assert [e.text for e in lenalidomide.evidence] == ["lenalidomide", "for the next 54 months"]
    assert all(text[e.start : e.end] == e.text for t in case.treatments for e in t.evidence)


def test_lexicon_is_consistent() -> None:
    entries = load_jsonl("treatments.jsonl", TreatmentEntry)
    names = [e.name for e in entries]
    assert [n for n, k in Counter(names).items() if k > 1] == []
    drugs = {e.name for e in entries if e.kind == "drug"}
    assert {c for e in entries for c in e.components} <= drugs
    surfaces = Counter(s.lower() for e in entries for s in {*e.synonyms, e.name} if e.kind != "regimen")
    assert [s for s, k in surfaces.items() if k > 1] == []
    for line in pattern_path("treatments.jsonl").read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She underwent total thyroidectomy and received a low-dose RAI 131I therapy at a dose of 150 mCi",
            [("RAI", "radioactive iodine")],
        ),
        (
            "He received radioactive iodine on two occasions postoperatively.",
            [("radioactive iodine", "radioactive iodine")],
        ),
        (
            "Initially classified as low risk APL and treated according to the AIDA protocol - induction and 3 "
            "consolidation cycles",
            [("AIDA", "AIDA")],
        ),
    ],
)
def test_radioiodine_and_apl_protocols(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    """ "RAI 131I" is one agent written twice; the record keeps one name."""
    found = _treatments(nlp, text)
    assert sorted({norm for _, norm in found}) == sorted({norm for _, norm in expected})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # doi-ol.2015.2867: the older name of aclarubicin and homoharringtonine (HHT).
        (
            "cytarabine, aclacinomycin and daunorubicin, homoharringtonine and etoposide",
            [
                ("cytarabine", "cytarabine"),
                ("aclacinomycin", "aclarubicin"),
                ("daunorubicin", "daunorubicin"),
                ("homoharringtonine", "homoharringtonine"),
                ("etoposide", "etoposide"),
            ],
        ),
    ],
)
def test_aml_salvage_drug_names(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert _treatments(nlp, text) == expected


def test_an_unlisted_acronym_with_a_misspelt_first_drug_is_a_regimen(nlp: Language) -> None:
    """htct-2024-46-s8-fidan: "bortezomide" is a common misspelling of bortezomib."""
    text = "The patient was given 4 cycles of BED (bortezomide, cyclophosphamide, dexamethasone) treatment."
    regimens = [m for m in _analysis(nlp, text).mentions if m.label == "TREATMENT" and m.norm == "BED"]
    assert len(regimens) == 1
    assert regimens[0].attrs["components"] == ["bortezomib", "cyclophosphamide", "dexamethasone"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pmid-10575839 (batch 8): "ifosphamide" is a frequent spelling of ifosfamide.
        (
            "she had received cyclophosphamide, ifosphamide, etoposide",
            [
                ("cyclophosphamide", "cyclophosphamide"),
                ("ifosphamide", "ifosfamide"),
                ("etoposide", "etoposide"),
            ],
        ),
        # isainsmedis-ism-1929 (batch 8): German/Indonesian INN spellings and misspellings of an ALL induction.
        (
            (
                "Patient underwent chemotherapy for high risk ALL at induction phase with combination of vincristin, "
                "daunorubicin, L-asparginase, metotrexate high dose, prednison, and 6-mercaptopurine."
            ),
            [
                ("vincristin", "vincristine"),
                ("daunorubicin", "daunorubicin"),
                ("L-asparginase", "asparaginase"),
                ("metotrexate", "methotrexate"),
                ("prednison", "prednisone"),
                ("6-mercaptopurine", "mercaptopurine"),
            ],
        ),
        (
            "with regimens vincristine 1.5 mg/m2, cyclophosfamide 1200 mg/m2, dactinomycin 0.5 mg/m2",
            [
                ("vincristine", "vincristine"),
                ("cyclophosfamide", "cyclophosphamide"),
                ("dactinomycin", "dactinomycin"),
            ],
        ),
    ],
)
def test_variant_spellings_of_pediatric_drugs(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _treatments(nlp, text) == expected


def test_4_epi_doxorubicin_is_epirubicin(nlp: Language) -> None:
    # pmid-11552977 (batch 7): the chemical name of epirubicin, not doxorubicin.
    text = (
        "We present two such cases with t(4;11)(q21;q23), one of whom had previously received only single-agent "
        "chemotherapy with 4-epi-doxorubicin."
    )
    assert _treatments(nlp, text) == [("4-epi-doxorubicin", "epirubicin")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "He received six cycles of radium-223 for bone metastases of prostate cancer.",
            [("radium-223", "radium-223 dichloride")],
        ),
        ("treated with 177Lu-DOTATATE for a neuroendocrine tumour", [("177Lu-DOTATATE", "lutetium-177")]),
        ("after two doses of samarium-153 lexidronam", [("samarium-153 lexidronam", "samarium-153")]),
    ],
)
def test_radiopharmaceuticals_are_named(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert _treatments(nlp, text) == expected
