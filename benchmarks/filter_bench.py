"""Time `bouncectl filter` of a large planned list against a large store.

    python benchmarks/filter_bench.py [--contacts 1000000] [--planned 1000000] [--workdir DIR]

Builds a store of N contacts (3% hard-bounced, 0.5% globally bounced, 0.5% suppressed), written
with direct SQL inserts for speed, and a planned list (CSV: id, email, first_name) of M rows:
about 70% known contacts, 26% new addresses, 2% repeats in another case, 2% invalid addresses.
Then runs `bouncectl filter` as a child process, without and with --email-id (which records
every not-sent recipient as an event), and prints wall time, CPU time and peak memory (the
maximum resident set size of that child, from the kernel) of each run. With --skip-build the
store and the planned list of an earlier run in --workdir are used again.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bouncectl.store import Store

SEED = 20261126
STAMP = "2026-11-03T09:00:00.000Z"


def domains(count: int = 5000) -> tuple[list[str], list[float]]:
    """A few large mailbox providers and a long tail: Zipf-like cumulative weights."""
    names = [f"mail{i}.example.com" for i in range(count)]
    return names, list(itertools.accumulate(1.0 / (rank + 1) for rank in range(count)))


def build_store(path: Path, contacts: int) -> list[str]:
    """Contacts with statuses; returns their addresses."""
    rng = random.Random(SEED)
    names, weights = domains()
    picked = rng.choices(names, cum_weights=weights, k=contacts)
    addresses = [f"user{i}.{rng.randrange(10**6)}@{domain}" for i, domain in enumerate(picked)]
    with Store(path) as store, store.write() as conn:
        rows = []
        for address, domain in zip(addresses, picked):
            draw = rng.random()
            if draw < 0.03:
                row = (address, domain, "hard_bounced", "userunknown", STAMP, None, 1, 0, None)
            elif draw < 0.035:
                row = (address, domain, "globally_bounced", None, None, STAMP, 1, 0, None)
            elif draw < 0.04:
                row = (address, domain, "suppressed", None, None, None, 5, 5, STAMP)
            else:
                row = (address, domain, "eligible", None, None, None, 0, 0, None)
            rows.append(row)
            if len(rows) == 100_000:
                _insert(conn, rows)
        _insert(conn, rows)
    return addresses


def _insert(conn, rows: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO contacts (email, domain, status, hard_bounce_reason, hard_bounced_at, global_bounced_at, "
        "bounces, soft_streak, soft_streak_since, first_seen_at, last_event_at) "
        f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{STAMP}', '{STAMP}')",
        rows,
    )
    rows.clear()


def write_planned(path: Path, known: list[str], rows: int) -> None:
    """Known contacts are drawn without replacement, so repeats come only from the 2% share."""
    rng = random.Random(SEED + 1)
    names, weights = domains()
    order = list(range(len(known)))
    rng.shuffle(order)
    next_known = iter(order)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "email", "first_name"])
        recent: list[str] = []
        for i in range(rows):
            draw = rng.random()
            index = next(next_known, None) if draw < 0.70 else None
            if index is not None:
                address = known[index]
            elif draw < 0.96:
                address = f"new{i}@{rng.choices(names, cum_weights=weights)[0]}"
            elif draw < 0.98 and recent:
                address = rng.choice(recent).upper()
            else:
                address = f"broken {i}@@example"
            if draw < 0.96 and len(recent) < 100_000:
                recent.append(address)
            writer.writerow([i, address, f"name{i}"])


def run(cmd: list[str]) -> tuple[float, float, float, str]:
    """Run a command; return (wall seconds, CPU seconds, peak RSS in MB, stderr) of that child alone."""
    started = time.perf_counter()
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, stderr  # ru_maxrss is in KiB on Linux


def build(db: Path, planned: Path, contacts: int, rows: int) -> None:
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    known = build_store(db, contacts)
    print(f"store: {contacts:,} contacts built in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    write_planned(planned, known, rows)
    print(f"planned list: {rows:,} rows, {planned.stat().st_size / 1e6:.0f} MB, "
          f"written in {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--planned", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--skip-build", action="store_true", help="reuse the store and list in --workdir")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="filter-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db, planned = workdir / "store.db", workdir / "planned.csv"
    if args.build_only:
        build(db, planned, args.contacts, args.planned)
        return
    if not (args.skip_build and db.exists() and planned.exists()):
        # Built in a child process: a child forked from a large parent would start with the
        # parent's resident memory and spoil the peak measured for `bouncectl filter`.
        subprocess.run(
            [sys.executable, __file__, "--build-only", "--workdir", str(workdir),
             "--contacts", str(args.contacts), "--planned", str(args.planned)],
            check=True,
        )
    email_id = f"bench-{int(time.time())}"  # a new email each run, so every not-sent recipient is recorded

    base = [sys.executable, "-m", "bouncectl", "--db", str(db), "filter", str(planned),
            "--out", str(workdir / "sendable.csv"), "--not-sent", str(workdir / "not-sent.csv")]
    for label, extra in (("filter", []), ("filter --email-id", ["--email-id", email_id])):
        seconds, cpu, peak, stderr = run(base + extra)
        print(f"{label}: {seconds:.1f} s wall, {cpu:.1f} s CPU, {peak:.0f} MB peak RSS, "
              f"{args.planned / seconds:,.0f} rows/s")
        for line in stderr.strip().splitlines():
            print(f"    {line}")


if __name__ == "__main__":
    main()
