"""Score `find_variants` on the variant development corpora.

(a) tmVar train (PubTator): strict span P/R/F1 of all variant mentions (DNA, protein, SNP), over
    the document text `title + " " + abstract`; a span is right only with both offsets exact.
(b) MutationFinder devo: normalized protein point mutations (wNm, e.g. `A123G`) compared per
    abstract as sets against the gold file.

Usage: python scripts/eval_variants.py [--corpora DIR] [--errors]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import typer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.parsers.hgvs import find_variants  # noqa: E402

DEFAULT_CORPORA = Path("/work/shared/corpora/variants")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, predicted: set) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def row(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:<34} {self.tp:>5} {self.fp:>5} {self.fn:>5} {p:>6.3f} {r:>6.3f} {f:>6.3f}"


def read_pubtator(path: Path) -> Iterator[tuple[str, str, set[tuple[int, int, str]]]]:
    """Yield (pmid, text, gold spans) per document of a PubTator file."""
    title: dict[str, str] = {}
    abstract: dict[str, str] = {}
    spans: dict[str, set[tuple[int, int, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        head = line[:30]
        if "|t|" in head:
            pmid, _, rest = line.split("|", 2)
            title[pmid] = rest
            spans.setdefault(pmid, set())
        elif "|a|" in head:
            pmid, _, rest = line.split("|", 2)
            abstract[pmid] = rest
        else:
            fields = line.split("\t")
            spans.setdefault(fields[0], set()).add((int(fields[1]), int(fields[2]), fields[4]))
    for pmid, gold in spans.items():
        yield pmid, title[pmid] + " " + abstract.get(pmid, ""), gold


def score_tmvar(path: Path, errors: bool) -> tuple[Score, Score]:
    """Strict span score (type-blind) and strict span+type score."""
    span_score, typed_score = Score(), Score()
    types = {"ProteinMutation": "protein", "DNAMutation": "dna", "SNP": "snp"}
    for pmid, text, gold in read_pubtator(path):
        found = find_variants(text)
        predicted = {(v.start, v.end) for v in found}
        gold_spans = {(s, e) for s, e, _ in gold}
        span_score.add(gold_spans, predicted)
        typed_score.add(
            {(s, e, types.get(t, t)) for s, e, t in gold}, {(v.start, v.end, v.type) for v in found}
        )
        if errors:
            for s, e in sorted(predicted - gold_spans):
                print(f"FP tmvar {pmid} {text[s:e]!r} ...{text[max(0, s - 40) : s]!r}")
            for s, e in sorted(gold_spans - predicted):
                print(f"FN tmvar {pmid} {text[s:e]!r} ...{text[max(0, s - 40) : e + 20]!r}")
    return span_score, typed_score


def wnm(norm: str) -> str | None:
    """`p.R248Q` -> `R248Q`; anything but a one-letter substitution -> None."""
    match = re.fullmatch(r"p\.([A-Z])(\d+)([A-Z])", norm)
    return "".join(match.groups()) if match else None


def score_mutationfinder(text_path: Path, gold_path: Path, errors: bool) -> Score:
    gold: dict[str, set[str]] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        gold[fields[0]] = {field for field in fields[1:] if field}
    score = Score()
    for line in text_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        pmid, text = fields[0], " ".join(fields[1:])
        predicted = {m for v in find_variants(text) if v.type == "protein" for m in [wnm(v.norm)] if m}
        expected = gold.get(pmid, set())
        score.add(expected, predicted)
        if errors:
            for m in sorted(predicted - expected):
                print(f"FP mf {pmid} {m}")
            for m in sorted(expected - predicted):
                print(f"FN mf {pmid} {m}")
    return score


def main(
    corpora: Path = typer.Option(DEFAULT_CORPORA, help="folder with the corpora of SOURCES.md"),
    errors: bool = typer.Option(False, "--errors", help="list false positives and false negatives"),
) -> None:
    span_score, typed_score = score_tmvar(corpora / "tmvar-train.pubtator", errors)
    mf = score_mutationfinder(
        corpora / "mutationfinder-devo.txt", corpora / "mutationfinder-devo-gold.txt", errors
    )
    print(f"{'corpus / measure':<34} {'TP':>5} {'FP':>5} {'FN':>5} {'P':>6} {'R':>6} {'F1':>6}")
    print(span_score.row("tmVar train, strict span"))
    print(typed_score.row("tmVar train, strict span + type"))
    print(mf.row("MutationFinder devo, normalized"))


if __name__ == "__main__":
    typer.run(main)
