"""What every command shares: the two consoles, one way to fail, the store opened once, options."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from bouncectl.cli.group import State
from bouncectl.model import CONTACT_STATUSES
from bouncectl.output import OutputFormat, visible
from bouncectl.store import Store

EXIT_REFUSED = 1

EXIT_REJECTED_ROWS = 3

# Messages and tables hold text from the data (names, addresses, file names): never read it as markup.
err = Console(stderr=True, highlight=False, markup=False, emoji=False)

out = Console(highlight=False, markup=False, emoji=False)


def fail(message: str, hint: str | None = None, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print one error line (and a hint) on stderr; return the Exit to raise."""
    err.print(Text("Error: ", style="bold red") + Text(visible(message)))
    if hint:
        err.print(Text(f"hint: {hint}", style="dim"))
    return typer.Exit(code)


def store_of(ctx: typer.Context) -> Store:
    """The store, opened on first use by a command and closed when the command ends."""
    state = ctx.find_object(State)
    assert state is not None, "the root callback sets the State"
    if state.store is None:
        state.store = Store(state.db_path)
        ctx.call_on_close(state.store.close)
    return state.store


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, csv or json.", case_sensitive=False)
]


class BounceTypeChoice(str, Enum):
    hard = "hard"
    soft = "soft"
    all = "all"


StatusChoice = Enum("StatusChoice", {name: name for name in (*CONTACT_STATUSES, "all")}, type=str)  # type: ignore[misc]
