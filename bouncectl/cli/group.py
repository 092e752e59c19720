"""The command groups: typed errors to one line on stderr, and commands loaded on first use.

This module stays light (Typer and the standard library): ``bouncectl --version`` loads nothing
else, and a command loads only its own module and what that module imports. A command's module
is imported when the command is looked up (to run it, to show its help, to complete it), and it
is registered with Typer then, exactly as if it had been registered up front: one Typer app.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import typer
import typer.main
from typer.core import TyperGroup

from bouncectl.errors import BouncectlError

if TYPE_CHECKING:
    from bouncectl.store import Store


@dataclass
class State:
    """What the root options give every command: the store's path, and the store once opened."""

    db_path: Path
    store: Store | None = None


class BouncectlGroup(TyperGroup):
    """Turns the core's typed errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # Typer passes its own Context
        try:
            return super().invoke(ctx)
        except BouncectlError as exc:
            raise _fail()(exc.message, exc.hint, exc.exit_code) from None
        except sqlite3.Error as exc:
            raise _fail()(f"store: {exc}", "another bouncectl may hold the store; try again") from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None


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
