"""Crashes and unclear errors: a full disk, a newer or read-only store, a bad setting, a long wait,
a bad saved filter, hostile text on the terminal, a dangling symlink, and unaudited changes.

Each ends in one ``Error:`` line with a hint and a non-zero exit, nothing lost, no traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest

from bouncectl.store import Store
from tests.trusthelpers import (
    assert_no_traceback,
    bouncectl_command,
    invoke,
    run_bouncectl,
    start_bouncectl,
    subprocess_env,
    write_log,
)


def _seed(tmp_path: Path, db: Path, rows: int = 3) -> Path:
    log = write_log(
        tmp_path / "log.csv",
        [["e1", f"u{i}@example.com", "bounce", "2026-11-02T10:00:00Z", "hard", "550", "5.1.1", "550 5.1.1 unknown"]
         for i in range(rows)],
    )
    result = invoke(db, "import", str(log))
    assert result.exit_code == 0, result.stderr
    return log


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("Error:")]


# --- BOUNCECTL_BUSY_TIMEOUT -----------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["nan", "inf", "-inf", "1e400", "-1", "abc", "86401"])
def test_a_busy_timeout_out_of_range_is_a_usage_error(tmp_path, setting):
    result = run_bouncectl(tmp_path / "s.db", "quota", BOUNCECTL_BUSY_TIMEOUT=setting)
    assert result.returncode == 2, result.stderr
    assert_no_traceback(result.stderr)
    assert _error_lines(result.stderr) == [
        f"Error: BOUNCECTL_BUSY_TIMEOUT={setting!r} is not a number of seconds from 0 to 86400"
    ]


@pytest.mark.parametrize("setting", ["0", "2.5", "86400"])
def test_a_busy_timeout_in_range_is_taken(tmp_path, setting):
    result = run_bouncectl(tmp_path / "s.db", "quota", BOUNCECTL_BUSY_TIMEOUT=setting)
    assert result.returncode == 0, result.stderr


# --- a store from a newer version -----------------------------------------------------------------


def test_a_store_from_a_newer_version_is_refused_before_anything_reads_it(tmp_path):
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('bouncectl', 'm999_future', '2027-01-01')"
    )
    conn.commit()
    conn.close()
    before = db.read_bytes()
    for args in (["contacts"], ["quota"], ["import", str(tmp_path / "log.csv")], ["lists"]):
        result = run_bouncectl(db, *args)
        assert result.returncode == 1, (args, result.stderr)
        assert_no_traceback(result.stderr)
        assert "made by a newer bouncectl" in _error_lines(result.stderr)[0]
        assert "hint: upgrade bouncectl" in result.stderr
    assert db.read_bytes() == before


# --- a read-only store --------------------------------------------------------------------------


def _unprivileged() -> list[str]:
    """A prefix that runs a command without the power to ignore file permissions (root has it)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be tested")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all"]


def _run_unprivileged(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_unprivileged(), *bouncectl_command(), "--db", str(db), *args],
        env=subprocess_env(), capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("folder_writable", [True, False], ids=["read-only-file", "read-only-folder-too"])
def test_a_read_only_store_is_read_and_refuses_writes(tmp_path, folder_writable):
    folder = tmp_path / "media"
    folder.mkdir()
    db = folder / "s.db"
    log = _seed(tmp_path, db)
    Store(db).close()  # checkpointed and closed: no -wal or -shm left
    for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    db.chmod(0o444)
    if not folder_writable:
        folder.chmod(0o555)
    try:
        before = db.read_bytes()
        shown = _run_unprivileged(db, "contacts", "--format", "csv")
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.count("@example.com") == 3
        assert _run_unprivileged(db, "audit").returncode == 0
        fresh = write_log(tmp_path / "new.csv", [["e5", "new@example.com", "sent", "2026-11-05T10:00:00Z", "", "", "", ""]])
        assert log.exists()
        for args in (["import", str(fresh)], ["config", "soft_bounce_limit", "5"], ["domains", "add", "news.example.com"]):
            result = _run_unprivileged(db, *args)
            assert result.returncode == 1, (args, result.stderr)
            assert_no_traceback(result.stderr)
            assert "the store is read-only" in _error_lines(result.stderr)[0]
            assert "hint:" in result.stderr
        assert db.read_bytes() == before
    finally:
        folder.chmod(0o755)
        db.chmod(0o600)


# --- a full disk ----------------------------------------------------------------------------------


FULL = "Error: {db}: the store's disk is full, or TMPDIR, where SQLite keeps its temporary files (nothing was changed)"


def _fill_limit(db: Path, extra_pages: int = 0):
    """A Store whose file cannot grow past its size now (SQLite's max_page_count): a full disk."""
    original = Store._connect

    def connect(self):
        conn = original(self)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1) + extra_pages}")
        return conn

    return connect


def test_a_full_store_is_told_apart_from_a_busy_one_and_nothing_is_lost(tmp_path, monkeypatch):
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    monkeypatch.setattr(Store, "_connect", _fill_limit(db))
    big = write_log(
        tmp_path / "big.csv",
        [["e2", f"person{i}@example.org", "bounce", "2026-11-03T10:00:00Z", "hard", "550", "5.1.1", "x" * 200]
         for i in range(3000)],
    )
    before = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0]
    result = invoke(db, "import", str(big))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.stderr
    assert _error_lines(result.stderr) == [FULL.format(db=db)]
    assert "another bouncectl" not in result.stderr
    assert "free some space" in result.stderr
    monkeypatch.undo()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_no_room_for_the_contacts_kept_aside_in_tmpdir_is_one_line_and_nothing_is_lost(tmp_path, monkeypatch):
    # An import of more contacts than it holds in memory keeps their folds in a temporary table (in
    # TMPDIR); when that cannot grow (SQLite's max_page_count on the temporary database: a full
    # TMPDIR), one line names both places, and the store is as it was.
    from bouncectl.sources import csvcolumns
    from bouncectl.usecases import importing_columns

    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    monkeypatch.setattr(csvcolumns, "BLOCK", 4096)
    monkeypatch.setattr(importing_columns, "COLLAPSE_AT", 50)
    monkeypatch.setattr(importing_columns, "SPILL_AT", 50)
    original = Store._connect

    def connect(self):
        conn = original(self)
        conn.execute("PRAGMA temp.max_page_count = 2")
        return conn

    monkeypatch.setattr(Store, "_connect", connect)
    many = write_log(tmp_path / "many.csv", [["e2", f"person{i}@example.org", "sent", "2026-11-03T10:00:00Z", "", "",
                                              "", ""] for i in range(3000)])
    before = sqlite3.connect(db).execute("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM contacts)"
                                         ).fetchone()[0]
    result = invoke(db, "import", str(many))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.stderr
    assert _error_lines(result.stderr) == [FULL.format(db=db)]
    assert "point TMPDIR elsewhere" in result.stderr
    monkeypatch.undo()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM contacts)").fetchone()[0] == before
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert invoke(db, "import", str(many)).exit_code == 0  # with room, the same file imports


def test_a_failed_rollback_does_not_hide_the_cause(tmp_path):
    store = Store(tmp_path / "s.db")
    store.conn.execute("CREATE TEMP TABLE t (x NOT NULL)")
    with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
        conn.execute("ROLLBACK")  # SQLite ended the transaction itself, as it does on a full disk
        conn.execute("INSERT INTO t VALUES (NULL)")
    store.close()


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("command", ["filter", "lists export", "export"])
def test_a_full_disk_while_writing_a_file_is_one_line_and_leaves_nothing(tmp_path, command):
    db = tmp_path / "s.db"
    _seed(tmp_path, db, rows=3000)
    invoke(db, "lists", "create", "all")
    planned = tmp_path / "planned.txt"
    planned.write_text("".join(f"someone{i}@example.net\n" for i in range(20000)))
    target = tmp_path / "out" / "result.csv"
    target.parent.mkdir()
    target.write_text("the previous result\n")
    args = {
        "filter": ["filter", str(planned), "--out", str(target)],
        "lists export": ["lists", "export", "all", "--csv", str(target)],
        "export": ["export", "--csv", str(target)],
    }[command]
    # No file may grow past 64 KiB: the store is only read (its -shm is 32 KiB), the output is larger.
    result = subprocess.run(
        [*bouncectl_command(), "--db", str(db), *args],
        env=subprocess_env(), capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_limit_file_size(64 << 10),
    )
    assert result.returncode == 1, result.stderr
    assert_no_traceback(result.stderr)
    errors = _error_lines(result.stderr)
    assert len(errors) == 1 and "result.csv: cannot write the file" in errors[0], result.stderr
    assert "hint: free some space" in result.stderr
    assert target.read_text() == "the previous result\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["result.csv"]


def test_a_full_disk_in_process_leaves_no_temp_file(tmp_path, monkeypatch):
    import tempfile

    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    target = tmp_path / "out" / "export.csv"
    target.parent.mkdir()
    real = tempfile.NamedTemporaryFile

    def full_disk(*args, **kwargs):
        handle = real(*args, **kwargs)

        def write(text):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        handle.write = write
        return handle

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full_disk)
    result = invoke(db, "export", "--csv", str(target))
    monkeypatch.undo()
    assert result.exit_code == 1, (result.exception, result.stderr)
    assert _error_lines(result.stderr) == [
        f"Error: {target}: cannot write the file: No space left on device; it was left as it was"
    ]
    assert list(target.parent.iterdir()) == []


def test_stale_temp_files_of_a_killed_export_are_cleaned(tmp_path):
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    target = tmp_path / "export.csv"
    stale = tmp_path / ".export.csv.bouncectl-deadbeef.tmp"
    stale.write_text("half a file")
    old = time.time() - 2 * 86400
    os.utime(stale, (old, old))
    fresh = tmp_path / ".export.csv.bouncectl-cafe.tmp"  # perhaps another export writing now
    fresh.write_text("being written")
    foreign = tmp_path / ".export.csv.other"  # not of our naming: never touched
    foreign.write_text("someone else's")
    os.utime(foreign, (old, old))
    result = invoke(db, "export", "--csv", str(target))
    assert result.exit_code == 0, result.stderr
    assert not stale.exists()
    assert fresh.exists() and foreign.exists()


def test_stdin_with_a_full_temp_folder_is_one_line(tmp_path):
    db = tmp_path / "s.db"
    spool = tmp_path / "tmp"
    spool.mkdir()
    rows = "".join(f"e1,u{i}@example.com,sent,2026-11-02T10:00:00Z,,,,\n" for i in range(200000))
    data = "email_id,recipient,event,timestamp,bounce_type,smtp_code,enhanced_status,diagnostic\n" + rows
    Store(db).close()
    result = subprocess.run(
        [*bouncectl_command(), "--db", str(db), "import", "-"],
        input=data, env=subprocess_env(TMPDIR=str(spool)), capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=_limit_file_size(max(db.stat().st_size * 4, 1 << 20)),
    )
    assert result.returncode == 1, result.stderr
    assert_no_traceback(result.stderr)
    errors = _error_lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith("Error: <stdin>:"), result.stderr
    assert "TMPDIR" in result.stderr
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_a_strict_import_with_no_room_for_its_rejects_is_one_line(tmp_path):
    # Under --strict the rejected rows are kept aside in TMPDIR until the refused import is rolled
    # back; when there is no room for them, one line says so, and the store is as it was.
    db = tmp_path / "s.db"
    Store(db).close()
    bad = write_log(tmp_path / "bad.csv", [["e1", f"u{i}@example.com", "exploded", "2026-11-02T10:00:00Z", "", "", "",
                                            "x" * 60] for i in range(60000)])
    spool = tmp_path / "tmp"
    spool.mkdir()
    result = subprocess.run(
        [*bouncectl_command(), "--db", str(db), "import", "--strict", str(bad)],
        env=subprocess_env(TMPDIR=str(spool), BOUNCECTL_READ_ASIDE="0"), capture_output=True, text=True,
        timeout=120, check=False, preexec_fn=_limit_file_size(max(db.stat().st_size * 4, 2 << 20)),
    )
    assert result.returncode == 1, result.stderr
    assert_no_traceback(result.stderr)
    errors = _error_lines(result.stderr)
    assert len(errors) == 1 and errors[0].startswith(f"Error: {bad}: cannot keep its rejected rows"), result.stderr
    assert "TMPDIR" in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT (SELECT count(*) FROM rejects) + (SELECT count(*) FROM imports)").fetchone()[0] == 0
    conn.close()


# --- a writer waiting for the lock --------------------------------------------------------------


def test_a_writer_waiting_for_the_lock_says_so(tmp_path):
    db = tmp_path / "s.db"
    log = _seed(tmp_path, db)
    other = write_log(tmp_path / "other.csv", [["e9", "late@example.com", "sent", "2026-11-04T10:00:00Z", "", "", "", ""]])
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    process = start_bouncectl(db, "import", str(other), BOUNCECTL_BUSY_TIMEOUT="120")
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.startswith("waiting for the store (another bouncectl command or process holds it)"), line
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _out, rest = process.communicate(timeout=120)
    assert process.returncode == 0, rest
    assert log.exists()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events WHERE recipient = 'late@example.com'").fetchone()[0] == 1


@pytest.mark.parametrize("holder_kind", ["other program", "bouncectl store"])
def test_the_waiting_message_names_no_import_it_cannot_know(tmp_path, holder_kind):
    # The lock may be held by any writer: another program (a plain sqlite3 connection) or
    # bouncectl's own store in a command that is no import; the waiting command is no import
    # either (a domain added). The message says what is known, and no more.
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    with contextlib.ExitStack() as held:
        if holder_kind == "other program":
            holder = sqlite3.connect(db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            held.callback(holder.close)
            held.callback(holder.execute, "ROLLBACK")
        else:
            store = held.enter_context(Store(db))
            held.enter_context(store.write())
        process = start_bouncectl(db, "domains", "add", "news.example.com", BOUNCECTL_BUSY_TIMEOUT="120")
        assert process.stderr is not None
        line = process.stderr.readline()
    _out, rest = process.communicate(timeout=120)
    assert line.startswith("waiting for the store (another bouncectl command or process holds it); up to 120 s"), line
    assert "import" not in line
    assert process.returncode == 0, rest


def test_a_writer_that_gets_the_lock_at_once_says_nothing(tmp_path):
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    result = run_bouncectl(db, "domains", "add", "news.example.com")
    assert result.returncode == 0
    assert "waiting" not in result.stderr


# --- --db through a dangling symlink --------------------------------------------------------------


def test_a_store_created_through_a_dangling_symlink_is_private(tmp_path):
    target = tmp_path / "real" / "store.db"
    target.parent.mkdir()
    link = tmp_path / "link.db"
    link.symlink_to(target)
    result = run_bouncectl(link, "quota")
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# --- saved lists with a window out of range -------------------------------------------------------


@pytest.mark.parametrize("window", ["99999999999d", "9999999999w", "36601d"])
def test_a_window_out_of_range_is_refused_at_creation(tmp_path, window):
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    result = invoke(db, "lists", "create", "p", "--bounced-since", window)
    assert result.exit_code == 2, (result.exception, result.stderr)
    assert _error_lines(result.stderr) == [f"Error: --bounced-since {window!r} reaches back more than 36,600 days"]
    listing = invoke(db, "lists", "--format", "csv")
    assert listing.exit_code == 0 and listing.stdout.strip() == "name,filters,contacts,created_at"


def test_a_bad_saved_filter_already_in_a_store_is_named_and_the_others_still_list(tmp_path):
    db = tmp_path / "s.db"
    _seed(tmp_path, db)
    # A window wide enough to hold the seeded bounces whatever the day the test runs on.
    assert invoke(db, "lists", "create", "good", "--bounced-since", "3650d").exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO lists (name, filters, created_at) VALUES ('far', '{\"bounced_since\": \"99999999999d\"}', '2026-11-01')"
    )
    conn.execute("INSERT INTO lists (name, filters, created_at) VALUES ('garbled', 'not json', '2026-11-01')")
    conn.commit()
    conn.close()
    listing = invoke(db, "lists", "--format", "json")
    assert listing.exception is None or isinstance(listing.exception, SystemExit), listing.exception
    assert listing.exit_code == 0, listing.stderr
    rows = {row["name"]: row for row in __import__("json").loads(listing.stdout)}
    assert rows["good"]["contacts"] == 3 and not rows["good"]["filters"].startswith("unreadable")
    assert rows["far"]["filters"].startswith("unreadable:") and rows["far"]["contacts"] is None
    assert rows["garbled"]["filters"].startswith("unreadable:")
    for args in (["lists", "show", "far"], ["lists", "export", "garbled", "--csv", str(tmp_path / "x.csv")]):
        result = invoke(db, *args)
        assert result.exit_code == 1, (args, result.exception)
        assert _error_lines(result.stderr)[0].startswith(f"Error: list '{args[2]}': "), result.stderr
        assert "--replace" in result.stderr
    assert not (tmp_path / "x.csv").exists()


# --- every change of policy and of who may reactivate is audited --------------------------------


def _audit(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT user, action, outcome, detail FROM audit ORDER BY id").fetchall()
    finally:
        conn.close()


def test_users_domains_and_settings_changes_are_audited_with_old_and_new_values(tmp_path):
    db = tmp_path / "s.db"
    env = {"BOUNCECTL_USER": "carol"}
    steps = [
        ["users", "add", "alice", "--permission", "email"],
        ["users", "add", "alice", "--permission", "email"],
        ["domains", "add", "news.example.com"],
        ["domains", "remove", "news.example.com"],
        ["config", "soft_bounce_limit", "5"],
        ["config", "soft_bounce_days", "2.5"],
        ["config", "soft_bounce_limit", "4"],
    ]
    for step in steps:
        result = run_bouncectl(db, *step, **env)
        assert result.returncode == 0, (step, result.stderr)
    entries = _audit(db)
    assert [entry[:3] for entry in entries] == [
        ("carol", "users add", "changed"),
        ("carol", "users add", "unchanged"),
        ("carol", "domains add", "changed"),
        ("carol", "domains remove", "changed"),
        ("carol", "config", "changed"),
        ("carol", "config", "changed"),
        ("carol", "config", "changed"),
    ]
    details = [entry[3] for entry in entries]
    assert details[0] == "alice: permissions (new user) -> email"
    assert details[1] == "alice: permissions email -> email"
    assert details[2] == "news.example.com: connected"
    assert details[3] == "news.example.com: disconnected"
    assert details[4] == "soft_bounce_limit: (default) -> 5"
    assert details[6] == "soft_bounce_limit: 5 -> 4"
    shown = run_bouncectl(db, "audit", "--format", "csv")
    assert shown.stdout.count("carol") == len(steps)


def test_a_refused_change_is_not_recorded_as_made(tmp_path):
    db = tmp_path / "s.db"
    result = run_bouncectl(db, "domains", "remove", "nowhere.example.com")
    assert result.returncode == 1
    assert _audit(db) == []


# --- outside text on a terminal -------------------------------------------------------------------


def _in_terminal(args: list[str], cwd: Path, columns: int = 200) -> str:
    import fcntl
    import pty
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = subprocess_env(COLUMNS=str(columns), TERM="xterm-256color")
    process = subprocess.Popen(
        [*bouncectl_command(), *args], stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
        close_fds=True, start_new_session=True,
    )
    os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 120)
            if not ready:
                process.kill()
                break
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", "replace")


HOSTILE_NAME = "log\x1b]0;owned\x07\x1b[2J[blink]x.csv"


def test_a_hostile_file_name_in_the_progress_bar_and_messages_is_shown_not_run(tmp_path):
    db = tmp_path / "s.db"
    rows = [["e1", f"u{i}@example.com", "sent", "2026-11-02T10:00:00Z", "", "", "", ""] for i in range(90000)]
    log = write_log(tmp_path / HOSTILE_NAME, rows)
    assert log.stat().st_size > 4 * 1024 * 1024  # large enough for the progress bar
    screen = _in_terminal(["--db", str(db), "import", log.name], cwd=tmp_path)
    assert "\x1b]0;owned" not in screen and "\x1b[2J" not in screen
    assert "\\x1b]0;owned\\x07" in screen
    assert "[blink]x.csv" in screen  # markup in a name is text
    assert "importing" in screen  # the bar was shown


def test_bidi_and_control_characters_from_the_data_are_shown_escaped_in_tables(tmp_path):
    db = tmp_path / "s.db"
    address = "evil\u202egro.elpmaxe@example.com"
    payload = write_log(tmp_path / "log.csv", [
        ["e1", address, "bounce", "2026-11-02T10:00:00Z", "hard", "550", "5.1.1", "550 5.1.1 \u2066unknown\u2069 \u200f"],
        ["e1", "x@example.com", "bounce", "2026-11-02T10:00:00Z", "hard", "550", "5.1.1", "550 \u202e5.1.1", "extra"],
    ])
    invoke(db, "import", str(payload))
    for args in (["contacts"], ["bounced", "--email-id", "e1"], ["rejects"]):
        result = invoke(db, *args)
        for char in ("\u202e", "\u2066", "\u2069", "\u200f"):
            assert char not in result.stdout, (args, result.stdout)
    shown = invoke(db, "bounced", "--email-id", "e1").stdout + invoke(db, "rejects").stdout
    assert "\\u202e" in shown
    saved = invoke(db, "lists", "create", "x\u202ey", "--domain", "a\u202eb.example")
    assert "\u202e" not in saved.stderr and "\\u202e" in saved.stderr
