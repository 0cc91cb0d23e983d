"""An installed, non-editable package must find its patterns."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_every_pattern_file(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0 and "hatchling" in build.stderr:
        pytest.skip("hatchling is not installed in this environment")
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("extractor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"extractor/patterns/{p.name}" for p in (ROOT / "patterns").iterdir() if p.is_file()}
    assert expected <= names
