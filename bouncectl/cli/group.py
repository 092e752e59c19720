"""The command groups: typed errors to one line on stderr, and commands loaded on first use.

This module stays light (Typer and the standard library): ``bouncectl --version`` loads nothing
else, and a command loads only its own module and what that module imports. A command's module
is imported when the command is looked up (to run it, to show its help, to complete it), and it
is registered with Typer then, exactly as if it had been registered up front: one Typer app.
"""

from __future__ import annotations

import errno
import importlib
import os
import sqlite3
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import typer
import typer.main
from typer.core import TyperGroup

from bouncectl.errors import BouncectlError, InputError, StoreError

if TYPE_CHECKING:
    from bouncectl.store import Store


@dataclass
class State:
    """What the root options give every command: the store's path, and the store once opened."""

    db_path: Path
    store: Store | None = None


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
            if getattr(param.type, "choices", None) is None:  # a choice shows its values
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
            raise _fail()(exc.message, hint_for(exc, command), exc.exit_code) from None
        except sqlite3.Error as exc:
            from bouncectl.store.base import store_failure

            state = ctx.find_object(State)
            failure = store_failure(state.db_path if state else Path("store"), exc)
            raise _fail()(failure.message, failure.hint, failure.exit_code) from None
        except BrokenPipeError:
            raise reader_gone() from None
        except OSError as exc:
            # A file the command writes or reads failed under it (a full disk, a vanished folder).
            where = f"{exc.filename}: " if exc.filename else ""
            raise _fail()(f"{where}{exc.strerror or exc}", _os_hint(exc)) from None


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


def _os_hint(exc: OSError) -> str | None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space (or write elsewhere) and run the command again; nothing was changed"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "check the permissions of the file and its folder"
    return None




def _fail() -> Any:
    """The one way to fail (:func:`bouncectl.cli.common.fail`). Only a command raises what it
    reports, so its module, and the consoles with it, are already loaded when this is called."""
    return importlib.import_module("bouncectl.cli.common").fail


# Typer's own command classes (it carries its own copy of Click): what a group holds.
Command = Any


def load_command(name: str, spec: str) -> Command:
    """The command ``spec`` names (``module:attribute``), made by Typer: a function becomes a
    command, a :class:`typer.Typer` a group of them."""
    module, attribute = spec.split(":")
    target = getattr(importlib.import_module(module), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False, rich_markup_mode=None)
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    return command


class LazyCommands(MutableMapping[str, Command]):
    """A group's commands by name: the names known up front, each command made on first use."""

    def __init__(self, specs: Mapping[str, str], made: MutableMapping[str, Command]):
        self._specs = specs
        self._made = dict(made)

    def __getitem__(self, name: str) -> Command:
        if name not in self._made:
            if name not in self._specs:
                raise KeyError(name)
            self._made[name] = load_command(name, self._specs[name])
        return self._made[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._specs or name in self._made

    def __iter__(self) -> Iterator[str]:
        yield from self._specs
        yield from (name for name in self._made if name not in self._specs)

    def __len__(self) -> int:
        return len(set(self._specs) | set(self._made))


class LazyGroup(BouncectlGroup):
    """A group whose commands are listed in :attr:`commands_by_name` and loaded when looked up;
    ``--help`` and the suggestions for a mistyped name list them in that order."""

    commands_by_name: ClassVar[dict[str, str]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands_by_name, self.commands)
