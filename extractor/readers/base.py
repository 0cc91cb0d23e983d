"""What every reader shares: the error it raises for input it cannot read."""

from __future__ import annotations


class ReaderError(Exception):
    """An input that cannot be turned into a Document; the message is one human-readable line."""
