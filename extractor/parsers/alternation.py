"""Word lists as regex alternations that `re` scans fast: prefix trees, the longest word first.

`re` tries the branches of `gene1|gene2|...` one after another at every position of the text,
so a lexicon of a few hundred names costs a few hundred comparisons per position. Written as
a prefix tree (`KMT2A|KIT|KRAS` as `K(?:IT|MT2A|RAS)`), the alternation costs one comparison
per character of the word being read. At a position where several words match, the tree
prefers the longest and backtracks to shorter ones, exactly as the flat alternation sorted
longest first does, so the two give the same matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""
"""The key that marks the end of a word in a tree node (no character is empty)."""

Trie = dict[str, "Trie"]


def literal_alternation(words: Iterable[str], ignore_case: bool = False) -> str:
    """A regex (without a group around it) matching any of `words`, the longest where several
    match at one position. With `ignore_case`, for a pattern compiled case-insensitively, words
    that differ only in case are one word."""
    trie: Trie = {}
    for word in words:
        if not word:
            raise ValueError("an alternation of words cannot hold the empty word")
        node = trie
        for char in word.lower() if ignore_case else word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return _emit(trie)


def _emit(node: Trie) -> str:
    branches = [re.escape(char) + _emit(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body
