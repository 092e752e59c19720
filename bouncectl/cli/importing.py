"""Importing: send logs and bounce reports in, their rejected rows, and explaining an input without storing it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from bouncectl.cli.common import (
    EXIT_REFUSED,
    EXIT_REJECTED_ROWS,
    FormatOption,
    err,
    fail,
    out,
    store_of,
)
from bouncectl.errors import BouncectlError
from bouncectl.model import ImportOptions
from bouncectl.output import OutputFormat, render, visible
from bouncectl.store import (
    REJECT_COLUMNS,
    Store,
)
from bouncectl.timeparse import zone
from bouncectl.usecases.importing import ImportSummary, import_source

PROGRESS_MIN_BYTES = 4 * 1024 * 1024


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
    if summary.rows_read == 0:
        return Text(
            f"{source} ({summary.format}): nothing in it reads as {summary.format} records; nothing imported "
            "(check --format)",
            style="yellow",
        )
    return Text(
        f"{source} ({summary.format}): {summary.rows_read:,} rows read, "
        f"{summary.events_stored:,} events stored, {summary.duplicates:,} duplicates, "
        f"{summary.rejected:,} rejected, {summary.newly_hard_bounced:,} contacts newly hard-bounced"
    )


def import_(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(help="Files or maildir folders to import; - reads stdin.")],
    format: Annotated[str | None, typer.Option("--format", help="Input format (detected when not given).")] = None,
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
            summary = _import_one(store, spec, options, format, strict)
        except BouncectlError as exc:
            fail(exc.message, exc.hint)
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
    columns = (TextColumn("importing {task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(spec, total=Path(spec).stat().st_size)
        return import_source(
            store, spec, options, format, strict, progress=lambda done, total: bar.update(task, completed=done)
        )


def rejects(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """Rows and messages that could not be imported, with file, line and error.

    Example: bouncectl rejects --format csv
    """
    render(store_of(ctx).rejects(), REJECT_COLUMNS, format, out, title="Rejected rows")


def explain_(
    files: Annotated[list[str], typer.Argument(help="Bounce messages (.eml, mbox, maildir) or any import file; - reads stdin.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Parse and classify bounces without storing them: one row per recipient, with the rule that decided.

    Example: bouncectl explain returned-mail.eml --format json
    """
    from bouncectl.usecases.explaining import COLUMNS, explain

    rows = list(explain(files))  # read every file first: an unreadable one prints nothing
    render(rows, list(COLUMNS), format, out, title="Explain")
