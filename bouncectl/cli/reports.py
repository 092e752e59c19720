"""Reports: bounced and not-sent recipients, contacts, exports and send statistics."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from bouncectl.cli.common import (
    BounceTypeChoice,
    FormatOption,
    StatusChoice,
    err,
    fail,
    out,
    store_of,
)
from bouncectl.output import OutputFormat, output_file, render, visible
from bouncectl.store import (
    BOUNCED_COLUMNS,
    CONTACT_COLUMNS,
    NOT_SENT_COLUMNS,
    Store,
)
from bouncectl.usecases import stats as send_stats
from bouncectl.usecases.exporting import export as export_rows


def bounced(
    ctx: typer.Context,
    email_id: Annotated[str, typer.Option(help="The email (campaign) id.")],
    type: Annotated[BounceTypeChoice, typer.Option("--type", help="hard, soft or all.")] = BounceTypeChoice.all,
    reason: Annotated[str | None, typer.Option(help="Only this bounce reason (e.g. userunknown).")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Who bounced on an email, hard or soft, and why.

    Example: bouncectl bounced --email-id 2026-11-newsletter --type hard
    """
    rows = store_of(ctx).bounced(email_id, type.value, reason)
    render(rows, BOUNCED_COLUMNS, format, out, title=f"Bounced: {email_id}")


def not_sent(
    ctx: typer.Context,
    email_id: Annotated[str, typer.Option(help="The email (campaign) id.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """The email's not-sent recipients and why.

    Example: bouncectl not-sent --email-id 2026-11-newsletter
    """
    render(store_of(ctx).not_sent(email_id), NOT_SENT_COLUMNS, format, out, title=f"Not sent: {email_id}")


def contacts(
    ctx: typer.Context,
    status: Annotated[StatusChoice, typer.Option(help="Only contacts with this status.")] = StatusChoice["all"],
    hard_bounce_reason: Annotated[str | None, typer.Option(help="Only this hard bounce reason.")] = None,
    domain: Annotated[str | None, typer.Option(help="Only addresses at this domain.")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Contacts and their bounce status.

    Example: bouncectl contacts --status hard_bounced --hard-bounce-reason userunknown
    """
    rows = store_of(ctx).contacts(status=status.value, hard_bounce_reason=hard_bounce_reason, domain=domain)
    render(rows, CONTACT_COLUMNS, format, out, title="Contacts")


def _write_export(store: Store, destination: str, kind: str, email_id: str | None) -> int:
    with output_file(destination, json_output=kind == "json", protected=store.files()) as handle:
        return export_rows(store, handle, kind, email_id)


def export(
    ctx: typer.Context,
    csv_path: Annotated[str | None, typer.Option("--csv", help="Write CSV to this file (- for stdout).")] = None,
    json_path: Annotated[str | None, typer.Option("--json", help="Write JSON to this file (- for stdout).")] = None,
    email_id: Annotated[str | None, typer.Option(help="One row per recipient of this email.")] = None,
) -> None:
    """Export an email's recipients with outcomes and bounce reasons, or every contact with bounce data.

    Example: bouncectl export --csv bounces.csv --email-id 2026-11-newsletter
    """
    if (csv_path is None) == (json_path is None):
        raise fail("give exactly one of --csv PATH or --json PATH", "e.g. --csv bounces.csv", code=2)
    kind, destination = ("csv", csv_path) if csv_path is not None else ("json", json_path)
    try:
        count = _write_export(store_of(ctx), destination, kind, email_id)  # type: ignore[arg-type]
    except OSError as exc:
        raise fail(f"{destination}: {exc.strerror or exc}", "check the path and its folder") from None
    if destination != "-":
        err.print(f"wrote {count:,} rows to {visible(destination)}")


class StatsBy(str, Enum):
    reason = "reason"
    domain = "domain"
    email = "email"
    month = "month"


BAR_WIDTH = 24

BAR_MIN_SCALE = 0.05  # a bar is never scaled to less than a 5% bounce rate


def _bar(parts: list[tuple[float, str]], scale: float) -> Text:
    """A horizontal bar of coloured segments, ``scale`` being the full width."""
    bar = Text()
    for value, style in parts:
        if value and scale:
            bar.append("█" * max(1, round(value / scale * BAR_WIDTH)), style=style)
    return bar


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.2%}"


def _stats_table(rows: list[dict], by: str | None, title: str) -> Table:
    table = Table(title=visible(title), header_style="bold")
    if by == "reason":
        for name in ("reason", "bounce_type", "bounces", "share", "rate of sends", ""):
            table.add_column(name, justify="right" if name in ("bounces", "share", "rate of sends") else "left")
        scale = max((r["share_of_bounces"] or 0 for r in rows), default=0)
        for r in rows:
            style = "red" if r["bounce_type"] == "hard" else "yellow"
            table.add_row(
                Text(visible(r["reason"])), r["bounce_type"] or "", f"{r['bounces']:,}", _percent(r["share_of_bounces"]),
                _percent(r["rate"]), _bar([(r["share_of_bounces"] or 0, style)], scale),
            )
        return table
    key = send_stats.KEY_COLUMN[by]
    for name in (key, "sends", "delivered", "hard", "soft", "not sent", "complaints",
                 "delivery", "hard rate", "soft rate", "complaint rate", "bounces (hard, soft)"):
        table.add_column(name, justify="left" if name in (key, "bounces (hard, soft)") else "right")
    scale = max([BAR_MIN_SCALE, *(r["bounce_rate"] or 0 for r in rows)])
    for r in rows:
        hard_style = "bold red" if (r["hard_bounce_rate"] or 0) > send_stats.HARD_BOUNCE_RATE_LIMIT else "red"
        complaint_style = "bold red" if (r["complaint_rate"] or 0) > send_stats.COMPLAINT_RATE_LIMIT else ""
        table.add_row(
            Text(visible(r[key])), f"{r['sends']:,}", f"{r['deliveries']:,}", f"{r['hard_bounces']:,}",
            f"{r['soft_bounces']:,}", f"{r['not_sent']:,}", f"{r['complaints']:,}", _percent(r["delivery_rate"]),
            Text(_percent(r["hard_bounce_rate"]), style=hard_style), _percent(r["soft_bounce_rate"]),
            Text(_percent(r["complaint_rate"]), style=complaint_style),
            _bar([(r["hard_bounce_rate"] or 0, "red"), (r["soft_bounce_rate"] or 0, "yellow")], scale),
        )
    return table


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
    store = store_of(ctx)
    grouping = by.value if by else None
    rows = send_stats.stats(store, email_id, grouping)
    if format is OutputFormat.table:
        title = f"Stats: {email_id or 'all emails'}" + (f" by {grouping}" if grouping else "")
        out.print(_stats_table(list(rows), grouping, title))
    else:
        render(rows, send_stats.columns(grouping), format, out)
    for warning in send_stats.warnings(store, email_id):
        err.print(Text("warning: ", style="bold yellow") + Text(visible(warning.message)))
