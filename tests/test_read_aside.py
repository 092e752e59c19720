"""A large input is parsed in a child process while the importing process stores it.

The store must end the same whichever process parses, and everything that can go wrong on the
parsing side (a damaged input, a bug, the child dying) must end the import as it would in one
process: one error line, exit 1, nothing stored.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from trusthelpers import (
    assert_imports_whole,
    bouncectl_command,
    canonical_dump,
    generate_rows,
    invoke,
    run_bouncectl,
    subprocess_env,
    write_log,
)

from bouncectl import sources as formats
from bouncectl.model import ImportOptions
from bouncectl.sources.source import Source
from bouncectl.store import Store
from bouncectl.usecases import importing as importer

ROWS = 45_000  # several batches of importer.BATCH_SIZE, with repeated and bad rows


@pytest.fixture(autouse=True)
def _event_by_event(monkeypatch: pytest.MonkeyPatch) -> None:
    # The child parses for the import event by event (every format but the canonical CSV, which
    # is imported by blocks of columns in one process): the CSV is read that way here.
    monkeypatch.setenv("BOUNCECTL_IMPORT_COLUMNS", "0")


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_log(tmp_path_factory.mktemp("aside") / "log.csv", generate_rows(ROWS, seed=7))


def _import(db: Path, *files: Path, aside: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BOUNCECTL_READ_ASIDE", aside)
    return invoke(db, "import", *files)


def test_the_store_is_the_same_whichever_process_parses(
    big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second file that repeats part of the first: duplicates in some batches, none in others.
    overlap = write_log(tmp_path / "overlap.csv", generate_rows(ROWS, seed=7)[ROWS // 3 :] +
                        generate_rows(5_000, seed=8, bad_every=0))
    dumps = []
    for aside in ("0", "1"):
        db = tmp_path / f"store-{aside}.db"
        first = _import(db, big_log, aside=aside, monkeypatch=monkeypatch)
        assert first.exit_code == 3, first.stderr  # the log has bad rows
        second = _import(db, overlap, aside=aside, monkeypatch=monkeypatch)
        assert second.exit_code == 3, second.stderr
        assert_imports_whole(db)
        dumps.append(canonical_dump(db))
    here, aside = dumps
    assert len(here["events"]) > ROWS // 2 and len(here["rejects"]) > 0
    assert {name: len(rows) for name, rows in aside.items()} == {name: len(rows) for name, rows in here.items()}
    assert aside == here


def test_the_installed_command_parses_a_large_file_aside(
    big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOUNCECTL_READ_ASIDE", raising=False)  # the command decides by itself
    assert big_log.stat().st_size < importer.READ_ASIDE_FROM  # so make one over the threshold
    large = tmp_path / "large.csv"
    rows = generate_rows(ROWS * 3, seed=9)
    write_log(large, rows)
    assert large.stat().st_size >= importer.READ_ASIDE_FROM
    assert importer._read_aside(Source(large)) == (sys.platform == "linux" and importer.usable_cpus() > 1)
    assert not importer._read_aside(Source(big_log))

    result = run_bouncectl(tmp_path / "default.db", "import", large, timeout=600)
    assert result.returncode == 3, result.stderr
    in_process = run_bouncectl(tmp_path / "here.db", "import", large, timeout=600, BOUNCECTL_READ_ASIDE="0")
    assert in_process.returncode == 3, in_process.stderr
    assert result.stderr == in_process.stderr
    assert canonical_dump(tmp_path / "default.db") == canonical_dump(tmp_path / "here.db")


def test_a_damaged_input_found_by_the_child_is_one_error_and_nothing_is_stored(
    big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed = gzip.compress(big_log.read_bytes())
    damaged = tmp_path / "log.csv.gz"
    damaged.write_bytes(packed[: len(packed) * 2 // 3])  # cut short: the reader fails two thirds in
    db = tmp_path / "store.db"
    result = _import(db, damaged, aside="1", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {damaged}: damaged gzip data")
    assert "Traceback" not in result.stderr
    assert canonical_dump(db)["events"] == [] and canonical_dump(db)["imports"] == []


def test_a_bug_on_the_parsing_side_rolls_the_import_back(
    big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    original = importer.classify_event

    def failing(event) -> None:  # runs in the forked child
        calls["n"] += 1
        if calls["n"] == 30_000:
            raise ZeroDivisionError("injected")
        original(event)

    monkeypatch.setattr(importer, "classify_event", failing)
    db = tmp_path / "store.db"
    result = _import(db, big_log, aside="1", monkeypatch=monkeypatch)
    assert isinstance(result.exception, RuntimeError)
    assert "ZeroDivisionError: injected" in str(result.exception)
    assert calls["n"] == 0  # it ran in the child, not here
    assert canonical_dump(db)["events"] == [] and canonical_dump(db)["imports"] == []


def test_a_child_that_dies_ends_the_import_with_nothing_stored(
    big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = importer._parts

    def dying(*args):  # runs in the forked child: one batch, then killed
        for number, part in enumerate(original(*args)):
            if number == 1:
                os.kill(os.getpid(), signal.SIGKILL)
            yield part

    monkeypatch.setattr(importer, "_parts", dying)
    db = tmp_path / "store.db"
    result = _import(db, big_log, aside="1", monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[0] == (
        f"Error: {big_log}: the reading process stopped (exit code -9); nothing was imported"
    )
    assert canonical_dump(db)["events"] == [] and canonical_dump(db)["imports"] == []


def test_a_batch_folded_before_storing_gives_what_folding_the_stored_rows_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A batch with no duplicate keeps the fold made while parsing; one duplicate makes the store fold
    # what it stored instead. Both ways must give the same contacts and emails.
    unique = list({tuple(row): row for row in generate_rows(6_000, seed=11, bad_every=0)}.values())
    fast = tmp_path / "fast.db"
    assert _import(fast, write_log(tmp_path / "a.csv", unique), aside="0", monkeypatch=monkeypatch).exit_code == 0
    slow = tmp_path / "slow.db"
    repeated = write_log(tmp_path / "b.csv", [*unique, unique[0]])
    result = _import(slow, repeated, aside="0", monkeypatch=monkeypatch)
    assert result.exit_code == 0 and "1 duplicate" in result.stderr
    fast_dump, slow_dump = canonical_dump(fast), canonical_dump(slow)
    assert any(row[3] for row in fast_dump["contacts"])  # some hard bounces, with their reasons
    for table in ("events", "contacts", "emails"):
        assert fast_dump[table] == slow_dump[table], table


def _again(log: Path, folder: Path) -> Path:
    """The same events in a file with other bytes, so the checksum short-cut does not apply."""
    copy = folder / "again.csv"
    copy.write_bytes(log.read_bytes() + b"\n")
    return copy


def _spy_on_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each batch brings to the storing process."""
    sizes: list[int] = []
    original = Store.add_batch

    def add_batch(self, conn, batch, options):
        sizes.append(len(batch.rows))
        return original(self, conn, batch, options)

    monkeypatch.setattr(Store, "add_batch", add_batch)
    return sizes


@pytest.fixture
def imported_once(big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "store.db"
    assert _import(db, big_log, aside="1", monkeypatch=monkeypatch).exit_code == 3
    return db


def test_the_child_leaves_out_events_already_stored_and_counts_them_as_duplicates(
    imported_once: Path, big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = imported_once
    before = canonical_dump(db)
    stored = before["imports"][0][6]
    sizes = _spy_on_batches(monkeypatch)
    result = _import(db, _again(big_log, tmp_path), aside="1", monkeypatch=monkeypatch)
    assert result.exit_code == 3, result.stderr
    after = canonical_dump(db)
    assert after["imports"][1][6:8] == (0, stored + before["imports"][0][7])  # nothing stored, all duplicates
    assert sum(sizes) == 0 and len(sizes) >= 2  # the storing process got no row to store
    for table in ("events", "contacts", "emails"):
        assert after[table] == before[table], table


def test_under_third_party_the_child_leaves_nothing_out_so_every_contact_is_marked(
    imported_once: Path, big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = imported_once
    sizes = _spy_on_batches(monkeypatch)
    monkeypatch.setenv("BOUNCECTL_READ_ASIDE", "1")
    result = invoke(db, "import", "--third-party", _again(big_log, tmp_path))
    assert result.exit_code == 3, result.stderr
    assert sum(sizes) > ROWS // 2
    contacts = canonical_dump(db)["contacts"]
    assert contacts and all(row[12] == 1 for row in contacts)  # third_party


def test_stdin_is_parsed_aside_like_a_file(big_log: Path, tmp_path: Path) -> None:
    from_file = run_bouncectl(tmp_path / "file.db", "import", big_log, BOUNCECTL_READ_ASIDE="1", timeout=600)
    with big_log.open("rb") as stdin:
        from_stdin = subprocess.run(
            [*bouncectl_command(), "--db", str(tmp_path / "stdin.db"), "import", "-"],
            stdin=stdin, capture_output=True, text=True, timeout=600, check=False,
            env=subprocess_env(BOUNCECTL_READ_ASIDE="1"),
        )
    assert from_file.returncode == from_stdin.returncode == 3, from_stdin.stderr
    file_dump, stdin_dump = canonical_dump(tmp_path / "file.db"), canonical_dump(tmp_path / "stdin.db")
    for table in ("events", "contacts", "emails"):
        assert file_dump[table] == stdin_dump[table], table
    assert [row[1:] for row in file_dump["rejects"]] == [row[1:] for row in stdin_dump["rejects"]]


def test_a_parent_that_stops_reading_lets_the_child_end_on_its_own(
    big_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On Ctrl-C or a failure while storing, the parent stops reading and closes its end of the pipe:
    # the child's next send must fail at once, so it ends by itself instead of being killed.
    killed: list[int | None] = []
    kill = BaseProcess.kill

    def noted_kill(process: BaseProcess) -> None:
        killed.append(process.pid)
        kill(process)

    monkeypatch.setattr(BaseProcess, "kill", noted_kill)
    monkeypatch.setenv("BOUNCECTL_READ_ASIDE", "1")
    source = Source(big_log)
    store = Store(tmp_path / "store.db")
    try:
        with importer._reading(store, formats.detect(source), source, ImportOptions(), 1) as parts:
            assert next(parts).batch.rows  # one batch, then the parent stops
    finally:
        store.close()
    assert killed == []
