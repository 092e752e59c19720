"""Injection: addresses, diagnostics, email ids and names that carry SQL, spreadsheet
formulas, terminal escape sequences and Rich markup are stored as text and shown as text.

- stored exactly (no SQL runs, every table is still there);
- table output: control characters made visible, markup shown literally;
- json output: exact values, no raw control character (C0 or C1) in the bytes;
- csv output and exports: a cell a spreadsheet would run as a formula starts with a quote;
- on a real terminal (a pty), no escape sequence from the data reaches it, whatever the format.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from trusthelpers import bouncectl_command, invoke, subprocess_env, write_log

from bouncectl import output as render
from bouncectl.store import Store

ADDRESSES = [
    "robert');drop_table_contacts;--@example.com",
    "x'or'1'='1@example.com",
    "=1+1@example.com",
    "+cmd@example.com",
    "-2+3@example.com",
    "@sum(a1)@example.com",
    "\x1b]0;pwned\x07x@example.com",
    "\x1b[2j@example.com",
    "\x9b31m@example.com",
    "[bold]x[/bold]@example.com",
    "[/]@example.com",
    "[link=http://evil.example]a[/link]@example.com",
]
DIAGNOSTICS = [
    "550 '); DROP TABLE events; --",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-1+1",
    "@SUM(1+1)",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x07bell \x9b2J",
    "[bold red]markup[/bold red] [/]",
    ":warning: emoji",
    "5.1.1 <x@example.com>\r\nrewritten",
]
# An address with a control character is no address (issue 13): its row is rejected, the payload kept
# only in the reject's raw text, which is shown as safely as the rest.
REFUSED = {a for a in ADDRESSES if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in a)}
EMAIL_ID = "[/e]\x1b[2J=1+1"
# Sequences from the data that must never reach a terminal, and text that shows markup was not run.
FORBIDDEN = ["\x1b]", "\x07", "\x1b[2j", "\x1b[2J", "\x1b[31mred", "\x9b", "\x1b\\"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rows() -> list[list[str]]:
    rows = []
    for n, address in enumerate(ADDRESSES):
        rows.append([EMAIL_ID, address, "bounce", f"2026-11-24T09:{n:02d}:00Z", "hard", "550", "5.1.1",
                     DIAGNOSTICS[n % len(DIAGNOSTICS)]])
    for n, diagnostic in enumerate(DIAGNOSTICS):
        rows.append([EMAIL_ID, f"plain{n}@example.org", "bounce", f"2026-11-24T10:{n:02d}:00Z", "soft", "452", "4.2.2",
                     diagnostic])
    return rows


def _bad_rows() -> list[list[str]]:
    # Rejected rows: their raw text and error carry the payloads too.
    return [[EMAIL_ID, address, "\x1b[2J[/]=1", "2026-11-24T11:00:00Z", "", "", "", ""] for address in ADDRESSES[:4]]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("injection")
    db = folder / "store.db"
    log = write_log(folder / "hostile.csv", _rows() + _bad_rows())
    result = invoke(db, "import", log)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 3, result.stderr
    with Store(db) as store:
        store.add_domain("news.example.com")
        store.add_user("[/u]\x1b]0;t\x07", ["email"])
    # One reactivation and one refusal, by a user whose name is hostile too.
    for address in ADDRESSES[9:11]:
        invoke(db, "unbounce", address, "--confirm", "--as", "[/u]\x1b]0;t\x07")
    return db


def _text_cells(rows: list[dict]) -> list[str]:
    return [v for row in rows for v in row.values() if isinstance(v, str)]


def test_payloads_are_stored_exactly_and_no_sql_ran(store_path: Path) -> None:
    conn = sqlite3.connect(store_path)
    stored = dict(conn.execute("SELECT recipient, diagnostic FROM events WHERE recipient NOT LIKE 'plain%'"))
    assert stored == {a: DIAGNOSTICS[n % len(DIAGNOSTICS)].strip() for n, a in enumerate(ADDRESSES) if a not in REFUSED}
    plain = [r[0] for r in conn.execute("SELECT diagnostic FROM events WHERE recipient LIKE 'plain%' ORDER BY timestamp")]
    assert plain == [d.strip() for d in DIAGNOSTICS]
    assert {r[0] for r in conn.execute("SELECT DISTINCT email_id FROM events")} == {EMAIL_ID}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"contacts", "events", "imports", "rejects", "audit", "reactivations"} <= tables
    assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == len(ADDRESSES) - len(REFUSED) + len(DIAGNOSTICS)
    rejected = [raw for (raw,) in conn.execute("SELECT raw FROM rejects")]
    assert all(any(a in raw for raw in rejected) for a in REFUSED)
    conn.close()


def test_sql_in_filters_is_only_text(store_path: Path) -> None:
    result = invoke(store_path, "contacts", "--domain", "example.com' OR '1'='1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    # A reason is checked against the vocabulary before any query: refused as a usage mistake...
    for args in (
        ("contacts", "--hard-bounce-reason", "x' OR 1=1 --", "--format", "json"),
        ("bounced", "--email-id", EMAIL_ID, "--reason", "' OR ''='", "--format", "json"),
    ):
        result = invoke(store_path, *args)
        assert result.exit_code == 2 and result.stdout == "", args
    # ... and the store still takes it only as text.
    store = Store(store_path)
    try:
        assert list(store.contacts(status="all", hard_bounce_reason="x' OR 1=1 --", domain=None)) == []
        assert list(store.bounced(EMAIL_ID, "all", "' OR ''='")) == []
    finally:
        store.close()
    result = invoke(store_path, "bounced", "--email-id", "x' OR '1'='1")
    assert result.exit_code == 1 and "no email" in result.stderr


LISTINGS = [
    ("bounced", "--email-id", EMAIL_ID),
    ("contacts",),
    ("rejects",),
    ("audit",),
    ("stats", "--by", "email"),
    ("stats", "--email-id", EMAIL_ID),
    ("not-sent", "--email-id", EMAIL_ID),
]


@pytest.mark.parametrize("command", LISTINGS, ids=[" ".join(c[:1] + c[2:3]) for c in LISTINGS])
def test_table_output_shows_the_data_as_text(store_path: Path, command: tuple[str, ...]) -> None:
    result = invoke(store_path, *command, "--format", "table")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.stderr
    shown = result.stdout + result.stderr
    for sequence in FORBIDDEN + ["\x1b"]:
        assert sequence not in shown, (sequence, command)
    if command[0] in ("bounced", "contacts"):
        assert "[bold]x[/bold]@example.com" in shown and "[/]@example.com" in shown  # markup shown, not run
    if command[0] == "rejects":
        assert "\\x1b]0;pwned\\x07x@example.com" in shown  # control characters made visible


@pytest.mark.parametrize("command", LISTINGS, ids=[" ".join(c[:1] + c[2:3]) for c in LISTINGS])
def test_json_output_keeps_the_exact_text_and_no_raw_control_character(store_path: Path, command: tuple) -> None:
    result = invoke(store_path, *command, "--format", "json")
    assert result.exit_code == 0, result.stderr
    for code in [*range(32), *range(127, 160)]:
        if chr(code) != "\n":
            assert chr(code) not in result.stdout, (hex(code), command)
    rows = json.loads(result.stdout)
    if command[0] == "bounced":
        assert {r["recipient"]: r["diagnostic"] for r in rows if not r["recipient"].startswith("plain")} == {
            a: DIAGNOSTICS[n % len(DIAGNOSTICS)].strip() for n, a in enumerate(ADDRESSES) if a not in REFUSED
        }


def _assert_formulas_neutralized(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), f"a spreadsheet would run {cell!r}"


def _as_cell(value: object) -> str:
    """A JSON value as the same export writes it in CSV, a formula neutralized."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _stored_text(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        values = set()
        for table in ("events", "contacts", "rejects", "audit"):
            for row in conn.execute(f"SELECT * FROM {table}"):
                values.update(v for v in row if isinstance(v, str))
        return values
    finally:
        conn.close()


@pytest.mark.parametrize("command", LISTINGS, ids=[" ".join(c[:1] + c[2:3]) for c in LISTINGS])
def test_csv_output_neutralizes_formulas(store_path: Path, command: tuple[str, ...]) -> None:
    result = invoke(store_path, *command, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    _assert_formulas_neutralized([c for row in rows[1:] for c in row])
    exact = {c.removeprefix("'") for row in rows[1:] for c in row} - {""}
    assert not exact - _stored_text(store_path) - {c for row in rows[1:] for c in row}, "text changed in CSV output"
    if command[0] == "bounced":
        recipients = {row[0] for row in rows[1:]}
        assert "'=1+1@example.com" in recipients and "'+cmd@example.com" in recipients
        assert "[bold]x[/bold]@example.com" in recipients  # piped output keeps the exact text


@pytest.mark.parametrize("email_args", [("--email-id", EMAIL_ID), ()], ids=["one email", "every contact"])
def test_exports_neutralize_formulas_and_keep_the_text(store_path: Path, tmp_path: Path, email_args: tuple) -> None:
    csv_path, json_path = tmp_path / "out.csv", tmp_path / "out.json"
    assert invoke(store_path, "export", "--csv", csv_path, *email_args).exit_code == 0
    assert invoke(store_path, "export", "--json", json_path, *email_args).exit_code == 0
    with csv_path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    records = json.loads(json_path.read_text(encoding="utf-8"))
    key = "recipient" if email_args else "email"
    assert {r[key] for r in records} >= set(ADDRESSES) - REFUSED  # the JSON export holds the exact text
    assert len(table) == len(records)
    _assert_formulas_neutralized([c for row in table for c in row.values()])
    for row, record in zip(table, records, strict=True):
        assert row == {column: _as_cell(value) for column, value in record.items()}


# --- on a real terminal ---------------------------------------------------------------------


def run_on_terminal(db: Path, *args: str) -> tuple[int, str]:
    """Run the installed command with stdout and stderr on a pseudo-terminal; returns what the terminal got."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [*bouncectl_command(), "--db", str(db), *args],
        stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=subprocess_env(), close_fds=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal is gone: the command ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode("utf-8", errors="replace")


TERMINAL_COMMANDS = [
    ("bounced", "--email-id", EMAIL_ID),
    ("bounced", "--email-id", EMAIL_ID, "--format", "csv"),
    ("bounced", "--email-id", EMAIL_ID, "--format", "json"),
    ("contacts", "--format", "csv"),
    ("rejects", "--format", "csv"),
    ("audit",),
    ("stats", "--by", "email"),
    ("export", "--csv", "-", "--email-id", EMAIL_ID),
    ("export", "--json", "-"),
    ("unbounce", ADDRESSES[6], "--as", "[/u]\x1b]0;t\x07", "--dry-run"),
    ("users", "add", "[/v]\x1b]0;t\x07:warning:", "--permission", "email"),
]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_no_escape_sequence_from_the_data_reaches_a_terminal(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    with sqlite3.connect(store_path) as source, sqlite3.connect(db) as target:
        source.backup(target)
    for command in TERMINAL_COMMANDS:
        code, shown = run_on_terminal(db, *command)
        assert "Traceback" not in shown, (command, shown[-2000:])
        assert code in (0, 1), (command, code, shown[-2000:])
        for sequence in FORBIDDEN:
            assert sequence not in shown, (command, sequence, shown[-3000:])
        if command[0] == "users":
            assert ":warning:" in shown  # no emoji code is run either


def test_messages_show_names_as_text(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "names.db"
    with sqlite3.connect(store_path) as source, sqlite3.connect(db) as target:
        source.backup(target)
    for args in (
        ("users", "add", "[/x] [bold]boss[/bold]", "--permission", "email"),
        ("lists", "create", "[/l] [red]list", "--status", "hard_bounced"),
        ("lists", "delete", "[/l] [red]list"),
        ("export", "--csv", str(tmp_path / "[bold]out.csv")),
    ):
        result = invoke(db, *args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
        assert result.exit_code == 0, (args, result.stderr)
        name = args[2] if args[0] != "export" else "[bold]out.csv"
        assert name in result.stderr, (args, result.stderr)


def test_a_user_named_with_markup_is_audited_as_text(store_path: Path) -> None:
    rows = [r for r in json.loads(invoke(store_path, "audit", "--format", "json").stdout) if r["action"] == "unbounce"]
    assert {r["user"] for r in rows} == {"[/u]\x1b]0;t\x07"}
    assert {r["contact"] for r in rows} == set(ADDRESSES[9:11])


@pytest.mark.parametrize("command", LISTINGS[:2], ids=["bounced", "contacts"])
def test_a_long_table_shows_the_data_as_text_too(
    store_path: Path, command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "TABLE_CHUNK", 2)  # these listings are long tables, streamed
    result = invoke(store_path, *command, "--format", "table")
    assert result.exit_code == 0, result.stderr
    for sequence in FORBIDDEN + ["\x1b"]:
        assert sequence not in result.stdout, (sequence, command)
    assert "[bold]x[/bold]@example.com" in result.stdout
    if command[0] == "bounced":  # control characters (now in diagnostics only) made visible
        assert "\\x1b[31mred\\x1b[0m" in result.stdout


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_files_written_to_stdout_on_a_terminal_show_no_escape_sequence(store_path: Path, tmp_path: Path) -> None:
    # `lists export NAME --csv -` and `filter --out -` write a file's rows to stdout: on a terminal, as text too.
    db = tmp_path / "copy.db"
    with sqlite3.connect(store_path) as source, sqlite3.connect(db) as target:
        source.backup(target)
    assert invoke(db, "lists", "create", "hostile", "--status", "all").exit_code == 0
    planned = tmp_path / "planned.csv"
    with planned.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["email", "name"])
        writer.writerows([f"new{n}@example.org", text] for n, text in enumerate(DIAGNOSTICS) if "\n" not in text)
    commands = [
        ("lists", "export", "hostile", "--csv", "-"),
        ("lists", "export", "hostile", "--json", "-"),
        ("filter", str(planned), "--out", "-"),
    ]
    for command in commands:
        code, shown = run_on_terminal(db, *command)
        assert code == 0, (command, shown[-2000:])
        assert "@example" in shown, (command, shown[-2000:])  # the rows were written
        for sequence in FORBIDDEN:
            assert sequence not in shown, (command, sequence, shown[-3000:])
