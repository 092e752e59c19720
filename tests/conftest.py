"""Shared test helpers: a store in a temporary folder and the real CLI."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bouncectl.cli import app

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def in_tuning_half(name: str) -> bool:
    """Whether a corpus file is in the half rules are tuned on (benchmarks/corpus_accuracy.py's
    split: an even first byte of the SHA-256 of its name); the other half is only measured."""
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0


LOG_HEADER = ["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status", "diagnostic"]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Rich must not wrap tables, and nothing may leak in from the developer's environment.
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("BOUNCECTL_DB", "BOUNCECTL_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def bc(db: Path) -> Callable:
    """Run ``bouncectl --db <tmp store> ARGS...`` in-process; returns the click Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict | None = None):
        return runner.invoke(app, ["--db", str(db), *map(str, args)], input=input, env=env, catch_exceptions=False)

    return run


def write_log(path: Path, rows: list[list], header: list[str] = LOG_HEADER) -> Path:
    """Write a canonical CSV send log."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def parse_fixture(fmt, path: Path, **options) -> tuple[list, list]:
    """Parse one input with a format directly: (events, rejects)."""
    from bouncectl.model import Event, ImportOptions, Reject
    from bouncectl.sources.source import Source

    records = list(fmt.parse(Source(path), ImportOptions(**options)))
    return [r for r in records if isinstance(r, Event)], [r for r in records if isinstance(r, Reject)]


def as_json(result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)
