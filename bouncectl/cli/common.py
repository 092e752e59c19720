"""What every command shares: the two consoles, one way to fail, the store opened once, options."""

from __future__ import annotations

import getpass
import os
import sys
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from bouncectl.cli.group import State
from bouncectl.model import CONTACT_STATUSES, BounceReason
from bouncectl.output import OutputFormat, visible
from bouncectl.store import Store

EXIT_REFUSED = 1

EXIT_REJECTED_ROWS = 3

EXIT_USAGE = 2

# Messages and tables hold text from the data (names, addresses, file names): never read it as markup.
# A message is one line, however long, when stderr is a file or a pipe: it is wrapped only to fit
# a terminal, at word ends.
err = Console(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=not sys.stderr.isatty())

out = Console(highlight=False, markup=False, emoji=False, soft_wrap=not sys.stdout.isatty())


def fail(message: str, hint: str | None = None, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print one error line (and a hint) on stderr; return the Exit to raise."""
    err.print(Text("Error: ", style="bold red") + Text(visible(message)))
    if hint:
        err.print(Text(f"hint: {hint}", style="dim"))
    return typer.Exit(code)


def acting_user() -> str:
    """Who makes a change, for the audit log: BOUNCECTL_USER, else the login name."""
    name = os.environ.get("BOUNCECTL_USER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _say_waiting(timeout: float) -> None:
    # SQLite tells only that another connection holds the write lock: another bouncectl command
    # (an import, a config change, an unbounce) or any other process that writes the file.
    err.print(f"waiting for the store (another bouncectl command or process holds it); up to {timeout:,.0f} s",
              style="dim")


def store_of(ctx: typer.Context) -> Store:
    """The store, opened on first use by a command and closed when the command ends."""
    state = ctx.find_object(State)
    assert state is not None, "the root callback sets the State"
    if state.store is None:
        state.store = Store(state.db_path, on_wait=_say_waiting)
        ctx.call_on_close(state.store.close)
    return state.store


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format: table, csv, json or jsonl (one object a line).",
                 case_sensitive=False),
]

WideOption = Annotated[bool, typer.Option("--wide", help="Every column in the table view.")]

ReasonOption = Annotated[
    BounceReason | None,
    typer.Option(metavar="REASON", case_sensitive=False,
                 help="Only this bounce reason (e.g. userunknown, mailboxfull, hostunknown)."),
]


class BounceTypeChoice(str, Enum):
    hard = "hard"
    soft = "soft"
    all = "all"


StatusChoice = Enum("StatusChoice", {name: name for name in (*CONTACT_STATUSES, "all")}, type=str)  # type: ignore[misc]
