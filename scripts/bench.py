"""Benchmark: whole-process time and peak memory of `extractor extract` beside its peers, in one run.

(a) 1,000+ real abstracts (the tmVar and MutationFinder development abstracts and the
    project corpus, repeated to reach --abstracts) through `extractor extract`, and
    through medspaCy's default pipeline (`medspacy.load()`) over the same texts;
(b) the real journal PDFs of ../shared/corpus-pdfs, repeated --pdf-repeat times,
    through `extractor extract`, and through pdfplumber's plain `extract_text()`;
(c) the cost of each pipeline component in words per second.

Every measurement runs in a fresh child process, so time includes start-up and
model loading, and peak memory is that process's maximum resident set size.
This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

MEDSPACY_CHILD = """
import json, sys, warnings
warnings.simplefilter("ignore")
import medspacy
nlp = medspacy.load()
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for doc in nlp.pipe(texts):
    pass
"""

PDFPLUMBER_CHILD = """
import sys
from pathlib import Path
import pdfplumber
for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
"""

COMPONENT_CHILD = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from extractor.pipeline import build_pipeline
nlp = build_pipeline()
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
costs = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}}
words = 0
for text in texts:
    t = time.perf_counter()
    doc = nlp.make_doc(text)
    costs["tokenizer"] += time.perf_counter() - t
    words += sum(1 for tok in doc if not tok.is_space and not tok.is_punct)
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        doc = proc(doc)
        costs[name] += time.perf_counter() - t
print(json.dumps({"words": words, "costs": costs}))
"""


@dataclass(frozen=True, slots=True)
class Measure:
    label: str
    seconds: float
    peak_mb: float


def measure(label: str, command: list[str]) -> Measure:
    """Run `command` in a child that reports its own peak RSS; wall time measured here."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(rc)\n"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{label} failed ({done.returncode}): {' '.join(command)}")
    return Measure(label, seconds, int(done.stdout.strip() or 0) / 1024)


def abstract_texts() -> list[dict[str, str]]:
    """Every real abstract at hand: variant development corpora and the project corpus."""
    docs: list[dict[str, str]] = []
    tmvar = SHARED / "corpora" / "variants" / "tmvar-train.pubtator"
    current: dict[str, str] = {}
    for line in tmvar.read_text(encoding="utf-8").splitlines():
        if "|t|" in line:
            pmid, _, title = line.split("|", 2)
            current = {"id": f"tmvar-{pmid}", "title": title[2:] if title.startswith("t|") else title}
        elif "|a|" in line and current:
            current["text"] = line.split("|a|", 1)[1]
            docs.append(current)
            current = {}
    mf = SHARED / "corpora" / "variants" / "mutationfinder-devo.txt"
    for line in mf.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            docs.append({"id": f"mf-{parts[0]}", "title": parts[1], "text": parts[2]})
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                docs.append({"id": row["id"], "title": row.get("title") or "", "text": row["text"]})
    return docs


def write_abstracts(folder: Path, n: int) -> tuple[Path, int, int]:
    """`n` abstracts (repeating the real ones under new ids) as extractor input and as plain texts."""
    base = abstract_texts()
    rows = []
    for i in range(n):
        doc = base[i % len(base)]
        rows.append({"id": f"{doc['id']}-{i}", "title": doc["title"], "text": doc["text"]})
    inputs = folder / "abstracts.jsonl"
    inputs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    texts = folder / "texts.jsonl"
    texts.write_text("".join(json.dumps({"text": f"{r['title']}\n\n{r['text']}"}) + "\n" for r in rows), encoding="utf-8")
    return inputs, len(base), sum(len(r["text"].split()) + len(r["title"].split()) for r in rows)


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=1200, help="number of abstracts (real ones repeated)")
    parser.add_argument("--pdf-repeat", type=int, default=5, help="copies of each shared PDF")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    extractor = [str(Path(sys.executable).parent / "extractor"), "extract"]

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs, unique, words = write_abstracts(work, args.abstracts)
        pdfs = work / "pdfs"
        pdfs.mkdir()
        for pdf in sorted((SHARED / "corpus-pdfs").glob("*.pdf")):
            for i in range(args.pdf_repeat):
                shutil.copy(pdf, pdfs / f"{pdf.stem}-{i}.pdf")
        n_pdfs = len(list(pdfs.glob("*.pdf")))

        worker_args = ["--workers", str(args.workers)] if args.workers > 1 else []
        ours = measure("extractor extract (abstracts)", [*extractor, str(inputs), "-o", str(work / "out-a"), "--quiet", *worker_args])
        peer = measure("medspacy.load() pipeline", [sys.executable, "-c", MEDSPACY_CHILD, str(work / "texts.jsonl")])
        ours_pdf = measure("extractor extract (PDFs)", [*extractor, str(pdfs), "-o", str(work / "out-p"), "--quiet", *worker_args])
        peer_pdf = measure("pdfplumber extract_text()", [sys.executable, "-c", PDFPLUMBER_CHILD, str(pdfs)])
        components = json.loads(
            subprocess.run([sys.executable, "-c", COMPONENT_CHILD, str(work / "texts.jsonl")], capture_output=True, text=True, check=True).stdout
        )

    print(f"## Abstracts: {args.abstracts} ({unique} unique real abstracts, repeated), {words:,} words\n")
    rows = [
        [m.label, f"{m.seconds:.1f}", f"{words / m.seconds:,.0f}", f"{m.peak_mb:.0f}"] for m in (ours, peer)
    ]
    print(table(rows, ["run", "seconds", "words/s", "peak MB"]))
    print(f"\nextractor / medspaCy time ratio: **{ours.seconds / peer.seconds:.2f}x**\n")
    print(f"## PDFs: {n_pdfs} files (4 real journal PDFs x {args.pdf_repeat})\n")
    rows = [[m.label, f"{m.seconds:.1f}", f"{n_pdfs / m.seconds:.1f}", f"{m.peak_mb:.0f}"] for m in (ours_pdf, peer_pdf)]
    print(table(rows, ["run", "seconds", "files/s", "peak MB"]))
    print(f"\nextractor (text + all extractors) / pdfplumber extract_text() time ratio: **{ours_pdf.seconds / peer_pdf.seconds:.2f}x**\n")
    print("## Pipeline components (in-process, abstracts)\n")
    total = sum(components["costs"].values())
    rows = [
        [name, f"{cost:.2f}", f"{100 * cost / total:.0f}%", f"{components['words'] / cost:,.0f}" if cost else "-"]
        for name, cost in components["costs"].items()
    ]
    print(table(rows, ["component", "seconds", "share", "words/s"]))
    print(f"\nwhole pipeline: {components['words'] / total:,.0f} words/s")
    print(f"\n(peak RSS of this benchmark process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
