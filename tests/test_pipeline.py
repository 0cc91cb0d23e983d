"""The pipeline's own machinery on real sentences: sentences, exact mentions, ConText flags."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.base import add_mention
from extractor.document import Document
from extractor.pipeline import LEXICAL_ATTRS, analyse, build_pipeline


@Language.component("test_mark_words")
def mark_words(doc: Doc) -> Doc:
    """Marks 'lenalidomide' and 'remission' so ConText has targets."""
    for word in ("lenalidomide", "remission"):
        start = doc.text.find(word)
        while start != -1:
            add_mention(doc, start, start + len(word), "TEST", word)
            start = doc.text.find(word, start + 1)
    return doc


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(recognizers=("test_mark_words",))


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "He was diagnosed with B-ALL. Imatinib was started.",
            ["He was diagnosed with B-ALL.", "Imatinib was started."],
        ),
        (
            "resulting in the diagnosis of t-MN.Case presentation We describe a case",
            ["resulting in the diagnosis of t-MN.", "Case presentation We describe a case"],
        ),
        (
            "Background\n\nThe advent of the immunomodulatory imide drugs (IMiDs) lenalidomide and thalidomide",
            [
                "Background",
                "The advent of the immunomodulatory imide drugs (IMiDs) lenalidomide and thalidomide",
            ],
        ),
        (
            "Drugs (e.g. lenalidomide) were given as described by Smith et al. in 2019.",
            ["Drugs (e.g. lenalidomide) were given as described by Smith et al. in 2019."],
        ),
        (
            "Karyotype was 46,XY,t(9;22)(q34;q11.2)[20]. FISH confirmed BCR-ABL1.",
            ["Karyotype was 46,XY,t(9;22)(q34;q11.2)[20].", "FISH confirmed BCR-ABL1."],
        ),
    ],
)
def test_sentences(nlp: Language, text: str, sentences: list[str]) -> None:
    analysis = analyse(nlp, Document("d", "test", text))
    assert [text[s:e].strip() for s, e in analysis.sentences] == sentences


def test_mentions_keep_exact_offsets_inside_tokens(nlp: Language) -> None:
    text = "Cytogenetics showed 46,XY,t(9;22)(q34;q11)[20] in all metaphases."
    doc = nlp.make_doc(text)
    doc.spans["mentions"] = []
    start = text.index("46,XY")
    end = text.index("[20]") + 4
    span = add_mention(doc, start, end, "KARYOTYPE", "46,XY,t(9;22)(q34;q11)[20]")
    assert span is not None
    assert span._.mention.start == start and span._.mention.end == end
    assert span.start_char <= start and span.end_char >= end


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("The patient did not receive lenalidomide.", "negated"),
        ("She did not achieve remission after induction.", "negated"),
        ("Lenalidomide maintenance may be considered if remission is achieved.", "hypothetical"),
        ("Her mother had received lenalidomide for myeloma.", "family"),
    ],
)
def test_context_flags_reach_mention_attrs(nlp: Language, text: str, flag: str) -> None:
    analysis = analyse(nlp, Document("d", "test", text))
    assert analysis.mentions
    assert any(m.attrs.get(flag) for m in analysis.mentions)


def test_asserted_mentions_carry_no_flags(nlp: Language) -> None:
    analysis = analyse(nlp, Document("d", "test", "He received lenalidomide maintenance for 33 months."))
    (mention,) = analysis.mentions
    assert {k for k in mention.attrs if k != "sentence"} == set()
    assert mention.attrs["sentence"] == [0, 51]


def test_a_sentence_may_open_with_a_lower_case_abbreviation(nlp: Language) -> None:
    text = (
        "He expired 3 months after the diagnosis of t-MN (6 months of survival after the onset of cytopenias). "
        "t-MN after complete remission of APL is a rare but fatal complication."
    )
    analysis = analyse(nlp, Document("d", "test", text))
    assert [text[s:e].strip() for s, e in analysis.sentences] == [
        "He expired 3 months after the diagnosis of t-MN (6 months of survival after the onset of cytopenias).",
        "t-MN after complete remission of APL is a rare but fatal complication.",
    ]


def test_new_words_get_the_attributes_the_pipeline_reads(nlp: Language) -> None:
    doc = nlp.make_doc("Zzyxomab-treated PATIENTS\n\n relapsed")
    assert [t.lower_ for t in doc if not t.is_space] == ["zzyxomab-treated", "patients", "relapsed"]
    assert [t.is_space for t in doc] == [False, False, True, False]
    assert set(nlp.vocab.lex_attr_getters) == set(LEXICAL_ATTRS)
