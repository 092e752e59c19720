"""Time `bouncectl import` of a canonical CSV send log against two baselines, in the same run.

    python benchmarks/import_bench.py [--rows 1000000] [--order list|sorted|both] [--workdir DIR]
                                      [--formats csv,ses,sendgrid,mailgun,postmark,hubspot,postfix|all]

Baselines, each on the same file:
  (a) plain sqlite3: csv module + executemany in 50k batches, with a UNIQUE index on the
      natural event key (email_id, recipient, event, timestamp) for the same de-duplication;
  (b) `sqlite-utils insert --csv` (no de-duplication, no classification).
Then `bouncectl import` into an empty store, and again (all rows already stored, from a copy
of the file so the checksum short-cut does not apply).

--by-rows adds the import event by event (BOUNCECTL_IMPORT_COLUMNS=0, the path of every format
but the canonical CSV) and its re-import, and says whether both ways give the same events,
contacts, emails and rejects. --other adds the baseline and the import into a store (a table)
already holding as many other events (another log of the same size, other addresses), stored first.

Address order (see sendlog.py): with `list`, recipients come in list order and their addresses
in no alphabetical order, as in a real send log; with `sorted`, list order is alphabetical
order, so every B-tree keyed on the address is filled with sorted keys, which is much cheaper.
`both` (the default) measures each file in turn and compares them.

Each run prints wall time, CPU time (user + system of the child and of every descendant it
waited for, from the kernel; on a shared machine the steadier figure) and two peaks of memory:
  peak RSS, largest process: maximum resident set size of any one process of the run (the
      kernel's ru_maxrss, exact, but blind to a parse in a child process beside the parent;
      read by a small launcher, since the kernel carries a peak over exec and this script's
      own would otherwise show through);
  peak PSS, whole tree: the largest sum of proportional set sizes (Pss, shared pages split
      between the processes sharing them) over the child and all its descendants, sampled
      every 50 ms; a spike shorter than that can be missed. For one process it is a little
      below its RSS, since shared libraries count only in part.
Outputs of an earlier run in the same --workdir are removed first; the logs are made anew.

--formats (default: csv, the canonical CSV alone) adds provider formats: the same events, in the
same order, written by providerlogs.py in each provider's format, each imported into an empty
store and re-imported from a copy, like the CSV. A table after the CSV's figures gives, per
format, the file, the events stored (rejected rows, if any, and a count that differs from the
one expected are noted), wall and CPU time, µs per event, both memory peaks, wall and CPU
against the canonical CSV's import (re-import) of the same run, and CPU per event against the
CSV's (`cpu/event`). Postmark and Postfix record no send, Postfix no open either, so their files
hold fewer events (see providerlogs.py); µs per event counts the events of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import providerlogs
import sendlog

BASELINE_SQLITE = textwrap.dedent(
    """
    import csv, sqlite3, sys
    conn = sqlite3.connect(sys.argv[2], isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE IF NOT EXISTS events (email_id TEXT, recipient TEXT, event TEXT, timestamp TEXT, "
                 "smtp_code TEXT, enhanced_status TEXT, diagnostic TEXT)")
    conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS events_key ON events (email_id, recipient, event, timestamp)")
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
SAMPLE_SECONDS = 0.05
ORDER_NAMES = {"list": "list order (addresses unsorted, as in a real log)",
               "sorted": "sorted order (list order = alphabetical order)"}
PROGRAMS = [("sqlite3", "baseline sqlite3"), ("sqlite-utils", "baseline sqlite-utils"),
            ("import", "bouncectl import"), ("reimport", "bouncectl re-import"),
            ("import-rows", "import event by event"), ("reimport-rows", "re-import event by event"),
            ("sqlite3-other", "sqlite3, other events"), ("import-other", "import, other events")]


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss: float  # MB, peak of the largest single process
    pss: float  # MB, peak of the sum over the process tree (sampled)


def _children_files_work() -> bool:
    return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()


CHILDREN_FILES = _children_files_work()


def _children_of(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            found.extend(int(child) for child in Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
        except OSError:  # the thread or the process has just ended
            continue
    return found


def _parent_map() -> dict[int, list[int]]:
    """Children of every process, from the parent pid in /proc/*/stat (for kernels without
    /proc/<pid>/task/<tid>/children)."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        parents.setdefault(parent, []).append(int(name))
    return parents


def process_tree(root: int) -> list[int]:
    """The process and all its descendants alive now."""
    if CHILDREN_FILES:
        children = _children_of
    else:
        parents = _parent_map()

        def children(pid: int) -> list[int]:
            return parents.get(pid, [])

    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children(pid))
    return tree


def memory_kb(pid: int) -> int:
    """Pss of a process in kB (VmRSS where smaps_rollup is missing); 0 once it has ended."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


class TreeSampler(threading.Thread):
    """Polls the summed memory of a process tree until stopped; keeps the peak (kB)."""

    def __init__(self, pid: int, skip_root: bool = False) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.skip_root = skip_root  # the launcher: not part of what is measured
        self.peak_kb = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while True:
            tree = process_tree(self.pid)[1 if self.skip_root else 0 :]
            self.peak_kb = max(self.peak_kb, sum(memory_kb(pid) for pid in tree))
            if self.stopped.wait(SAMPLE_SECONDS):
                return


# Starts the measured command and reports its own resource use. The kernel carries a process's
# peak RSS over exec, so a command started straight from this script would report at least this
# script's own peak; started from this small process instead, it reports its own.
LAUNCHER = textwrap.dedent(
    """
    import os, sys
    pid = os.fork()
    if pid == 0:
        os.execvp(sys.argv[2], sys.argv[2:])
    _, status, usage = os.wait4(pid, 0)
    with open(sys.argv[1], "w") as out:
        out.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)
    """
)


def run(cmd: list[str], env: dict | None = None) -> Run:
    """Run a command to its end and measure it (see the module docstring)."""
    with tempfile.NamedTemporaryFile(suffix=".usage") as usage_file:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, usage_file.name, *cmd], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        sampler = TreeSampler(process.pid, skip_root=True)
        sampler.start()
        # stderr goes to a pipe: drain it while waiting, or a chatty child blocks on a full pipe.
        stderr_chunks: list[bytes] = []
        drain = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True)
        drain.start()
        process.wait()
        elapsed = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        drain.join()
        if process.returncode not in (0, 3):
            stderr = b"".join(stderr_chunks).decode(errors="replace")
            raise SystemExit(f"{' '.join(cmd)} failed ({process.returncode}): {stderr[-2000:]}")
        maxrss_kb, cpu = Path(usage_file.name).read_text().split()
    return Run(elapsed, float(cpu), int(maxrss_kb) / 1024, sampler.peak_kb / 1024)


def entry_point() -> list[str]:
    """The installed `bouncectl` script itself (a version manager's shim on PATH would add its own start-up)."""
    beside = Path(sys.executable).parent / "bouncectl"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("bouncectl")
    return [found] if found else [sys.executable, "-m", "bouncectl"]


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def store_dump(database: Path) -> dict[str, list[tuple]]:
    """Events, contacts and emails of a store, without what differs from one run to the next."""
    conn = sqlite3.connect(database)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(events)") if r[1] != "import_id"]
        return {
            "events": conn.execute(f"SELECT {', '.join(columns)} FROM events ORDER BY id").fetchall(),
            "contacts": conn.execute("SELECT * FROM contacts ORDER BY email").fetchall(),
            "emails": conn.execute("SELECT * FROM emails ORDER BY email_id").fetchall(),
            "rejects": conn.execute("SELECT file, line, error, raw FROM rejects ORDER BY line").fetchall(),
        }
    finally:
        conn.close()


def bench(rows: int, workdir: Path, order: str, baselines: bool = True, by_rows: bool = False,
          other: bool = False, sqlite_utils_too: bool = True) -> dict:
    """The runs of one log. ``by_rows``: also the import event by event (BOUNCECTL_IMPORT_COLUMNS=0),
    and whether it gives the same store; ``other``: also both into a store holding as many other events."""
    tag = f"{rows}-{order}"
    log = workdir / f"log-{tag}.csv"
    # Always anew (a log left by an older generator would mislead), and in a process of its own, so
    # that this script stays small.
    subprocess.run([sys.executable, sendlog.__file__, str(rows), str(log), "--order", order], check=True)
    figures: dict = {"rows": rows, "order": order, "file_mb": log.stat().st_size / 1e6}
    databases = {name: workdir / f"{name}-{tag}.db" for name in ("a", "b", "store", "rows", "a-other", "other")}
    for database in databases.values():
        remove_database(database)
    if baselines:
        figures["sqlite3"] = run([sys.executable, "-c", BASELINE_SQLITE, str(log), str(databases["a"])])
        sqlite_utils = shutil.which("sqlite-utils") if sqlite_utils_too else None
        if sqlite_utils:
            figures["sqlite-utils"] = run([sqlite_utils, "insert", str(databases["b"]), "events", str(log), "--csv"])
    env = {**os.environ, "BOUNCECTL_DB": str(databases["store"])}
    figures["import"] = run([*entry_point(), "import", str(log)], env)
    copy = workdir / f"log-{tag}-again.csv"
    shutil.copyfile(log, copy)
    with copy.open("a") as handle:  # a different checksum: every row goes through de-duplication
        handle.write("\n")
    figures["reimport"] = run([*entry_point(), "import", str(copy)], env)
    figures["store_mb"] = sum(p.stat().st_size for p in workdir.glob(f"store-{tag}.db*")) / 1e6
    if by_rows:
        env_rows = {**os.environ, "BOUNCECTL_DB": str(databases["rows"]), "BOUNCECTL_IMPORT_COLUMNS": "0"}
        figures["import-rows"] = run([*entry_point(), "import", str(log)], env_rows)
        figures["reimport-rows"] = run([*entry_point(), "import", str(copy)], env_rows)
        figures["identical"] = store_dump(databases["store"]) == store_dump(databases["rows"])
    if other:
        # Another log of the same size (other addresses: other contacts, other events), stored first.
        earlier = workdir / f"log-{tag}-other.csv"
        subprocess.run([sys.executable, sendlog.__file__, str(rows), str(earlier), "--order", order, "--seed", "2"],
                       check=True)
        subprocess.run([sys.executable, "-c", BASELINE_SQLITE, str(earlier), str(databases["a-other"])], check=True)
        figures["sqlite3-other"] = run([sys.executable, "-c", BASELINE_SQLITE, str(log), str(databases["a-other"])])
        env_other = {**os.environ, "BOUNCECTL_DB": str(databases["other"])}
        subprocess.run([*entry_point(), "import", str(earlier)], env=env_other, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        figures["import-other"] = run([*entry_point(), "import", str(log)], env_other)
    return figures


def import_counts(database: Path) -> list[tuple]:
    """(format, rows read, events stored, duplicates, rejected) of each import into a store, in order."""
    conn = sqlite3.connect(database)
    try:
        return conn.execute(
            "SELECT format, rows_read, events_stored, duplicates, rejected FROM imports ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def bench_format(rows: int, workdir: Path, order: str, fmt: str) -> dict:
    """The events of the CSV log of `bench` in a provider's format: import, then re-import of a copy."""
    tag = f"{rows}-{order}"
    log = workdir / f"log-{tag}-{fmt}.{providerlogs.EXTENSIONS[fmt]}"
    made = subprocess.run([sys.executable, providerlogs.__file__, fmt, str(rows), str(log), "--order", order,
                           "--summary"], check=True, stdout=subprocess.PIPE, text=True)
    figures: dict = {"format": fmt, "file_mb": log.stat().st_size / 1e6, **json.loads(made.stdout)}
    database = workdir / f"store-{fmt}-{tag}.db"
    remove_database(database)
    env = {**os.environ, "BOUNCECTL_DB": str(database)}
    figures["import"] = run([*entry_point(), "import", str(log)], env)
    copy = log.with_name(f"{log.stem}-again{log.suffix}")
    shutil.copyfile(log, copy)
    with copy.open("a") as handle:  # a different checksum: every record goes through de-duplication
        handle.write("\n")
    # A classic syslog time has no year: the importer reads it from the file's modification time.
    os.utime(copy, ns=(log.stat().st_atime_ns, log.stat().st_mtime_ns))
    figures["reimport"] = run([*entry_point(), "import", str(copy)], env)
    figures["counts"] = import_counts(database)
    return figures


def legend() -> None:
    print("peak RSS (largest process): ru_maxrss of the largest single process, from the kernel")
    print(f"peak PSS (whole tree): summed Pss of the process and its descendants, sampled every "
          f"{SAMPLE_SECONDS * 1000:.0f} ms")


def report(f: dict) -> None:
    rows = f["rows"]
    print(f"\n{rows:,} rows, {f['file_mb']:.0f} MB CSV, {ORDER_NAMES[f['order']]}")
    print(f"  {'':<23} {'wall':>9}  {'cpu':>9}  {'peak RSS':>17}  {'peak PSS':>12}")
    print(f"  {'':<23} {'':>9}  {'':>9}  {'(largest process)':>17}  {'(whole tree)':>12}")
    imp = f["import"]
    for key, label in PROGRAMS:
        if key in f:
            r = f[key]
            per_row = f"   {r.wall / rows * 1e6:.1f} µs/row wall, {r.cpu / rows * 1e6:.1f} µs/row cpu"
            note = {"import": per_row, "sqlite3": per_row, "reimport": "   (all duplicates)"}
            print(f"  {label:<23} {r.wall:7.2f} s  {r.cpu:7.2f} s  {r.rss:14.0f} MB  {r.pss:9.0f} MB"
                  f"{note.get(key, '')}")
    for name, target in (("sqlite3", "1.0"), ("sqlite-utils", "1.5")):
        if name in f:
            print(f"  import / {name}: {imp.wall / f[name].wall:.2f}x wall, {imp.cpu / f[name].cpu:.2f}x cpu"
                  f" (target <= {target}x)")
    again = f["reimport"]
    print(f"  re-import / import: {again.wall / imp.wall:.2f}x wall, {again.cpu / imp.cpu:.2f}x cpu (target <= 0.4x)")
    if "import-rows" in f:
        old = f["import-rows"]
        print(f"  import / import event by event: {imp.wall / old.wall:.2f}x wall, {imp.cpu / old.cpu:.2f}x cpu; "
              f"event by event / sqlite3: {old.wall / f['sqlite3'].wall:.2f}x wall, {old.cpu / f['sqlite3'].cpu:.2f}x cpu"
              if "sqlite3" in f else "")
        print(f"  same events, contacts, emails and rejects both ways: {'yes' if f['identical'] else 'NO'}")
    if "import-other" in f:
        more, base = f["import-other"], f["sqlite3-other"]
        print(f"  into a store of {rows:,} other events / sqlite3 the same: {more.wall / base.wall:.2f}x wall, "
              f"{more.cpu / base.cpu:.2f}x cpu (target <= 1.5x); / import into an empty store: "
              f"{more.wall / imp.wall:.2f}x wall")
    print(f"  store on disk: {f['store_mb']:.0f} MB, {f['store_mb'] / rows * 1e6:.0f} MB per million events")


def report_formats(csv_figures: dict, csv_counts: list[tuple], by_format: list[dict]) -> None:
    """One line per import and re-import of each format, against the canonical CSV's."""
    print("\n  same events by format (x csv: against the CSV's import, resp. re-import, above; "
          "µs/event: per event of the file)")
    print(f"  {'':<19} {'file':>7}  {'events':>12}  {'wall':>8}  {'cpu':>8}  {'µs/event':>8}  {'peak RSS':>8}  "
          f"{'peak PSS':>8}  {'x csv wall':>10}  {'x csv cpu':>9}  {'cpu/event':>9}")
    csv_line = {"format": "csv", "file_mb": csv_figures["file_mb"], "import": csv_figures["import"],
                "reimport": csv_figures["reimport"], "counts": csv_counts, "events": csv_figures["rows"]}
    for f in [csv_line, *by_format]:
        notes = []
        counts = f["counts"]
        for index, (key, step) in enumerate((("import", "import"), ("reimport", "re-import"))):
            r, ref = f[key], csv_figures[key]
            count = counts[index] if index < len(counts) else None
            if count is None:
                events = "?"
            elif key == "import":
                events = f"{count[2]:,}"
                if count[2] != f["events"]:
                    notes.append(f"expected {f['events']:,} events")
            else:
                events = f"{count[3]:,} dup"
                if count[2]:
                    notes.append(f"re-import stored {count[2]:,}")
            if count is not None and count[0] != f["format"]:
                notes.append(f"{step}: read as {count[0]}")
            if count is not None and count[4]:
                notes.append(f"{step}: {count[4]:,} rejected")
            per_event = r.wall / f["events"] * 1e6 if f["events"] else 0.0
            size = f"{f['file_mb']:{'5.1f' if f['file_mb'] < 10 else '5.0f'}} MB" if key == "import" else ""
            label = f["format"] if key == "import" else ""
            # CPU per event against the CSV's CPU per event (a format that leaves out some events holds fewer).
            cpu_per_event = (r.cpu / f["events"]) / (ref.cpu / csv_figures["rows"]) if f["events"] else 0.0
            print(f"  {label:<9}{step:<10} {size:>7}  {events:>12}  {r.wall:6.2f} s  {r.cpu:6.2f} s  {per_event:8.1f}  "
                  f"{r.rss:5.0f} MB  {r.pss:5.0f} MB  {r.wall / ref.wall:9.2f}x  {r.cpu / ref.cpu:8.2f}x  "
                  f"{cpu_per_event:8.2f}x")
        if f.get("left_out"):
            notes.append(f"{f['events']:,} of the {f['rows']:,} events: no {' or '.join(f['left_out'])} events in "
                         "this format" + ("; a bounce on a 4xx reply is a deferral" if f["format"] == "postfix" else ""))
        for note in notes:
            print(f"  {'':<9}  note: {note}")


def compare(by_order: dict[str, dict]) -> None:
    """How much list order costs each program, against sorted order."""
    unsorted, ordered = by_order["list"], by_order["sorted"]
    print(f"\n{unsorted['rows']:,} rows, list order / sorted order:")
    for key, label in PROGRAMS:
        if key in unsorted and key in ordered:
            a, b = unsorted[key], ordered[key]
            print(f"  {label:<23} {a.wall / b.wall:5.2f}x wall  {a.cpu / b.cpu:5.2f}x cpu")


def formats_list(text: str) -> list[str]:
    """csv,ses,... or all: the formats to measure, in the order given."""
    known = ["csv", *providerlogs.FORMATS]
    names = known if text.strip() == "all" else [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown format(s) {', '.join(unknown) or '(none)'}; "
                                         f"known: {', '.join(known)} or all")
    return list(dict.fromkeys(names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--order", choices=["list", "sorted", "both"], default="both",
                        help="address order of the generated log (default: both, one after the other)")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--no-sqlite-utils", action="store_true", help="leave out the sqlite-utils baseline (slow)")
    parser.add_argument("--by-rows", action="store_true",
                        help="also import event by event (the path of the other formats), and compare the stores")
    parser.add_argument("--other", action="store_true",
                        help="also import into a store (and a baseline table) holding as many other events")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--formats", type=formats_list, default=["csv"],
                        help="csv (default), and/or provider formats, comma-separated, or all: "
                             f"{','.join(providerlogs.FORMATS)} (the CSV is always measured, as the reference)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bouncectl-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    orders = ["list", "sorted"] if args.order == "both" else [args.order]
    providers = [fmt for fmt in args.formats if fmt != "csv"]
    legend()
    for rows in args.rows:
        by_order = {}
        for order in orders:
            by_order[order] = bench(rows, workdir, order, baselines=not args.no_baselines, by_rows=args.by_rows,
                                    other=args.other, sqlite_utils_too=not args.no_sqlite_utils)
            report(by_order[order])
            if providers:
                csv_counts = import_counts(workdir / f"store-{rows}-{order}.db")
                report_formats(by_order[order], csv_counts, [bench_format(rows, workdir, order, fmt)
                                                             for fmt in providers])
        if len(by_order) == 2:
            compare(by_order)
    if args.workdir is None:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
