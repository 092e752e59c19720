"""The one row writer: rows as a table, CSV or JSON, to the terminal or to a file.

Data goes to stdout; messages go to stderr. Text from the store is always shown
as text: Rich markup is never interpreted, terminal control characters are made
visible (in CSV and JSON too when they go to a terminal; JSON always escapes
them), and CSV cells that a spreadsheet would run as a formula are neutralized.
Files are written whole or not at all (:func:`output_file`).
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from bouncectl.errors import BouncectlError

# What only one way of writing needs is imported by it: the csv module by CSV, tempfile and glob
# by a file written in place (output_file), Rich by the table view. A command writing JSON to
# stdout, or one line, loads none of them.

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table

# C0 and C1 control characters (and DEL) become visible escapes in terminal output, and so do the
# characters that reorder or hide text on screen: bidirectional overrides, embeddings, isolates and
# marks (a right-to-left override shows "moc.elpmaxe@" for "example.com@"), and line separators.
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
_CONTROL = {
    **{code: f"\\x{code:02x}" for code in [*range(32), *range(127, 160)]},
    **{code: f"\\u{code:04x}" for code in _BIDI},
}
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
    jsonl = "jsonl"


def visible(value: object) -> str:
    """A cell, a file name or any text from outside as safe terminal text: the one sanitiser for
    what reaches a terminal (control and bidirectional characters shown as escapes; the consoles
    never read markup, and Rich's own columns are given ``markup=False``)."""
    if value is None:
        return ""
    return str(value).translate(_CONTROL)


# --- the table view -------------------------------------------------------------------------------

# Free text: the one kind of column that gives up width first, shortened with an ellipsis.
FREE_TEXT = {"diagnostic", "message", "detail", "error", "raw", "filters", "meaning", "note", "rule"}
FREE_TEXT_MIN = 12
FREE_TEXT_READABLE = 30  # before free text gets less, the view's optional columns are left out
# Short headers for long column names whose values are short (the table view only).
HEADERS = {"bounce_type": "type", "hard_bounce_reason": "reason", "hard_bounced_at": "bounced_at",
           "not_sent_reason": "why not sent", "enhanced_status": "status", "smtp_code": "smtp",
           "total_contacts": "contacts", "quota_remaining": "quota left", "bounce_event_id": "bounce"}
# An identifier, a code word or an address may be shortened (with an ellipsis) down to this
# many cells when the terminal is too narrow for it whole; a timestamp never is.
WORD_MIN = 10
# Compiled by the first table cell that needs it (re keeps it), not by every command.
_ISO_TIME = r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)?"


def is_time_column(name: str) -> bool:
    return name == "at" or name.endswith("_at")


def table_cell(column: str, value: object) -> str:
    """A value as the table view shows it: a store timestamp to the minute (``2026-11-24 09:16``)."""
    text = visible(value)
    if is_time_column(column):
        text = re.sub(_ISO_TIME, r"\1 \2", text)
    return text


def _header(column: str, wide: bool) -> str:
    return column if wide else HEADERS.get(column, column)


def fit_widths(
    columns: list[str], headers: list[str], rows: list[list[str]], room: int | None, optional: Iterable[str] = (),
    keep: int = 2,
) -> list[int]:
    """Each column's width in cells, to fit ``room`` cells (``None``: no limit); 0 leaves a column out.

    Columns take the width of their widest cell. When that is too wide, free text gives up
    width first, down to a readable part (:data:`FREE_TEXT_READABLE`); then the ``optional``
    columns are left out; then free text goes down to a few words; then the last columns are
    left out (but the first ``keep``); then identifiers and addresses are shortened. A timestamp or
    a number is never cut. Free text empty in every row is left out before all of that.
    """
    from rich.cells import cell_len

    natural = [max(cell_len(header), *(cell_len(cells[i]) for cells in rows)) if rows else cell_len(header)
               for i, header in enumerate(headers)]
    fit = _Fit(columns, natural, room if room is not None else sum(natural) + COLUMN_GAP * len(natural))
    if fit.fits():
        return fit.widths
    # Free text that no row has says nothing: it gives way before any column that does.
    fit.leave_out(i for i in fit.free if rows and not any(cells[i] for cells in rows))
    optional = set(optional)
    fit.shrink_free_text(FREE_TEXT_READABLE)
    fit.leave_out(i for i in reversed(range(len(columns))) if columns[i] in optional)
    fit.grow_free_text()  # what the optional columns left is the free text's again
    fit.shrink_free_text(FREE_TEXT_MIN)
    fit.leave_out(i for i in reversed(range(keep, len(columns))) if i not in fit.free)
    fit.grow_free_text()
    fit.leave_out(fit.free)  # free text left out before any identifier is shortened
    fit.shorten_words()
    return fit.widths


class _Fit:
    """Column widths on their way to fitting a width (see :func:`fit_widths`)."""

    def __init__(self, columns: list[str], natural: list[int], room: int):
        self.columns, self.natural, self.room = columns, natural, room
        self.widths = list(natural)
        self.free = [i for i, c in enumerate(columns) if c in FREE_TEXT]

    def used(self) -> int:
        shown = [w for w in self.widths if w]
        return sum(shown) + COLUMN_GAP * (len(shown) - 1)

    def fits(self) -> bool:
        return self.used() <= self.room

    def shrink_free_text(self, least: int) -> None:
        for i in self.free:
            if self.widths[i]:
                self.widths[i] = max(min(self.natural[i], least), self.widths[i] - (self.used() - self.room))

    def grow_free_text(self) -> None:
        for i in self.free:
            if self.widths[i]:
                self.widths[i] = min(self.natural[i], self.widths[i] + max(0, self.room - self.used()))

    def leave_out(self, indexes: Iterable[int]) -> None:
        for i in indexes:
            if self.fits():
                return
            self.widths[i] = 0

    def shorten_words(self) -> None:
        for i in sorted(range(len(self.columns)), key=lambda i: -self.widths[i]):
            if self.fits():
                return
            if self.widths[i] and not is_time_column(self.columns[i]):
                self.widths[i] = max(min(self.widths[i], WORD_MIN), self.widths[i] - (self.used() - self.room))


COLUMN_GAP = 2


def _table(columns: list[str], headers: list[str], widths: list[int], boxed: bool, title: str | None,
           show_header: bool, numeric: set[str]) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=title, box=box.SIMPLE_HEAD if boxed else None, show_edge=False, pad_edge=False,
        # Two cells between columns: a rule's gap and one of padding, or two of padding.
        padding=(0, 1, 0, 0) if boxed else (0, 1),
        header_style="bold" if boxed else "", show_header=show_header, title_justify="left",
        title_style="bold" if boxed else "",
    )
    for column, header, width in zip(columns, headers, widths):
        if width:
            table.add_column(header, width=width, no_wrap=True, overflow="ellipsis",
                             justify="right" if column in numeric else "left")
    return table


def render(
    rows: Iterable[dict],
    columns: list[str],
    fmt: OutputFormat,
    console: Console,
    title: str | None = None,
    view: list[str] | None = None,
    wide: bool = False,
    optional: Iterable[str] = (),
    keep: int = 2,
) -> int:
    """Write rows to stdout in ``fmt``; returns how many were written.

    CSV and JSON get every column. The table view gets the ``view`` columns (the ones a
    person reads first, in order; ``optional`` ones among them give way to free text on a narrow
    terminal, and the first ``keep`` are never left out), or every column with ``wide``, sized to
    the terminal:
    a table of more than :data:`TABLE_CHUNK` rows is laid out on its first rows and then
    streamed in the same layout. When stdout is not a terminal, the table is plain (no
    lines, no title, every column at its full width).
    """
    if fmt is OutputFormat.json:
        return write_json(rows, columns, for_terminal(sys.stdout, json_output=True))
    if fmt is OutputFormat.jsonl:
        return write_jsonl(rows, columns, for_terminal(sys.stdout, json_output=True))
    if fmt is OutputFormat.csv:
        return write_csv(rows, columns, for_terminal(sys.stdout))
    from rich.text import Text

    shown = columns if wide or view is None else view
    rows = iter(rows)
    first = list(islice(rows, TABLE_CHUNK))
    terminal = console.is_terminal
    headers = [_header(c, wide) for c in shown]
    head = [[table_cell(c, row.get(c)) for c in shown] for row in first]
    numeric = {c for c in shown if first and all(isinstance(r.get(c), int | float) or r.get(c) is None for r in first)}
    # ``optional`` and ``keep`` name columns of the view; with ``wide`` every column shows, in its own order.
    widths = fit_widths(shown, headers, head, console.width if terminal else None, () if wide else optional,
                        2 if wide else keep)
    count = 0
    table = _table(shown, headers, widths, terminal, visible(title) if title and terminal else None, True, numeric)
    while True:
        for cells in head:
            table.add_row(*(Text(cell) for cell, width in zip(cells, widths) if width))
            count += 1
        show(table, console)
        head = [[table_cell(c, row.get(c)) for c in shown] for row in islice(rows, TABLE_CHUNK)]
        if not head:
            return count
        if not terminal:  # no width to keep to: a later part widens its columns, and no cell is cut
            widths = [max(w, n) for w, n in zip(widths, fit_widths(shown, headers, head, None, ()))]
        table = _table(shown, headers, widths, terminal, None, False, numeric)


def show(table: RenderableType, console: Console) -> None:
    """A table on ``console``; when that is not a terminal, as plain lines at their full width."""
    if console.is_terminal:
        console.print(table)
        return
    from rich.console import Console

    plain = Console(file=io.StringIO(), width=100_000, color_system=None, highlight=False, markup=False, emoji=False)
    plain.print(table)
    console.file.write("".join(line.rstrip() + "\n" for line in plain.file.getvalue().splitlines()))  # type: ignore[attr-defined]


# A table is laid out on its first this many rows and shown in parts of this size, so a long
# one starts at once and never holds more than this many rows in memory.
TABLE_CHUNK = 1000


def render_record(record: dict, console: Console, indent: int = 2) -> None:
    """One record as aligned ``key  value`` lines (a single result, or details before a confirmation).

    Empty values are left out; a long value wraps at word ends in its own column.
    """
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2, 0, 0), pad_edge=False)
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    for key, value in record.items():
        if value is not None and value != "":
            grid.add_row(key, Text(table_cell(key, value)))
    show(Padding(grid, (0, 0, 0, indent)) if indent else grid, console)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formula(value: object) -> object:
    """Text a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict], columns: list[str], handle: TextIO, delimiter: str = ",") -> int:
    """Rows as CSV, header first, formulas neutralized; returns the count."""
    import csv

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


def write_jsonl(rows: Iterable[dict], columns: list[str], handle: TextIO) -> int:
    """Rows as newline-delimited JSON, one object a line (for ``jq`` and streaming); returns the count."""
    count = 0
    for row in rows:
        handle.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False).translate(_JSON_C1) + "\n")
        count += 1
    return count


def write_rows(rows: Iterable[dict], columns: list[str], handle: TextIO, kind: str) -> int:
    """Rows to a file as ``kind`` (``csv`` or ``json``, see :func:`write_csv`, :func:`write_json`); returns the count."""
    if kind == "csv":
        return write_csv(rows, columns, handle)
    return write_json(rows, columns, handle, escape_c1=False)


# --- files ----------------------------------------------------------------------------------------


# Temporary files are named ``.<target>.bouncectl-<random>.tmp`` beside their target; one left by a
# killed run is removed by the next write to that target once it is this old (seconds).
TEMP_PREFIX = "bouncectl-"
TEMP_SUFFIX = ".tmp"
STALE_TEMP_AGE = 3600.0
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@contextmanager
def output_file(destination: str, json_output: bool = False, protected: Iterable[Path] = ()) -> Iterator[TextIO]:
    """A text file to write, put in place only when the writing succeeds (``-`` is stdout, made
    safe with :func:`for_terminal` when it is a terminal; ``json_output`` says what it will get).

    A regular file (or a new path) is written beside the target and renamed over it, so a
    failure (a full disk too) never leaves half a file, nor the temporary one; it gets the permissions of the file it replaces, else
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
    import tempfile

    target = Path(os.path.realpath(destination))
    remove_stale_temp_files(target)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
            "w",
            encoding="utf-8",
            newline="",
            dir=target.parent,
            prefix=f".{target.name}.{TEMP_PREFIX}",
            suffix=TEMP_SUFFIX,
            delete=False,
        )
    except OSError as exc:
        raise BouncectlError(f"{destination}: {exc.strerror or exc}", "check that the folder exists") from None
    temporary = Path(handle.name)
    try:
        with handle:
            yield cast(TextIO, handle)
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        if exc.errno in _NO_SPACE:
            raise BouncectlError(
                f"{destination}: cannot write the file: {exc.strerror}; it was left as it was",
                "free some space (or write elsewhere) and run the command again",
            ) from None
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_temp_files(target: Path, age: float = STALE_TEMP_AGE) -> None:
    """Remove the temporary files of ``target`` that an earlier, killed run left (older than ``age``)."""
    import glob

    cutoff = time.time() - age
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        try:
            if leftover.is_file() and not leftover.is_symlink() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except OSError:
            continue  # another run removed it, or it is not ours to remove


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
