"""Typed errors with a user-facing message and a hint.

The core raises these; the command layer turns them into one ``Error: ...``
line, a dim ``hint:`` line and exit code 1.
"""

from __future__ import annotations


class BouncectlError(Exception):
    """A failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(BouncectlError):
    """An input file that cannot be read or parsed at all."""

    def __init__(self, source: str, message: str, line: int | None = None, hint: str | None = None):
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}", hint)
        self.source = source
        self.line = line


class NotFound(BouncectlError):
    """Something the user named does not exist in the store."""


class StoreError(BouncectlError):
    """The store file cannot be opened or used."""
