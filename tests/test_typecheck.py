"""The package type-checks: mypy, configured in pyproject.toml, reports nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed (it is in the test extra)")
def test_mypy_reports_no_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "bouncectl"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
