"""What every command shares: the two consoles, one way to fail, the store opened once, options."""

from __future__ import annotations

import sqlite3
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperGroup

from bouncectl.errors import BouncectlError
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


class BouncectlGroup(TyperGroup):
    """Turns the core's typed errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # Typer passes its own Context
        try:
            return super().invoke(ctx)
        except BouncectlError as exc:
            raise fail(exc.message, exc.hint, exc.exit_code) from None
        except sqlite3.Error as exc:
            raise fail(f"store: {exc}", "another bouncectl may hold the store; try again") from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None


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


class BounceTypeChoice(str, Enum):
    hard = "hard"
    soft = "soft"
    all = "all"


StatusChoice = Enum("StatusChoice", {name: name for name in (*CONTACT_STATUSES, "all")}, type=str)  # type: ignore[misc]
