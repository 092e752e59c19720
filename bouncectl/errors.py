"""Typed errors with a user-facing message and a hint.

The core raises these; the command layer turns them into one ``Error: ...``
line, a dim ``hint:`` line and the error's exit code (1; 2 for a :class:`UsageError`).
"""

from __future__ import annotations


class BouncectlError(Exception):
    """A failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self):
        # Pickled whole (subclasses take other arguments than the message), so an error met while
        # reading in a child process reaches the parent as it was raised.
        return _restore, (type(self), self.args, self.__dict__)


def _restore(cls: type[BouncectlError], args: tuple, state: dict) -> BouncectlError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InputError(BouncectlError):
    """An input file that cannot be read or parsed at all."""

    def __init__(self, source: str, message: str, line: int | None = None, hint: str | None = None):
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}", hint)
        self.source = source
        self.line = line


class UsageError(BouncectlError):
    """A value the user gave that the command does not accept, or a setting out of its accepted range
    (exit code 2, as for a mistyped option)."""

    exit_code = 2


class NotFound(BouncectlError):
    """Something the user named does not exist in the store."""


class StoreError(BouncectlError):
    """The store file cannot be opened or used."""


class StoreReadOnly(StoreError):
    """A write asked of a store opened read-only."""
