"""Crash safety: an import killed with SIGKILL at any point leaves the store whole.

The import runs as the installed command in a child process and is killed at
several points: after a delay (a fixed share of an uninterrupted run, and a
random one), while the commit is being written to the WAL, and between the two
files of one command. Afterwards the store passes ``PRAGMA integrity_check``,
every import it records is complete with all of its events, its content is
exactly that of an uninterrupted run stopped between two files, and running the
same command again ends with the same content as an uninterrupted run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from trusthelpers import (
    assert_imports_whole,
    canonical_dump,
    generate_rows,
    integrity,
    invoke,
    start_bouncectl,
    write_log,
    writing,
)

from bouncectl.store import Store

ROWS = 38_000  # four import batches (BATCH_SIZE is 10,000 events); the last one big enough that storing it
# still takes a while after every row has been read, so the kill point "parsed 1.0" is not a race


def _fresh_store(path: Path) -> Path:
    Store(path).close()
    return path


def _reference(folder: Path, name: str, files: list[Path]) -> tuple[dict, int]:
    db = _fresh_store(folder / f"reference-{name}.db")
    result = invoke(db, "import", *files)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return canonical_dump(db), result.exit_code


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("crash")
    rows = generate_rows(ROWS, seed=20261124)
    whole = write_log(folder / "log.csv", rows)
    part1 = write_log(folder / "part1.csv", rows[: ROWS // 2])
    part2 = write_log(folder / "part2.csv", rows[ROWS // 2 :])
    empty = canonical_dump(_fresh_store(folder / "empty.db"))

    # One uninterrupted run of the real command: how long an import takes here, to place the kills.
    timed = _fresh_store(folder / "timed.db")
    started = time.monotonic()
    proc = start_bouncectl(timed, "import", whole)
    _, stderr = proc.communicate(timeout=300)
    duration = time.monotonic() - started
    assert proc.returncode == 3, stderr  # the generated log has bad rows
    assert_imports_whole(timed)

    one, one_code = canonical_dump(timed), proc.returncode
    first_only, _ = _reference(folder, "first", [part1])
    two, two_code = _reference(folder, "two", [part1, part2])
    assert one["events"] == two["events"] and one["contacts"] == two["contacts"]
    return {
        "folder": folder,
        "duration": duration,
        "single": {"files": [whole], "states": [empty, one], "final": one, "code": one_code},
        "double": {"files": [part1, part2], "states": [empty, first_only, two], "final": two, "code": two_code},
    }


def _wal_size(db: Path) -> int:
    try:
        return os.stat(f"{db}-wal").st_size
    except FileNotFoundError:
        return 0


def _complete_imports(db: Path) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM imports WHERE status = 'complete'").fetchone()[0]
    finally:
        conn.close()


def _family(pid: int) -> list[int]:
    """The process and its descendants (a large import parses in a child process)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(_family(int(child)))
    return found


def _read_position(pid: int, path: Path) -> int | None:
    """How far process ``pid`` or one of its children has read in ``path`` (from /proc), or None when
    none of them has such a file open."""
    for member in _family(pid):
        folder = Path(f"/proc/{member}/fd")
        try:
            for fd in os.listdir(folder):
                try:
                    if os.readlink(folder / fd) == str(path):
                        for line in Path(f"/proc/{member}/fdinfo/{fd}").read_text().splitlines():
                            if line.startswith("pos:"):
                                return int(line.split()[1])
                except OSError:
                    continue
        except OSError:
            continue
    return None


class _Parsed:
    """True once the import is inside its write transaction and has read ``share`` of ``path``.

    The whole file (``share`` 1.0) counts as read also once the import has closed it: it then
    stores its last batch and commits, with no file open."""

    def __init__(self, proc, db: Path, path: Path, share: float):
        self.proc, self.db, self.path = proc, db, path
        self.share = share
        self.target = share * path.stat().st_size
        self.in_transaction = False
        self.seen_open = False

    def __call__(self) -> bool:
        if not self.in_transaction:
            self.in_transaction = writing(self.db)
            return False
        position = _read_position(self.proc.pid, self.path)
        if position is None:
            return self.seen_open and self.share >= 1.0
        self.seen_open = True
        return position >= self.target


def _kill_when(proc, ready, deadline: float) -> None:
    """SIGKILL the process group as soon as ``ready()``; fail if the import ended first."""
    while not ready():
        if proc.poll() is not None:
            _, stderr = proc.communicate()
            pytest.fail(f"the import ended (exit {proc.returncode}) before the fault could be injected: {stderr}")
        if time.monotonic() > deadline:
            pytest.fail("the kill point was never reached")
        time.sleep(0.001)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the import was not killed while it ran"


# (which workload, how the kill point is chosen, its parameter). The points follow the import's own
# progress (what it has read, whether it writes, what the WAL holds), so they hold on a slow machine too.
FAULTS = [
    ("single", "parsed", 0.3),  # an early batch, reading rows
    ("single", "parsed", 0.97),  # the last batch, reading rows
    ("single", "parsed", 1.0),  # every row read: storing the last batch, rejects, the import record
    ("single", "wal_bytes", 1),  # the commit has started writing to the WAL
    ("single", "wal_bytes", 2_000_000),  # in the middle of writing the commit, or just after
    ("single", "random_delay", None),  # anywhere, even before the store is opened or after the end
    ("double", "second_file", None),  # somewhere in the second file of `import a b`
]
# Each fault with the input parsed by the importing process itself, and (as large inputs are) by a
# child process while the importing process stores: killing the process group kills both.
FAULTS = [(*fault, aside) for aside in ("0", "1") for fault in FAULTS]


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="kill points are read from /proc (Linux)")
@pytest.mark.parametrize(
    ("which", "trigger", "param", "aside"), FAULTS, ids=[f"{w}-{t}-{p}-aside{a}" for w, t, p, a in FAULTS]
)
def test_killed_import_leaves_a_whole_store_and_rerun_completes_it(
    workload: dict, tmp_path: Path, which: str, trigger: str, param: float | None, aside: str
) -> None:
    job = workload[which]
    db = _fresh_store(tmp_path / "store.db")
    rng = random.Random()
    proc = start_bouncectl(db, "import", *job["files"], BOUNCECTL_READ_ASIDE=aside)
    deadline = time.monotonic() + 20 * workload["duration"] + 60
    if trigger == "parsed":
        _kill_when(proc, _Parsed(proc, db, job["files"][0], param), deadline)
        where = f"after reading {param:.0%} of the input"
    elif trigger == "wal_bytes":
        _kill_when(proc, lambda: _wal_size(db) >= param, deadline)
        where = f"once the WAL held {param} bytes"
    elif trigger == "random_delay":
        delay = rng.uniform(0, 1.1 * workload["duration"])
        try:
            proc.communicate(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
        where = f"after {delay:.2f}s (exit {proc.returncode})"
    else:
        share = rng.uniform(0, 1)
        first = _Parsed(proc, db, job["files"][1], share)
        _kill_when(proc, lambda: _complete_imports(db) >= 1 and first(), deadline)
        where = f"after reading {share:.0%} of the second file"

    # The store is whole, and holds exactly what some number of whole imports put there.
    assert integrity(db) == "ok", where
    imports = assert_imports_whole(db)
    state = canonical_dump(db)
    assert state in job["states"], f"killed {where}: the store is not the state before or after a whole import"
    assert len(imports) == job["states"].index(state)

    # The same command again finishes the job: same content as an uninterrupted run, nothing twice.
    result = invoke(db, "import", *job["files"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == (job["code"] if len(imports) < len(job["files"]) else 0), result.stderr
    assert integrity(db) == "ok"
    assert_imports_whole(db)
    assert canonical_dump(db) == job["final"], f"killed {where}: the rerun did not reach the uninterrupted state"

    # And once more: already imported, nothing changes.
    again = invoke(db, "import", *job["files"])
    assert again.exit_code == 0 and "already imported" in again.stderr
    assert canonical_dump(db) == job["final"]
