"""Share of hand-picked body sentences that a PDF reader returns whole and in reading order.

For each PDF in a folder (default: the shared development PDFs) prints the share for
`read_pdf` and for pdfplumber's plain `extract_text()`, with the time each took. The
sentences, copied by eye from the rendered pages, live in tests/data/pdf_sentences.json.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Annotated

import pdfplumber
import typer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.readers.pdf import read_pdf

SENTENCES = ROOT / "tests" / "data" / "pdf_sentences.json"
SHARED = ROOT.parent / "shared" / "corpus-pdfs"

_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def normalize(text: str) -> str:
    """Whitespace collapsed and typographic quotes and dashes made plain, so only order and breaks count."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


def in_order(text: str, sentences: list[str]) -> list[bool]:
    """For each sentence, whether it occurs whole in `text` after the previous sentence found."""
    flat = normalize(text)
    position = 0
    found: list[bool] = []
    for sentence in sentences:
        at = flat.find(normalize(sentence), position)
        found.append(at >= 0)
        if at >= 0:
            position = at + len(normalize(sentence))
    return found


def plumber_text(path: Path) -> str:
    """pdfplumber's plain text of every page, the baseline to beat."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def unbroken(text: str) -> str:
    """Plain text with every line-end hyphen undone, to tell reading order apart from hyphenation."""
    return re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", text)


def main(
    folder: Annotated[Path, typer.Argument(help="folder holding the PDFs")] = SHARED,
    sentences: Annotated[
        Path, typer.Option(help="JSON: PDF file name -> sentences in reading order")
    ] = SENTENCES,
    verbose: Annotated[bool, typer.Option(help="list the sentences not found")] = False,
) -> None:
    """Print, per PDF, the share of picked sentences found whole and in order, ours against pdfplumber."""
    picked: dict[str, list[str]] = json.loads(sentences.read_text(encoding="utf-8"))
    totals = {"ours": [0, 0], "plumber": [0, 0], "plumber_dehyphenated": [0, 0]}
    for name, wanted in sorted(picked.items()):
        path = folder / name
        if not path.exists():
            typer.echo(f"{name}: missing")
            continue
        started = time.perf_counter()
        ours = in_order(read_pdf(path, path.stem).text, wanted)
        ours_time = time.perf_counter() - started
        started = time.perf_counter()
        plain = plumber_text(path)
        theirs_time = time.perf_counter() - started
        theirs = in_order(plain, wanted)
        dehyphenated = in_order(unbroken(plain), wanted)
        for key, found in (("ours", ours), ("plumber", theirs), ("plumber_dehyphenated", dehyphenated)):
            totals[key][0] += sum(found)
            totals[key][1] += len(found)
        typer.echo(
            f"{name}: read_pdf {sum(ours)}/{len(ours)} in {ours_time:.2f}s"
            f" | pdfplumber extract_text {sum(theirs)}/{len(theirs)} in {theirs_time:.2f}s"
            f" ({sum(dehyphenated)}/{len(dehyphenated)} with hyphens undone)"
        )
        if verbose:
            for sentence, ok in zip(wanted, ours):
                if not ok:
                    typer.echo(f"    missing: {sentence}")
    for key, (hit, total) in totals.items():
        typer.echo(f"total {key}: {hit}/{total} = {hit / max(total, 1):.0%}")


if __name__ == "__main__":
    typer.run(main)
