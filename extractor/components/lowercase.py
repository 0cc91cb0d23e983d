"""Case-insensitive rule matching without IGNORECASE, which makes Python's `re` several times slower.

Rules written in lower case run on the lower-cased text; a rule with an
upper-case letter ("t-ALL" is not "T-ALL", "CR") runs on the text as written,
case-sensitively except inside `(?i:...)` groups. Lower-casing keeps every
offset (characters whose lower case is longer are left as they are).
"""

from __future__ import annotations

import re

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_ESCAPE = re.compile(r"\\.")
_UPPER = re.compile(r"[A-Z]")


def is_case_sensitive(pattern: str) -> bool:
    """A rule is case-sensitive when it has an upper-case letter outside escapes and group names."""
    return bool(_UPPER.search(_ESCAPE.sub("", _NAMED_GROUP.sub("", pattern))))


def lower_same_length(text: str) -> str:
    """`text.lower()` with the same length, so match offsets are offsets into `text`."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
