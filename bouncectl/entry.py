"""The ``bouncectl`` command: what the installed script runs.

Importing Typer is most of a short command's start (about 60 ms here, Python itself 15), and
``bouncectl --version`` needs none of it: that exact command line, and only that one, is answered
here with the line the app's own ``--version`` option prints (:func:`version_line`). Every other
command line, ``--version`` among other arguments included, goes to the one Typer app
(:mod:`bouncectl.cli`) as it is, which parses it, ``--version`` and ``--help`` too.
"""

from __future__ import annotations

import os
import sys

from bouncectl import __version__


def version_line() -> str:
    """What ``bouncectl --version`` prints."""
    return f"bouncectl {__version__}"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        try:
            print(version_line(), flush=True)
        except BrokenPipeError:
            # The reader went away (``| head -c0``): nothing left to say, and nothing to fail at
            # exit either (the app's own end does the same, see bouncectl.cli.group.reader_gone).
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        return
    from bouncectl.cli import main as run

    run()
