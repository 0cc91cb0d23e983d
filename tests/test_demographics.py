"""Ages and sexes from real case-report sentences, and the case's age/sex chosen from them."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.assembly.patients import fill_demographics
from extractor.document import Document
from extractor.pipeline import Analysis, analyse, build_pipeline
from extractor.schema import Case, Mention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("demographics",))


def _mentions(nlp: Language, text: str, label: str) -> list[Mention]:
    return [m for m in analyse(nlp, Document("d", "test", text)).mentions if m.label == label]


@pytest.mark.parametrize(
    ("text", "ages"),
    [
        (
            "Case 1: A 71-year-old male with a four-year history of standard-risk kappa MM presented with weakness.",
            [71],
        ),
        # The article run into the number, as text extraction leaves it ("A10 year old", batch 9).
        ("A10 year old boy presented with pallor.", [10]),
        ("Grade A2 disease in a 45-year-old woman.", [45]),
        (
            "Here, we report a 62-year-old female who developed t-MN only three months after the completion",
            [62],
        ),
        ("43 year old female presented with triple negative early breast cancer", [43]),
        (
            "we describe a 12 years old girl with ALL who had Ewing's sarcoma when she was 8 years old",
            [12, 8],
        ),
        ("We report the case of a 10-year-old boy who had received radiotherapy and chemotherapy", [10]),
        (
            "A 55-year-old Korean woman was initially diagnosed with acute myelomonocytic leukemia (AML).",
            [55],
        ),
        ("An 8-month-old infant was referred with hepatosplenomegaly.", [0.7]),
        ("A seventy-two-year-old man presented with pancytopenia.", [72]),
        ("The patient, aged 65 years, developed B-ALL.", [65]),
        ("She was diagnosed with AML at the age of 58.", [58]),
        (
            "The medical records of 16 patients under 21 years of age at the time of t-MN diagnosis were reviewed.",
            [],
        ),
        ("These PCM patients were diagnosed with B-ALL at a median age of 61.5 years old.", []),
        ("The TP53 variant was found in her 70-year-old mother.", []),
        ("a woman in her 60s developed therapy-related AML", []),
    ],
)
def test_ages(nlp: Language, text: str, ages: list[float]) -> None:
    assert [m.norm for m in _mentions(nlp, text, "AGE")] == ages


@pytest.mark.parametrize(
    ("text", "sexes"),
    [
        ("A 19-year-old male Nigerian, a known sickle cell anemia patient was admitted", [("male", "noun")]),
        ("We present a 47-year-old lady who developed therapy related MDS", [("female", "noun")]),
        ("However, he died six months after diagnosis from meningoencephalitis.", [("male", "pronoun")]),
        (
            "the same TP53 genetic variant was present in the patient's father and non-donor son",
            [],
        ),
        ("a woman in her 60s developed therapy-related AML", [("female", "noun"), ("female", "pronoun")]),
        ("HER2-positive breast cancer was treated with trastuzumab.", []),
    ],
)
def test_sex_words(nlp: Language, text: str, sexes: list[tuple[str, str]]) -> None:
    assert [(m.norm, m.attrs["kind"]) for m in _mentions(nlp, text, "SEX")] == sexes


def _mention(label: str, norm: str | float, start: int, **attrs: object) -> Mention:
    return Mention(
        doc_id="d", start=start, end=start + 3, label=label, text="x", norm=norm, attrs=dict(attrs)
    )


@pytest.mark.parametrize(
    ("mentions", "age", "sex"),
    [
        ([_mention("AGE", 12.0, 10), _mention("AGE", 8.0, 60)], 12.0, None),
        ([_mention("AGE", 58.0, 10), _mention("AGE", 63.0, 60)], 63.0, None),
        (
            [
                _mention("SEX", "female", 0, kind="noun"),
                _mention("SEX", "male", 9, kind="pronoun"),
                _mention("SEX", "male", 20, kind="pronoun"),
            ],
            None,
            "female",
        ),
        ([_mention("SEX", "male", 0, kind="pronoun")], None, "male"),
        ([_mention("AGE", 70.0, 10, family=True)], None, None),
    ],
)
def test_fill_demographics(mentions: list[Mention], age: float | None, sex: str | None) -> None:
    case = Case(case_id="d#1")
    fill_demographics(case, mentions, Analysis(Document("d", "test", ""), mentions, []))
    assert (case.age_years, case.sex) == (age, sex)
    if age is not None:
        assert case.evidence["age_years"][0].start == next(m.start for m in mentions if m.norm == age)
