"""Hostile and broken input, for every importer: never a traceback, never a lost row.

- Property tests (hypothesis): random rows for the canonical CSV, where every row
  comes back as an event or as a reject at its own line; random and mutated bytes
  for every registered format, through the real import.
- Table-driven cases for every registered format: empty file, a lone first line,
  byte-order mark, CRLF and CR line endings, invalid UTF-8, Latin-1, NUL bytes,
  deeply nested JSON, gzip (read, or refused clearly when damaged).
- The installed command on what the file system can throw at it: a folder, a
  missing file, an unreadable file, a 100 MB single line.

Exit codes as SPEC section 4 says: 0 done, 1 refused or failed (one ``Error:``
line), 3 imported with rejected rows (each kept with its file, line and error).
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import ctypes
import gzip
import io
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trusthelpers import (
    LOG_HEADER,
    assert_clean_exit,
    assert_no_traceback,
    bouncectl_command,
    generate_rows,
    invoke,
    run_bouncectl,
    subprocess_env,
    write_log,
)

from bouncectl import sources as formats
from bouncectl.model import EVENT_TYPES, Event, ImportOptions, Reject
from bouncectl.sources.source import Source
from bouncectl.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMAT_NAMES = [f.name for f in formats.formats()]
CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

# Inputs tried, by kind: printed at the end of the module when BOUNCECTL_TRUST_REPORT is set.
TRIED: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _report_inputs_tried():
    yield
    if os.environ.get("BOUNCECTL_TRUST_REPORT"):
        print(f"\nhostile inputs tried: {sum(TRIED.values())}: {dict(sorted(TRIED.items()))}")


def _count(kind: str) -> None:
    TRIED[kind] = TRIED.get(kind, 0) + 1


# Made when the module is collected (the samples name the test cases); removed when the run ends.
WORK = Path(tempfile.mkdtemp(prefix="bouncectl-hostile-"))
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


def seeds(name: str) -> list[Path]:
    """Well-formed sample inputs of a format: its fixture files (the canonical CSV makes its own)."""
    if name == "csv":
        return [write_log(WORK / "send-log.csv", generate_rows(40, seed=1, bad_every=0))]
    found: list[Path] = []
    for folder in (FIXTURES / name, FIXTURES / f"{name}s"):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.is_file() and p.stat().st_size < 200_000)
    return found


SEEDS = {name: seeds(name) for name in FORMAT_NAMES}
# One store per format for the property tests (a new store per example costs more than the import).
SHARED_STORES = WORK / "stores"
SHARED_STORES.mkdir()


def stored_events(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(events)") if r[1] not in ("id", "import_id")]
        return conn.execute(f"SELECT {', '.join(columns)} FROM events ORDER BY key").fetchall()
    finally:
        conn.close()


def check_import(db: Path, path: Path, result) -> int:
    """The invariants of one import, whatever the input: returns the exit code."""
    assert_clean_exit(result, (0, 1, 3))
    assert_no_traceback(result.stderr)
    with Store(db) as store:
        imports = [i for i in store.imports() if i["source"] == str(path)]
        rejects = [r for r in store.rejects() if r["file"] == str(path)]
    if result.exit_code == 1:
        assert result.stderr.count("Error:") == 1, result.stderr
        assert not [i for i in imports if i["status"] == "complete"]
        return 1
    if result.exit_code == 0 and not imports:
        # An empty or blank input (nothing to import), or the same bytes imported before into a shared store.
        assert "already imported" in result.stderr or not Source(path).head().strip(), result.stderr
        return 0
    assert len(imports) == 1 and imports[0]["status"] == "complete", imports
    imp = imports[0]
    assert imp["events_stored"] + imp["duplicates"] + imp["rejected"] == imp["rows_read"], imp
    # Every reject the importer produced is kept (identical ones, same place and error, once).
    assert {(r["line"], r["error"]) for r in rejects} == _rejects_of(path, imp)
    if result.exit_code == 3:
        assert rejects and "bouncectl rejects" in result.stderr
    else:
        assert not rejects
    for reject in rejects:
        assert isinstance(reject["line"], int) and reject["line"] >= 1, reject
        assert reject["error"].strip(), reject
    return result.exit_code


def _rejects_of(path: Path, imp: dict) -> set[tuple[int | None, str]]:
    """The rejects the import's format makes of ``path``, read again straight from the parser."""
    given = json.loads(imp["options"] or "{}")
    options = ImportOptions(email_id=given.get("email_id"), third_party=bool(given.get("third_party")),
                            tz=given.get("tz"))
    source = Source(path)
    try:
        return {(r.line, r.error) for r in formats.by_name(imp["format"]).parse(source, options) if isinstance(r, Reject)}
    finally:
        source.close()


def import_bytes(
    folder: Path, name: str, data: bytes, *args: str, mtime: float | None = None, db: Path | None = None
) -> tuple[Path, Path, object]:
    """Import ``data`` as file ``folder/name`` into ``db`` (default: a new store of its own)."""
    path = folder / name
    path.write_bytes(data)
    if mtime is not None:  # some formats date undated rows by the file's time
        os.utime(path, (mtime, mtime))
    if db is None:
        db = folder / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    result = invoke(db, "import", path, *args)
    return db, path, result


# --- the canonical CSV: random rows ----------------------------------------------------------

GOOD_CELLS = {
    0: st.sampled_from(["e1", "2026-11-newsletter", "x"]),
    1: st.sampled_from(["jane@example.com", "JOE@Example.COM ", "<ann@example.org>", "bob@example.net"]),
    2: st.sampled_from(["sent", "delivered", "bounce", "hard_bounce", "soft_bounce", "dropped", "open", "Bounced"]),
    3: st.sampled_from(["2026-11-24T09:15:02Z", "2026-11-24 09:15:02", "1764000000", "2026-11-24T09:15:02+02:00"]),
    4: st.sampled_from(["", "hard", "soft", "Permanent", "transient"]),
    5: st.sampled_from(["", "550", "452", "421"]),
    6: st.sampled_from(["", "5.1.1", "4.2.2", "5.7.1"]),
    7: st.sampled_from(["", "550 5.1.1 user unknown", "mailbox full", "Boîte pleine"]),
}
HOSTILE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
) | st.sampled_from(['"', '""', "'", ",", "\n", "\r", "\r\n", "\x00", "\x1b[31m", "=1+1", "\ufeff", "@", " "])


def _cell(index: int) -> st.SearchStrategy[str]:
    return st.one_of(GOOD_CELLS[index], GOOD_CELLS[index], HOSTILE_TEXT)


ROW = st.tuples(*(_cell(i) for i in range(8))).map(list) | st.lists(HOSTILE_TEXT, min_size=1, max_size=10)


def _breaks(text: str) -> int:
    return len(re.findall(r"\r\n|\r|\n", text))


@SETTINGS
@given(rows=st.lists(ROW, max_size=25))
def test_every_random_csv_row_comes_back_as_an_event_or_a_reject_at_its_line(rows: list[list[str]]) -> None:
    _count("csv random rows")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # CRLF rows: Python quotes a cell holding CR or LF only if both end a row
    writer.writerow(LOG_HEADER)
    expected_lines = []
    line = 2
    for row in rows:
        before = buffer.tell()
        writer.writerow(row)
        text = buffer.getvalue()[before:]
        if row not in ([], [""]) and not (len(row) == 1 and not row[0].strip()):
            expected_lines.append(line)
        line += _breaks(text)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "log.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        records = list(formats.by_name("csv").parse(Source(path), ImportOptions()))
    assert [r.line for r in records] == expected_lines
    for record in records:
        if isinstance(record, Event):
            _assert_valid_event(record)
        else:
            assert isinstance(record, Reject) and record.error.strip()


def _assert_valid_event(event: Event) -> None:
    assert event.event in EVENT_TYPES
    assert event.recipient and event.recipient == event.recipient.strip().lower()
    assert CANONICAL_TIME.fullmatch(event.timestamp)
    assert event.bounce_type in (None, "hard", "soft")
    assert event.smtp_code is None or 200 <= event.smtp_code <= 599


# --- every format: random and mutated bytes, through the real import ---------------------------


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for where, cut, insert in edits:
        if not out:
            out[:] = insert
            continue
        at = where % len(out)
        out[at : at + cut] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**9),
        st.integers(min_value=0, max_value=40),
        st.binary(max_size=6) | st.sampled_from([b'"', b"{", b"[", b"}", b"]", b"\n", b",", b"\\", b"\x00", b"\xff", b":"]),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize("name", FORMAT_NAMES)
@settings(SETTINGS, max_examples=25)
@given(data=st.data())
def test_mutated_input_never_crashes_any_importer(name: str, data: st.DataObject) -> None:
    available = SEEDS[name]
    seed = data.draw(st.sampled_from(available)).read_bytes() if available else b""
    payload = _mutate(seed, data.draw(EDITS)) if seed and data.draw(st.booleans()) else data.draw(st.binary(max_size=2000))
    _count(f"{name} mutated or random")
    forced = data.draw(st.booleans())
    folder = Path(tempfile.mkdtemp(dir=SHARED_STORES))
    db, path, result = import_bytes(folder, "input", payload, *(["--format", name] if forced else []),
                                    db=SHARED_STORES / f"{name}.db")
    check_import(db, path, result)


# --- every format: the classic broken files ----------------------------------------------------


def _variants(seed: bytes) -> dict[str, bytes]:
    first_line = seed.split(b"\n", 1)[0] + b"\n"
    return {
        "lone first line": first_line,
        "CR line endings": seed.replace(b"\r\n", b"\n").replace(b"\n", b"\r"),
        "invalid UTF-8": seed.replace(b"e", b"\xc3\x28", 3) + b"\xff\xfe\xfd\n",
        "Latin-1": seed.replace(b"a", b"\xe9", 5),
        "NUL bytes": seed.replace(b"o", b"\x00", 5),
        # A JSON text's first three strings begun with a lone surrogate escape (half of a UTF-16 pair):
        # valid JSON syntax, but no text (RFC 8259 8.2). Elsewhere, six characters of plain text.
        "lone surrogate escapes": re.sub(rb'(":\s*")', rb"\1\\ud800", seed, count=3),
        "truncated": seed[: len(seed) // 2],
        "doubled": seed + seed,
    }


SEED_CASES = [(name, seed) for name in FORMAT_NAMES for seed in SEEDS[name][:4]]  # four samples a format at most


@pytest.mark.parametrize(("name", "seed"), SEED_CASES, ids=[f"{n}:{s.name}" for n, s in SEED_CASES])
def test_broken_variants_of_every_sample_are_refused_or_imported_cleanly(name: str, seed: Path, tmp_path: Path) -> None:
    for variant, payload in _variants(seed.read_bytes()).items():
        for args in ((), ("--format", name)):
            _count(f"{name} {variant}")
            db, path, result = import_bytes(tmp_path, f"{variant}{len(args)}{seed.suffix}", payload, *args,
                                            db=tmp_path / "store.db")
            try:
                check_import(db, path, result)
            except AssertionError as exc:
                raise AssertionError(f"{variant} {args}: {exc}") from exc


@pytest.mark.parametrize(("name", "seed"), SEED_CASES, ids=[f"{n}:{s.name}" for n, s in SEED_CASES])
def test_bom_crlf_and_gzip_are_read_like_the_plain_file(name: str, seed: Path, tmp_path: Path) -> None:
    plain = seed.read_bytes()
    db, path, result = import_bytes(tmp_path, f"plain{seed.suffix}", plain, "--format", name, mtime=seed.stat().st_mtime)
    code = check_import(db, path, result)
    if code == 1:
        pytest.skip(f"{seed.name} is not a whole {name} input on its own")
    expected = stored_events(db)
    for variant, payload in {
        "BOM": b"\xef\xbb\xbf" + plain,
        "CRLF": plain.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
        "gzip": gzip.compress(plain),
        "gzip detected": gzip.compress(plain),
    }.items():
        args = () if variant == "gzip detected" else ("--format", name)
        _count(f"{name} {variant}")
        db, path, result = import_bytes(tmp_path, f"{variant}{seed.suffix}", payload, *args, mtime=seed.stat().st_mtime)
        assert check_import(db, path, result) == code, f"{variant}: {result.stderr}"
        assert stored_events(db) == expected, f"{variant} is not read like the plain file"


DEEP = 20_000  # far past Python's recursion limit; ijson's per-level path prefixes would take ~4 GB here
JSON_RECORD_FORMATS = {"ses", "postmark", "mailgun", "sendgrid"}
SHAPES = {
    "arrays": b"[" * DEEP + b"]" * DEEP,
    "objects": b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "json-lines": b'{"event":"bounce"}\n' + b"[" * DEEP + b"]" * DEEP + b"\n",
}
DEEP_CASES = [pytest.param(name, shape, id=f"{shape}-{name}") for name in FORMAT_NAMES for shape in SHAPES]


@contextlib.contextmanager
def _memory_cap(extra: int = 1024**3):
    """Cap this process's address space for a while: a parser that buffers per nesting level fails here
    with MemoryError instead of taking the machine down."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    cap = pages * resource.getpagesize() + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory cap reads /proc (Linux)")
@pytest.mark.parametrize(("name", "shape"), DEEP_CASES)
def test_deeply_nested_json_is_refused_or_rejected_not_a_crash(name: str, shape: str, tmp_path: Path) -> None:
    _count("deeply nested JSON")
    with _memory_cap():
        db, path, result = import_bytes(tmp_path, "deep.json", SHAPES[shape], "--format", name)
    check_import(db, path, result)
    if name in JSON_RECORD_FORMATS:
        # The JSON importers read the nesting and refuse it as one rejected record.
        assert result.exit_code == 3, result.stderr
        with sqlite3.connect(db) as conn:
            errors = [error for (error,) in conn.execute("SELECT error FROM rejects")]
        assert any("nested" in error for error in errors), errors


def test_random_binary_of_every_size_is_refused_or_imported_cleanly(tmp_path: Path) -> None:
    rng = random.Random()
    for size in (0, 1, 2, 3, 10, 100, 4096, 70_000):
        for args in ((), *(("--format", n) for n in FORMAT_NAMES)):
            _count("random binary")
            db, path, result = import_bytes(tmp_path, f"noise{size}", rng.randbytes(size), *args)
            check_import(db, path, result)


# --- the canonical CSV: exact outcomes ---------------------------------------------------------

HEADER = ",".join(LOG_HEADER)
ROWS = [
    "e1,jane@example.com,sent,2026-11-24T09:00:00Z,,,,",
    "e1,jane@example.com,bounce,2026-11-24T09:05:00Z,,550,5.1.1,550 5.1.1 Boîte inconnue",
    "e1,joe@example.net,delivered,2026-11-24T09:06:00Z,,,,",
]


def _csv(rows: list[str], newline: str = "\n") -> bytes:
    return (newline.join([HEADER, *rows]) + newline).encode()


def test_an_empty_csv_and_a_lone_header_import_nothing(tmp_path: Path) -> None:
    db, path, result = import_bytes(tmp_path, "empty.csv", b"")
    assert check_import(db, path, result) == 0
    db, path, result = import_bytes(tmp_path, "header.csv", _csv([]))
    assert check_import(db, path, result) == 0
    assert stored_events(db) == []


@pytest.mark.parametrize(
    ("variant", "payload"),
    [
        ("BOM", b"\xef\xbb\xbf" + _csv(ROWS)),
        ("CRLF", _csv(ROWS, "\r\n")),
        ("CR", _csv(ROWS, "\r")),
        ("BOM and CRLF", b"\xef\xbb\xbf" + _csv(ROWS, "\r\n")),
        ("gzip", gzip.compress(_csv(ROWS))),
        ("no final newline", _csv(ROWS)[:-1]),
    ],
)
def test_csv_line_endings_bom_and_gzip_import_the_same_events(variant: str, payload: bytes, tmp_path: Path) -> None:
    db, path, result = import_bytes(tmp_path, "plain.csv", _csv(ROWS))
    assert check_import(db, path, result) == 0
    expected = stored_events(db)
    assert len(expected) == 3
    db, path, result = import_bytes(tmp_path, "variant.csv", payload)
    assert check_import(db, path, result) == 0, result.stderr
    assert stored_events(db) == expected


def test_invalid_utf8_and_latin1_text_is_kept_not_refused(tmp_path: Path) -> None:
    latin1 = "e1,ann@example.com,bounce,2026-11-24T09:00:00Z,,552,5.2.2,Boîte aux lettres pleine".encode("latin-1")
    broken = b"e1,bob@example.com,bounce,2026-11-24T09:00:00Z,,550,5.1.1,caf\xc3\xa9 \xff\xfe gone \xc3("
    db, path, result = import_bytes(tmp_path, "mixed.csv", _csv([]) + latin1 + b"\n" + broken + b"\n")
    assert check_import(db, path, result) == 0, result.stderr
    with Store(db) as store:
        diagnostics = dict(store.conn.execute("SELECT recipient, diagnostic FROM events").fetchall())
    assert diagnostics["ann@example.com"] == "Boîte aux lettres pleine"
    assert diagnostics["bob@example.com"] == "café ÿþ gone Ã("


def _ses_line(number: int, recipient: str, source: str) -> bytes:
    """A line of examples/ses-notifications.jsonl with its recipient and sender (a field its raw keeps) as
    given, as JSON text."""
    record = json.loads(SES_EXAMPLE.read_text().splitlines()[number])
    record["mail"]["destination"] = ["RECIPIENT"]
    record["mail"]["source"] = "SOURCE"
    return json.dumps(record).replace('"RECIPIENT"', f'"{recipient}"').replace('"SOURCE"', f'"{source}"').encode()


SES_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ses-notifications.jsonl"


def test_a_lone_surrogate_escape_in_json_is_read_as_the_replacement_character(tmp_path: Path) -> None:
    # JSON may escape half of a UTF-16 pair alone ("\ud800", RFC 8259 8.2: a text cut inside a pair), which no
    # text can hold. In a field kept with the event it is read as U+FFFD; a recipient holding it is no
    # address: its line is rejected. A whole pair is one character, as always.
    lines = [_ses_line(0, "adamp@example.org", "Billing \\ud800 <news@example.com>"),
             _ses_line(1, "\\ud800wadams@example.org", "Billing <news@example.com>"),
             _ses_line(0, "amy@example.org", "Billing \\ud83d\\ude00 <news@example.com>")]
    db, path, result = import_bytes(tmp_path, "ses.jsonl", b"\n".join(lines) + b"\n")
    assert check_import(db, path, result) == 3, result.stderr
    with Store(db) as store:
        raws = dict(store.conn.execute("SELECT recipient, raw FROM events").fetchall())
        rejects = list(store.rejects())
    assert sorted(raws) == ["adamp@example.org", "amy@example.org"]
    assert json.loads(raws["adamp@example.org"])["mail"]["source"] == "Billing \ufffd <news@example.com>"
    assert json.loads(raws["amy@example.org"])["mail"]["source"] == "Billing \U0001f600 <news@example.com>"
    assert [(r["line"], "damaged text" in r["error"]) for r in rejects] == [(2, True)]


def test_nul_bytes_do_not_stop_the_import(tmp_path: Path) -> None:
    rows = [ROWS[0], "e1,nul@exa\x00mple.com,sent,2026-11-24T09:00:00Z,,,,", ROWS[2].replace("delivered", "deli\x00vered")]
    db, path, result = import_bytes(tmp_path, "nul.csv", _csv(rows))
    assert check_import(db, path, result) == 3
    with Store(db) as store:
        # An address with a NUL (a control character) is no address: its row is rejected too.
        assert [r["line"] for r in store.rejects()] == [3, 4]
        assert [e["recipient"] for e in store._rows("SELECT recipient FROM events ORDER BY recipient")] == [
            "jane@example.com"
        ]


def test_every_rejected_row_is_kept_with_its_file_line_and_error(tmp_path: Path) -> None:
    rows = [
        ROWS[0],
        "e1,not-an-address,sent,2026-11-24T09:00:00Z,,,,",  # line 3
        ROWS[1],
        "e1,ann@example.com,exploded,2026-11-24T09:00:00Z,,,,",  # line 5
        "e1,ann@example.com,sent,last tuesday,,,,",  # line 6
        "e1,ann@example.com,bounce,2026-11-24T09:00:00Z,,999,,",  # line 7
        '"e1,unclosed@example.com,sent,2026-11-24T09:00:00Z,,,,',  # line 8: a quote that is never closed
        ROWS[2],
        "e1,late@example.com,sent,2026-11-24T09:09:00Z,,,,",
    ]
    db, path, result = import_bytes(tmp_path, "bad.csv", _csv(rows))
    assert check_import(db, path, result) == 3
    listed = invoke(db, "rejects", "--format", "json")
    assert listed.exit_code == 0
    rejects = json.loads(listed.stdout)
    assert [(r["file"], r["line"]) for r in rejects] == [(str(path), n) for n in (3, 5, 6, 7, 8)]
    assert all(r["error"] for r in rejects)
    # The rows after the unclosed quote are not swallowed by it.
    recipients = {e[0] for e in sqlite3.connect(db).execute("SELECT recipient FROM events")}
    assert recipients == {"jane@example.com", "joe@example.net", "late@example.com"}


def test_a_stray_quote_closed_rows_later_does_not_swallow_the_rows_between(tmp_path: Path) -> None:
    rows = [
        ROWS[0],
        'e1,ann@example.com,bounce,2026-11-24T09:01:00Z,,550,5.1.1,"mailbox unavailable',  # line 3
        "e1,bob@example.com,sent,2026-11-24T09:02:00Z,,,,",
        "e1,cat@example.com,sent,2026-11-24T09:03:00Z,,,,",
        'e1,dan@example.com,bounce,2026-11-24T09:04:00Z,,550,5.1.1,user unknown"',
        # A quoted server text over two lines is one row, as CSV allows.
        'e1,eve@example.com,bounce,2026-11-24T09:05:00Z,,550,5.1.1,"550-5.1.1 no such user\n550 5.1.1 see help"',
    ]
    db, path, result = import_bytes(tmp_path, "quotes.csv", _csv(rows))
    assert check_import(db, path, result) == 3
    with Store(db) as store:
        assert [(r["line"], r["error"].split(":")[0]) for r in store.rejects()] == [(3, "unbalanced quote")]
        diagnostics = dict(store.conn.execute("SELECT recipient, diagnostic FROM events").fetchall())
    assert set(diagnostics) == {"jane@example.com", "bob@example.com", "cat@example.com", "dan@example.com",
                                "eve@example.com"}
    assert diagnostics["eve@example.com"] == "550-5.1.1 no such user\n550 5.1.1 see help"


def test_a_quoted_field_that_starts_with_a_line_break_is_one_row(tmp_path: Path) -> None:
    # The line the quote opens on is no row by itself, so the quote is no stray one: the next line,
    # which closes it, ends the same row, although it would read as a row on its own.
    for cell in ("\r0", "\n0", "x\r\ny"):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(LOG_HEADER)
        writer.writerow([cell, "jane@example.com", "sent", "2026-11-24T09:15:02Z", "", "", "", ""])
        writer.writerow(["e1", "bob@example.com", "sent", "2026-11-24T09:16:00Z", "", "", "", ""])
        path = tmp_path / "log.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        records = list(formats.by_name("csv").parse(Source(path), ImportOptions()))
        assert [(type(r).__name__, r.line) for r in records] == [("Event", 2), ("Event", 4)], cell


def test_strict_import_of_a_file_with_bad_rows_imports_nothing_but_keeps_the_rejects(tmp_path: Path) -> None:
    payload = _csv([ROWS[0], "e1,not-an-address,sent,2026-11-24T09:00:00Z,,,,", ROWS[1]])
    db, path, result = import_bytes(tmp_path, "strict.csv", payload, "--strict")
    assert_clean_exit(result, (3,))
    assert stored_events(db) == []
    with Store(db) as store:
        assert [(r["file"], r["line"]) for r in store.rejects()] == [(str(path), 3)]


# --- the installed command: files the system throws at it --------------------------------------


def test_damaged_gzip_is_refused_clearly(tmp_path: Path) -> None:
    good = write_log(tmp_path / "log.csv", generate_rows(3000, seed=3, bad_every=0)).read_bytes()
    packed = gzip.compress(good)
    cases = {
        "truncated.csv.gz": packed[: len(packed) // 2],
        "bad-crc.csv.gz": packed[:-8] + b"\x00" * 8,
        "corrupt.csv.gz": packed[:40] + bytes(200) + packed[240:],
    }
    for name, payload in cases.items():
        path = tmp_path / name
        path.write_bytes(payload)
        _count("damaged gzip")
        result = run_bouncectl(tmp_path / "store.db", "import", path)
        assert_no_traceback(result.stderr)
        assert result.returncode == 1, f"{name}: {result.stderr}"
        assert result.stderr.startswith("Error:") and name in result.stderr
    assert stored_events(tmp_path / "store.db") == []


def test_a_folder_and_a_missing_file_are_refused_clearly(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-log"
    folder.mkdir()
    (folder / "x.csv").write_bytes(_csv(ROWS))
    for target in (folder, tmp_path / "missing.csv"):
        _count("folder or missing file")
        result = run_bouncectl(tmp_path / "store.db", "import", target)
        assert_no_traceback(result.stderr)
        assert result.returncode == 1 and result.stderr.startswith("Error:"), result.stderr
        assert str(target) in result.stderr
    # One bad argument does not stop the others.
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(ROWS))
    result = run_bouncectl(tmp_path / "store.db", "import", tmp_path / "missing.csv", good)
    assert result.returncode == 1 and len(stored_events(tmp_path / "store.db")) == 3


PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _without_file_override() -> None:
    """In the child, before exec: give up root's power to read any file (Linux capabilities)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_an_unreadable_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "secret.csv"
    path.write_bytes(_csv(ROWS))
    path.chmod(0)
    # Root reads any file whatever its mode; so, as root, the command runs without that privilege.
    preexec = _without_file_override if os.geteuid() == 0 else None
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(path)!r}, 'rb')"], capture_output=True, preexec_fn=preexec, check=False
    )
    if probe.returncode == 0 or b"PermissionError" not in probe.stderr:
        pytest.skip("this system cannot make a file unreadable to the test's user (root without CAP_SETPCAP?)")
    _count("unreadable file")
    result = subprocess.run(
        [*bouncectl_command(), "--db", str(tmp_path / "store.db"), "import", str(path)],
        env=subprocess_env(), capture_output=True, text=True, preexec_fn=preexec, timeout=120, check=False,
    )
    assert_no_traceback(result.stderr)
    assert result.returncode == 1 and result.stderr.startswith("Error:"), result.stderr
    assert "permission denied" in result.stderr.lower()


HUNDRED_MB = 100 * 1024 * 1024


def test_a_100_mb_line_is_stored_whole_or_refused_never_a_crash(tmp_path: Path) -> None:
    # A 100 MB remote server text in one row: past the 16 MB a line may hold (issue 13), the row is
    # rejected with its line, without being kept; the row after it is stored.
    path = tmp_path / "huge-row.csv"
    chunk = b"qzx vwk " * 131072  # 1 MB
    with path.open("wb") as handle:
        handle.write(_csv([]) + b"e1,big@example.com,bounce,2026-11-24T09:00:00Z,,550,,")
        for _ in range(HUNDRED_MB // len(chunk)):
            handle.write(chunk)
        handle.write(b"\n" + ROWS[2].encode() + b"\n")
    _count("100 MB line")
    result = run_bouncectl(tmp_path / "store.db", "import", path, timeout=240)  # a hang guard, not a time check
    assert_no_traceback(result.stderr)
    assert result.returncode == 3, result.stderr
    conn = sqlite3.connect(tmp_path / "store.db")
    stored = dict(conn.execute("SELECT recipient, length(diagnostic) FROM events").fetchall())
    rejects = conn.execute("SELECT line, error FROM rejects").fetchall()
    conn.close()
    assert "big@example.com" not in stored and "joe@example.net" in stored
    assert rejects == [(2, "line longer than 16 MB")]

    # 100 MB of one line that is no log at all: refused at once.
    junk = tmp_path / "junk.txt"
    with junk.open("wb") as handle:
        handle.write(b"x" * HUNDRED_MB)
    _count("100 MB line")
    result = run_bouncectl(tmp_path / "store.db", "import", junk, timeout=240)
    assert_no_traceback(result.stderr)
    assert result.returncode == 1 and result.stderr.startswith("Error:"), result.stderr


def test_stdin_that_is_empty_or_binary_is_refused_or_imported_cleanly(tmp_path: Path) -> None:
    for payload in (b"", b"\x00\xff" * 1000, _csv(ROWS)):
        _count("stdin")
        result = subprocess.run(
            [*bouncectl_command(), "--db", str(tmp_path / "store.db"), "import", "-"],
            input=payload, env=subprocess_env(), capture_output=True, timeout=120, check=False,
        )
        assert_no_traceback(result.stderr.decode())
        assert result.returncode in (0, 1), result.stderr
    assert len(stored_events(tmp_path / "store.db")) == 3
