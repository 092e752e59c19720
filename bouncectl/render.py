"""Showing rows: one renderer for the three output formats (table, csv, json).

Data goes to stdout; messages go to stderr. Text from the store is always shown
as text: Rich markup is never interpreted, terminal control characters are made
visible, and CSV cells that a spreadsheet would run as a formula are neutralized.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from enum import Enum

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bouncectl.export import neutralize_formula

# C0 and C1 control characters (and DEL) become visible escapes in terminal output.
_CONTROL = {code: f"\\x{code:02x}" for code in [*range(32), *range(127, 160)]}


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
        out = sys.stdout
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n  " + json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt is OutputFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else neutralize_formula(row.get(c)) for c in columns])
            count += 1
        return count
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text(visible(row.get(c))) for c in columns))
        count += 1
    console.print(table)
    return count


def render_record(record: dict, console: Console) -> None:
    """One record as ``key: value`` lines (for details shown before a confirmation)."""
    for key, value in record.items():
        if value is not None and value != "":
            console.print(Text(f"  {key}: {visible(value)}"))
