"""medspaCy's ConText, imported without the start-up cost of medspaCy's unused components.

`import medspacy.context` runs `medspacy/__init__`, which imports every medspaCy component.
One is QuickUMLS, whose module imports NLTK, which imports SciPy and scikit-learn: about 1.1 s
of a worker's start-up, more than spaCy itself, for a component this pipeline never runs.
So NLTK is entered in `sys.modules` as a stand-in that imports the real package on the first
attribute anyone reads from it: nothing that uses NLTK sees a difference, and nothing that
does not pays for it.
"""

import importlib
import importlib.util
import sys
import types
from typing import Any

DEFERRED = ("nltk",)
"""Packages medspaCy imports at module level for components the pipeline does not use."""


class _Deferred(types.ModuleType):
    """Stands in for a package until an attribute is read from it, then hands over to the real one."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def defer(name: str) -> None:
    """Enter a stand-in for `name` unless it is imported already or not installed."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    module = _Deferred(name)
    module.__spec__ = spec
    sys.modules[name] = module


for _name in DEFERRED:
    defer(_name)

from medspacy.context import ConText, ConTextRule  # noqa: E402  (after the stand-ins, by design)

__all__ = ["ConText", "ConTextRule"]
