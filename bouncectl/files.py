"""Writing output files: whole or not at all, with the permissions a new file would get."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from bouncectl.errors import BouncectlError


@contextmanager
def output_file(destination: str) -> Iterator[TextIO]:
    """A text file to write, put in place only when the writing succeeds (``-`` is stdout).

    It is written beside the target and renamed over it, so a failure never leaves half a
    file. It gets the permissions of the file it replaces, else those of a new file (umask).
    """
    if destination == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(destination)
    if target.is_dir():
        raise BouncectlError(f"{destination}: is a folder", "give a file name")
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
            "w", encoding="utf-8", newline="", dir=target.parent, prefix=f".{target.name}.", delete=False
        )
    except OSError as exc:
        raise BouncectlError(f"{destination}: {exc.strerror or exc}", "check that the folder exists") from None
    with handle:
        try:
            yield handle
        except BaseException:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
            raise
    os.chmod(handle.name, _mode_for(target))
    os.replace(handle.name, target)


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
