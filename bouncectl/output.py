"""The one row writer: rows as a table, CSV or JSON, to the terminal or to a file.

Data goes to stdout; messages go to stderr. Text from the store is always shown
as text: Rich markup is never interpreted, terminal control characters are made
visible (in CSV and JSON too when they go to a terminal; JSON always escapes
them), and CSV cells that a spreadsheet would run as a formula are neutralized.
Files are written whole or not at all (:func:`output_file`).
"""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from itertools import chain, islice
from pathlib import Path
from typing import TextIO, cast

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bouncectl.errors import BouncectlError

# C0 and C1 control characters (and DEL) become visible escapes in terminal output.
_CONTROL = {code: f"\\x{code:02x}" for code in [*range(32), *range(127, 160)]}
# json.dumps escapes C0 controls but writes DEL and C1 (a terminal's CSI, 0x9b) as they are.
_JSON_C1 = {code: f"\\u{code:04x}" for code in range(127, 160)}
# CSV or JSON on a terminal: every control character from the data is shown, but newline and tab.
_TERMINAL_CSV = {code: text for code, text in _CONTROL.items() if code not in (9, 10)}
_TERMINAL_JSON = {code: f"\\u{code:04x}" for code in _TERMINAL_CSV}


class _TerminalSafe:
    """A text stream to a terminal that shows the control characters written to it instead of running them."""

    def __init__(self, stream: TextIO, table: dict[int, str]):
        self._stream = stream
        self._table = table

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(self._table))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def for_terminal(stream: TextIO, json_output: bool = False) -> TextIO:
    """``stream`` itself, or when it is a terminal, a wrapper that keeps escape sequences in data from running."""
    if not stream.isatty():
        return stream
    return _TerminalSafe(stream, _TERMINAL_JSON if json_output else _TERMINAL_CSV)  # type: ignore[return-value]


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def visible(value: object) -> str:
    """A cell as safe terminal text."""
    if value is None:
        return ""
    return str(value).translate(_CONTROL)


def render(
    rows: Iterable[dict],
    columns: list[str],
    fmt: OutputFormat,
    console: Console,
    title: str | None = None,
) -> int:
    """Write rows to stdout in ``fmt``; returns how many were written."""
    count = 0
    if fmt is OutputFormat.json:
        return write_json(rows, columns, for_terminal(sys.stdout, json_output=True))
    if fmt is OutputFormat.csv:
        return write_csv(rows, columns, for_terminal(sys.stdout))
    rows = iter(rows)
    head = list(islice(rows, RICH_TABLE_ROWS + 1))
    if len(head) > RICH_TABLE_ROWS:
        return _plain_table(head, rows, columns, title)
    table = Table(title=visible(title) if title else None, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in head:
        table.add_row(*(Text(visible(row.get(c))) for c in columns))
        count += 1
    console.print(table)
    return count


# A framed table is laid out whole before it is shown, at about half a millisecond a row: past
# this many rows, rows are shown as they come, aligned on the widths of the first ones.
RICH_TABLE_ROWS = 1000


def _plain_table(first: list[dict], rest: Iterable[dict], columns: list[str], title: str | None) -> int:
    """The ``first`` rows, then the ``rest`` as they come, aligned on the widths of the first."""
    out = sys.stdout
    head = [[visible(row.get(c)) for c in columns] for row in first]
    # Widths in terminal cells: a wide character (as in many non-Latin scripts) takes two.
    widths = [max(cell_len(column), *(cell_len(cells[i]) for cells in head)) for i, column in enumerate(columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell + " " * (width - cell_len(cell)) for cell, width in zip(cells, widths)).rstrip() + "\n"

    if title:
        out.write(visible(title) + "\n")
    out.write(line(columns))
    out.write(line(["-" * width for width in widths]))
    count = 0
    for cells in chain(head, ([visible(row.get(c)) for c in columns] for row in rest)):
        out.write(line(cells))
        count += 1
    return count


def render_record(record: dict, console: Console) -> None:
    """One record as ``key: value`` lines (for details shown before a confirmation)."""
    for key, value in record.items():
        if value is not None and value != "":
            console.print(Text(f"  {key}: {visible(value)}"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: object) -> object:
    """Text a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict], columns: list[str], handle: TextIO, delimiter: str = ",") -> int:
    """Rows as CSV, header first, formulas neutralized; returns the count."""
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralize_formula(row.get(c)) for c in columns])
        count += 1
    return count


def write_json(rows: Iterable[dict], columns: list[str], handle: TextIO, escape_c1: bool = True) -> int:
    """Rows as one JSON array, a record a line; returns the count. With ``escape_c1``, DEL and the
    C1 controls (which ``json.dumps`` leaves as they are) are escaped too, as a listing shows them."""
    count = 0
    handle.write("[")
    for row in rows:
        record = json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False)
        if escape_c1:
            record = record.translate(_JSON_C1)
        handle.write(("," if count else "") + "\n  " + record)
        count += 1
    handle.write("\n]\n" if count else "]\n")
    return count


def write_rows(rows: Iterable[dict], columns: list[str], handle: TextIO, kind: str) -> int:
    """Rows to a file as ``kind`` (``csv`` or ``json``, see :func:`write_csv`, :func:`write_json`); returns the count."""
    if kind == "csv":
        return write_csv(rows, columns, handle)
    return write_json(rows, columns, handle, escape_c1=False)


# --- files ----------------------------------------------------------------------------------------


@contextmanager
def output_file(destination: str, json_output: bool = False, protected: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A text file to write, put in place only when the writing succeeds (``-`` is stdout, made
    safe with :func:`for_terminal` when it is a terminal; ``json_output`` says what it will get).

    A regular file (or a new path) is written beside the target and renamed over it, so a
    failure never leaves half a file; it gets the permissions of the file it replaces, else
    those of a new file (umask). A symbolic link is followed: the file it names is replaced,
    the link kept. Anything else that is not a folder (a named pipe, a terminal, ``/dev/null``,
    ``/dev/stdout``, ``/dev/fd/N``) is written into as it is, never replaced.

    A destination that is one of the ``protected`` files (the store, its ``-wal`` and ``-shm``,
    the command's inputs), by path or by identity, is refused before anything is written.
    """
    if destination == "-":
        yield for_terminal(sys.stdout, json_output=json_output)
        sys.stdout.flush()
        return
    refuse_protected(destination, protected)
    try:
        found: os.stat_result | None = os.stat(destination)  # through links: what is written is what they name
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise BouncectlError(f"{destination}: {exc.strerror or exc}", "check the path") from None
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise BouncectlError(f"{destination}: is a folder", "give a file name")
    if found is not None and not stat.S_ISREG(found.st_mode):
        yield from _write_into(destination)
        return
    target = Path(os.path.realpath(destination))
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
            "w", encoding="utf-8", newline="", dir=target.parent, prefix=f".{target.name}.", delete=False
        )
    except OSError as exc:
        raise BouncectlError(f"{destination}: {exc.strerror or exc}", "check that the folder exists") from None
    with handle:
        try:
            yield cast(TextIO, handle)
        except BaseException:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
            raise
    os.chmod(handle.name, _mode_for(target))
    os.replace(handle.name, target)


def _write_into(destination: str) -> Iterator[TextIO]:
    """Write straight into a pipe, a device or an open descriptor (nothing there to replace)."""
    try:
        handle = open(destination, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise BouncectlError(f"{destination}: {exc.strerror or exc}", "check the path") from None
    with handle:
        yield cast(TextIO, handle)


def refuse_protected(destination: str, protected: Iterable[Path]) -> None:
    """Refuse to write over a file the command reads or keeps (compared by resolved path, and by
    device and inode, so that a hard link or another spelling of the path is caught too)."""
    resolved = os.path.realpath(destination)
    try:
        found = os.stat(destination)
        identity: tuple[int, int] | None = (found.st_dev, found.st_ino)
    except OSError:
        identity = None
    for path in protected:
        if str(path) in ("-", ":memory:", ""):
            continue
        same = os.path.realpath(path) == resolved
        if not same and identity is not None:
            try:
                other = os.stat(path)
            except OSError:
                other = None
            same = other is not None and stat.S_ISREG(other.st_mode) and (other.st_dev, other.st_ino) == identity
        if same:
            raise BouncectlError(
                f"{destination}: is {path}, which this command reads or keeps; nothing was written",
                "write the output to another file",
            )


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
