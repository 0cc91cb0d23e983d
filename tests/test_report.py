"""`extractor evaluate` end to end on the shared dev gold: the three outputs, baseline deltas, bad input."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from extractor.evaluate.command import evaluate
from extractor.evaluate.scoring import GROUPS

DEV = Path("/work/shared/corpora/case-reports")
DEV_GOLD = DEV / "dev-gold.jsonl"

pytestmark = pytest.mark.skipif(not DEV_GOLD.is_file(), reason="shared dev corpus not available")


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("evaluate")(evaluate)

    @app.callback()
    def main() -> None:
        """Keep `evaluate` a subcommand, as in extractor.cli."""

    return app


def run(*args: str) -> Any:
    return CliRunner().invoke(_app(), ["evaluate", *args])


def _texts() -> dict[str, str]:
    texts = {}
    for line in (DEV / "dev-abstracts.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        texts[doc["id"]] = doc["title"] + "\n\n" + doc["text"]
    return texts


def _evidence(text: str, needle: str) -> list[dict[str, Any]]:
    start = text.index(needle)
    return [{"start": start, "end": start + len(needle), "text": needle, "page": None}]


def _mention(text: str, needle: str, label: str, norm: str | float) -> dict[str, Any]:
    return {"doc_id": "abs-022", **_evidence(text, needle)[0], "label": label, "norm": norm, "attrs": {}}


def _gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DEV_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


@pytest.fixture()
def pred_dir(tmp_path: Path) -> Path:
    """Perturbed dev gold with evidence, as the extractor would write it."""
    texts = _texts()
    records = {r["doc_id"]: r for r in copy.deepcopy(_gold())}
    for record in records.values():
        record.pop("notes", None)
    case = records["abs-001"]["cases"][0]
    case["latency_months"] = 150
    case["evidence"] = {"latency_months": _evidence(texts["abs-001"], "14-year cumulative history")}
    records["abs-022"]["cases"][0]["treatments"].append(
        {
            "name": "cisplatin",
            "kind": "drug",
            "evidence": _evidence(texts["abs-022"], "DNA topoisomerase II inhibitor"),
        }
    )
    records["abs-028"]["cases"][0]["treatments"] = []
    del records["abs-008"]
    records["abs-999"] = {"doc_id": "abs-999", "cases": [], "cohort": {"n_patients": 3}}
    out = tmp_path / "pred"
    out.mkdir()
    _write_jsonl(out / "records.jsonl", list(records.values()))
    _write_jsonl(
        out / "documents.jsonl",
        [{"doc_id": d, "source": f"{d}.txt", "text": t, "pages": []} for d, t in texts.items()],
    )
    _write_jsonl(
        out / "mentions.jsonl",
        [
            _mention(texts["abs-022"], "37-year-old", "AGE", 37),
            _mention(texts["abs-022"], "woman", "SEX", "female"),
        ],
    )
    return out


@pytest.fixture()
def annotations(tmp_path: Path) -> Path:
    folder = tmp_path / "annotations"
    folder.mkdir()
    _write_jsonl(folder / "gold-dev.jsonl", _gold())
    text = _texts()["abs-022"]
    _write_jsonl(
        folder / "spans-dev.jsonl",
        [
            _mention(text, "37-year-old", "AGE", 37),
            _mention(text, "Turkish woman", "SEX", "female"),
            _mention(text, "azacitidine", "TREATMENT", "azacitidine"),
        ],
    )
    return folder


class _Html(HTMLParser):
    """Collects start tags with attributes and the text inside <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_mark = self._in_mark or tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


def _parse(path: Path) -> _Html:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_writes_three_outputs_with_expected_metrics(pred_dir: Path, tmp_path: Path) -> None:
    result = run("--gold", str(DEV_GOLD), "--pred", str(pred_dir), "-o", str(tmp_path / "report"))
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "report").iterdir()} == {"metrics.json", "report.md", "report.html"}
    metrics = json.loads((tmp_path / "report" / "metrics.json").read_text(encoding="utf-8"))
    assert next(iter(metrics)) == "micro"
    assert set(metrics["micro"]) >= {"p", "r", "f1", "f1_ci", "tp", "fp", "fn"}
    assert list(metrics["fields"]) == list(GROUPS)
    assert metrics["documents"] == {
        "gold": 8,
        "without_prediction": ["abs-008"],
        "predictions_without_gold": 1,
    }
    assert metrics["fields"]["latency"] == {**metrics["fields"]["latency"], "tp": 1, "fp": 1, "fn": 1}
    assert metrics["fields"]["treatments"] == {**metrics["fields"]["treatments"], "tp": 14, "fp": 1, "fn": 2}
    assert metrics["micro"]["f1"] < 1.0
    low, high = metrics["micro"]["f1_ci"]
    assert low <= metrics["micro"]["f1"] <= high
    assert metrics["spans"] is None and metrics["baseline"] is None
    assert "micro" in result.output and "latency" in result.output


def test_identical_predictions_score_one(tmp_path: Path) -> None:
    result = run("--gold", str(DEV_GOLD), "--pred", str(DEV_GOLD), "-o", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["micro"]["f1"] == 1.0
    assert metrics["micro"]["f1_ci"] == [1.0, 1.0]


def test_markdown_report(pred_dir: Path, tmp_path: Path) -> None:
    run("--gold", str(DEV_GOLD), "--pred", str(pred_dir), "-o", str(tmp_path / "r"))
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    for heading in (
        "# Evaluation report",
        "## Record scores per field",
        "## Documents",
        "## Errors per field",
        "## How scores are computed",
    ):
        assert heading in md
    for group in GROUPS:
        assert f"\n| {group} |" in md
        assert f"\n### {group} (" in md
    assert "| abs-001 | wrong value | 150 months | 168 months |" in md
    assert "**14-year cumulative history**" in md
    assert "abs-008 (no prediction)" in md


def test_html_report_structure(pred_dir: Path, tmp_path: Path) -> None:
    run("--gold", str(DEV_GOLD), "--pred", str(pred_dir), "-o", str(tmp_path / "r"))
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text(encoding="utf-8"))
    html = _parse(tmp_path / "r" / "report.html")
    scored = ["micro"] + [g for g in GROUPS if metrics["fields"][g]["f1"] is not None]
    assert len(html.find("svg")) == 1
    assert [a["data-field"] for a in html.find("g", class_="row")] == scored
    assert len(html.find("rect", class_="bar")) + len(html.find("rect", class_="bar micro")) == len(scored)
    assert len(html.find("line", class_="ci")) == 3 * len(scored)
    assert [a["data-field"] for a in html.find("tr") if "data-field" in a] == ["micro", *GROUPS]
    assert [a["id"] for a in html.find("details")] == [f"errors-{g}" for g in GROUPS]
    assert "14-year cumulative history" in html.marks
    assert "DNA topoisomerase II inhibitor" in html.marks
    assert "Imatinib" in html.marks  # the missed imatinib, located by text search


def test_html_is_self_contained(pred_dir: Path, tmp_path: Path) -> None:
    run("--gold", str(DEV_GOLD), "--pred", str(pred_dir), "-o", str(tmp_path / "r"))
    html = _parse(tmp_path / "r" / "report.html")
    assert not [t for t, _ in html.tags if t in {"script", "link", "img", "iframe", "object"}]
    assert all((a.get("href") or "#").startswith("#") for _, a in html.tags)
    assert "url(" not in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")


def test_baseline_shows_change_per_field(pred_dir: Path, tmp_path: Path) -> None:
    run("--gold", str(DEV_GOLD), "--pred", str(pred_dir), "-o", str(tmp_path / "first"))
    old = json.loads((tmp_path / "first" / "metrics.json").read_text(encoding="utf-8"))
    old["micro"]["f1"] -= 0.1
    old["fields"]["latency"]["f1"] = 0.75
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    result = run(
        "--gold",
        str(DEV_GOLD),
        "--pred",
        str(pred_dir),
        "-o",
        str(tmp_path / "second"),
        "--baseline",
        str(tmp_path / "old.json"),
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "second" / "metrics.json").read_text(encoding="utf-8"))
    delta = metrics["baseline"]
    assert delta["micro"] == pytest.approx(0.1)
    assert delta["fields"]["latency"] == pytest.approx(0.5 - 0.75)
    assert delta["fields"]["age"] == pytest.approx(0.0)
    assert delta["fields"]["durations"] is None
    md = (tmp_path / "second" / "report.md").read_text(encoding="utf-8")
    assert "Δ F1" in md and "| latency | 0.500 | 0.500 | 0.500 |" in md and "-0.250 |" in md
    html = _parse(tmp_path / "second" / "report.html")
    assert len(html.find("line", class_="base")) == len(html.find("g", class_="row"))
    assert "+0.100" in result.output


def test_annotations_folder_gives_span_scores(annotations: Path, pred_dir: Path, tmp_path: Path) -> None:
    result = run("--gold", str(annotations), "--pred", str(pred_dir), "-o", str(tmp_path / "r"))
    assert result.exit_code == 0, result.output
    spans = json.loads((tmp_path / "r" / "metrics.json").read_text(encoding="utf-8"))["spans"]
    assert spans["gold_labels"] == ["AGE", "SEX", "TREATMENT"]
    assert spans["strict"]["labels"]["AGE"]["f1"] == 1.0
    assert spans["strict"]["labels"]["SEX"]["f1"] == 0.0
    assert spans["overlap"]["labels"]["SEX"]["f1"] == 1.0
    assert spans["strict"]["labels"]["TREATMENT"]["fn"] == 1
    html = _parse(tmp_path / "r" / "report.html")
    assert [a["data-label"] for a in html.find("tr") if "data-label" in a] == ["AGE", "SEX", "TREATMENT"]
    assert "## Span scores" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("bad_gold_line", "gold.jsonl:2: invalid Record: cases.0.sex"),
        ("bad_gold_json", "gold.jsonl:1: invalid JSON"),
        ("missing_records", "holds no records.jsonl"),
        ("empty_folder", "holds no gold-*.jsonl"),
        ("bad_baseline", "not a metrics.json"),
        ("duplicate_gold", "duplicate doc_id 'a'"),
    ],
)
def test_bad_input_exits_2_with_one_line(setup: str, message: str, pred_dir: Path, tmp_path: Path) -> None:
    gold, pred, extra = tmp_path / "gold.jsonl", pred_dir, []
    good = {"doc_id": "a", "cases": []}
    _write_jsonl(gold, [good])
    if setup == "bad_gold_line":
        _write_jsonl(gold, [{"doc_id": "b"}, {"doc_id": "a", "cases": [{"case_id": "a#1", "sex": "M"}]}])
    elif setup == "bad_gold_json":
        gold.write_text("{not json\n", encoding="utf-8")
    elif setup == "missing_records":
        pred = tmp_path / "empty-out"
        pred.mkdir()
    elif setup == "empty_folder":
        gold = tmp_path / "no-annotations"
        gold.mkdir()
    elif setup == "bad_baseline":
        (tmp_path / "old.json").write_text('{"fields": {}}', encoding="utf-8")
        extra = ["--baseline", str(tmp_path / "old.json")]
    elif setup == "duplicate_gold":
        _write_jsonl(gold, [good, good])
    result = run("--gold", str(gold), "--pred", str(pred), "-o", str(tmp_path / "r"), *extra)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()
