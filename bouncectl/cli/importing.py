"""Importing: send logs and bounce reports in, their rejected rows, and explaining an input without storing it."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from bouncectl import sources
from bouncectl.cli.common import (
    EXIT_REFUSED,
    EXIT_REJECTED_ROWS,
    FormatOption,
    WideOption,
    err,
    fail,
    out,
    store_of,
)
from bouncectl.cli.group import hint_for
from bouncectl.errors import BouncectlError
from bouncectl.model import ImportOptions
from bouncectl.output import OutputFormat, render, render_record, visible
from bouncectl.store import (
    REJECT_COLUMNS,
    Store,
)
from bouncectl.timeparse import zone
from bouncectl.usecases.explaining import COLUMNS as EXPLAIN_COLUMNS
from bouncectl.usecases.explaining import explain
from bouncectl.usecases.importing import ImportSummary, import_source

PROGRESS_MIN_BYTES = 4 * 1024 * 1024

# The formats --format accepts: the sources registry's, in its order.
InputFormat = Enum("InputFormat", {f.name: f.name for f in sources.formats()}, type=str)  # type: ignore[misc]


def _count(number: int, noun: str) -> str:
    """``1 row``, ``2 rows``, ``1,000 rows``."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _summary_line(summary: ImportSummary) -> Text:
    source = visible(summary.source)  # a file name may hold control characters
    if summary.already_imported:
        return Text(f"{source}: already imported (import #{summary.import_id}); nothing changed")
    if summary.format == "empty":
        return Text(f"{source}: the file is empty; nothing to import")
    if summary.strict_failed:
        return Text(
            f"{source} ({summary.format}): {summary.rejected} bad row(s); --strict: nothing was imported",
            style="yellow",
        )
    if summary.rows_read == 0 and summary.skipped:
        more = f" ({summary.skipped:,} such records)" if summary.skipped > 1 else ""
        return Text(f"{source} ({summary.format}): {visible(summary.skipped_what)}{more}; nothing to import")
    if summary.rows_read == 0:
        return Text(
            f"{source} ({summary.format}): nothing in it reads as {summary.format} records; nothing imported "
            "(check --format)",
            style="yellow",
        )
    return Text(
        f"{source} ({summary.format}): {_count(summary.rows_read, 'row')} read, "
        f"{_count(summary.events_stored, 'event')} stored, {_count(summary.duplicates, 'duplicate')}, "
        f"{summary.rejected:,} rejected, {_count(summary.newly_hard_bounced, 'contact')} newly hard-bounced"
        + (f"; skipped {summary.skipped:,} not to import ({visible(summary.skipped_what)})" if summary.skipped else "")
    )


def import_(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(help="Files or maildir folders to import; - reads stdin.")],
    format: Annotated[
        InputFormat | None, typer.Option("--format", case_sensitive=False, help="Input format (detected when not given).")
    ] = None,
    email_id: Annotated[str | None, typer.Option(help="The email id, for inputs that do not carry one.")] = None,
    third_party: Annotated[
        bool, typer.Option("--third-party", help="The contacts come from a purchased or rented list.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing from a file with any bad row.")] = False,
    tz: Annotated[str | None, typer.Option(help="Time zone of times without an offset (e.g. Europe/Paris).")] = None,
) -> None:
    """Import send logs and bounce reports.

    Example: bouncectl import examples/send-log.csv
    """
    try:
        zone(tz)
    except ValueError as exc:
        raise fail(str(exc), "use an IANA name such as America/New_York", code=2) from None
    store = store_of(ctx)
    options = ImportOptions(email_id=email_id, third_party=third_party, tz=tz)
    status = 0
    for spec in files:
        try:
            summary = _import_one(store, spec, options, format.value if format else None, strict)
        except BouncectlError as exc:
            fail(exc.message, hint_for(exc, "bouncectl import"))
            status = EXIT_REFUSED
            continue
        err.print(_summary_line(summary))
        if summary.rejected and not summary.already_imported:
            err.print(Text("hint: list the rejected rows with `bouncectl rejects`", style="dim"))
            status = status or EXIT_REJECTED_ROWS
    raise typer.Exit(status)


def _import_one(store: Store, spec: str, options: ImportOptions, format: str | None, strict: bool) -> ImportSummary:
    if not err.is_terminal or spec == "-" or not Path(spec).is_file() or Path(spec).stat().st_size < PROGRESS_MIN_BYTES:
        return import_source(store, spec, options, format, strict)
    # Loaded only for a bar that is shown (a large file, to a terminal): most imports never need it.
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Column

    columns = (
        # The file's name (not its path), shortened with an ellipsis before the figures are.
        TextColumn("importing {task.description}", markup=False,
                   table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1)),
        BarColumn(bar_width=24),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(visible(Path(spec).name), total=Path(spec).stat().st_size)
        return import_source(
            store, spec, options, format, strict, progress=lambda done, total: bar.update(task, completed=done)
        )


def rejects(ctx: typer.Context, format: FormatOption = OutputFormat.table, wide: WideOption = False) -> None:
    """Rows and messages that could not be imported, with file, line and error.

    Example: bouncectl rejects --format csv
    """
    render(store_of(ctx).rejects(), REJECT_COLUMNS, format, out, title="Rejected rows", view=REJECT_VIEW, wide=wide)


REJECT_VIEW = ["file", "line", "error"]
# Who, hard or soft, and why first (as ``bounced`` shows them), never left out on a narrow terminal: the
# line, the file and then the diagnostic give way first.
EXPLAIN_VIEW = ["recipient", "bounce_type", "reason", "file", "line", "diagnostic"]


def explain_(
    files: Annotated[list[str], typer.Argument(help="Bounce messages (.eml, mbox, maildir) or any import file; - reads stdin.")],
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """Parse and classify bounces without storing them: one row per recipient, with the rule that decided.

    Example: bouncectl explain returned-mail.eml --format json
    """
    rows = list(explain(files))  # read every file first: an unreadable one prints nothing
    if format is OutputFormat.table and len(rows) == 1 and not wide:
        render_record(rows[0], out, indent=0)  # one recipient: a record, every field named
        return
    render(rows, list(EXPLAIN_COLUMNS), format, out, title="Explain", view=EXPLAIN_VIEW, wide=wide,
           optional=["line"], keep=3)
