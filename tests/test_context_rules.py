"""ConText rules expand to the literal phrases medspaCy's token patterns describe."""

from __future__ import annotations

import pytest

from extractor.context_rules import ContextRuleEntry, load_context_rules


@pytest.mark.parametrize(
    ("rule", "phrases"),
    [
        ({"literal": "no", "category": "NEGATED_EXISTENCE", "direction": "FORWARD"}, ["no"]),
        (
            {
                "literal": "should he",
                "category": "HYPOTHETICAL",
                "direction": "FORWARD",
                "pattern": [{"LOWER": "should"}, {"LOWER": {"IN": ["she", "he"]}}],
            },
            ["should she", "should he"],
        ),
        (
            {
                "literal": "rule out",
                "category": "POSSIBLE_EXISTENCE",
                "direction": "FORWARD",
                "pattern": [
                    {"LOWER": "rule"},
                    {"LOWER": {"IN": ["him", "her"]}, "OP": "?"},
                    {"LOWER": "out"},
                ],
            },
            ["rule him out", "rule her out", "rule out"],
        ),
    ],
)
def test_patterns_expand_to_phrases(rule: dict, phrases: list[str]) -> None:
    assert ContextRuleEntry.model_validate(rule).phrases() == phrases


@pytest.mark.parametrize(
    "rule",
    [
        {"literal": "x", "category": "NEGATED_EXISTENCE", "direction": "SIDEWAYS"},
        {
            "literal": "x",
            "category": "NEGATED_EXISTENCE",
            "direction": "FORWARD",
            "pattern": [{"LEMMA": "be"}],
        },
        {
            "literal": "x",
            "category": "NEGATED_EXISTENCE",
            "direction": "FORWARD",
            "pattern": [{"LOWER": "a", "OP": "*"}],
        },
        {
            "literal": "x",
            "category": "NEGATED_EXISTENCE",
            "direction": "FORWARD",
            "allowed_types": ["DIAGNOSIS"],
        },
    ],
)
def test_rules_outside_the_expandable_form_are_rejected(rule: dict) -> None:
    with pytest.raises(ValueError):
        ContextRuleEntry.model_validate(rule)


def test_project_rule_file_loads_as_literals() -> None:
    rules = load_context_rules()
    assert len(rules) > 500
    assert all(r.pattern is None for r in rules)
    literals = {(r.literal, r.category) for r in rules}
    assert {("no evidence of", "NEGATED_EXISTENCE"), ("history", "HISTORICAL")} <= literals
