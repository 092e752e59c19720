"""The command line itself: version, help, where the store lives, the installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT
from typer.main import get_command
from typer.testing import CliRunner

from bouncectl import __version__
from bouncectl.cli import app

EXAMPLE = ROOT / "examples" / "send-log.csv"


def all_commands(command, path: tuple[str, ...] = ()):
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from all_commands(sub, (*path, name))
    else:
        yield path


COMMANDS = sorted(all_commands(get_command(app)))


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"bouncectl {__version__}"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_help_with_an_example(path):
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example: bouncectl " + path[0] in result.stdout


def test_spec_commands_exist():
    names = {p[0] for p in COMMANDS}
    assert {"import", "bounced", "not-sent", "contacts", "export", "unbounce", "quota", "domains", "users", "audit",
            "rejects"} <= names


def test_store_defaults_to_bouncectl_db_in_the_current_folder(tmp_path):
    result = CliRunner().invoke(app, ["import", str(EXAMPLE)])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "bouncectl.db").is_file()


def test_store_from_environment(tmp_path):
    target = tmp_path / "elsewhere.db"
    result = CliRunner().invoke(app, ["quota"], env={"BOUNCECTL_DB": str(target)})
    assert result.exit_code == 0
    assert target.is_file() and not (tmp_path / "bouncectl.db").exists()


def test_a_store_that_is_not_sqlite_is_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 100)
    result = CliRunner().invoke(app, ["--db", str(bogus), "quota"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "cannot open the store" in result.stderr
    assert bogus.read_text().startswith("these are my notes")


def test_usage_error_exits_2():
    assert CliRunner().invoke(app, ["bounced"]).exit_code == 2
    assert CliRunner().invoke(app, ["no-such-command"]).exit_code == 2


def _installed() -> list[str]:
    found = shutil.which("bouncectl")
    if found is None:
        pytest.fail("the bouncectl command is not installed (pip install -e .)")
    return [found]


def test_installed_command_runs_the_main_job(tmp_path):
    env = {**os.environ, "BOUNCECTL_DB": str(tmp_path / "s.db"), "COLUMNS": "200"}
    imported = subprocess.run(
        [*_installed(), "import", str(EXAMPLE)], capture_output=True, text=True, env=env, check=False
    )
    assert imported.returncode == 0, imported.stderr
    assert "events stored" in imported.stderr and imported.stdout == ""
    bounced = subprocess.run(
        [*_installed(), "bounced", "--email-id", "2026-11-newsletter", "--type", "hard", "--format", "csv"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert bounced.returncode == 0
    lines = bounced.stdout.splitlines()
    assert lines[0] == "recipient,bounce_type,reason,smtp_code,enhanced_status,diagnostic,bounced_at"
    assert len(lines) > 5 and all(",hard," in line for line in lines[1:])


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bouncectl", "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.strip() == f"bouncectl {__version__}"


def test_refusal_from_installed_command_is_one_line_without_traceback(tmp_path):
    env = {**os.environ, "BOUNCECTL_DB": str(tmp_path / "s.db")}
    result = subprocess.run([*_installed(), "bounced", "--email-id", "nope"], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "Error: no email with id 'nope' in the store"
    assert "Traceback" not in result.stderr


def test_a_bad_busy_timeout_setting_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "quota"], env={"BOUNCECTL_BUSY_TIMEOUT": "abc"})
    assert result.exit_code == 2  # a usage error
    assert result.stderr.startswith("Error: BOUNCECTL_BUSY_TIMEOUT='abc' is not a number of seconds")
