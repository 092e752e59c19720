"""Timestamps: every input form to one canonical UTC text.

The store keeps times as fixed-width UTC text, ``2026-11-24T09:15:02.000Z``,
so they sort correctly as text and read well in any SQLite tool.

A time read from an input must be possible: on or after :data:`EARLIEST` and at most
:data:`FUTURE_SLACK` after the clock of the import that reads it. Anything else (a
bounce "in 9999", a Unix time before 1970, month 13) is refused, so that it can never
decide a contact's status forever.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

# email.utils (for RFC 2822 dates) and zoneinfo are imported where they are used: every command
# loads this module through the store, and together they are a good part of a short command's
# start-up (email.utils brings in socket, random and urllib).

_CANONICAL = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_EPOCH = re.compile(r"[+-]?\d+(\.\d+)?")
_FRACTION = re.compile(r"(\.\d{6})\d+")


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before any of the mail logs this reads
FUTURE_SLACK = timedelta(days=1)  # clocks and time zones a little off in a source


def format_utc(moment: datetime) -> str:
    """Canonical text of an aware (or naive-UTC) datetime: zero-padded, so text order is time order."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:"
        f"{moment.second:02d}.{moment.microsecond // 1000:03d}Z"
    )


def latest_plausible(now: datetime | None = None) -> datetime:
    """The latest time an input may hold, read now (or at ``now``)."""
    return (now or datetime.now(UTC)) + FUTURE_SLACK


class ImplausibleTime(ValueError):
    """A time that was read but cannot be right; ``why`` says how (``"before 1990"``, ...)."""

    def __init__(self, moment: str, why: str):
        super().__init__(f"time {moment} is {why}" if moment else f"time {why}")
        self.why = why


def plausible(moment: datetime) -> str:
    """Canonical text of ``moment``, a time read from an input; ``ValueError`` for an impossible one."""
    try:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ImplausibleTime("", "out of range") from None
    if moment < EARLIEST:
        raise ImplausibleTime(format_utc(moment), f"before {EARLIEST.year}")
    if moment > latest_plausible():
        raise ImplausibleTime(format_utc(moment), "in the future")
    return format_utc(moment)


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
    Raises ``ValueError`` with a short reason, also for a time that cannot be (see :func:`plausible`).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")  # noqa: TRY004 (callers handle ValueError)
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    if _CANONICAL.fullmatch(text):
        # Already in the store's form: checked all the same (month 13, hour 99, year 9999).
        try:
            return plausible(datetime.fromisoformat(text))
        except ValueError as exc:
            raise ValueError(f"not a timestamp: {text[:40]!r} ({exc})") from None
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
    return plausible(moment)


def _from_epoch(seconds: float) -> str:
    # Millisecond epochs are common in webhooks; seconds until year 5138.
    if seconds > 1e11:
        seconds /= 1000.0
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"timestamp out of range: {seconds!r}") from None
    return plausible(moment)
