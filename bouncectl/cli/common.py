"""What every command shares: the two consoles, one way to fail, the store opened once, options."""

from __future__ import annotations

import errno
import getpass
import os
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
from bouncectl.store.base import store_failure

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
            state = ctx.find_object(State)
            failure = store_failure(state.db_path if state else Path("store"), exc)
            raise fail(failure.message, failure.hint, failure.exit_code) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except OSError as exc:
            # A file the command writes or reads failed under it (a full disk, a vanished folder).
            where = f"{exc.filename}: " if exc.filename else ""
            raise fail(f"{where}{exc.strerror or exc}", _os_hint(exc)) from None


def _os_hint(exc: OSError) -> str | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space (or write elsewhere) and run the command again; nothing was changed"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "check the permissions of the file and its folder"
    return None


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
    err.print(f"waiting for the store (held by another import); up to {timeout:,.0f} s", style="dim")


@dataclass
class State:
    db_path: Path
    _store: Store | None = field(default=None, repr=False)

    def store(self, ctx: typer.Context) -> Store:
        if self._store is None:
            self._store = Store(self.db_path, on_wait=_say_waiting)
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
