"""Reports: bounced and not-sent recipients, contacts, exports and send statistics."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from bouncectl.cli.common import (
    BounceTypeChoice,
    FormatOption,
    ProviderOption,
    ReasonOption,
    StatusChoice,
    WideOption,
    err,
    fail,
    out,
    store_of,
)
from bouncectl.output import OutputFormat, output_file, render, show, visible
from bouncectl.store import (
    BOUNCED_COLUMNS,
    CONTACT_COLUMNS,
    NOT_SENT_COLUMNS,
    Store,
)

# The use cases of `export` and `stats` are imported by those commands when they run: `bounced`,
# `not-sent` and `contacts` only read the store.
if TYPE_CHECKING:  # Rich is loaded by the stats table only
    from rich.table import Table
    from rich.text import Text


def bounced(
    ctx: typer.Context,
    email_id: Annotated[str, typer.Option(help="The email (campaign) id.")],
    type: Annotated[BounceTypeChoice, typer.Option("--type", help="hard, soft or all.")] = BounceTypeChoice.all,
    reason: ReasonOption = None,
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """Who bounced on an email, hard or soft, and why.

    Example: bouncectl bounced --email-id 2026-11-newsletter --type hard
    """
    rows = store_of(ctx).bounced(email_id, type.value, reason.value if reason else None)
    render(rows, BOUNCED_COLUMNS, format, out, title=f"Bounced: {email_id}", view=BOUNCED_VIEW, wide=wide,
           optional=["bounced_at"], keep=3)


# The columns a person reads first, in the table view (--wide: all of them); of the bounced, the first three
# (who, hard or soft, and why) stay however narrow the terminal.
BOUNCED_VIEW = ["recipient", "bounce_type", "reason", "bounced_at", "diagnostic"]
CONTACT_VIEW = ["email", "status", "hard_bounce_reason", "hard_bounced_at", "bounces"]


def not_sent(
    ctx: typer.Context,
    email_id: Annotated[str, typer.Option(help="The email (campaign) id.")],
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """The email's not-sent recipients and why.

    Example: bouncectl not-sent --email-id 2026-11-newsletter
    """
    render(store_of(ctx).not_sent(email_id), NOT_SENT_COLUMNS, format, out, title=f"Not sent: {email_id}", wide=wide)


def contacts(
    ctx: typer.Context,
    status: Annotated[StatusChoice, typer.Option(help="Only contacts with this status.")] = StatusChoice["all"],
    hard_bounce_reason: ReasonOption = None,
    domain: Annotated[str | None, typer.Option(help="Only addresses at this domain.")] = None,
    format: FormatOption = OutputFormat.table,
    wide: WideOption = False,
) -> None:
    """Contacts and their bounce status.

    Example: bouncectl contacts --status hard_bounced --hard-bounce-reason userunknown
    """
    reason = hard_bounce_reason.value if hard_bounce_reason else None
    rows = store_of(ctx).contacts(status=status.value, hard_bounce_reason=reason, domain=domain)
    render(rows, CONTACT_COLUMNS, format, out, title="Contacts", view=CONTACT_VIEW, wide=wide)


def _write_export(store: Store, destination: str, kind: str, email_id: str | None) -> int:
    from bouncectl.usecases.exporting import export as export_rows

    with output_file(destination, json_output=kind == "json", protected=store.files()) as handle:
        return export_rows(store, handle, kind, email_id)


def export(
    ctx: typer.Context,
    path: Annotated[str | None, typer.Argument(help="With --suppressions: the file to write.")] = None,
    csv_path: Annotated[str | None, typer.Option("--csv", help="Write CSV to this file (- for stdout).")] = None,
    json_path: Annotated[str | None, typer.Option("--json", help="Write JSON to this file (- for stdout).")] = None,
    email_id: Annotated[str | None, typer.Option(help="One row per recipient of this email.")] = None,
    suppressions: Annotated[
        bool, typer.Option("--suppressions", help="The unsendable addresses, in the file --for's provider imports.")
    ] = False,
    provider: ProviderOption = None,
) -> None:
    """Export an email's recipients with outcomes and bounce reasons, or every contact with bounce data.

    Example: bouncectl export --csv bounces.csv --email-id 2026-11-newsletter
    (or: bouncectl export --suppressions --for ses ses-suppressions.csv)
    """
    if suppressions:
        from bouncectl.cli.suppressions import export_suppressions

        export_suppressions(ctx, provider, path)
        return
    if path is not None or provider is not None:
        raise fail("a PATH and --for go with --suppressions", "e.g. export --suppressions --for ses ses.csv", code=2)
    if (csv_path is None) == (json_path is None):
        raise fail("give exactly one of --csv PATH or --json PATH", "e.g. --csv bounces.csv", code=2)
    kind, destination = ("csv", csv_path) if csv_path is not None else ("json", json_path)
    try:
        count = _write_export(store_of(ctx), destination, kind, email_id)  # type: ignore[arg-type]
    except BrokenPipeError:
        raise  # the reader went away: not a failure (see BouncectlGroup)
    except OSError as exc:
        raise fail(f"{destination}: {exc.strerror or exc}", "check the path and its folder") from None
    if destination != "-":
        err.print(f"wrote {count:,} rows to {visible(destination)}")


class StatsBy(str, Enum):
    reason = "reason"
    domain = "domain"
    email = "email"
    month = "month"


# The chart: hard and soft bounces as two characters that read without colour.
HARD_MARK, SOFT_MARK, CLIPPED_MARK = "█", "░", "›"
BAR_MIN, BAR_MAX = 8, 30
CHART_ROOM = 12  # below this many cells for the chart, the count columns give way
BAR_MIN_SCALE = 0.05  # a bar is never scaled to less than a 5% bounce rate
# Groups with fewer sends (a test send to a few colleagues) do not set the chart's scale:
# their bars are clipped at its end (›) when they pass it.
SCALE_MIN_SENDS = 20


def _bar(parts: list[tuple[float, str, str]], scale: float, width: int) -> Text:
    """A horizontal bar of ``width`` cells at most, one run of characters per part; ``scale`` fills it."""
    from rich.text import Text

    bar = Text()
    for value, mark, style in parts:
        if value and scale:
            bar.append(mark * max(1, round(value / scale * width)), style=style)
    if bar.cell_len > width:
        bar.truncate(width - 1)
        bar.append(CLIPPED_MARK)
    return bar


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.2%}"


def _chart_width(cells: list[list[str]], headers: list[str], room: int) -> int:
    """What is left of ``room`` for the chart after the other columns (two cells between columns)."""
    widths = [max(len(h), *(len(row[i]) for row in cells)) if cells else len(h) for i, h in enumerate(headers)]
    return max(BAR_MIN, min(BAR_MAX, room - sum(widths) - 2 * len(widths)))


def _stats_table(rows: list[dict], by: str | None, title: str, room: int, boxed: bool) -> tuple[Table, str]:
    """The table, and the line under it that says how to read its chart."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from bouncectl.usecases import stats as send_stats

    table = Table(title=visible(title) if boxed else None, title_justify="left", title_style="bold" if boxed else "",
                  header_style="bold" if boxed else "", box=box.SIMPLE_HEAD if boxed else None, show_edge=False,
                  pad_edge=False, padding=(0, 1, 0, 0) if boxed else (0, 1))
    if by == "reason":
        headers = ["reason", "type", "bounces", "share", "of sends"]
        cells = [[visible(r["reason"]), r["bounce_type"] or "", f"{r['bounces']:,}", _percent(r["share_of_bounces"]),
                  _percent(r["rate"])] for r in rows]
        width = _chart_width(cells, headers, room)
        scale = max((r["share_of_bounces"] or 0 for r in rows), default=0)
        for header in headers:
            table.add_column(header, no_wrap=True, justify="left" if header in ("reason", "type") else "right")
        table.add_column("share of bounces", no_wrap=True, width=width)
        for r, row in zip(rows, cells):
            mark, style = (HARD_MARK, "red") if r["bounce_type"] == "hard" else (SOFT_MARK, "yellow")
            table.add_row(*row, _bar([(r["share_of_bounces"] or 0, mark, style)], scale, width))
        return table, f"{HARD_MARK} hard  {SOFT_MARK} soft  (a full bar: {_percent(scale)} of the bounces)"
    key = send_stats.KEY_COLUMN[by]
    headers = [key, "sends", "hard", "hard %", "soft", "soft %", "compl.", "unsub."]
    cells = [[visible(r[key]), f"{r['sends']:,}", f"{r['hard_bounces']:,}", _percent(r["hard_bounce_rate"]),
              f"{r['soft_bounces']:,}", _percent(r["soft_bounce_rate"]), f"{r['complaints']:,}",
              f"{r['unsubscribes']:,}"] for r in rows]
    keep = list(range(len(headers)))
    if _chart_width(cells, headers, room) < CHART_ROOM:  # a narrow terminal: the rates, not the counts
        keep = [0, 1, 3, 5, 6, 7]
    headers, cells = [headers[i] for i in keep], [[row[i] for i in keep] for row in cells]
    width = _chart_width(cells, headers, room)
    scale = max([BAR_MIN_SCALE, *((r["bounce_rate"] or 0) for r in rows if (r["sends"] or 0) >= SCALE_MIN_SENDS)])
    for header in headers:
        table.add_column(header, no_wrap=True, overflow="ellipsis", justify="left" if header == key else "right")
    table.add_column("bounces", no_wrap=True, width=width)
    for r, row in zip(rows, cells):
        styles = {"hard %": "bold red" if (r["hard_bounce_rate"] or 0) > send_stats.HARD_BOUNCE_RATE_LIMIT else "",
                  "compl.": "bold red" if (r["complaint_rate"] or 0) > send_stats.COMPLAINT_RATE_LIMIT else ""}
        table.add_row(
            *(Text(cell, style=styles.get(header, "")) for header, cell in zip(headers, row)),
            _bar([(r["hard_bounce_rate"] or 0, HARD_MARK, "red"), (r["soft_bounce_rate"] or 0, SOFT_MARK, "yellow")],
                 scale, width),
        )
    legend = f"{HARD_MARK} hard  {SOFT_MARK} soft  (a full bar: {_percent(scale)} of sends; {CLIPPED_MARK} past it)"
    return table, legend


def stats_(
    ctx: typer.Context,
    email_id: Annotated[str | None, typer.Option(help="Only this email (campaign).")] = None,
    by: Annotated[StatsBy | None, typer.Option(help="Group by reason, domain, email or month.")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Sends, deliveries, hard and soft bounces, not sent, complaints and their rates.

    Warns when an email's hard bounce rate passes 2% or its complaint rate passes 0.1%.

    Example: bouncectl stats --email-id 2026-11-newsletter --by domain
    """
    from rich.text import Text

    from bouncectl.usecases import stats as send_stats

    store = store_of(ctx)
    grouping = by.value if by else None
    rows = send_stats.stats(store, email_id, grouping)
    if format is OutputFormat.table:
        title = f"Stats: {email_id or 'all emails'}" + (f" by {grouping}" if grouping else "")
        terminal = out.is_terminal
        table, legend = _stats_table(list(rows), grouping, title, out.width if terminal else 200, terminal)
        show(table, out)
        if terminal:
            out.print(Text(legend, style="dim"))
    else:
        render(rows, send_stats.columns(grouping), format, out)
    found = list(send_stats.warnings(store, email_id))
    if found:
        err.print()  # after the table, one block
    for warning in found:
        err.print(Text("warning: ", style="bold yellow") + Text(visible(warning.message)))
