"""Time the reading commands of bouncectl on a store of millions of events.

    python benchmarks/query_bench.py [--rows 5000000] [--contacts 1000000] [--recipients 50000]
                                     [--order list|sorted] [--workdir DIR]
    python benchmarks/query_bench.py --store PATH [--email-id campaign-small] [--reason REASON]
    common options: [--runs 5] [--format table|csv|json]

The store: with --store PATH naming an existing store, that store is used as it is (it is
opened, so a store of an older version is migrated: measure a copy). Otherwise one is built,
at PATH or in the work folder: a send log of --rows events over --contacts contacts
(sendlog.py, in a process of its own), and a log of one more email, --email-id, sent to the
first --recipients contacts of the list (new addresses past the end of a shorter list), both
imported by `bouncectl import` into one store. The build time, the store's size, its events
and contacts, and the recipients and bounced recipients of --email-id are printed.

Each reading command is then timed two ways, --runs times (5) after one warm-up run:
  in store: the core call the command makes, in this process, on a store opened once:
      bounced            Store.bounced(email_id), every row read
      contacts           Store.contacts(hard_bounce_reason=REASON), every row read
      quota              Store.quota()
      export             export.export(store, file, "csv", email_id) into an output_file(), as the command does
  whole command: `bouncectl --db STORE ...` as a child process of the installed entry point,
      stdout to /dev/null (export: to a file): start-up, opening the store, the query and
      the rendering of the default table (of --format csv|json when given).
REASON is the most common hard-bounce reason among the store's contacts unless --reason names
one. The table gives the medians of wall and CPU time (CPU: this process's, resp. the child's
user + system time, the steadier figure on a shared machine), the range of the wall times,
each command's target, and whether the median meets it. Start-up alone (`bouncectl --version`)
and the opening of the store (Store(path), close) are timed the same way and printed with it.
The two export files are compared: both ways must write the same bytes.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sendlog
from import_bench import entry_point, remove_database

from bouncectl.output import output_file
from bouncectl.store import Store
from bouncectl.usecases.exporting import export as export_rows

DEFAULT_EMAIL_ID = "campaign-small"

# Writes the log of the one extra email: argv = sendlog folder, out, contacts, recipients, email id,
# order, first day (days after sendlog.START). Run in a process of its own, like sendlog.py: the
# address list of a million contacts is large.
SMALL_LOG = textwrap.dedent(
    """
    import csv, random, sys
    sys.path.insert(0, sys.argv[1])
    import sendlog
    out, contacts, recipients = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    email_id, order, day = sys.argv[5], sys.argv[6], int(sys.argv[7])
    listed = sendlog.list_addresses(contacts) if order == "list" else sendlog.sorted_addresses(contacts)
    chosen = listed[:recipients]
    chosen += [f"newcomer{i:07d}@{sendlog.DOMAINS[i % len(sendlog.DOMAINS)]}" for i in range(recipients - len(chosen))]
    del listed
    sent_at = int(sendlog.START.timestamp()) + day * 86400
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\\n")
        writer.writerow(["email_id", "recipient", "event", "timestamp", "smtp_code", "enhanced_status", "diagnostic"])
        writer.writerows(sendlog.email_rows(email_id, sent_at, chosen, random.Random(email_id)))
    """
)


class Timing(NamedTuple):
    walls: list[float]  # ms, one per measured run
    cpus: list[float]  # ms
    rows: int | None

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


class Read(NamedTuple):
    name: str
    label: str  # the command, as shown
    args: list[str]  # after `bouncectl --db STORE`
    core: Callable[[Store], int | None]  # the command's core call; returns the rows read or written
    target_ms: float


def store_mb(path: Path) -> float:
    return sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists()) / 1e6


def build(store: Path, workdir: Path, rows: int, contacts: int, recipients: int, email_id: str, order: str) -> None:
    """Generate both logs and import them into a new store; print how long each step took."""
    big = workdir / f"log-{rows}-{contacts}-{order}.csv"
    small = workdir / f"log-{email_id}-{recipients}-{order}.csv"
    started = time.perf_counter()
    subprocess.run([sys.executable, sendlog.__file__, str(rows), str(big), "--contacts", str(contacts),
                    "--order", order], check=True)
    # Sent after every email of the big log (each email has at least 2 events per contact, 3 days apart).
    day = 3 * (rows // (2 * contacts) + 2)
    subprocess.run([sys.executable, "-c", SMALL_LOG, str(Path(sendlog.__file__).parent), str(small), str(contacts),
                    str(recipients), email_id, order, str(day)], check=True)
    generated = time.perf_counter()
    remove_database(store)
    # A wide console for the import's summary lines, which are printed again below.
    done = subprocess.run([*entry_point(), "--db", str(store), "import", str(big), str(small)],
                          env={**os.environ, "COLUMNS": "200"}, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    imported = time.perf_counter()
    if done.returncode not in (0, 3):  # 3: some rows were rejected, the rest imported
        raise SystemExit(f"bouncectl import failed ({done.returncode}):\n{done.stderr[-2000:]}")
    for line in done.stderr.splitlines():
        print(f"  {line}")
    print(f"built in {imported - started:.1f} s: logs generated in {generated - started:.1f} s "
          f"({big.stat().st_size / 1e6:.0f} MB + {small.stat().st_size / 1e6:.1f} MB), "
          f"imported in {imported - generated:.1f} s")
    big.unlink()
    small.unlink()


def scalar(conn: sqlite3.Connection, sql: str, *params: str) -> object:
    """The first column of the first row, or None when there is no row."""
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def facts(store: Path, email_id: str) -> dict:
    """What the store holds, read with plain sqlite3."""
    conn = sqlite3.connect(store)
    try:
        return {
            "events": scalar(conn, "SELECT count(*) FROM events"),
            "contacts": scalar(conn, "SELECT count(*) FROM contacts"),
            "emails": scalar(conn, "SELECT count(*) FROM emails"),
            "email_known": scalar(conn, "SELECT 1 FROM emails WHERE email_id = ?", email_id) is not None,
            "recipients": scalar(conn, "SELECT count(DISTINCT recipient) FROM events WHERE email_id = ?", email_id),
            "bounced": scalar(conn, "SELECT count(DISTINCT recipient) FROM events "
                                    "WHERE email_id = ? AND event = 'bounce'", email_id),
            "reasons": conn.execute(
                "SELECT hard_bounce_reason, count(*) FROM contacts WHERE hard_bounce_reason IS NOT NULL "
                "GROUP BY hard_bounce_reason ORDER BY count(*) DESC, hard_bounce_reason"
            ).fetchall(),
        }
    finally:
        conn.close()


def time_in_store(store: Store, core: Callable[[Store], int | None], runs: int) -> Timing:
    core(store)  # warm-up: page cache, lazy imports (pandas for an export)
    walls, cpus, count = [], [], None
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        count = core(store)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return Timing(walls, cpus, count)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(args: list[str], runs: int) -> Timing:
    """The whole command as a child process: stdout to /dev/null, stderr kept for an error message."""
    walls, cpus = [], []
    for index in range(runs + 1):  # the first run is a warm-up
        cpu, wall = children_cpu(), time.perf_counter()
        done = subprocess.run(args, check=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - wall) * 1000
        used = (children_cpu() - cpu) * 1000
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
        if index:
            walls.append(elapsed)
            cpus.append(used)
    return Timing(walls, cpus, None)


def reads(email_id: str, reason: str, export_in_store: Path, export_command: Path, fmt: str | None) -> list[Read]:
    """The measured commands; ``fmt``: the --format of the listing commands (none: their default, a table)."""
    listing = ["--format", fmt] if fmt else []
    shown = f" --format {fmt}" if fmt else ""

    def bounced(store: Store) -> int:
        return sum(1 for _ in store.bounced(email_id))

    def contacts(store: Store) -> int:
        return sum(1 for _ in store.contacts(status="all", hard_bounce_reason=reason, domain=None))

    def quota(store: Store) -> None:
        store.quota()

    def export(store: Store) -> int:
        with output_file(str(export_in_store)) as handle:
            return export_rows(store, handle, "csv", email_id)

    return [
        Read("bounced", f"bounced --email-id {email_id}{shown}", ["bounced", "--email-id", email_id, *listing],
             bounced, 100),
        Read("contacts", f"contacts --hard-bounce-reason {reason}{shown}",
             ["contacts", "--hard-bounce-reason", reason, *listing], contacts, 100),
        Read("quota", f"quota{shown}", ["quota", *listing], quota, 100),
        Read("export", f"export --csv FILE --email-id {email_id}",
             ["export", "--csv", str(export_command), "--email-id", email_id], export, 2000),
    ]


def open_and_close(path: Path) -> Callable[[Store], None]:
    def core(_: Store) -> None:
        Store(path).close()

    return core


def ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def span(timing: Timing) -> str:
    return f"{ms(min(timing.walls))}-{ms(max(timing.walls))}"


def report(measured: list[tuple[Read, Timing, Timing]], startup: Timing, opening: Timing, runs: int) -> None:
    w = max(46, *(len(read.label) for read, _, _ in measured))
    print(f"\nmedians of {runs} runs after one warm-up, in ms; range: fastest-slowest wall time")
    print("in store: the command's core call in this process; whole command: `bouncectl` as a child process")
    print(f"  {'command':<{w}} {'rows':>7}  {'in store':^28}  {'whole command':^29}  {'target':>8}  "
          f"{'meets target':>13}")
    print(f"  {'':<{w}} {'':>7}  {'wall':>7} {'cpu':>7} {'range':>12}  {'wall':>7} {'cpu':>7} {'range':>13}  "
          f"{'':>8}  {'store':>6} {'cmd':>6}")
    for read, inside, whole in measured:
        rows = "" if inside.rows is None else f"{inside.rows:,}"
        meets = ["yes" if t.wall < read.target_ms else "NO" for t in (inside, whole)]
        print(f"  {read.label:<{w}} {rows:>7}  {ms(inside.wall):>7} {ms(inside.cpu):>7} {span(inside):>12}  "
              f"{ms(whole.wall):>7} {ms(whole.cpu):>7} {span(whole):>13}  {ms(read.target_ms) + ' ms':>8}  "
              f"{meets[0]:>6} {meets[1]:>6}")
    print(f"  {'start-up alone: bouncectl --version':<{w}} {'':>7}  {'':>7} {'':>7} {'':>12}  "
          f"{ms(startup.wall):>7} {ms(startup.cpu):>7} {span(startup):>13}")
    print(f"  {'opening the store: Store(path), close':<{w}} {'':>7}  {ms(opening.wall):>7} {ms(opening.cpu):>7} "
          f"{span(opening):>12}")
    print("\nstart-up's share of each whole command (median start-up / median command):")
    for read, _, whole in measured:
        print(f"  {read.name:<9} {startup.wall / whole.wall:5.0%}   "
              f"(the command less start-up: {ms(whole.wall - startup.wall)} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000, help="events of the generated send log (5,000,000)")
    parser.add_argument("--contacts", type=int, default=1_000_000, help="contacts of the generated log (1,000,000)")
    parser.add_argument("--recipients", type=int, default=50_000, help="recipients of --email-id (50,000)")
    parser.add_argument("--order", choices=sendlog.ORDERS, default="list", help="address order (see sendlog.py)")
    parser.add_argument("--store", type=Path, default=None,
                        help="a store to use as it is; built there when it does not exist")
    parser.add_argument("--email-id", default=DEFAULT_EMAIL_ID,
                        help=f"the email of --recipients recipients to read ({DEFAULT_EMAIL_ID})")
    parser.add_argument("--reason", default=None,
                        help="the hard-bounce reason for contacts (default: the most common in the store)")
    parser.add_argument("--format", choices=["table", "csv", "json"], default=None,
                        help="--format given to the listing commands run whole (default: none, i.e. their table)")
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each read, after one warm-up (5)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="for the logs, a built store and the exports (default: a temporary folder, removed)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bouncectl-query-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        run(args, workdir)
    finally:
        for name in ("export-in-store.csv", "export-command.csv"):
            (workdir / name).unlink(missing_ok=True)
        if args.workdir is None:
            shutil.rmtree(workdir)


def run(args: argparse.Namespace, workdir: Path) -> None:
    command = entry_point()
    print(f"entry point: {' '.join(command)}")
    store_path = args.store or workdir / f"store-{args.rows}-{args.contacts}.db"
    if args.store is not None and args.store.exists():
        print(f"store: {store_path} (used as it is)")
    else:
        print(f"store: {store_path} (built: {args.rows:,} events over {args.contacts:,} contacts, and "
              f"{args.email_id} to {args.recipients:,} recipients, {args.order} order)")
        build(store_path, workdir, args.rows, args.contacts, args.recipients, args.email_id, args.order)
        if args.workdir is None and args.store is None:
            print("  (in a temporary folder, removed at the end: keep it with --workdir DIR, reuse it with --store)")
    with Store(store_path):  # migrates a store of an older version once, before anything is timed
        pass
    found = facts(store_path, args.email_id)
    print(f"store: {store_mb(store_path):,.0f} MB, {found['events']:,} events, {found['contacts']:,} contacts, "
          f"{found['emails']:,} emails")
    if not found["email_known"]:
        raise SystemExit(f"no email {args.email_id!r} in the store: name one with --email-id")
    print(f"{args.email_id}: {found['recipients']:,} recipients, {found['bounced']:,} bounced")
    if args.reason is None and not found["reasons"]:
        raise SystemExit("no contact has a hard-bounce reason: name one with --reason")
    reason = args.reason or found["reasons"][0][0]
    shown = ", ".join(f"{name} {count:,}" for name, count in found["reasons"])
    print(f"hard-bounce reasons of contacts: {shown}; contacts reads {reason!r}")

    export_in_store, export_command = workdir / "export-in-store.csv", workdir / "export-command.csv"
    measured_reads = reads(args.email_id, reason, export_in_store, export_command, args.format)
    inside: dict[str, Timing] = {}
    store = Store(store_path)
    try:
        opening = time_in_store(store, open_and_close(store_path), args.runs)
        for read in measured_reads:
            inside[read.name] = time_in_store(store, read.core, args.runs)
    finally:
        store.close()
    base = [*command, "--db", str(store_path)]
    startup = time_command([*command, "--version"], args.runs)
    measured = [(read, inside[read.name], time_command([*base, *read.args], args.runs)) for read in measured_reads]
    report(measured, startup, opening, args.runs)
    if export_in_store.read_bytes() == export_command.read_bytes():
        print(f"\nboth exports wrote the same {export_command.stat().st_size / 1e6:.1f} MB")
    else:
        print("\nNOTE: the export of the command and the one made in store differ")


if __name__ == "__main__":
    main()
