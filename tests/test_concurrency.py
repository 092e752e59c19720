"""Concurrency: several bouncectl processes on one store at once.

- Several first uses of a new store at the same moment all succeed.
- Two imports at once both finish, and every event is stored once: the store
  ends exactly as if the files had been imported one after the other.
- Two ``unbounce`` processes racing for the last unit of this month's quota:
  exactly one wins, the quota is never exceeded, both attempts are audited.
- Reads during an import never fail with "database is locked", and see the
  store as it was before the import, never half of it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from trusthelpers import (
    assert_imports_whole,
    generate_rows,
    integrity,
    invoke,
    run_bouncectl,
    start_bouncectl,
    write_log,
    writing,
)

from bouncectl.errors import BouncectlError
from bouncectl.store import Store
from bouncectl.usecases.reactivating import unbounce


def content(db: Path) -> dict[str, list[tuple]]:
    """What the store knows, independent of the order writers took turns in (ids are not compared)."""
    conn = sqlite3.connect(db)
    try:
        event_columns = [r[1] for r in conn.execute("PRAGMA table_info(events)") if r[1] not in ("id", "import_id")]
        contact_columns = [r[1] for r in conn.execute("PRAGMA table_info(contacts)") if r[1] != "hard_bounce_event_id"]
        return {
            "events": conn.execute(f"SELECT {', '.join(event_columns)} FROM events ORDER BY key").fetchall(),
            "contacts": conn.execute(
                f"SELECT {', '.join('c.' + c for c in contact_columns)}, e.key FROM contacts c "
                "LEFT JOIN events e ON e.id = c.hard_bounce_event_id ORDER BY c.email"
            ).fetchall(),
            "emails": conn.execute("SELECT * FROM emails ORDER BY email_id").fetchall(),
        }
    finally:
        conn.close()


def _fresh_store(path: Path) -> Path:
    Store(path).close()
    return path


def test_first_uses_of_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    log = write_log(tmp_path / "log.csv", generate_rows(50, seed=5, bad_every=0))
    for attempt in range(2):
        db = tmp_path / f"new-{attempt}.db"
        procs = [
            start_bouncectl(db, "quota"),
            start_bouncectl(db, "domains", "list"),
            start_bouncectl(db, "import", log),
            start_bouncectl(db, "contacts", "--format", "json"),
        ]
        for proc in procs:
            _, stderr = proc.communicate(timeout=120)
            assert proc.returncode == 0, f"{proc.args[3:]}: {stderr}"
        assert integrity(db) == "ok"
        assert_imports_whole(db)


def test_two_imports_at_once_store_every_event_once(tmp_path: Path) -> None:
    first_rows = generate_rows(8000, seed=11)
    second_rows = generate_rows(8000, seed=12)
    second_rows[::5] = first_rows[: len(second_rows[::5])]  # the two exports overlap
    first = write_log(tmp_path / "first.csv", first_rows)
    second = write_log(tmp_path / "second.csv", second_rows)

    one_then_two = _fresh_store(tmp_path / "sequential-12.db")
    two_then_one = _fresh_store(tmp_path / "sequential-21.db")
    assert invoke(one_then_two, "import", first, second).exit_code == 3
    assert invoke(two_then_one, "import", second, first).exit_code == 3
    expected = content(one_then_two)
    assert content(two_then_one) == expected, "the final state depends on the order of the imports"

    db = _fresh_store(tmp_path / "store.db")
    procs = [start_bouncectl(db, "import", first), start_bouncectl(db, "import", second)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 3, stderr  # both finished; both files have bad rows
        assert "events stored" in stderr
    assert integrity(db) == "ok"
    imports = assert_imports_whole(db)
    assert len(imports) == 2
    assert content(db) == expected
    events = len(expected["events"])
    assert sum(i["events_stored"] for i in imports) == events
    data_rows = sum(i["rows_read"] - i["rejected"] for i in imports)
    assert sum(i["events_stored"] + i["duplicates"] for i in imports) == data_rows


def test_the_same_file_imported_twice_at_once_is_stored_once(tmp_path: Path) -> None:
    log = write_log(tmp_path / "log.csv", generate_rows(6000, seed=13))
    reference = _fresh_store(tmp_path / "reference.db")
    invoke(reference, "import", log)
    db = _fresh_store(tmp_path / "store.db")
    procs = [start_bouncectl(db, "import", log) for _ in range(2)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode in (0, 3), stderr
    assert integrity(db) == "ok"
    assert_imports_whole(db, exact_rejects=False)
    assert content(db) == content(reference)


# --- racing for the last unit of quota ------------------------------------------------------

HARD_BOUNCED = [f"gone{n}@example.com" for n in range(12)]


@pytest.fixture(scope="module")
def one_unit_left(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store where this month's quota (10, the minimum) has exactly one reactivation left."""
    folder = tmp_path_factory.mktemp("quota")
    rows = [["e1", address, "bounce", "2026-10-01T08:00:00Z", "hard", "550", "5.1.1", "550 5.1.1 user unknown"]
            for address in HARD_BOUNCED]
    rows += [["e1", f"fine{n}@example.com", "delivered", "2026-10-01T08:00:00Z", "", "", "", ""] for n in range(40)]
    db = folder / "template.db"
    with Store(db) as store:
        assert invoke(db, "import", write_log(folder / "log.csv", rows)).exit_code == 0
        store.add_domain("news.example.com")
        store.add_user("alice", ["email"])
        store.add_user("bob", ["email"])
        outcomes = unbounce(store, HARD_BOUNCED[:9], "alice", confirm=True)
        assert [o.outcome for o in outcomes] == ["reactivated"] * 9
        quota = store.quota()
        assert (quota["limit"], quota["used"], quota["remaining"]) == (10, 9, 1)
    return db


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


RACES = [("two contacts", HARD_BOUNCED[9], HARD_BOUNCED[10]), ("one contact", HARD_BOUNCED[9], HARD_BOUNCED[9])]


@pytest.mark.parametrize("round_", range(3))
@pytest.mark.parametrize(("kind", "first", "second"), RACES, ids=[r[0] for r in RACES])
def test_two_unbounces_racing_for_the_last_unit_of_quota(
    one_unit_left: Path, tmp_path: Path, kind: str, first: str, second: str, round_: int
) -> None:
    db = tmp_path / "store.db"
    shutil.copyfile(one_unit_left, db)
    month = Store(db).quota()["month"]
    # The barrier: hold the write lock, let both processes start and queue for it, then let go.
    gate = sqlite3.connect(db, isolation_level=None)
    gate.execute("BEGIN IMMEDIATE")
    procs = [
        start_bouncectl(db, "unbounce", first, "--confirm", "--as", "alice", "--format", "json"),
        start_bouncectl(db, "unbounce", second, "--confirm", "--as", "bob", "--format", "json"),
    ]
    waited = time.monotonic()
    while not all(_has_open(p.pid, db) for p in procs) and time.monotonic() - waited < 60:
        assert all(p.poll() is None for p in procs), "an unbounce ended while the store was locked"
        time.sleep(0.01)
    time.sleep(0.3)  # from opening the store to asking for the write lock
    gate.execute("COMMIT")
    gate.close()
    results = [p.communicate(timeout=120) for p in procs]

    outcomes = [json.loads(stdout)[0] for stdout, _ in results]
    won = [o for o in outcomes if o["outcome"] == "reactivated"]
    lost = [o for o in outcomes if o["outcome"] == "refused"]
    assert len(won) == 1 and len(lost) == 1, outcomes
    # The loser of a race for one contact finds it reactivated already: eligible, so nothing to lift.
    assert lost[0]["code"] == ("QUOTA_EXCEEDED" if first != second else "NOT_BOUNCED")
    assert sorted(p.returncode for p in procs) == [0, 1]

    with Store(db) as store:
        if store.quota()["month"] != month:
            pytest.skip("the month changed during the race")
        quota = store.quota()
        assert quota["used"] == quota["limit"] == 10
        audit = [a for a in store.audit() if a["action"] == "unbounce"]  # users and domains are audited too
        assert len(audit) == 9 + 2
        assert sorted(a["outcome"] for a in audit[9:]) == ["reactivated", "refused"]
        reactivated = store.conn.execute("SELECT count(*) FROM reactivations").fetchone()[0]
        assert reactivated == 10


# --- reading while an import runs ------------------------------------------------------------


def test_reads_during_an_import_never_fail_and_never_see_half_of_it(tmp_path: Path) -> None:
    log = write_log(tmp_path / "log.csv", generate_rows(40_000, seed=17))
    db = _fresh_store(tmp_path / "store.db")
    importing = start_bouncectl(db, "import", log)
    deadline = time.monotonic() + 300
    while not writing(db):
        assert importing.poll() is None, importing.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)

    failures: list[str] = []
    cli_reads: list[int] = []

    def read_with_the_cli() -> None:
        while importing.poll() is None:
            for args in (("contacts", "--format", "json"), ("quota",), ("rejects", "--format", "csv")):
                result = run_bouncectl(db, *args, BOUNCECTL_BUSY_TIMEOUT="2")
                if result.returncode != 0 or "locked" in result.stderr:
                    failures.append(f"{args}: exit {result.returncode}: {result.stderr}")
                if importing.poll() is None:
                    cli_reads.append(result.returncode)

    reader = threading.Thread(target=read_with_the_cli)
    reader.start()
    seen: set[int] = set()
    store_reads = 0
    while importing.poll() is None:
        # A reader that had to wait for the writer would give up after two seconds, with "database is locked".
        try:
            with Store(db, busy_timeout=2.0) as store:
                counts = store.conn.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM imports)")
                events, imports = counts.fetchone()
                list(store.contacts())
                store.quota()
        except (sqlite3.Error, BouncectlError) as exc:
            failures.append(f"in-process read: {exc!r}")
            continue
        if importing.poll() is None:
            store_reads += 1
        seen.add(events)
        assert imports in (0, 1)
        time.sleep(0.02)
    reader.join(timeout=300)
    _, stderr = importing.communicate(timeout=60)

    assert importing.returncode == 3, stderr
    assert not failures, failures
    assert store_reads >= 3 and cli_reads, "too few reads happened while the import was writing"
    final = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0]
    assert seen <= {0, final}, f"a reader saw part of the import: {sorted(seen)}"
