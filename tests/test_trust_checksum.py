"""Issue 13, item 3: the checksum recorded for an import is of the bytes that were parsed, so a log
rotated (copied, then truncated) while an import waited for the store is not taken as imported."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from trusthelpers import assert_imports_whole, invoke, run_bouncectl, write_log

from bouncectl.sources.source import Source
from bouncectl.store import Store

BOUNCES = [
    ["nov", f"gone{n}@example.com", "bounce", f"2026-11-03T09:{n // 60:02d}:{n % 60:02d}Z", "hard", "550", "5.1.1",
     "550 5.1.1 User unknown"]
    for n in range(50)
]


def _hard_bounced(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM contacts WHERE status = 'hard_bounced'").fetchone()[0]
    finally:
        conn.close()


def _rotate_when_the_lock_is_taken(monkeypatch: pytest.MonkeyPatch, log: Path, rotated: Path) -> None:
    """Copy-and-truncate ``log`` once, after the import hashed it and took the write lock, before it parses."""
    original = Store.start_import
    done: list[bool] = []

    def start_import(self, conn, *args, **kwargs):
        if not done:
            done.append(True)
            shutil.copy2(log, rotated)
            with log.open("r+b") as handle:
                handle.truncate(0)
        return original(self, conn, *args, **kwargs)

    monkeypatch.setattr(Store, "start_import", start_import)


@pytest.mark.parametrize("read_aside", ["0", "1"])
def test_a_log_rotated_while_the_import_waits_is_imported_from_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_aside: str
) -> None:
    monkeypatch.setenv("BOUNCECTL_READ_ASIDE", read_aside)
    db = tmp_path / "store.db"
    log = write_log(tmp_path / "mail.csv", BOUNCES)
    rotated = tmp_path / "mail.csv.1"
    _rotate_when_the_lock_is_taken(monkeypatch, log, rotated)
    first = invoke(db, "import", log)
    assert first.exit_code == 0, first.stderr
    assert _hard_bounced(db) == 0  # the file was empty when it was read
    second = invoke(db, "import", rotated)
    assert second.exit_code == 0, second.stderr
    assert "already imported" not in second.stderr
    assert _hard_bounced(db) == 50
    assert_imports_whole(db)
    # And the copy, imported again, is now recognized.
    third = invoke(db, "import", rotated)
    assert third.exit_code == 0 and _hard_bounced(db) == 50


def test_a_gzip_log_rotated_while_the_import_waits_is_imported_from_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    plain = write_log(tmp_path / "plain.csv", BOUNCES)
    log = tmp_path / "mail.csv.gz"
    log.write_bytes(gzip.compress(plain.read_bytes()))
    rotated = tmp_path / "mail.csv.1.gz"
    # Truncated to a valid gzip of the header alone, as a rotation that starts a new file would.
    original = Store.start_import
    done: list[bool] = []

    def start_import(self, conn, *args, **kwargs):
        if not done:
            done.append(True)
            shutil.copy2(log, rotated)
            log.write_bytes(gzip.compress(plain.read_bytes().splitlines(keepends=True)[0]))
        return original(self, conn, *args, **kwargs)

    monkeypatch.setattr(Store, "start_import", start_import)
    assert invoke(db, "import", log).exit_code == 0
    second = invoke(db, "import", rotated)
    assert second.exit_code == 0, second.stderr
    assert _hard_bounced(db) == 50


def test_the_same_bytes_are_still_recognized_as_already_imported(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    log = write_log(tmp_path / "mail.csv", BOUNCES)
    assert invoke(db, "import", log).exit_code == 0
    copy = tmp_path / "copy.csv"
    shutil.copy(log, copy)
    again = invoke(db, "import", copy)
    assert again.exit_code == 0
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
        (checksum,) = conn.execute("SELECT checksum FROM imports").fetchone()
    finally:
        conn.close()
    assert checksum == hashlib.sha256(log.read_bytes()).hexdigest()


def _count_checksums(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every whole-file checksum taken before an import parses (not the hash of the bytes parsed)."""
    taken: list[str] = []
    original = Source.checksum

    def checksum(self):
        taken.append(self.name)
        return original(self)

    monkeypatch.setattr(Source, "checksum", checksum)
    return taken


def test_a_first_import_reads_the_file_once_and_a_second_still_checks_it_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    log = write_log(tmp_path / "mail.csv", BOUNCES)
    taken = _count_checksums(monkeypatch)
    assert invoke(db, "import", log).exit_code == 0
    assert taken == []  # no import complete: nothing the bytes could match
    copy = tmp_path / "copy.csv"
    shutil.copy(log, copy)
    again = invoke(db, "import", copy)
    assert again.exit_code == 0 and "already imported" in again.stderr
    assert taken == [str(copy)]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    finally:
        conn.close()


def test_the_same_bytes_imported_while_an_import_waits_are_found_once_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import that found no import complete, and so did not look at its bytes first, learns under
    the write lock that another process imported the same bytes meanwhile: nothing is stored twice."""
    db = tmp_path / "store.db"
    log = write_log(tmp_path / "mail.csv", BOUNCES)
    original = Store.any_completed_import

    def none_yet_then_another(self, options):
        found = original(self, options)
        assert run_bouncectl(db, "import", log).returncode == 0  # the other process, done before the lock
        return found

    monkeypatch.setattr(Store, "any_completed_import", none_yet_then_another)
    result = invoke(db, "import", log)
    assert result.exit_code == 0, result.stderr
    assert "already imported" in result.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*), min(status) FROM imports").fetchone() == (1, "complete")
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == len(BOUNCES)
    finally:
        conn.close()
    assert _hard_bounced(db) == 50
