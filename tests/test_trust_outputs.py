"""Issue 13, items 1 and 2: an output path is written into when it is a pipe or a device, renamed
over only when it is a regular file, and refused when it is the store or an input of the command."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from trusthelpers import integrity, invoke, run_bouncectl, write_log

HISTORY = [
    ["nov", "dead@example.com", "bounce", "2026-11-03T09:00:40Z", "hard", "550", "5.1.1", "550 5.1.1 User unknown"],
    ["nov", "ok@example.com", "delivered", "2026-11-03T09:00:03Z", "", "250", "", ""],
]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "store.db"
    result = invoke(db, "import", write_log(tmp_path / "history.csv", HISTORY))
    assert result.exit_code == 0, result.stderr
    assert invoke(db, "lists", "create", "dead", "--status", "hard_bounced").exit_code == 0
    (tmp_path / "planned.txt").write_text("ok@example.com\ndead@example.com\nnew@example.com\n")
    return db


def _commands(tmp_path: Path, target: str) -> list[list[str]]:
    planned = str(tmp_path / "planned.txt")
    return [
        ["export", "--csv", target],
        ["export", "--json", target],
        ["filter", planned, "--out", target],
        ["filter", planned, "--out", str(tmp_path / "sendable.csv"), "--not-sent", target],
        ["lists", "export", "dead", "--csv", target],
    ]


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with open(path, "rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("which", range(5))
def test_a_named_pipe_gets_the_output_and_stays_a_pipe(store: Path, tmp_path: Path, which: int) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_fifo(fifo, got)
    args = _commands(tmp_path, str(fifo))[which]
    result = run_bouncectl(store, *args, timeout=60)
    if result.returncode != 0 or not got:
        # Unblock the reader if the command never opened the pipe.
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK) if stat.S_ISFIFO(os.stat(fifo).st_mode) else None
        if fd is not None:
            os.close(fd)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode), "the named pipe was replaced by a file"
    assert got and b"example.com" in got[0], (got, result.stderr)


@pytest.mark.parametrize("which", range(5))
def test_a_link_to_a_character_device_is_written_into_not_replaced(store: Path, tmp_path: Path, which: int) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    result = run_bouncectl(store, *_commands(tmp_path, str(link))[which])
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not list(tmp_path.glob(".null.*")), "a temp file was left beside the link"


def test_a_link_to_an_open_descriptor_is_written_into(store: Path, tmp_path: Path) -> None:
    # As /dev/stdout and /dev/fd/1 are: a link to the process's descriptor (made here, so that a
    # writer that renamed over links would replace this one and not the machine's /dev/stdout).
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = run_bouncectl(store, "export", "--csv", str(link))
    assert result.returncode == 0, result.stderr
    assert "dead@example.com" in result.stdout
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


def test_a_link_to_a_regular_file_replaces_the_file_and_keeps_the_link(store: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = invoke(store, "export", "--csv", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert "dead@example.com" in real.read_text()


def _store_state(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT count(*) FROM events").fetchone()[0],
            conn.execute("SELECT count(*) FROM contacts").fetchone()[0],
            conn.execute("SELECT count(*) FROM audit").fetchone()[0],
        )
    finally:
        conn.close()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("which", range(5))
def test_the_store_and_its_wal_and_shm_are_refused_as_outputs(store: Path, tmp_path: Path, which: int, suffix: str) -> None:
    before = _store_state(store)
    target = str(store) + suffix
    result = run_bouncectl(store, *_commands(tmp_path, target)[which])
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Error:" in result.stderr and "hint:" in result.stderr and "Traceback" not in result.stderr
    assert integrity(store) == "ok"
    assert _store_state(store) == before


def test_the_store_by_another_name_or_a_hard_link_is_refused(store: Path, tmp_path: Path) -> None:
    before = _store_state(store)
    (tmp_path / "sub").mkdir()
    other_spelling = str(tmp_path / "sub" / ".." / "store.db")
    hard = tmp_path / "hard.db"
    os.link(store, hard)
    via_link = tmp_path / "alias.db"
    via_link.symlink_to(store)
    for target in (other_spelling, str(hard), str(via_link)):
        result = run_bouncectl(store, "export", "--csv", target)
        assert result.returncode == 1, (target, result.stderr)
    assert _store_state(store) == before and integrity(store) == "ok"


def test_the_planned_list_itself_is_refused_as_an_output(store: Path, tmp_path: Path) -> None:
    planned = tmp_path / "planned.txt"
    text = planned.read_text()
    for option in ("--out", "--not-sent"):
        args = ["filter", str(planned), "--out", str(planned)] if option == "--out" else [
            "filter", str(planned), "--out", str(tmp_path / "s.csv"), "--not-sent", str(planned)]
        result = run_bouncectl(store, *args)
        assert result.returncode == 1, result.stderr
        assert planned.read_text() == text
