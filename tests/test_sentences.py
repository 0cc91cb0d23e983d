"""The rule sentence splitter on case-report prose: line breaks, full stops, abbreviations, openers."""

import pytest
import spacy
from spacy.language import Language

from extractor.components.sentences import case_sentences  # noqa: F401  (registers the component)
from extractor.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=(), abbreviations=False)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "A 67-year-old man had myeloma. He received lenalidomide. t-MN developed after 3 years.",
            ["A 67-year-old man had myeloma.", "He received lenalidomide.", "t-MN developed after 3 years."],
        ),
        ("Title of the report\n\nA woman, aged 60, had AML.", ["Title of the report", "A woman, aged 60, had AML."]),
        ("Karyotype  \n  46,XX,t(9;22)(q34;q11) was found.", ["Karyotype", "46,XX,t(9;22)(q34;q11) was found."]),
        (
            "The blasts were CD19+ (e.g. in the marrow). (Fig. 1) shows them.",
            ["The blasts were CD19+ (e.g. in the marrow).", "(Fig. 1) shows them."],
        ),
        ("She died 8 mo. later of sepsis.", ["She died 8 mo. later of sepsis."]),
        ("Remission was achieved. 2 years later AML relapsed.", ["Remission was achieved.", "2 years later AML relapsed."]),
        ("Relapse followed. sAML was diagnosed.", ["Relapse followed.", "sAML was diagnosed."]),
        ("  \n ", ["  \n "]),
    ],
)
def test_sentence_starts(nlp: Language, text: str, sentences: list[str]) -> None:
    assert [s.text.strip() or s.text for s in nlp(text).sents] == sentences


def test_the_splitter_alone_on_a_blank_pipeline() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("case_sentences")
    assert [s.text for s in blank("One here. Two here.\nthree").sents] == ["One here.", "Two here.\n", "three"]
