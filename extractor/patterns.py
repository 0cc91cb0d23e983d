"""Finding and loading the rule and lexicon files of `patterns/`.

Rules are data: each file holds one entry per concept, and every entry is
validated against a strict pydantic model when loaded, so a typo in a key is
an error at start-up rather than a silently ignored rule.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

PATTERNS_ENV = "EXTRACTOR_PATTERNS"


class PatternError(Exception):
    """A pattern file that is missing or does not validate; the message names file and line."""


def patterns_dir() -> Path:
    """The folder of pattern files: `$EXTRACTOR_PATTERNS`, the installed copy, or the source tree's."""
    override = os.environ.get(PATTERNS_ENV)
    if override:
        return Path(override)
    installed = Path(__file__).parent / "patterns"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "patterns"


def pattern_path(name: str) -> Path:
    path = patterns_dir() / name
    if not path.is_file():
        raise PatternError(f"pattern file not found: {path}")
    return path


def load_jsonl(name: str, model: type[M]) -> list[M]:
    """Load a JSONL pattern file, one `model` per non-blank line."""
    return list(_load_jsonl_cached(name, model))


@cache
def _load_jsonl_cached(name: str, model: type[M]) -> tuple[M, ...]:
    path = pattern_path(name)
    entries: list[M] = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                entries.append(model.model_validate_json(line))
            except ValidationError as exc:
                raise PatternError(f"{path}:{line_no}: {_first_error(exc)}") from None
    return tuple(entries)


def load_json(name: str, model: type[M]) -> M:
    """Load a JSON pattern file holding one `model`."""
    return _load_json_cached(name, model)


@cache
def _load_json_cached(name: str, model: type[M]) -> M:
    path = pattern_path(name)
    try:
        return model.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise PatternError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    except ValidationError as exc:
        raise PatternError(f"{path}: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "entry"
    return f"{where}: {err['msg']}"
