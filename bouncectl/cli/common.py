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

from bouncectl.errors import BouncectlError, InputError, StoreError
from bouncectl.model import CONTACT_STATUSES, BounceReason
from bouncectl.output import OutputFormat, visible
from bouncectl.store import Store
from bouncectl.store.base import store_failure

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


def hint_for(error: BouncectlError, command: str) -> str:
    """The error's own hint, else one for its kind: every error ends on what to do next."""
    if error.hint:
        return error.hint
    if isinstance(error, InputError):
        return f"check the file; `{command} --help` says what it reads"
    if isinstance(error, StoreError):
        return "check the store's path (--db, or $BOUNCECTL_DB)"
    return f"see `{command} --help`"


def reader_gone() -> typer.Exit:
    """The reader of stdout went away (``| head``): stop quietly with exit code 0, as ``head`` expects.

    What is still buffered for stdout goes nowhere, so the flush at exit does not fail again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return typer.Exit(0)


# Names shown for the values of options and arguments in --help (the Python type otherwise).
METAVARS = {"db": "PATH", "email_id": "ID", "from_file": "FILE", "csv_path": "PATH", "json_path": "PATH",
            "out": "PATH", "not_sent_path": "PATH", "acting_user": "NAME", "tz": "ZONE", "files": "FILE",
            "emails": "EMAIL", "domain": "DOMAIN", "hard_bounce_reason": "REASON", "reason": "REASON",
            "bounced_since": "WHEN", "column": "NAME", "file": "FILE", "name": "NAME", "key": "KEY",
            "value": "VALUE", "format": "FORMAT"}


def _plain_metavars(command: Any) -> Any:
    """Help that names values (``FILE...``, ``--email-id ID``), not their Python types."""
    for param in getattr(command, "params", ()):
        if param.param_type_name == "option" and not param.is_flag and param.metavar is None:
            if not param.type_descriptor.is_choice:
                param.metavar = METAVARS.get(param.name, param.name.upper())
        elif param.param_type_name == "argument":
            name = METAVARS.get(param.name, param.name.upper()) + ("..." if param.nargs != 1 else "")
            param.metavar = name
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = (lambda n=name, required=param.required: n if required else f"[{n}]")
    return command


class BouncectlGroup(TyperGroup):
    """Turns the core's typed errors into one line on stderr and exit code 1."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return _plain_metavars(super().get_command(ctx, cmd_name))

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # Typer passes its own Context
        try:
            return super().invoke(ctx)
        except BouncectlError as exc:
            command = " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand]))
            raise fail(exc.message, hint_for(exc, command), exc.exit_code) from None
        except sqlite3.Error as exc:
            state = ctx.find_object(State)
            failure = store_failure(state.db_path if state else Path("store"), exc)
            raise fail(failure.message, failure.hint, failure.exit_code) from None
        except BrokenPipeError:
            raise reader_gone() from None
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
