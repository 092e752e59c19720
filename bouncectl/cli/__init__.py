"""The command line: parse arguments, open the store once, call the core, render.

Only this package (with :mod:`bouncectl.output`) knows about the terminal. Each module holds the
commands of one of the user's tasks; this one lists them, in the order ``--help`` shows them.
Errors from the core (:class:`~bouncectl.errors.BouncectlError`) become one ``Error: ...`` line
and a ``hint:`` line on stderr, and exit code 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bouncectl import __version__
from bouncectl.cli import admin, importing, reactivation, reports, sending
from bouncectl.cli.admin import domains_app, users_app
from bouncectl.cli.common import BouncectlGroup, State
from bouncectl.cli.sending import lists_app
from bouncectl.cli.suppressions import suppressions_app

__all__ = ["app", "domains_app", "main", "users_app"]

app = typer.Typer(
    cls=BouncectlGroup,
    help="Email list hygiene: import send logs and bounce reports, keep dead addresses out of the next send.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


app.command("import")(importing.import_)
app.command()(reports.bounced)
app.command("not-sent")(reports.not_sent)
app.command()(reports.contacts)
app.command()(reports.export)
app.command()(reactivation.unbounce)
app.command()(reactivation.resubscribe)
app.command()(reactivation.forget)
app.command()(reactivation.quota)
app.command()(reactivation.audit)
app.command()(importing.rejects)
app.command("filter")(sending.filter_)
app.command("stats")(reports.stats_)
app.command("config")(admin.config)
app.command("explain")(importing.explain_)
app.add_typer(domains_app, name="domains")
app.add_typer(users_app, name="users")
app.add_typer(lists_app, name="lists")
app.add_typer(suppressions_app, name="suppressions")


def main() -> None:
    app(prog_name="bouncectl")
