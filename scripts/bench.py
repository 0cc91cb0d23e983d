"""Benchmark: whole-process time and peak memory of `extractor extract` beside its peers, in one run.

(a) 1,000+ real abstracts (the tmVar and MutationFinder development abstracts and the
    project corpus, repeated under new ids to reach --abstracts) through `extractor extract`
    with 1 and 2 workers (and the Dask engine with 1 and 2 workers when Dask is installed),
    and through medspaCy's default pipeline (`medspacy.load()`, as shipped) over the same texts;
(b) the real journal PDFs of ../shared/corpus-pdfs, repeated --pdf-repeat times, through
    `extractor extract` (text and all extractors), and through pdfplumber's plain `extract_text()`;
(c) the cost of each step of the analysis (tokenizer, every pipeline component, record
    assembly, serialization) in one process, and of medspaCy's components for comparison.

Every measurement runs in a fresh process, so time includes start-up and model loading; with
--repeat N each runs N times and the fastest is reported, for the extractor and its peers alike.
Memory is sampled over the whole process tree: the main process, the largest other process
(a worker), and the sum. This is a benchmark, not a test: it asserts nothing, and on a shared
machine its times move with the load (printed with the results).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_SECONDS = 0.05
MEDSPACY_PROFILE_TEXTS = 300
"""medspaCy's per-component profile covers the first texts only: its shares, not its total, are the point."""
TARGETS = {"abstracts": 0.2, "pdfs": 1.0, "worker_mb": 1024.0}
"""Done when: abstracts at most 0.2x medspaCy's time, PDFs at most pdfplumber's, every worker under 1 GB."""


@dataclass(frozen=True, slots=True)
class Measure:
    label: str
    seconds: float
    cpu_seconds: float
    main_mb: float
    worker_mb: float
    total_mb: float


def measure(label: str, command: list[str]) -> Measure:
    """Run `command`, timing it and sampling the resident memory and CPU time of its whole process tree.

    CPU time is the last sample of each process (short of its final SAMPLE_SECONDS at most);
    unlike wall time it does not grow when other jobs share the cores.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT)
        peaks: dict[int, float] = {}
        cpu: dict[int, float] = {}
        total = 0.0
        while process.poll() is None:
            rss: dict[int, float] = {}
            try:
                tree = [process, *process.children(recursive=True)]
            except psutil.Error:
                tree = [process]
            for proc in tree:
                try:
                    rss[proc.pid] = proc.memory_info().rss / 2**20
                    times = proc.cpu_times()
                    cpu[proc.pid] = times.user + times.system
                except psutil.Error:
                    continue
            for pid, mb in rss.items():
                peaks[pid] = max(peaks.get(pid, 0.0), mb)
            total = max(total, sum(rss.values()))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - start
        if process.returncode not in (0, 1):
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{label} failed ({process.returncode}): {' '.join(command)}\n{tail}")
    main = peaks.pop(process.pid, 0.0)
    return Measure(label, seconds, sum(cpu.values()), main, max(peaks.values(), default=0.0), total)


def fastest(label: str, command: list[str], repeat: int) -> Measure:
    """The fastest of `repeat` runs of `command`: on a shared machine a slower run measures the
    neighbours too. Every measurement of one bench run takes the same number of runs."""
    return min((measure(label, command) for _ in range(max(1, repeat))), key=lambda m: m.seconds)


def abstract_texts() -> list[dict[str, str]]:
    """Every real abstract at hand: variant development corpora and the project corpus."""
    docs: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in (
        (SHARED / "corpora" / "variants" / "tmvar-train.pubtator").read_text(encoding="utf-8").splitlines()
    ):
        if "|t|" in line:
            pmid, _, title = line.split("|", 2)
            current = {"id": f"tmvar-{pmid}", "title": title.removeprefix("t|")}
        elif "|a|" in line and current:
            current["text"] = line.split("|a|", 1)[1]
            docs.append(current)
            current = {}
    for line in (
        (SHARED / "corpora" / "variants" / "mutationfinder-devo.txt").read_text(encoding="utf-8").splitlines()
    ):
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip():
            docs.append({"id": f"mf-{parts[0]}", "title": parts[1], "text": parts[2]})
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                docs.append({"id": row["id"], "title": row.get("title") or "", "text": row["text"]})
    return docs


def write_abstracts(folder: Path, n: int) -> tuple[Path, Path, int, int]:
    """`n` abstracts (the real ones repeated under new ids) as extractor input and as plain texts."""
    base = abstract_texts()
    rows = [{**base[i % len(base)], "id": f"{base[i % len(base)]['id']}-{i}"} for i in range(n)]
    inputs = folder / "abstracts.jsonl"
    inputs.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    texts = folder / "texts.jsonl"
    full = [f"{r['title']}\n\n{r['text']}" if r["title"] else r["text"] for r in rows]
    texts.write_text("".join(json.dumps({"text": t}) + "\n" for t in full), encoding="utf-8")
    return inputs, texts, len(base), sum(len(t.split()) for t in full)


def read_texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def child_medspacy(path: Path) -> None:
    """medspaCy's default pipeline over the texts, as a user would run it."""
    import warnings

    warnings.simplefilter("ignore")
    import medspacy

    nlp = medspacy.load()
    for _ in nlp.pipe(read_texts(path)):
        pass


def child_pdfplumber(folder: Path) -> None:
    """pdfplumber's plain text of every page of every PDF."""
    import pdfplumber

    for path in sorted(folder.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()


class Clock:
    """Seconds spent per named step, summed over documents."""

    def __init__(self, names: list[str]) -> None:
        self.costs = {name: 0.0 for name in names}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.costs[name] += time.perf_counter() - start


def child_components(path: Path) -> None:
    """Seconds spent in each step of the analysis (and of medspaCy's pipeline), as JSON on stdout."""
    import warnings

    warnings.simplefilter("ignore")
    import medspacy

    from extractor.assembly.records import assemble
    from extractor.document import Document
    from extractor.pipeline import build_pipeline, make_doc, to_analysis
    from extractor.serialization import DocumentResult, serialize

    texts = read_texts(path)
    ours = build_pipeline()
    steps = ["to_analysis (mentions, sentences)", "record assembly", "serialization (JSON lines)"]
    clock = Clock(["tokenizer", *ours.pipe_names, *steps])
    for i, text in enumerate(texts):
        document = Document(doc_id=str(i), source="bench", text=text)
        with clock("tokenizer"):
            doc = make_doc(ours, text)
        for name, proc in ours.pipeline:
            with clock(name):
                doc = proc(doc)
        with clock(steps[0]):
            analysis = to_analysis(doc, document)
        with clock(steps[1]):
            record = assemble(analysis)
        with clock(steps[2]):
            serialize(DocumentResult(document, analysis.mentions, record))

    theirs = medspacy.load()
    their_clock = Clock(["tokenizer", *theirs.pipe_names])
    profiled = texts[:MEDSPACY_PROFILE_TEXTS]
    for text in profiled:
        with their_clock("tokenizer"):
            doc = theirs.make_doc(text)
        for name, proc in theirs.pipeline:
            with their_clock(name):
                doc = proc(doc)
    their_words = sum(len(t.split()) for t in profiled)
    print(
        json.dumps(
            {
                "extractor": clock.costs,
                "medspacy": their_clock.costs,
                "medspacy_texts": len(profiled),
                "medspacy_words": their_words,
            }
        )
    )


CHILDREN: dict[str, Callable[[Path], None]] = {
    "medspacy": child_medspacy,
    "pdfplumber": child_pdfplumber,
    "components": child_components,
}


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def memory_cells(m: Measure) -> list[str]:
    return [f"{m.main_mb:.0f}", f"{m.worker_mb:.0f}" if m.worker_mb else "-", f"{m.total_mb:.0f}"]


def component_rows(costs: dict[str, float], words: int) -> list[list[str]]:
    total = sum(costs.values())
    rows = [
        [name, f"{cost:.2f}", f"{100 * cost / total:.0f}%", f"{words / cost:,.0f}" if cost else "-"]
        for name, cost in costs.items()
    ]
    return rows + [["**all**", f"{total:.2f}", "100%", f"{words / total:,.0f}"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--abstracts", type=int, default=1200, help="number of abstracts (real ones repeated)"
    )
    parser.add_argument("--pdf-repeat", type=int, default=5, help="copies of each shared PDF")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="local engine worker counts to run"
    )
    parser.add_argument(
        "--dask-workers", type=int, nargs="*", default=[1, 2], help="Dask worker counts (none: skip)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of every measurement, the fastest reported"
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        CHILDREN[args.child](args.path)
        return

    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    extract = [sys.executable, "-m", "extractor", "extract", "--quiet"]
    dask_counts = args.dask_workers if importlib.util.find_spec("distributed") else []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs, texts, unique, words = write_abstracts(work, args.abstracts)
        pdfs = work / "pdfs"
        pdfs.mkdir()
        originals = sorted((SHARED / "corpus-pdfs").glob("*.pdf"))
        for pdf in originals:
            for i in range(args.pdf_repeat):
                shutil.copy(pdf, pdfs / f"{pdf.stem}-{i}.pdf")
        n_pdfs = len(originals) * args.pdf_repeat

        abstracts = [
            fastest(
                f"extractor, {n} worker(s)",
                [*extract, str(inputs), "-o", str(work / f"a{n}"), "--workers", str(n)],
                args.repeat,
            )
            for n in args.workers
        ]
        abstracts += [
            fastest(
                f"extractor --engine dask, {n} worker(s)",
                [*extract, str(inputs), "-o", str(work / f"d{n}"), "--engine", "dask", "--workers", str(n)],
                args.repeat,
            )
            for n in dask_counts
        ]
        medspacy = fastest("medspaCy `medspacy.load()`", [*me, "medspacy", str(texts)], args.repeat)
        pdf_runs = [
            fastest(
                f"extractor, {n} worker(s)",
                [*extract, str(pdfs), "-o", str(work / f"p{n}"), "--workers", str(n)],
                args.repeat,
            )
            for n in args.workers
        ]
        plumber = fastest("pdfplumber `extract_text()`", [*me, "pdfplumber", str(pdfs)], args.repeat)
        components = json.loads(
            subprocess.run(
                [*me, "components", str(texts)], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout
        )
    load_after = os.getloadavg()[0]

    print(
        f"Machine: {os.cpu_count()} cores; load average {load_before:.1f} before, {load_after:.1f} after; "
        f"each time the fastest of {args.repeat} run(s).\n"
    )
    print(f"## Abstracts: {args.abstracts:,} ({unique} unique real abstracts, repeated), {words:,} words\n")
    rows = [
        [
            m.label,
            f"{m.seconds:.1f}",
            f"{m.cpu_seconds:.1f}",
            f"{args.abstracts / m.seconds:.0f}",
            f"{words / m.seconds:,.0f}",
            f"{m.seconds / medspacy.seconds:.2f}x",
            *memory_cells(m),
        ]
        for m in [*abstracts, medspacy]
    ]
    header = [
        "run",
        "seconds",
        "CPU s",
        "docs/s",
        "words/s",
        "time vs medspaCy",
        "main MB",
        "largest worker MB",
        "all MB",
    ]
    print(table(rows, header))
    print(f"\n## PDFs: {n_pdfs} files ({len(originals)} real journal PDFs x {args.pdf_repeat})\n")
    rows = [
        [
            m.label,
            f"{m.seconds:.1f}",
            f"{m.cpu_seconds:.1f}",
            f"{n_pdfs / m.seconds:.2f}",
            f"{m.seconds / plumber.seconds:.2f}x",
            *memory_cells(m),
        ]
        for m in [*pdf_runs, plumber]
    ]
    header = [
        "run",
        "seconds",
        "CPU s",
        "files/s",
        "time vs pdfplumber",
        "main MB",
        "largest worker MB",
        "all MB",
    ]
    print(table(rows, header))
    print("\n## Targets\n")
    best_abstracts = min(m.seconds for m in abstracts[: len(args.workers)]) / medspacy.seconds
    best_pdfs = min(m.seconds for m in pdf_runs) / plumber.seconds
    worker_mb = max(m.worker_mb or m.main_mb for m in [*abstracts, *pdf_runs])
    checks = [
        [
            "abstracts: time vs medspaCy",
            f"<= {TARGETS['abstracts']}x",
            f"{best_abstracts:.2f}x",
            best_abstracts <= TARGETS["abstracts"],
        ],
        [
            "PDFs: time vs pdfplumber",
            f"<= {TARGETS['pdfs']}x",
            f"{best_pdfs:.2f}x",
            best_pdfs <= TARGETS["pdfs"],
        ],
        [
            "peak memory per worker",
            f"< {TARGETS['worker_mb']:.0f} MB",
            f"{worker_mb:.0f} MB",
            worker_mb < TARGETS["worker_mb"],
        ],
    ]
    print(
        table(
            [[a, b, c, "met" if ok else "**not met**"] for a, b, c, ok in checks],
            ["target", "goal", "best", ""],
        )
    )
    print(f"\n## Analysis steps, one process, same abstracts ({words:,} words)\n")
    print(table(component_rows(components["extractor"], words), ["step", "seconds", "share", "words/s"]))
    print(f"\nmedspaCy's default pipeline, first {components['medspacy_texts']} of the same texts:\n")
    print(
        table(
            component_rows(components["medspacy"], components["medspacy_words"]),
            ["component", "seconds", "share", "words/s"],
        )
    )


if __name__ == "__main__":
    main()
