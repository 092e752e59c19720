"""The command line: parse arguments, open the store once, call the core, render.

Only this package (with :mod:`bouncectl.output`) knows about the terminal. Each module holds the
commands of one of the user's tasks; this one lists them, in the order ``--help`` shows them, and
a command's module is imported only when that command is used (:mod:`bouncectl.cli.group`), so
that a short command starts at once.
Errors from the core (:class:`~bouncectl.errors.BouncectlError`) become one ``Error: ...`` line
and a ``hint:`` line on stderr, and exit code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, ClassVar

import typer

from bouncectl.cli.group import LazyGroup, State, reader_gone
from bouncectl.entry import version_line

__all__ = ["app", "domains_app", "main", "users_app"]


class Commands(LazyGroup):
    """Every command, in the order ``--help`` lists them, by the module that holds it."""

    commands_by_name: ClassVar[dict[str, str]] = {
        "import": "bouncectl.cli.importing:import_",
        "bounced": "bouncectl.cli.reports:bounced",
        "not-sent": "bouncectl.cli.reports:not_sent",
        "contacts": "bouncectl.cli.reports:contacts",
        "export": "bouncectl.cli.reports:export",
        "unbounce": "bouncectl.cli.reactivation:unbounce",
        "resubscribe": "bouncectl.cli.reactivation:resubscribe",
        "forget": "bouncectl.cli.reactivation:forget",
        "quota": "bouncectl.cli.reactivation:quota",
        "audit": "bouncectl.cli.reactivation:audit",
        "rejects": "bouncectl.cli.importing:rejects",
        "filter": "bouncectl.cli.sending:filter_",
        "stats": "bouncectl.cli.reports:stats_",
        "config": "bouncectl.cli.admin:config",
        "explain": "bouncectl.cli.importing:explain_",
        "domains": "bouncectl.cli.admin:domains_app",
        "users": "bouncectl.cli.admin:users_app",
        "lists": "bouncectl.cli.sending:lists_app",
        "suppressions": "bouncectl.cli.suppressions:suppressions_app",
    }


app = typer.Typer(
    cls=Commands,
    help="Email list hygiene: import send logs and bounce reports, keep dead addresses out of the next send.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(version_line())
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path,
        typer.Option("--db", envvar="BOUNCECTL_DB", metavar="PATH", help="The store file (created on first use).",
                     show_default=True),
    ] = Path("bouncectl.db"),
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Email list hygiene over a local SQLite store.

    Example: bouncectl import examples/send-log.csv && bouncectl bounced --email-id 2026-11-newsletter
    """
    ctx.obj = State(db)


def __getattr__(name: str) -> Any:
    """The sub-apps by their old names here, loaded when asked for."""
    if name in ("domains_app", "users_app"):
        from bouncectl.cli import admin

        return getattr(admin, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    try:
        app(prog_name="bouncectl")
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    try:
        sys.stdout.flush()  # what is still buffered, while a closed pipe can still be told apart
    except BrokenPipeError:
        reader_gone()
        code = 0
    sys.exit(code)
