"""The command line: parse arguments, open the store once, call the core, render.

Only this module (with :mod:`bouncectl.render`) knows about the terminal.
Errors from the core (:class:`~bouncectl.errors.BouncectlError`) become one
``Error: ...`` line and a ``hint:`` line on stderr, and exit code 1.
"""

from __future__ import annotations

import getpass
import re
import sqlite3
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from bouncectl import __version__, planning
from bouncectl import stats as send_stats
from bouncectl.errors import BouncectlError
from bouncectl.export import export as export_rows
from bouncectl.files import output_file
from bouncectl.importer import ImportSummary, import_source
from bouncectl.model import CONTACT_STATUSES, ImportOptions
from bouncectl.reactivation import unbounce as unbounce_contacts
from bouncectl.render import OutputFormat, for_terminal, render, render_record, visible
from bouncectl.store import (
    AUDIT_COLUMNS,
    BOUNCED_COLUMNS,
    CONTACT_COLUMNS,
    NOT_SENT_COLUMNS,
    QUOTA_COLUMNS,
    REJECT_COLUMNS,
    Store,
)
from bouncectl.timeparse import zone

EXIT_REFUSED = 1
EXIT_REJECTED_ROWS = 3
PROGRESS_MIN_BYTES = 4 * 1024 * 1024

# Messages and tables hold text from the data (names, addresses, file names): never read it as markup.
err = Console(stderr=True, highlight=False, markup=False, emoji=False)
out = Console(highlight=False, markup=False, emoji=False)


def fail(message: str, hint: str | None = None, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print one error line (and a hint) on stderr; return the Exit to raise."""
    err.print(Text("Error: ", style="bold red") + Text(visible(message)))
    if hint:
        err.print(Text(f"hint: {hint}", style="dim"))
    return typer.Exit(code)


class BouncectlGroup(TyperGroup):
    """Turns the core's typed errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BouncectlError as exc:
            raise fail(exc.message, exc.hint, exc.exit_code) from None
        except sqlite3.Error as exc:
            raise fail(f"store: {exc}", "another bouncectl may hold the store; try again") from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None


app = typer.Typer(
    cls=BouncectlGroup,
    help="Email list hygiene: import send logs and bounce reports, keep dead addresses out of the next send.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
domains_app = typer.Typer(cls=BouncectlGroup, help="Connected sending domains.", no_args_is_help=True)
users_app = typer.Typer(cls=BouncectlGroup, help="Who may reactivate contacts.", no_args_is_help=True)
app.add_typer(domains_app, name="domains")
app.add_typer(users_app, name="users")


@dataclass
class State:
    db_path: Path
    _store: Store | None = field(default=None, repr=False)

    def store(self, ctx: typer.Context) -> Store:
        if self._store is None:
            self._store = Store(self.db_path)
            ctx.call_on_close(self._store.close)
        return self._store


def store_of(ctx: typer.Context) -> Store:
    return ctx.find_object(State).store(ctx)  # type: ignore[union-attr]


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, csv or json.", case_sensitive=False)
]


def _version(value: bool) -> None:
    if value:
        print(f"bouncectl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path,
        typer.Option("--db", envvar="BOUNCECTL_DB", help="The store file (created on first use).", show_default=True),
    ] = Path("bouncectl.db"),
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Email list hygiene over a local SQLite store.

    Example: bouncectl import examples/send-log.csv && bouncectl bounced --email-id 2026-11-newsletter
    """
    ctx.obj = State(db)


# --- import ---------------------------------------------------------------------------------


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


@app.command("import")
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


# --- reports --------------------------------------------------------------------------------


class BounceTypeChoice(str, Enum):
    hard = "hard"
    soft = "soft"
    all = "all"


@app.command()
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


@app.command("not-sent")
def not_sent(
    ctx: typer.Context,
    email_id: Annotated[str, typer.Option(help="The email (campaign) id.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """The email's not-sent recipients and why.

    Example: bouncectl not-sent --email-id 2026-11-newsletter
    """
    render(store_of(ctx).not_sent(email_id), NOT_SENT_COLUMNS, format, out, title=f"Not sent: {email_id}")


StatusChoice = Enum("StatusChoice", {name: name for name in (*CONTACT_STATUSES, "all")}, type=str)  # type: ignore[misc]


@app.command()
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
    if destination == "-":
        return export_rows(store, for_terminal(sys.stdout, json_output=kind == "json"), kind, email_id)
    with output_file(destination) as handle:
        return export_rows(store, handle, kind, email_id)


@app.command()
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


# --- reactivation ---------------------------------------------------------------------------


def _acting_user(name: str | None) -> str:
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _addresses_from_file(path: str) -> list[str]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise BouncectlError(f"{path}: {exc.strerror or exc}") from None
    addresses = []
    for line in text.splitlines():
        value = line.split(",")[0].strip().strip('"')
        if value and not value.startswith("#") and "@" in value:
            addresses.append(value)
    return addresses


UNBOUNCE_COLUMNS = ["email", "outcome", "code", "message", "reason", "enhanced_status", "bounced_at", "quota_remaining"]


@app.command()
def unbounce(
    ctx: typer.Context,
    emails: Annotated[list[str] | None, typer.Argument(help="Addresses to reactivate.")] = None,
    from_file: Annotated[str | None, typer.Option(help="Read addresses from a file, one a line.")] = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="I checked that the address is valid.")] = False,
    resolved: Annotated[
        bool, typer.Option("--resolved", help="The policy, network or content problem behind the bounce is fixed.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every guard, change nothing.")] = False,
    acting_user: Annotated[
        str | None, typer.Option("--as", envvar="BOUNCECTL_USER", help="Acting user (default: login name).")
    ] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Reactivate hard-bounced contacts, after confirmation, within the monthly quota.

    Example: bouncectl unbounce jane@example.com --confirm --as alice
    """
    addresses = list(emails or []) + (_addresses_from_file(from_file) if from_file else [])
    if not addresses:
        raise fail("no address given", "name addresses or use --from-file FILE", code=2)
    outcomes = unbounce_contacts(
        store_of(ctx), addresses, _acting_user(acting_user), confirm=confirm, resolved=resolved, dry_run=dry_run
    )
    for outcome in outcomes:
        if outcome.code == "NOT_CONFIRMED" or (dry_run and outcome.reason):
            err.print(Text(f"Bounce details for {visible(outcome.email)}:", style="bold"))
            render_record(
                {k: outcome.as_dict()[k] for k in ("email_id", "bounce_type", "reason", "smtp_code",
                                                   "enhanced_status", "diagnostic", "bounced_at")},
                err,
            )
            if outcome.note:
                err.print(Text(f"  note: {outcome.note}", style="yellow"))
    render((o.as_dict() for o in outcomes), UNBOUNCE_COLUMNS, format, out, title="Reactivation")
    refused = [o for o in outcomes if o.outcome == "refused"]
    for outcome in refused:
        fail(f"{outcome.email}: {outcome.code}: {outcome.message}", outcome.hint)
    if outcomes:
        err.print(f"quota left this month: {outcomes[-1].quota_remaining}")
    raise typer.Exit(EXIT_REFUSED if refused else 0)


@app.command()
def quota(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """This month's reactivation quota: 2% of contacts, at least 10, at most 1000.

    Example: bouncectl quota
    """
    render([store_of(ctx).quota()], QUOTA_COLUMNS, format, out, title="Reactivation quota")


@app.command()
def audit(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """The append-only audit log of reactivations and refused attempts.

    Example: bouncectl audit --format json
    """
    render(store_of(ctx).audit(), AUDIT_COLUMNS, format, out, title="Audit log")


@app.command()
def rejects(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """Rows and messages that could not be imported, with file, line and error.

    Example: bouncectl rejects --format csv
    """
    render(store_of(ctx).rejects(), REJECT_COLUMNS, format, out, title="Rejected rows")


# --- domains and users ----------------------------------------------------------------------

_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _domain(value: str) -> str:
    domain = value.strip().lower().rstrip(".")
    if not _DOMAIN.fullmatch(domain):
        raise fail(f"{value!r} is not a domain name", "e.g. mail.example.com", code=2)
    return domain


@domains_app.command("add")
def domains_add(ctx: typer.Context, domain: Annotated[str, typer.Argument(help="e.g. news.example.com")]) -> None:
    """Connect a sending domain.

    Example: bouncectl domains add news.example.com
    """
    store_of(ctx).add_domain(_domain(domain))
    err.print(f"connected {_domain(domain)}")


@domains_app.command("list")
def domains_list(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """List connected sending domains.

    Example: bouncectl domains list
    """
    render(store_of(ctx).domains(), ["domain", "added_at"], format, out, title="Sending domains")


@domains_app.command("remove")
def domains_remove(ctx: typer.Context, domain: Annotated[str, typer.Argument(help="A connected domain.")]) -> None:
    """Disconnect a sending domain.

    Example: bouncectl domains remove news.example.com
    """
    store_of(ctx).remove_domain(_domain(domain))
    err.print(f"removed {_domain(domain)}")


class Permission(str, Enum):
    email = "email"


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name (as given to --as).")],
    permission: Annotated[list[Permission], typer.Option(help="A permission to grant (email: may reactivate).")],
) -> None:
    """Add a user, or grant an existing user more permissions.

    Example: bouncectl users add alice --permission email
    """
    store_of(ctx).add_user(name, [p.value for p in permission])
    err.print(f"{visible(name)}: {', '.join(p.value for p in permission)}")


@users_app.command("list")
def users_list(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """List users and their permissions.

    Example: bouncectl users list
    """
    render(store_of(ctx).users(), ["name", "permissions", "added_at"], format, out, title="Users")


# --- before the next send: filter, saved lists, stats, config -------------------------------


@app.command("filter")
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
) -> None:
    """Split a planned recipient list into sendable and not sent, each not-sent row with its reason.

    Example: bouncectl filter planned.csv --out sendable.csv --not-sent not-sent.csv --email-id 2026-12-newsletter
    """
    if not_sent_path is not None and not_sent_path == out:
        raise fail("--out and --not-sent name the same file", "give two different files", code=2)
    store = store_of(ctx)
    with output_file(out) as sendable, (
        output_file(not_sent_path) if not_sent_path is not None else nullcontext(None)
    ) as not_sent_file:
        summary = planning.filter_list(store, file, sendable, not_sent_file, column=column, email_id=email_id)
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


lists_app = typer.Typer(cls=BouncectlGroup)
app.add_typer(lists_app, name="lists")


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
    hard_bounce_reason: Annotated[str | None, typer.Option(help="Only this hard bounce reason.")] = None,
    domain: Annotated[str | None, typer.Option(help="Only addresses at this domain.")] = None,
    bounced_since: Annotated[
        str | None, typer.Option(help="Hard-bounced on or after this date, or within a window such as 30d or 2w.")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace a list of the same name.")] = False,
) -> None:
    """Save a named contact filter (the filters of `contacts`, plus --bounced-since).

    Example: bouncectl lists create recent-unknown --hard-bounce-reason userunknown --bounced-since 30d
    """
    filters = planning.list_filters(status.value, hard_bounce_reason, domain, bounced_since)
    count = planning.create_list(store_of(ctx), name, filters, replace=replace)
    err.print(f"saved list {name.strip()!r} ({planning.describe_filters(filters)}): {count:,} contacts match now")


@lists_app.command("show")
def lists_show(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="A saved list.")], format: FormatOption = OutputFormat.table
) -> None:
    """The contacts a saved list matches now.

    Example: bouncectl lists show recent-unknown --format csv
    """
    render(planning.list_contacts(store_of(ctx), name), CONTACT_COLUMNS, format, out, title=f"List: {name}")


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
    store.saved_list(name)  # a missing list fails before any file is written
    with output_file(destination) as handle:  # type: ignore[arg-type]
        count = planning.export_list(store, name, handle, kind)
    if destination != "-":
        err.print(f"wrote {count:,} contacts to {visible(destination)}")


@lists_app.command("delete")
def lists_delete(ctx: typer.Context, name: Annotated[str, typer.Argument(help="A saved list.")]) -> None:
    """Delete a saved list (the contacts are not touched).

    Example: bouncectl lists delete recent-unknown
    """
    store_of(ctx).delete_list(name)
    err.print(f"deleted list {name!r}")


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


@app.command("stats")
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


@app.command("config")
def config(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="soft_bounce_limit or soft_bounce_days.")] = None,
    value: Annotated[str | None, typer.Argument(help="The new value.")] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Show or set the soft-bounce policy: suppressed after soft_bounce_limit consecutive soft-bounced
    sends spread over at least soft_bounce_days days, with no delivery in between.

    Example: bouncectl config soft_bounce_limit 3
    """
    store = store_of(ctx)
    if key is None:
        render(planning.settings(store), planning.SETTING_COLUMNS, format, out, title="Settings")
        return
    if value is None:
        found = [s for s in planning.settings(store) if s["key"] == key]
        if not found:
            raise fail(f"unknown setting {key!r}", f"one of {', '.join(planning.SETTINGS)}")
        out.print(found[0]["value"])
        return
    result = planning.configure(store, key, value)
    now = ", ".join(f"{count:,} now {status}" for status, count in sorted(result["now"].items()))
    err.print(
        f"{key} = {value}; re-evaluated {result['checked']:,} contacts with soft bounces"
        + (f": {now}" if now else ": no status changed")
    )


@app.command("explain")
def explain_(
    files: Annotated[list[str], typer.Argument(help="Bounce messages (.eml, mbox, maildir) or any import file; - reads stdin.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Parse and classify bounces without storing them: one row per recipient, with the rule that decided.

    Example: bouncectl explain returned-mail.eml --format json
    """
    from bouncectl.explain import COLUMNS, explain

    rows = list(explain(files))  # read every file first: an unreadable one prints nothing
    render(rows, list(COLUMNS), format, out, title="Explain")


def main() -> None:
    app(prog_name="bouncectl")
