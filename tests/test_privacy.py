"""Privacy: the store holds email addresses, so

- a new store file (and its WAL and shared-memory files) is readable by its owner only,
  whatever the umask;
- an unexpected error's traceback never prints local variables (they hold addresses).
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from trusthelpers import bouncectl_command, subprocess_env, write_log

from bouncectl.cli import app, domains_app, users_app
from bouncectl.store import Store

SECRET = "very.private.person@example.com"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o000])
def test_a_store_created_by_the_command_is_readable_by_its_owner_only(tmp_path: Path, umask: int) -> None:
    db = tmp_path / "new.db"
    log = write_log(tmp_path / "log.csv", [["e1", SECRET, "bounce", "2026-11-24T09:00:00Z", "hard", "550", "5.1.1", ""]])
    result = subprocess.run(
        [*bouncectl_command(), "--db", str(db), "import", str(log)],
        env=subprocess_env(), capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=lambda: os.umask(umask),
    )
    assert result.returncode == 0, result.stderr
    assert _mode(db) == 0o600, oct(_mode(db))


def test_the_store_and_its_wal_and_shared_memory_files_are_private_while_open(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        db = tmp_path / "open.db"
        with Store(db) as store:
            store.add_domain("news.example.com")
            files = [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
            assert len(files) == 3, files  # WAL mode: all three exist while the store is open
            assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    finally:
        os.umask(previous)


def test_an_existing_store_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    Store(db).close()
    db.chmod(0o640)  # the owner chose to share it with a group
    Store(db).close()
    assert _mode(db) == 0o640


def test_pretty_tracebacks_are_configured_without_local_variables() -> None:
    for typer_app in (app, domains_app, users_app):
        assert typer_app.pretty_exceptions_show_locals is False


# An unexpected failure deep inside an import, injected at interpreter start-up; the address is only in
# the input file and in local variables, never in the exception message or in the source shown.
SITECUSTOMIZE = '''
import os
import bouncectl.usecases.importing
import bouncectl.usecases.importing_columns
import bouncectl.cli

_original = bouncectl.usecases.importing.classify_event


def _failing(event):
    if event.recipient == os.environ["TRUST_SECRET"]:
        raise RuntimeError("injected failure")
    return _original(event)


bouncectl.usecases.importing.classify_event = _failing
bouncectl.usecases.importing_columns.classify_event = _failing  # the column path's
if os.environ.get("TRUST_SHOW_LOCALS"):
    bouncectl.cli.app.pretty_exceptions_show_locals = True
'''


def _crash(tmp_path: Path, show_locals: bool) -> str:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = write_log(tmp_path / "log.csv", [["e1", SECRET, "bounce", "2026-11-24T09:00:00Z", "hard", "550", "5.1.1",
                                            "550 5.1.1 user unknown"]])
    env = subprocess_env(PYTHONPATH=str(hook), TRUST_SECRET=SECRET)
    env.pop("_TYPER_STANDARD_TRACEBACK", None)
    if show_locals:
        env["TRUST_SHOW_LOCALS"] = "1"
    result = subprocess.run(
        [*bouncectl_command(), "--db", str(tmp_path / "store.db"), "import", str(log)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode != 0
    assert "injected failure" in result.stderr, result.stderr[-3000:]  # the traceback was printed
    return result.stderr


def test_a_traceback_does_not_print_the_addresses_in_local_variables(tmp_path: Path) -> None:
    shown = _crash(tmp_path, show_locals=False)
    assert SECRET not in shown


def test_the_traceback_check_would_see_local_variables_if_they_were_printed(tmp_path: Path) -> None:
    # The control experiment: with locals on, the same failure does print the address.
    shown = _crash(tmp_path, show_locals=True)
    assert SECRET in shown
