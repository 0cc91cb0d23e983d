"""One document through the whole analysis: pipeline, then record assembly."""

from __future__ import annotations

from spacy.language import Language

from extractor.assembly.records import assemble_with_cases
from extractor.document import Document
from extractor.pipeline import analyse, build_pipeline
from extractor.serialization import DocumentResult


class Extractor:
    """Holds the pipeline, built once, and turns Documents into results."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else build_pipeline()

    def __call__(self, document: Document) -> DocumentResult:
        analysis = analyse(self.nlp, document)
        record, mentions = assemble_with_cases(analysis)
        return DocumentResult(document, mentions, record)
