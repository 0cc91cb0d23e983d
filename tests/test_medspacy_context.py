"""medspaCy's ConText without NLTK's import cost, and NLTK still whole for whoever uses it."""

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_building_the_pipeline_does_not_import_nltk_scipy_or_sklearn() -> None:
    loaded = _run(
        "import sys\n"
        "from extractor.pipeline import build_pipeline\n"
        "build_pipeline()('A 60-year-old man had no evidence of relapse.')\n"
        "print(sorted(m for m in ('nltk', 'scipy', 'sklearn') if m in sys.modules and "
        "type(sys.modules[m]).__name__ == 'module'))\n"
    )
    assert loaded.strip() == "[]"


def test_nltk_is_the_real_package_on_first_use() -> None:
    out = _run(
        "import sys\n"
        "import extractor.pipeline\n"
        "import nltk\n"
        "from nltk.tokenize import wordpunct_tokenize\n"
        "print(wordpunct_tokenize('t(8;21) AML'), type(sys.modules['nltk']).__name__, nltk.__name__)\n"
    )
    assert out.split() == ["['t',", "'(',", "'8',", "';',", "'21',", "')',", "'AML']", "module", "nltk"]
