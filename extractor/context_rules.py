"""ConText rules from `patterns/context_rules.json`, expanded to literal phrases.

medspaCy sends rules with a token `pattern` through spaCy's token Matcher, which
was most of ConText's cost here. Every rule in the file is a sequence of
lower-case words, alternatives (`{"IN": [...]}`) and optional words (`"OP": "?"`),
so each expands to a finite set of phrases that medspaCy's phrase matcher finds
far faster with the same matches. A rule outside that form is a load error.
"""

from __future__ import annotations

import itertools
import json
from typing import Literal

from extractor.medspacy_context import ConTextRule
from pydantic import BaseModel, ConfigDict, ValidationError

from extractor.patterns import PatternError, pattern_path


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Alternatives(_Strict):
    IN: list[str]


class TokenSpec(_Strict):
    LOWER: str | _Alternatives
    OP: Literal["?"] | None = None

    def choices(self) -> list[str | None]:
        words = self.LOWER.IN if isinstance(self.LOWER, _Alternatives) else [self.LOWER]
        return [*words, None] if self.OP == "?" else list(words)


class ContextRuleEntry(_Strict):
    literal: str
    category: str
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    pattern: list[TokenSpec] | None = None

    def phrases(self) -> list[str]:
        """The literal phrases this rule matches, lower case."""
        if self.pattern is None:
            return [self.literal.lower()]
        found = []
        for combination in itertools.product(*(spec.choices() for spec in self.pattern)):
            words = [w for w in combination if w is not None]
            if words:
                found.append(" ".join(words))
        return list(dict.fromkeys(found))


class ContextRuleFile(_Strict):
    context_rules: list[ContextRuleEntry]


def load_context_rules(name: str = "context_rules.json") -> list[ConTextRule]:
    """One literal ConTextRule per phrase of every rule in the file."""
    path = pattern_path(name)
    try:
        entries = ContextRuleFile.model_validate(json.loads(path.read_text(encoding="utf-8"))).context_rules
    except (json.JSONDecodeError, ValidationError) as exc:
        raise PatternError(f"{path}: {exc}".splitlines()[0]) from None
    return [
        ConTextRule(literal=phrase, category=entry.category, direction=entry.direction)
        for entry in entries
        for phrase in entry.phrases()
    ]
