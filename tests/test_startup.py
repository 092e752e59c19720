"""Start-up: a short command loads only what it uses.

Each command runs in a fresh interpreter (``python -c``), through the one Typer app, on a store
that already exists; the test then reads which modules that interpreter loaded. Times are
measured by benchmarks/startup_bench.py, never asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from bouncectl import __version__
from bouncectl.cli import app
from bouncectl.store import MIGRATIONS

EXAMPLE = ROOT / "examples" / "send-log.csv"

# Run the command line with argv, then write the names of the loaded modules to a file.
RUN_AND_LIST_MODULES = """
import sys
started = set(sys.modules)  # what the interpreter and its site-packages' own start-up files load
import json
from bouncectl.cli import app
argv, listing = json.loads(sys.argv[1]), sys.argv[2]
try:
    app(argv, prog_name="bouncectl")
except SystemExit as exc:
    code = exc.code
with open(listing, "w") as handle:
    json.dump({"code": code, "modules": sorted(set(sys.modules) - started)}, handle)
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


# Nor, besides those, what only the commands that change the store or write files use: the import's
# folds and event keys (with hashlib, which loads OpenSSL's hashes), the importers' records
# (bouncectl.model), the statuses and the reactivation guards, the erasure's random key, the login
# name, the use cases of the other commands (unbounce, stats, export...), the provider lists'
# commands, and what CSV or a file written in place needs.
NOT_FOR_READING = ["hashlib", "_hashlib", "secrets", "getpass", "csv", "tempfile", "glob", "bouncectl.model",
                   "bouncectl.ledger.fold", "bouncectl.ledger.rows", "bouncectl.ledger.status",
                   "bouncectl.ledger.reactivation", "bouncectl.usecases", "bouncectl.cli.suppressions"]


@pytest.mark.parametrize(
    "argv",
    [["quota"], ["quota", "--format", "json"], ["bounced", "--email-id", "2026-11-newsletter", "--format", "json"]],
    ids=["quota", "quota-json", "bounced-json"],
)
def test_a_reading_command_loads_neither_the_import_nor_the_other_commands(store: Path, tmp_path: Path,
                                                                           argv: list[str]) -> None:
    code, stdout, modules = loaded(tmp_path, "--db", str(store), *argv)
    assert code in (0, None)
    assert stdout.strip()  # the command did its work
    assert "bouncectl.store.queries" in modules  # it read the store
    assert among(modules, tuple(NOT_FOR_READING)) == []


def test_quota_loads_only_its_own_command_module(store: Path, tmp_path: Path) -> None:
    _, _, modules = loaded(tmp_path, "--db", str(store), "quota", "--format", "json")
    assert "bouncectl.cli.reactivation" in modules
    others = ["bouncectl.cli.importing", "bouncectl.cli.reports", "bouncectl.cli.sending", "bouncectl.cli.admin"]
    assert sorted(name for name in others if name in modules) == []


def imported(store: Path, tmp_path: Path, path: Path | None = None) -> tuple[int, set[str]]:
    """Import a file (by default a one-row send log) into a copy of the store; the exit code and the modules loaded."""
    if path is None:
        path = tmp_path / "one.csv"
        path.write_text("email_id,recipient,event,timestamp\n2026-12,jo@example.org,sent,2026-12-01T08:00:00Z\n")
    copy = tmp_path / "copy.db"  # the module's store stays as the other tests read it
    copy.write_bytes(store.read_bytes())
    code, _, modules = loaded(tmp_path, "--db", str(copy), "import", str(path))
    return code, modules


def test_an_import_without_a_progress_bar_does_not_load_it(store: Path, tmp_path: Path) -> None:
    # A small file (or any file to a pipe) shows no bar: the bar's module is not loaded.
    code, modules = imported(store, tmp_path)
    assert code in (0, None)
    assert "bouncectl.cli.importing" in modules  # the command ran
    assert "rich.progress" not in modules


def test_an_import_of_a_send_log_does_not_load_the_message_decoders(store: Path, tmp_path: Path) -> None:
    # Detection tells a message from its first bytes; the reader and its decoders come with a message.
    code, modules = imported(store, tmp_path)
    assert code in (0, None)
    assert "bouncectl.sources.messages" in modules  # detection asked whether it was a message
    assert sorted(name for name in ("bouncectl.sources.messages.reader", "bouncectl.sources.messages.registry",
                                    "flufl.bounce") if name in modules) == []
    code, modules = imported(store, tmp_path, EXAMPLE.with_name("bounce.eml"))
    assert code in (0, None)
    assert "bouncectl.sources.messages.reader" in modules  # a message is read by the reader


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


# --- the installed command, as a user runs it -------------------------------------------------------

# What `bounced --format json` and `quota` must not load, by the first part of their names: the
# data-frame and migration libraries, newer Typer's option checking and the classifier.
NEVER_FOR_READING = ("pandas", "numpy", "sqlite_utils", "pydantic", "bouncectl.bounces")


def installed() -> list[str]:
    beside = Path(sys.executable).with_name("bouncectl")
    found = str(beside) if beside.exists() else shutil.which("bouncectl")
    return [found] if found else [sys.executable, "-m", "bouncectl"]


def run_listed(tmp_path: Path, *argv: str, **env: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the installed ``bouncectl`` with the interpreter listing every module it imports
    (PYTHONPROFILEIMPORTTIME, as ``python -X importtime``): the result, and the modules' names."""
    environment = {**os.environ, **env, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([*installed(), *argv], capture_output=True, text=True, env=environment, cwd=tmp_path,
                          timeout=120, check=False)
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:") and not line.rstrip().endswith("imported package")}
    return done, modules


def run_installed(tmp_path: Path, *argv: str, **env: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """:func:`run_listed`, for a command line that the Typer app runs."""
    done, modules = run_listed(tmp_path, *argv, **env)
    # The listing is real: it names what any run of the command line imports.
    assert {"typer", "bouncectl.cli", "bouncectl.cli.group"} <= modules, done.stderr[-2000:]
    return done, modules


def among(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_installed_bounced_as_json_loads_neither_the_heavy_libraries_nor_rich(store: Path, tmp_path: Path) -> None:
    done, modules = run_installed(tmp_path, "--db", str(store), "bounced", "--email-id", "2026-11-newsletter",
                                  "--format", "json")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = json.loads(done.stdout)
    assert rows and {"recipient", "bounce_type", "reason"} <= set(rows[0])
    assert "bouncectl.store.queries" in modules  # it read the store
    assert among(modules, NEVER_FOR_READING) == []
    assert among(modules, ("rich",)) == []  # JSON is written without Rich


def test_installed_quota_loads_neither_the_heavy_libraries_nor_rich(store: Path, tmp_path: Path) -> None:
    done, modules = run_installed(tmp_path, "--db", str(store), "quota")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "reactivations used" in done.stdout
    assert "bouncectl.store.queries" in modules
    assert among(modules, NEVER_FOR_READING) == []
    assert among(modules, ("rich",)) == []  # its sentence, to a pipe, needs no console


@pytest.mark.parametrize("argv", [["not-sent", "--email-id", "2026-11-newsletter", "--format", "json"],
                                  ["audit", "--format", "json"], ["contacts", "--format", "csv"]],
                         ids=["not-sent", "audit", "contacts"])
def test_installed_reading_commands_open_the_store_without_sqlite_utils(store: Path, tmp_path: Path,
                                                                         argv: list[str]) -> None:
    done, modules = run_installed(tmp_path, "--db", str(store), *argv)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "bouncectl.store.store" in modules
    assert among(modules, NEVER_FOR_READING) == []


def test_installed_version_is_the_apps_own_answer_without_loading_typer(tmp_path: Path) -> None:
    expected = CliRunner().invoke(app, ["--version"])
    done, modules = run_listed(tmp_path, "--version")
    assert "bouncectl.entry" in modules, done.stderr[-2000:]  # the listing is real: the script's module
    assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout)
    assert done.stdout == f"bouncectl {__version__}\n"
    assert among(modules, ("typer", "click", "rich", "bouncectl.cli", "bouncectl.store", *NEVER_FOR_READING)) == [], (
        "the installed script must be bouncectl.entry:main (pip install -e . again after a change of [project.scripts])"
    )


@pytest.mark.parametrize("argv", [["--db", "never.db", "--version"], ["--version", "quota"]],
                         ids=["db-then-version", "version-then-command"])
def test_a_command_line_with_version_among_other_arguments_goes_to_the_typer_app(tmp_path: Path,
                                                                                 argv: list[str]) -> None:
    expected = CliRunner().invoke(app, argv)
    done, _ = run_installed(tmp_path, *argv)  # it checks that Typer and the app were loaded
    assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout)
    assert done.stdout == f"bouncectl {__version__}\n"  # the app's eager --version answered
    assert not (tmp_path / "never.db").exists()


def test_a_store_that_needs_its_migrations_still_gets_them(tmp_path: Path) -> None:
    """The rare path loads sqlite-utils: a new store is migrated by the first command that opens it."""
    db = tmp_path / "new.db"
    done, modules = run_installed(tmp_path, "--db", str(db), "quota", "--format", "json")
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)[0]["total_contacts"] == 0
    assert "sqlite_utils" in modules
    with sqlite3.connect(db) as conn:
        names = {name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert names == {function.__name__ for function in MIGRATIONS}


def test_quota_to_a_pipe_is_its_sentence_on_one_line_whatever_the_width(store: Path, tmp_path: Path) -> None:
    figures = json.loads(run_installed(tmp_path, "--db", str(store), "quota", "--format", "json")[0].stdout)[0]
    done, _ = run_installed(tmp_path, "--db", str(store), "quota", COLUMNS="40", FORCE_COLOR="1")
    assert done.returncode == 0
    assert done.stdout == (
        f"{figures['month']}: {figures['used']:,} of {figures['limit']:,} reactivations used, "
        f"{figures['remaining']:,} left (2% of {figures['total_contacts']:,} contacts, at least 10, at most 1000)\n"
    )
