"""What every command shares: the two consoles, one way to fail, the store opened once, options."""

from __future__ import annotations

import os
import sys
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from bouncectl.cli.group import State
from bouncectl.output import OutputFormat, visible
from bouncectl.store import Store
from bouncectl.vocabulary import CONTACT_STATUSES, BounceReason

if TYPE_CHECKING:
    from rich.console import Console

EXIT_REFUSED = 1

EXIT_REJECTED_ROWS = 3

EXIT_USAGE = 2


class _Console:
    """A Rich console, made when it is first used: Rich takes a while to load, and a command that
    writes only CSV or JSON, or nothing, never needs it. What is asked of it is asked of the console
    (its attributes, and its use as a context manager, as a progress bar uses it)."""

    def __init__(self, stderr: bool) -> None:
        self._stderr = stderr
        self._made: Console | None = None

    def _console(self) -> Console:
        if self._made is None:
            from rich.console import Console

            # Messages and tables hold text from the data (names, addresses, file names): never
            # read it as markup. A message is one line, however long, when the stream is a file or
            # a pipe: it is wrapped only to fit a terminal, at word ends.
            stream = sys.stderr if self._stderr else sys.stdout
            self._made = Console(stderr=self._stderr, highlight=False, markup=False, emoji=False,
                                 soft_wrap=not stream.isatty())
        return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console(), name)

    def __enter__(self) -> Console:
        return self._console().__enter__()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._console().__exit__(kind, error, trace)


err = cast("Console", _Console(stderr=True))

out = cast("Console", _Console(stderr=False))


def say(line: str) -> None:
    """One line of plain text for stdout (no style, tab or control character in it): on a terminal
    through :data:`out`, which wraps it at word ends; elsewhere as it is, which is all the console
    would write there (it never wraps a stream that is not a terminal), without loading Rich."""
    if sys.stdout.isatty():
        out.print(line)
    else:
        sys.stdout.write(line + "\n")


def fail(message: str, hint: str | None = None, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print one error line (and a hint) on stderr; return the Exit to raise."""
    from rich.text import Text

    err.print(Text("Error: ", style="bold red") + Text(visible(message)))
    if hint:
        err.print(Text(f"hint: {hint}", style="dim"))
    return typer.Exit(code)


def acting_user() -> str:
    """Who makes a change, for the audit log: BOUNCECTL_USER, else the login name."""
    name = os.environ.get("BOUNCECTL_USER", "").strip()
    if name:
        return name
    import getpass  # the login name: asked by the commands that change the store only

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


class Provider(str, Enum):
    """The providers whose lists ``export --suppressions --for`` writes and ``suppressions diff --for`` reads."""

    ses = "ses"
    sendgrid = "sendgrid"
    mailgun = "mailgun"
    postmark = "postmark"


ProviderOption = Annotated[Provider | None, typer.Option("--for", help="The provider: ses, sendgrid, mailgun or postmark.")]
