"""Time the start-up of the short bouncectl commands, with the sqlite-utils CLI and bare Python beside them.

    python benchmarks/startup_bench.py [--runs 15] [--store PATH] [--email-id ID]

Each command runs --runs times (after one warm-up run) as a child process, stdout and stderr to
/dev/null, all in one run and in turns (each round runs every command once), so that the ratios
compare like with like on a shared machine whose load comes and goes:

    python -c pass                      the floor: the interpreter alone
    python -c "import click"            Click (Typer 0.28 carries its own copy of it)
    python -c "import typer"            the floor of any command of one Typer app
    sqlite-utils tables STORE           another SQLite command line, for comparison
    bouncectl --version                 target: at most 60 ms median wall
    bouncectl quota                     target: at most 120 ms
    bouncectl bounced --email-id ID --format json    target: at most 120 ms

Without --store, a small store is built from examples/send-log.csv in a temporary folder.
The package's bytecode is compiled first, as an installation does: with PYTHONDONTWRITEBYTECODE
set (and no cached bytecode), every run would compile bouncectl's sources again, tens of ms.
Printed: the median and range of the wall times, the median CPU time (the child's user + system
time, the steadier figure when other work shares the CPUs), the ratios of each median wall and
median CPU time to those of `python -c pass`, and whether the target is met. The targets are
for this benchmark; no test asserts a time.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TARGETS_MS = {"--version": 60.0, "quota": 120.0, "bounced": 120.0}


def tool(name: str) -> str:
    """The installed command ``name``, next to this interpreter (the venv's bin) or on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        sys.exit(f"{name}: not installed (pip install -e . in this environment)")
    return found


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``args``."""
    cpu = children_cpu()
    start = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start, children_cpu() - cpu


def time_commands(commands: list[list[str]], runs: int) -> list[tuple[list[float], list[float]]]:
    """Wall and CPU seconds of ``runs`` runs of each command, in rounds, after one warm-up run each."""
    for args in commands:
        run_once(args)
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for i, args in enumerate(commands):
            wall, cpu = run_once(args)
            walls[i].append(wall)
            cpus[i].append(cpu)
    return list(zip(walls, cpus))


def compile_bytecode() -> None:
    """The bytecode of bouncectl's modules, written beside them where it is missing or stale."""
    package = ROOT / "bouncectl"
    if not compileall.compile_dir(package, quiet=1):
        sys.exit(f"{package}: the sources do not compile")


def build_store(folder: Path) -> Path:
    store = folder / "small.db"
    log = ROOT / "examples" / "send-log.csv"
    subprocess.run([tool("bouncectl"), "--db", str(store), "import", str(log)], stderr=subprocess.DEVNULL, check=True)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--store", type=Path, help="an existing store (default: one built from examples/send-log.csv)")
    parser.add_argument("--email-id", default="2026-11-newsletter")
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        store = args.store or build_store(Path(folder))
        bouncectl = [tool("bouncectl"), "--db", str(store)]
        commands = [
            ("python -c pass", [sys.executable, "-c", "pass"], None),
            ('python -c "import click"', [sys.executable, "-c", "import click"], None),
            ('python -c "import typer"', [sys.executable, "-c", "import typer"], None),
            ("sqlite-utils tables", [tool("sqlite-utils"), "tables", str(store)], None),
            ("bouncectl --version", [tool("bouncectl"), "--version"], "--version"),
            ("bouncectl quota", [*bouncectl, "quota"], "quota"),
            ("bouncectl bounced --format json", [*bouncectl, "bounced", "--email-id", args.email_id, "--format", "json"],
             "bounced"),
        ]
        timed = time_commands([argv for _, argv, _ in commands], args.runs)
        results = [(name, walls, cpus, target) for (name, _, target), (walls, cpus) in zip(commands, timed)]
    floor = statistics.median(results[0][1])
    floor_cpu = statistics.median(results[0][2])
    print(f"{args.runs} runs each, in rounds, after one warm-up; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print(f"{'command':34} {'wall median':>11} {'wall range':>15} {'CPU median':>10} {'x python':>8} "
          f"{'CPU x python':>12}  target")
    for name, walls, cpus, target in results:
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = ""
        if target is not None:
            limit = TARGETS_MS[target]
            verdict = f"{limit:.0f} ms {'met' if wall * 1000 <= limit else 'NOT met'}"
        print(
            f"{name:34} {wall * 1000:9.0f}ms {min(walls) * 1000:6.0f}-{max(walls) * 1000:4.0f} ms "
            f"{cpu * 1000:8.0f}ms {wall / floor:7.1f}x {cpu / floor_cpu:11.1f}x  {verdict}"
        )

if __name__ == "__main__":
    main()
