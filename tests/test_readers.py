"""The plain-text and JSONL readers: exact text, clear errors, one bad line never stops the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.document import Document
from extractor.readers.base import ReaderError
from extractor.readers.jsonl import LineError, read_jsonl
from extractor.readers.text import read_text


def test_text_keeps_content_exactly(tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    content = "A 63-year-old man\r\nwith t-AML: 46,XY,t(9;22)(q34;q11.2)[20].\n"
    path.write_bytes(content.encode("utf-8"))
    doc = read_text(path, "case")
    assert (doc.doc_id, doc.text, doc.source, doc.pages) == ("case", content, str(path), [])
    assert doc.page_at(5) is None


def test_text_drops_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffRemission after 33 months.".encode())
    assert read_text(path, "bom").text == "Remission after 33 months."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"caf\xe9 au lait", "not UTF-8 text (byte 0xe9 at offset 3)"),
        (b"%PDF-1.4\n\x80\x81", "not UTF-8 text (byte 0x80 at offset 9)"),
    ],
)
def test_text_errors(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ReaderError, match=rf"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        read_text(path, "bad")


def test_text_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read file"):
        read_text(tmp_path / "nope.txt", "nope")


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_jsonl_documents_title_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "abstracts.jsonl"
    _write_lines(
        path,
        [
            json.dumps(
                {
                    "id": "pmid-1",
                    "title": "t-AML after R-CHOP",
                    "text": "A 61-year-old man.",
                    "pmid": "1",
                    "url": "u",
                    "license": "CC BY",
                }
            ),
            json.dumps({"id": 2, "text": "No title here."}),
        ],
    )
    docs = list(read_jsonl(path))
    assert all(isinstance(d, Document) for d in docs)
    first, second = docs
    assert first.doc_id == "pmid-1" and first.title == "t-AML after R-CHOP"
    assert first.text == "t-AML after R-CHOP\n\nA 61-year-old man."
    assert first.meta == {"pmid": "1", "url": "u", "license": "CC BY"}
    assert (
        second.doc_id == "2"
        and second.text == "No title here."
        and second.title is None
        and second.meta == {}
    )


def test_jsonl_bad_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "First good."}),
        "{not json",
        "",
        json.dumps({"id": "b"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "c", "text": "Last good.", "title": 5}),
        json.dumps({"id": "d", "text": "Really last good."}),
    ]
    _write_lines(path, lines)
    results = list(read_jsonl(path))
    docs = [r for r in results if isinstance(r, Document)]
    errors = [r for r in results if isinstance(r, LineError)]
    assert [d.doc_id for d in docs] == ["a", "d"]
    assert [(e.line_no, e.doc_id) for e in errors] == [(2, None), (4, "b"), (5, None), (6, None), (7, "c")]
    assert errors[0].message.startswith("invalid JSON")
    assert errors[1].message == 'missing or empty "text"'
    assert errors[2].message == "expected a JSON object, got list"
    assert errors[3].message == 'missing or invalid "id"'
    assert all(e.source == str(path) for e in errors)


def test_jsonl_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n{"id": "y", "text": "ok"}\n')
    results = list(read_jsonl(path))
    assert isinstance(results[0], LineError) and results[0].line_no == 1 and "0xe9" in results[0].message
    assert isinstance(results[1], Document) and results[1].doc_id == "y"


def test_jsonl_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="cannot read file"):
        list(read_jsonl(tmp_path / "none.jsonl"))
