"""Timestamps: every input form to one canonical UTC text.

The store keeps times as fixed-width UTC text, ``2026-11-24T09:15:02.000Z``,
so they sort correctly as text and read well in any SQLite tool.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

# email.utils (for RFC 2822 dates) and zoneinfo are imported where they are used: every command
# loads this module through the store, and together they are a good part of a short command's
# start-up (email.utils brings in socket, random and urllib).

_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_EPOCH = re.compile(r"[+-]?\d+(\.\d+)?")
_FRACTION = re.compile(r"(\.\d{6})\d+")


def format_utc(moment: datetime) -> str:
    """Canonical text of an aware (or naive-UTC) datetime."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now_utc() -> str:
    return format_utc(datetime.now(UTC))


def zone(name: str | None) -> tzinfo:
    """The time zone called ``name`` (``None`` is UTC)."""
    if not name:
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def parse_timestamp(value: object, tz: tzinfo = UTC) -> str:
    """Parse ISO 8601, Unix seconds or an RFC 2822 date into canonical UTC text.

    A time without an offset is taken in ``tz`` (UTC unless told otherwise).
    Raises ``ValueError`` with a short reason.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")  # noqa: TRY004 (callers handle ValueError)
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    if _CANONICAL.fullmatch(text):
        return text
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    try:
        # Python's ISO parser takes at most six fractional digits.
        moment = datetime.fromisoformat(_FRACTION.sub(r"\1", text))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise ValueError(f"not a timestamp: {text[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return format_utc(moment)


def _from_epoch(seconds: float) -> str:
    # Millisecond epochs are common in webhooks; seconds until year 5138.
    if seconds > 1e11:
        seconds /= 1000.0
    try:
        return format_utc(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"timestamp out of range: {seconds!r}") from None
