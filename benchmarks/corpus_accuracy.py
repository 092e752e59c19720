"""How well bouncectl reads and classifies real bounces: the shared Sisimai corpus.

Runs :func:`bouncectl.usecases.explaining.explain` over ``../shared/corpus/sisimai/eml``
and compares each file's rows, in order, with the expected results in
``manifest.jsonl``:

- reason: the reason matches;
- hard/soft: ``bounce_type == "hard"`` matches the expected hard bounce flag;
- status: the enhanced status matches, where the expected one is a real
  RFC 3463 code (the corpus's ``X.0.9xx`` and ``5.9.xxx`` pseudo-codes are
  not scored);
- recipient: a row with an address exists for the expected result.

The corpus is split once, by a hash of each file's name (:func:`half_of`: the
first byte of the SHA-256 of the name, even or odd), into a tuning half, the
only one to look at when changing the rules, and a measuring half, which
estimates how the rules do on bounces they were not tuned on. Both are reported.

It also checks that no message under ``extra/not/`` gives a bounce, and
times the run: wall-clock time and the CPU time of this process (``time.process_time``), whose
rate is the one to judge on a shared, loaded machine, and the CPU time of the standard library's email
parser alone over the same files (the part of a message's reading that is not bouncectl's). Usage::

    python3 benchmarks/corpus_accuracy.py [CORPUS_DIR] [--by family|kind|half] [--misses [HALF]] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bouncectl.addresses import looks_like_address
from bouncectl.usecases.explaining import explain

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "sisimai"
PSEUDO_STATUS = re.compile(r"^\d\.0\.9\d\d$|^5\.9\.\d+$")
METRICS = ("reason", "hardsoft", "status", "recipient")


HALVES = ("tuning", "measuring")


def half_of(name: str) -> str:
    """The half of the corpus a file belongs to, by the SHA-256 of its name (even first byte: tuning)."""
    return HALVES[hashlib.sha256(name.encode("utf-8")).digest()[0] % 2]


def real_status(status: str | None) -> bool:
    return bool(status) and not PSEUDO_STATUS.match(status)


def load_manifest(corpus: Path) -> dict[str, list[dict]]:
    expected: dict[str, list[dict]] = defaultdict(list)
    with open(corpus / "manifest.jsonl", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                row = json.loads(line)
                expected[row["file"]].append(row)
    for rows in expected.values():
        rows.sort(key=lambda row: row["index"])
    return expected


def measure(corpus: Path = DEFAULT_CORPUS, passes: int = 5) -> dict:
    """Score every expected result; returns totals, per-group totals and the misses."""
    expected = load_manifest(corpus)
    files = sorted((corpus / "eml").glob("*.eml"))
    # The message reader and its decoders are loaded by the first message read (an import of a send log or
    # a provider file never loads them): loaded here and timed apart, so that the first pass times the
    # reading of messages, the start-up of the process aside.
    started_cpu = time.process_time()
    importlib.import_module("bouncectl.sources.messages.reader")
    load_cpu = time.process_time() - started_cpu
    started, started_cpu = time.perf_counter(), time.process_time()
    rows_of: dict[str, list[dict]] = {path.name: list(explain([str(path)])) for path in files}
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    # Passes after the first, once everything is loaded and compiled, with the verdict cache and the reader's
    # caches of texts (addresses, dates) emptied: the rate of a long import, where every bounce text
    # is new.
    # Several such passes: on a shared machine one pass may be slowed by another's work; their median
    # is the figure to judge, the fastest one beside it.
    steady_walls, steady_cpus = [], []
    for _ in range(passes):
        _clear_text_caches()
        started, started_cpu = time.perf_counter(), time.process_time()
        for path in files:
            list(explain([str(path)]))
        steady_walls.append(time.perf_counter() - started)
        steady_cpus.append(time.process_time() - started_cpu)
    steady, steady_cpu = statistics.median(steady_walls), statistics.median(steady_cpus)
    parser_cpu = _parser_cpu(files)
    totals = {metric: [0, 0] for metric in METRICS}
    groups: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: {m: [0, 0] for m in METRICS})
    misses = []
    for name, wanted in sorted(expected.items()):
        got = [row for row in rows_of.get(name, []) if row["recipient"] or row["reason"]]
        for want in wanted:
            row = got[want["index"]] if want["index"] < len(got) else None
            checks = {
                "reason": row is not None and row["reason"] == want["reason"],
                "hardsoft": (row is not None and row["bounce_type"] == "hard") == bool(want["hardbounce"]),
                "recipient": row is not None and bool(row["recipient"]) and looks_like_address(row["recipient"]),
            }
            if real_status(want["status"]):
                checks["status"] = row is not None and row["enhanced_status"] == want["status"]
            for metric, ok in checks.items():
                for bucket in (totals[metric], groups[("family", want["family"])][metric],
                               groups[("kind", want["kind"])][metric], groups[("half", half_of(name))][metric]):
                    bucket[0] += ok
                    bucket[1] += 1
            if not all(checks.values()):
                misses.append({"file": name, "half": half_of(name), "index": want["index"], "expected": want,
                               "got": row, "failed": [m for m, ok in checks.items() if not ok]})
    not_bounces = []
    for path in sorted((corpus / "extra" / "not").glob("*")):
        not_bounces += [row for row in explain([str(path)]) if row["event"] in ("bounce", "deferred")]
    return {
        "files": len(files),
        "results": sum(len(rows) for rows in expected.values()),
        "load_cpu_seconds": load_cpu,
        "seconds": elapsed,
        "cpu_seconds": elapsed_cpu,
        "messages_per_second": len(files) / elapsed if elapsed else None,
        "messages_per_cpu_second": len(files) / elapsed_cpu if elapsed_cpu else None,
        "steady_messages_per_second": len(files) / steady if steady else None,
        "steady_messages_per_cpu_second": len(files) / steady_cpu if steady_cpu else None,
        "steady_cpu_seconds": steady_cpu,
        "steady_passes": len(steady_cpus),
        "fastest_messages_per_cpu_second": len(files) / min(steady_cpus) if min(steady_cpus) else None,
        "slowest_messages_per_cpu_second": len(files) / max(steady_cpus) if max(steady_cpus) else None,
        "parser_cpu_seconds": parser_cpu,
        "totals": {metric: _share(*counts) for metric, counts in totals.items()},
        "counts": totals,
        "groups": {f"{kind}:{name}": {m: _share(*c) for m, c in values.items()}
                   for (kind, name), values in groups.items()},
        "group_sizes": {f"{kind}:{name}": values["reason"][1] for (kind, name), values in groups.items()},
        "not_bounce_rows": not_bounces,
        "misses": misses,
    }


def _parser_cpu(files: list[Path]) -> float:
    """The CPU time of the standard library's email parser alone over the same files, as the reader
    calls it (its message class, compat32, the boundary matcher), the bytes read beforehand: what
    the reading of a message costs before any of bouncectl's own work."""
    from email.parser import BytesParser
    from email.policy import compat32

    from bouncectl.sources import boundaries
    from bouncectl.sources.messages.base import IndexedMessage

    boundaries.install()
    datas = [path.read_bytes().lstrip(b"\r\n") for path in files]
    rounds = []
    for _ in range(3):  # the least of three: on a loaded machine one round may be slowed
        started_cpu = time.process_time()
        for data in datas:
            BytesParser(IndexedMessage, policy=compat32).parsebytes(data)
        rounds.append(time.process_time() - started_cpu)
    return min(rounds)


# What is kept per text while messages are read: a verdict, an address's check and normal form,
# a From header read, a date read.
TEXT_CACHES = (("bouncectl.bounces.classify", "_classify"), ("bouncectl.sources.messages.reader", "looks_like_address"),
               ("bouncectl.sources.messages.reader", "parseaddr"), ("bouncectl.sources.messages.reader", "_one_timestamp"),
               ("bouncectl.sources.messages.reader", "_clean_recipient"),
               ("bouncectl.addresses", "_unicode_normal_form"))


def _clear_text_caches() -> None:
    for module_name, name in TEXT_CACHES:
        cached = getattr(importlib.import_module(module_name), name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def _share(good: int, total: int) -> float | None:
    return round(100.0 * good / total, 2) if total else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--by", choices=("family", "kind", "half"), default=None, help="break the figures down")
    parser.add_argument("--misses", nargs="?", const="tuning", choices=HALVES + ("all",), default=None,
                        help="list the misses of one half (default: the tuning half), or all")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--passes", type=int, default=5, help="passes timed after the first (default 5)")
    args = parser.parse_args(argv)
    if not (args.corpus / "manifest.jsonl").exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    result = measure(args.corpus, max(1, args.passes))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    counts = result["counts"]
    print(f"{result['files']} messages, {result['results']} expected results")
    print(f"  loading the message reader and its decoders: {result['load_cpu_seconds']:.2f} s CPU, before the passes")
    print(f"  first pass: {result['seconds']:.2f} s wall, {result['messages_per_second']:.0f} messages/s; "
          f"{result['cpu_seconds']:.2f} s CPU, {result['messages_per_cpu_second']:.0f} messages per CPU second")
    print(f"  {result['steady_passes']} more passes, text caches emptied, median: "
          f"{result['steady_messages_per_second']:.0f} messages/s wall, "
          f"{result['steady_messages_per_cpu_second']:.0f} messages per CPU second "
          f"(slowest {result['slowest_messages_per_cpu_second']:.0f}, "
          f"fastest {result['fastest_messages_per_cpu_second']:.0f})")
    print(f"  the stdlib email parser alone: {result['parser_cpu_seconds']:.2f} s CPU "
          f"({100 * result['parser_cpu_seconds'] / result['steady_cpu_seconds']:.0f}% of the median pass)")
    for metric in METRICS:
        good, total = counts[metric]
        print(f"  {metric:<10} {result['totals'][metric]:6.2f}%  ({good}/{total})")
    print(f"  extra/not rows that are bounces: {len(result['not_bounce_rows'])}")
    print("  halves (reason% hard/soft% status% recipient%, n):")
    for half in HALVES:
        shares = result["groups"].get(f"half:{half}", {})
        cells = " ".join(f"{shares[m]:6.2f}" if shares.get(m) is not None else "     -" for m in METRICS)
        print(f"    {half:<10} {cells}  {result['group_sizes'].get(f'half:{half}', 0)}")
    if args.by:
        print(f"\nby {args.by} (reason% hard/soft% status% recipient%, n):")
        for key in sorted(k for k in result["groups"] if k.startswith(args.by + ":")):
            shares = result["groups"][key]
            cells = " ".join(f"{shares[m]:6.1f}" if shares[m] is not None else "     -" for m in METRICS)
            print(f"  {key.split(':', 1)[1]:<18} {cells}  {result['group_sizes'][key]}")
    if args.misses:
        print(f"\nmisses ({args.misses}):")
        for miss in result["misses"]:
            if args.misses != "all" and miss["half"] != args.misses:
                continue
            want, got = miss["expected"], miss["got"] or {}
            print(f"  {miss['file']}#{miss['index']} {','.join(miss['failed'])}: want {want['reason']} "
                  f"{want['status']} {want['replycode']} | got {got.get('reason')} {got.get('enhanced_status')} "
                  f"{got.get('smtp_code')} {got.get('recipient')} [{got.get('rule')}] "
                  f"{(got.get('diagnostic') or '')[:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
