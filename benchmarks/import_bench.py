"""Time `bouncectl import` of a canonical CSV send log against two baselines, in the same run.

    python benchmarks/import_bench.py [--rows 1000000] [--workdir DIR]

Baselines, each on the same file:
  (a) plain sqlite3: csv module + executemany in 50k batches, with a UNIQUE index on the
      natural event key (email_id, recipient, event, timestamp) for the same de-duplication;
  (b) `sqlite-utils insert --csv` (no de-duplication, no classification).
Then `bouncectl import` into an empty store, and again (all rows already stored, from a copy
of the file so the checksum short-cut does not apply). Prints wall times, ratios, time per
row and peak memory (maximum resident set size of each child process, from the kernel).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sendlog

BASELINE_SQLITE = textwrap.dedent(
    """
    import csv, sqlite3, sys
    conn = sqlite3.connect(sys.argv[2], isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE events (email_id TEXT, recipient TEXT, event TEXT, timestamp TEXT, "
                 "smtp_code TEXT, enhanced_status TEXT, diagnostic TEXT)")
    conn.execute("CREATE UNIQUE INDEX events_key ON events (email_id, recipient, event, timestamp)")
    with open(sys.argv[1], newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch = []
        conn.execute("BEGIN")
        for row in reader:
            batch.append(row)
            if len(batch) == 50000:
                conn.executemany("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        conn.executemany("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        conn.execute("COMMIT")
    """
)


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Run a command; return (wall seconds, peak RSS in MB, CPU seconds) of that child alone.

    CPU time (user + system) is reported beside wall time: on a shared machine it is the
    steadier figure of the two."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed ({process.returncode}): {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def bouncectl() -> list[str]:
    found = shutil.which("bouncectl")
    return [found] if found else [sys.executable, "-m", "bouncectl"]


def bench(rows: int, workdir: Path, baselines: bool = True) -> dict:
    log = workdir / f"log-{rows}.csv"
    if not log.exists():
        sendlog.write(str(log), rows)
    size_mb = log.stat().st_size / 1e6
    figures: dict = {"rows": rows, "file_mb": size_mb}
    if baselines:
        figures["sqlite3"] = run([sys.executable, "-c", BASELINE_SQLITE, str(log), str(workdir / f"a-{rows}.db")])
        sqlite_utils = shutil.which("sqlite-utils")
        if sqlite_utils:
            figures["sqlite-utils"] = run([sqlite_utils, "insert", str(workdir / f"b-{rows}.db"), "events", str(log), "--csv"])
    store = workdir / f"store-{rows}.db"
    env = {**os.environ, "BOUNCECTL_DB": str(store)}
    figures["import"] = run([*bouncectl(), "import", str(log)], env)
    copy = workdir / f"log-{rows}-again.csv"
    shutil.copyfile(log, copy)
    with copy.open("a") as handle:  # a different checksum: every row goes through de-duplication
        handle.write("\n")
    figures["reimport"] = run([*bouncectl(), "import", str(copy)], env)
    figures["store_mb"] = sum(p.stat().st_size for p in workdir.glob(f"store-{rows}.db*")) / 1e6
    return figures


def report(f: dict) -> None:
    rows = f["rows"]
    print(f"\n{rows:,} rows, {f['file_mb']:.0f} MB CSV")
    imp, imp_mem, imp_cpu = f["import"]
    print(f"  {'':<24} {'wall':>9}  {'cpu':>9}  {'peak RSS':>9}")
    for name in ("sqlite3", "sqlite-utils"):
        if name in f:
            seconds, memory, cpu = f[name]
            print(f"  baseline {name:<15} {seconds:7.2f} s  {cpu:7.2f} s  {memory:6.0f} MB")
    print(f"  bouncectl import         {imp:7.2f} s  {imp_cpu:7.2f} s  {imp_mem:6.0f} MB"
          f"   {imp / rows * 1e6:.1f} µs/row wall")
    re_s, re_mem, re_cpu = f["reimport"]
    print(f"  bouncectl re-import      {re_s:7.2f} s  {re_cpu:7.2f} s  {re_mem:6.0f} MB   (all duplicates)")
    for name, target in (("sqlite3", "1.0"), ("sqlite-utils", "1.5")):
        if name in f:
            print(f"  import / {name}: {imp / f[name][0]:.2f}x wall, {imp_cpu / f[name][2]:.2f}x cpu (target <= {target}x)")
    print(f"  re-import / import: {re_s / imp:.2f}x wall, {re_cpu / imp_cpu:.2f}x cpu (target <= 0.5x)")
    print(f"  store on disk: {f['store_mb']:.0f} MB, {f['store_mb'] / rows * 1e6:.0f} MB per million events")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bouncectl-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for rows in args.rows:
        report(bench(rows, workdir, baselines=not args.no_baselines))
    if args.workdir is None:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
