"""Old home of the input formats, now :mod:`bouncectl.sources`.

Kept only for the bounce-message and corpus tests, which are being rewritten alongside and still
import from here; remove once they import from :mod:`bouncectl.sources`.
"""

from bouncectl.sources import detect

__all__ = ["detect"]
