"""Old home of :mod:`bouncectl.usecases.explaining`.

Kept only for the bounce-message tests and the corpus benchmark, which are being rewritten
alongside and still import from here; remove once they import from :mod:`bouncectl.usecases`.
"""

from bouncectl.usecases.explaining import COLUMNS, explain

__all__ = ["COLUMNS", "explain"]
