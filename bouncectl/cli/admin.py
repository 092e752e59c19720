"""Administration: sending domains, users and settings."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

import typer

from bouncectl.cli.common import (
    BouncectlGroup,
    FormatOption,
    err,
    fail,
    out,
    store_of,
)
from bouncectl.output import OutputFormat, render, visible
from bouncectl.usecases import filtering as planning

_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _domain(value: str) -> str:
    domain = value.strip().lower().rstrip(".")
    if not _DOMAIN.fullmatch(domain):
        raise fail(f"{value!r} is not a domain name", "e.g. mail.example.com", code=2)
    return domain


domains_app = typer.Typer(cls=BouncectlGroup, help="Connected sending domains.", no_args_is_help=True)

users_app = typer.Typer(cls=BouncectlGroup, help="Who may reactivate contacts.", no_args_is_help=True)


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
