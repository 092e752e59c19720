"""Time the start-up of the short bouncectl commands, with the sqlite-utils CLI and bare Python beside them.

    python benchmarks/startup_bench.py [--runs 15] [--store PATH] [--email-id ID] [--fresh-venv [--baseline DIR]]

Each command runs --runs times (after one warm-up run) as a child process, stdout and stderr to
/dev/null, all in one run and in turns (each round runs every command once), so that the ratios
compare like with like on a shared machine whose load comes and goes:

    python -c pass                      the floor: the interpreter alone
    python -c "import click"            Click (Typer 0.28 carries its own copy of it)
    python -c "import typer"            the floor of any command of one Typer app
    sqlite-utils tables STORE           another SQLite command line, for comparison
    bouncectl --version                 target: at most 60 ms median wall (the installed script
                                        answers it before Typer is loaded: bouncectl/entry.py)
    bouncectl quota                     target: at most 120 ms
    bouncectl bounced --email-id ID --format json    target: at most 120 ms

Without --store, a small store is built from examples/send-log.csv in a temporary folder.
The commands are those of this interpreter's environment; with --fresh-venv, of a new virtual
environment in the temporary folder, where the project is installed as the README installs it
(`pip install .`, about half a minute). An editable install (`pip install -e .`, as for the tests)
adds a finder to every start of Python, ``python -c pass`` included (15 to 20 ms measured here),
which an installation does not pay; so can other `.pth` files of the environment's site-packages.
The floor of ``python -c pass`` printed first shows what the environment itself costs.
With --baseline DIR (and --fresh-venv), another checkout of the project (``git worktree add
/tmp/main main``) is installed the same way into a second new environment, and its three
bouncectl commands are timed in the same rounds, on a store of their own built by it; the
ratios of this checkout's medians to the baseline's are printed under the table.
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


def tool(name: str, python: str = sys.executable) -> str:
    """The installed command ``name``, next to the interpreter ``python`` (the venv's bin) or on PATH."""
    beside = Path(python).with_name(name)
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


def build_store(folder: Path, bouncectl: str, name: str = "small.db") -> Path:
    store = folder / name
    log = ROOT / "examples" / "send-log.csv"
    subprocess.run([bouncectl, "--db", str(store), "import", str(log)], stderr=subprocess.DEVNULL, check=True)
    return store


def fresh_venv(folder: Path, project: Path = ROOT, name: str = "venv") -> str:
    """The interpreter of a new virtual environment ``folder/name`` holding ``project``, installed the README's way."""
    venv = folder / name
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(project)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return python


def bouncectl_commands(python: str, store: Path, email_id: str, label: str = "") -> list[tuple]:
    """The three timed bouncectl commands of the environment of ``python``: (name, argv, target)."""
    bouncectl = tool("bouncectl", python)
    return [
        (f"bouncectl --version{label}", [bouncectl, "--version"], "--version"),
        (f"bouncectl quota{label}", [bouncectl, "--db", str(store), "quota"], "quota"),
        (f"bouncectl bounced --format json{label}",
         [bouncectl, "--db", str(store), "bounced", "--email-id", email_id, "--format", "json"], "bounced"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--store", type=Path, help="an existing store (default: one built from examples/send-log.csv)")
    parser.add_argument("--email-id", default="2026-11-newsletter")
    parser.add_argument("--fresh-venv", action="store_true",
                        help="time an installation (pip install .) in a new virtual environment, not this one")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another checkout of the project, installed and timed beside this one (with --fresh-venv)")
    args = parser.parse_args()
    if args.baseline is not None and not args.fresh_venv:
        parser.error("--baseline compares two installations: give --fresh-venv too")
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        if args.fresh_venv:
            python = fresh_venv(Path(folder))
        else:
            python = sys.executable
            compile_bytecode()
        store = args.store or build_store(Path(folder), tool("bouncectl", python))
        commands = [
            ("python -c pass", [python, "-c", "pass"], None),
            ('python -c "import click"', [python, "-c", "import click"], None),
            ('python -c "import typer"', [python, "-c", "import typer"], None),
            ("sqlite-utils tables", [tool("sqlite-utils", python), "tables", str(store)], None),
            *bouncectl_commands(python, store, args.email_id),
        ]
        if args.baseline is not None:
            base_python = fresh_venv(Path(folder), args.baseline.resolve(), "venv-baseline")
            base_store = build_store(Path(folder), tool("bouncectl", base_python), "small-baseline.db")
            commands += [(name, argv, None) for name, argv, _ in
                         bouncectl_commands(base_python, base_store, args.email_id, " (baseline)")]
        timed = time_commands([argv for _, argv, _ in commands], args.runs)
        results = [(name, walls, cpus, target) for (name, _, target), (walls, cpus) in zip(commands, timed)]
    floor = statistics.median(results[0][1])
    floor_cpu = statistics.median(results[0][2])
    where = "a new venv, pip install ." if args.fresh_venv else f"this environment ({sys.prefix})"
    print(f"{args.runs} runs each, in rounds, after one warm-up; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; "
          f"commands of {where}")
    width = max(34, *(len(name) for name, *_ in results))
    print(f"{'command':{width}} {'wall median':>11} {'wall range':>15} {'CPU median':>10} {'x python':>8} "
          f"{'CPU x python':>12}  target")
    for name, walls, cpus, target in results:
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        verdict = ""
        if target is not None:
            limit = TARGETS_MS[target]
            verdict = f"{limit:.0f} ms {'met' if wall * 1000 <= limit else 'NOT met'}"
        print(
            f"{name:{width}} {wall * 1000:9.0f}ms {min(walls) * 1000:6.0f}-{max(walls) * 1000:4.0f} ms "
            f"{cpu * 1000:8.0f}ms {wall / floor:7.1f}x {cpu / floor_cpu:11.1f}x  {verdict}"
        )
    if args.baseline is not None:
        medians = {name: (statistics.median(walls), statistics.median(cpus)) for name, walls, cpus, _ in results}
        print(f"this checkout against the baseline ({args.baseline}), medians:")
        for name, _, _, target in results:
            if target is not None:
                (wall, cpu), (base_wall, base_cpu) = medians[name], medians[f"{name} (baseline)"]
                print(f"  {name:34} wall {wall / base_wall:5.2f}x  CPU {cpu / base_cpu:5.2f}x")

if __name__ == "__main__":
    main()
