"""Start-up: a short command loads only what it uses.

Each command runs in a fresh interpreter (``python -c``), through the one Typer app, on a store
that already exists; the test then reads which modules that interpreter loaded. Times are
measured by benchmarks/startup_bench.py, never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from bouncectl.cli import app

EXAMPLE = ROOT / "examples" / "send-log.csv"

# Run the command line with argv, then write the names of the loaded modules to a file.
RUN_AND_LIST_MODULES = """
import json, sys
from bouncectl.cli import app
argv, listing = json.loads(sys.argv[1]), sys.argv[2]
try:
    app(argv, prog_name="bouncectl")
except SystemExit as exc:
    code = exc.code
with open(listing, "w") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""

# What a command that only reads the store must not load: the data-frame and migration
# libraries, the option checking of newer Typer versions, the classifier and the input readers.
HEAVY = ["pandas", "numpy", "sqlite_utils", "pydantic", "bouncectl.bounces.classify", "bouncectl.sources",
         "flufl.bounce", "email_validator", "ijson", "dateutil"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "small.db"
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return db


def loaded(tmp_path: Path, *argv: str) -> tuple[int, str, set[str]]:
    listing = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, json.dumps(list(argv)), str(listing)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )
    found = json.loads(listing.read_text())
    return found["code"], result.stdout, set(found["modules"])


@pytest.mark.parametrize(
    "argv",
    [["quota", "--format", "json"], ["bounced", "--email-id", "2026-11-newsletter", "--format", "json"]],
    ids=["quota", "bounced"],
)
def test_a_reading_command_loads_no_heavy_module(store: Path, tmp_path: Path, argv: list[str]) -> None:
    code, stdout, modules = loaded(tmp_path, "--db", str(store), *argv)
    assert code in (0, None)
    assert json.loads(stdout)  # the command did its work: rows were written
    assert sorted(name for name in HEAVY if name in modules) == []


def test_quota_loads_only_its_own_command_module(store: Path, tmp_path: Path) -> None:
    _, _, modules = loaded(tmp_path, "--db", str(store), "quota", "--format", "json")
    assert "bouncectl.cli.reactivation" in modules
    others = ["bouncectl.cli.importing", "bouncectl.cli.reports", "bouncectl.cli.sending", "bouncectl.cli.admin"]
    assert sorted(name for name in others if name in modules) == []


def test_version_loads_neither_commands_nor_the_store(tmp_path: Path) -> None:
    code, stdout, modules = loaded(tmp_path, "--version")
    assert stdout.startswith("bouncectl ")
    assert code in (0, None)
    loaded_here = {"bouncectl.cli.common", "bouncectl.store", "bouncectl.output", "rich.console", *HEAVY} & modules
    assert sorted(loaded_here) == []


def test_a_mistyped_command_is_still_matched_against_every_command() -> None:
    result = CliRunner().invoke(app, ["quot"])
    assert result.exit_code == 2
    assert "Did you mean 'quota'?" in result.output


def test_help_lists_every_command_without_running_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "never.db"), "--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed[:3] == ["import", "bounced", "not-sent"]
    assert {"quota", "explain", "domains", "users", "lists"} <= set(listed)
    assert not (tmp_path / "never.db").exists()
