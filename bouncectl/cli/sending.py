"""Sending: filtering a send list, and saved lists of contacts."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from bouncectl.cli.common import (
    FormatOption,
    ReasonOption,
    StatusChoice,
    WideOption,
    err,
    fail,
    out,
    store_of,
)
from bouncectl.cli.group import BouncectlGroup
from bouncectl.cli.reports import CONTACT_VIEW
from bouncectl.output import OutputFormat, output_file, render, visible
from bouncectl.store import (
    CONTACT_COLUMNS,
)
from bouncectl.usecases import filtering as planning


def filter_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The planned list: CSV with an email column, or one address a line; - is stdin.")],
    out: Annotated[str, typer.Option("--out", help="Write the sendable rows here (- for stdout).")],
    not_sent_path: Annotated[
        str | None, typer.Option("--not-sent", help="Write the not-sent rows here, with not_sent_reason.")
    ] = None,
    email_id: Annotated[
        str | None, typer.Option(help="Record the not-sent recipients as this email's not_sent events.")
    ] = None,
    column: Annotated[str | None, typer.Option(help="The email column's name (detected when not given).")] = None,
    group: Annotated[
        str | None, typer.Option(help="The send is for this group or list: its unsubscribers are not sent to.")
    ] = None,
) -> None:
    """Split a planned recipient list into sendable and not sent, each not-sent row with its reason.

    Example: bouncectl filter planned.csv --out sendable.csv --not-sent not-sent.csv --email-id 2026-12-newsletter
    """
    if not_sent_path is not None and not_sent_path == out:
        raise fail("--out and --not-sent name the same file", "give two different files", code=2)
    store = store_of(ctx)
    protected = [*store.files(), Path(file)]
    with output_file(out, protected=protected) as sendable, (
        output_file(not_sent_path, protected=protected) if not_sent_path is not None else nullcontext(None)
    ) as not_sent_file:
        summary = planning.filter_list(store, file, sendable, not_sent_file, column=column, email_id=email_id, group=group)
    where = f"column {summary.column!r}" if summary.column else "one address a line"
    reasons = ", ".join(f"{reason} {count:,}" for reason, count in summary.by_reason())
    err.print(
        Text(f"{visible(summary.source)} ({where}): {summary.rows:,} rows, {summary.sendable:,} sendable, ")
        + Text(f"{summary.not_sent_total:,} not sent", style="yellow" if summary.not_sent_total else "")
        + Text(f" ({reasons})" if reasons else ""),
        soft_wrap=True,
    )
    if email_id is not None:
        err.print(f"recorded {summary.recorded:,} new not-sent recipients for {visible(email_id)}", soft_wrap=True)


lists_app = typer.Typer(cls=BouncectlGroup, rich_markup_mode=None, add_completion=False)


@lists_app.callback(invoke_without_command=True)
def lists_(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """Saved contact filters; with no subcommand, list them and how many contacts each matches now.

    Example: bouncectl lists create unknown-at-example --hard-bounce-reason userunknown --domain example.com
    """
    if ctx.invoked_subcommand is None:
        render(planning.saved_lists(store_of(ctx)), planning.LIST_COLUMNS, format, out, title="Saved lists")


@lists_app.command("create")
def lists_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The list's name.")],
    status: Annotated[StatusChoice, typer.Option(help="Only contacts with this status.")] = StatusChoice["all"],
    hard_bounce_reason: ReasonOption = None,
    domain: Annotated[str | None, typer.Option(help="Only addresses at this domain.")] = None,
    bounced_since: Annotated[
        str | None, typer.Option(help="Hard-bounced on or after this date, or within a window such as 30d or 2w.")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace a list of the same name.")] = False,
) -> None:
    """Save a named contact filter (the filters of `contacts`, plus --bounced-since).

    Example: bouncectl lists create recent-unknown --hard-bounce-reason userunknown --bounced-since 30d
    """
    reason = hard_bounce_reason.value if hard_bounce_reason else None
    filters = planning.list_filters(status.value, reason, domain, bounced_since)
    count = planning.create_list(store_of(ctx), name, filters, replace=replace)
    err.print(
        f"saved list {visible(repr(name.strip()))} ({visible(planning.describe_filters(filters))}): {count:,} contacts match now"
    )


@lists_app.command("show")
def lists_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A saved list.")],
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """The contacts a saved list matches now.

    Example: bouncectl lists show recent-unknown --format csv
    """
    rows = planning.list_contacts(store_of(ctx), name)
    render(rows, CONTACT_COLUMNS, format, out, title=f"List: {name}", view=CONTACT_VIEW, wide=wide)


@lists_app.command("export")
def lists_export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A saved list.")],
    csv_path: Annotated[str | None, typer.Option("--csv", help="Write CSV to this file (- for stdout).")] = None,
    json_path: Annotated[str | None, typer.Option("--json", help="Write JSON to this file (- for stdout).")] = None,
) -> None:
    """Export the contacts a saved list matches now.

    Example: bouncectl lists export recent-unknown --csv recent-unknown.csv
    """
    if (csv_path is None) == (json_path is None):
        raise fail("give exactly one of --csv PATH or --json PATH", "e.g. --csv list.csv", code=2)
    kind, destination = ("csv", csv_path) if csv_path is not None else ("json", json_path)
    store = store_of(ctx)
    planning.saved_list_filters(store, name)  # a missing or damaged list fails before any file is written
    with output_file(destination, json_output=kind == "json", protected=store.files()) as handle:  # type: ignore[arg-type]
        count = planning.export_list(store, name, handle, kind)
    if destination != "-":
        err.print(f"wrote {count:,} contacts to {visible(destination)}")


@lists_app.command("delete")
def lists_delete(ctx: typer.Context, name: Annotated[str, typer.Argument(help="A saved list.")]) -> None:
    """Delete a saved list (the contacts are not touched).

    Example: bouncectl lists delete recent-unknown
    """
    store_of(ctx).delete_list(name)
    err.print(f"deleted list {visible(repr(name))}")
