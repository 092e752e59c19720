"""The provider's suppression list and the store's: export for a provider, and the difference."""

from __future__ import annotations

from typing import Annotated

import typer

from bouncectl.cli.common import FormatOption, Provider, err, fail, out, store_of
from bouncectl.cli.group import BouncectlGroup
from bouncectl.output import OutputFormat, render, visible


def export_suppressions(ctx: typer.Context, provider: Provider | None, path: str | None) -> None:
    """``export --suppressions --for PROVIDER PATH``: the store's unsendable addresses in the provider's import file."""
    if provider is None or path is None:
        raise fail("--suppressions needs --for PROVIDER and a PATH", "e.g. export --suppressions --for ses ses.csv",
                   code=2)
    try:
        from bouncectl.usecases import suppressions as lists  # reads provider files: loaded when used

        counts = lists.export_suppressions(store_of(ctx), provider.value, path)
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}", "check the path and its folder") from None
    for written, count in counts.items():
        if written != "-":
            err.print(f"wrote {count:,} addresses to {visible(written)} for {provider.value}", soft_wrap=True)


suppressions_app = typer.Typer(
    cls=BouncectlGroup, help="The provider's suppression list and the store's, in step.", no_args_is_help=True,
    rich_markup_mode=None, add_completion=False,
)


@suppressions_app.callback()
def suppressions() -> None:
    """The provider's suppression list and the store's, in step (a group, so that ``diff`` stays a subcommand)."""


@suppressions_app.command("diff")
def diff(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The provider's suppression-list export (- is stdin).")],
    provider: Annotated[Provider, typer.Option("--for", help="The provider: ses, sendgrid, mailgun or postmark.")],
    format: FormatOption = OutputFormat.table,
) -> None:
    """Addresses the provider suppresses that are sendable here, and the reverse, with what to fix on each side.

    Example: bouncectl suppressions diff --for ses suppressed-destinations.json
    """
    from bouncectl.usecases import suppressions as lists  # reads provider files: loaded when used

    rows = [d.as_dict() for d in lists.diff(store_of(ctx), provider.value, file)]
    render(rows, lists.DIFF_COLUMNS, format, out, title=f"Suppressions: {provider.value} and this store")
    there = sum(r["side"] == "provider_only" for r in rows)
    err.print(f"{there:,} suppressed at {provider.value} but sendable here; {len(rows) - there:,} not sent here "
              f"but not on {provider.value}'s list", soft_wrap=True)
    if rows:
        err.print(f"fix: `bouncectl import {visible(file)}` takes the provider's list in; "
                  f"`bouncectl export --suppressions --for {provider.value} PATH` writes the store's for it",
                  soft_wrap=True)
