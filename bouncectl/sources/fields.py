"""Fields every source reads the same way."""

from __future__ import annotations

import re

# An enhanced status code (RFC 3463): class 2, 4 or 5, then subject and detail, as in 5.1.1.
ENHANCED_STATUS = re.compile(r"[245]\.\d{1,3}\.\d{1,3}")
