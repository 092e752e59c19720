"""Reactivation and consent: unbounce, resubscribe, forget, the monthly quota and the audit log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bouncectl.cli.common import (
    EXIT_REFUSED,
    FormatOption,
    WideOption,
    err,
    fail,
    out,
    say,
    store_of,
)
from bouncectl.errors import BouncectlError
from bouncectl.output import OutputFormat, render, render_record, visible
from bouncectl.store import (
    AUDIT_COLUMNS,
    QUOTA_COLUMNS,
)

# Each command imports its use case when it runs: `quota` and `audit` only read the store, and
# start without the reactivation guards, the consent rules and the erasure's hashing.


def _acting_user(name: str | None) -> str:
    if name:
        return name
    import getpass  # the login name: asked by the commands that change the store only

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
UNBOUNCE_VIEW = ["email", "outcome", "code", "message"]
AUDIT_VIEW = ["at", "action", "user", "contact", "outcome", "code", "detail"]


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
    wide: WideOption = False,
) -> None:
    """Reactivate hard-bounced contacts, after confirmation, within the monthly quota.

    Example: bouncectl unbounce jane@example.com --confirm --as alice
    """
    from rich.text import Text

    from bouncectl.usecases.reactivating import unbounce as unbounce_contacts

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
                                                   "enhanced_status", "diagnostic", "bounced_at", "note")},
                err,
            )
    refused = [o for o in outcomes if o.outcome == "refused"]
    if format is OutputFormat.table and len(outcomes) == 1 and not wide:
        # One address: one sentence; a refusal is the error line below, with its hint.
        if not refused:
            out.print(Text(f"{visible(outcomes[0].email)}: {visible(outcomes[0].message)}"))
    else:
        render((o.as_dict() for o in outcomes), UNBOUNCE_COLUMNS, format, out, title="Reactivation",
               view=UNBOUNCE_VIEW, wide=wide)
    for outcome in refused:
        fail(f"{outcome.email}: {outcome.code}: {outcome.message}", outcome.hint)
    if outcomes:
        planned = sum(o.outcome == "would_reactivate" for o in outcomes)
        err.print(f"quota left this month: {outcomes[-1].quota_remaining}"
                  + (f" (this run would use {planned})" if dry_run else ""))
    raise typer.Exit(EXIT_REFUSED if refused else 0)


RESUBSCRIBE_COLUMNS = ["email", "outcome", "code", "message", "status"]


def resubscribe(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The address that gave its consent again.")],
    evidence: Annotated[str, typer.Option(help="Where and when the recipient opted in again (kept in the audit log).")],
    acting_user: Annotated[
        str | None, typer.Option("--as", envvar="BOUNCECTL_USER", help="Acting user (default: login name).")
    ] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Record a complainer's or unsubscriber's own new consent: the only way to lift a complaint or an unsubscribe.

    Example: bouncectl resubscribe jane@example.com --evidence "re-joined through the signup form on 2026-12-01"
    """
    from bouncectl.usecases.consent import resubscribe as resubscribe_contact

    outcome = resubscribe_contact(store_of(ctx), email, evidence, _acting_user(acting_user))
    render([outcome.as_dict()], RESUBSCRIBE_COLUMNS, format, out, title="New consent")
    if outcome.code is not None:
        raise fail(f"{outcome.email}: {outcome.code}: {outcome.message}", outcome.hint)


FORGET_COLUMNS = ["hash", "status", "was_in_store", "events", "rejects", "audit_entries"]


def forget(
    ctx: typer.Context,
    emails: Annotated[list[str] | None, typer.Argument(help="Addresses to erase.")] = None,
    from_file: Annotated[str | None, typer.Option(help="Read addresses from a file, one a line.")] = None,
    acting_user: Annotated[
        str | None, typer.Option("--as", envvar="BOUNCECTL_USER", help="Acting user (default: login name).")
    ] = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Erase a person's data and keep only a keyed hash of the address, so it stays not sent.

    Example: bouncectl forget jane@example.com
    """
    from bouncectl.usecases.erasure import forget as forget_addresses

    addresses = list(emails or []) + (_addresses_from_file(from_file) if from_file else [])
    if not addresses:
        raise fail("no address given", "name addresses or use --from-file FILE", code=2)
    erased = forget_addresses(store_of(ctx), addresses, _acting_user(acting_user))
    render((e.as_dict() for e in erased), FORGET_COLUMNS, format, out, title="Forgotten")
    err.print(f"forgotten: {len(erased)}; each is kept as a keyed hash with its status, so it stays not sent")


def quota(ctx: typer.Context, format: FormatOption = OutputFormat.table) -> None:
    """This month's reactivation quota: 2% of contacts, at least 10, at most 1000.

    Example: bouncectl quota
    """
    row = store_of(ctx).quota()
    if format is not OutputFormat.table:
        render([row], QUOTA_COLUMNS, format, out)
        return
    say(
        f"{row['month']}: {row['used']:,} of {row['limit']:,} reactivations used, {row['remaining']:,} left "
        f"(2% of {row['total_contacts']:,} contacts, at least 10, at most 1000)"
    )


def audit(ctx: typer.Context, format: FormatOption = OutputFormat.table, wide: WideOption = False) -> None:
    """The append-only audit log of reactivations and refused attempts.

    Example: bouncectl audit --format json
    """
    render(store_of(ctx).audit(), AUDIT_COLUMNS, format, out, title="Audit log", view=AUDIT_VIEW, wide=wide,
           optional=["user", "action"])
