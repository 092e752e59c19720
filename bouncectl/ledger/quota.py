"""The monthly reactivation quota (SPEC rule 2.5): how many contacts a calendar month may reactivate."""

from __future__ import annotations

from datetime import UTC, datetime

QUOTA_SHARE = 0.02
QUOTA_MIN = 10
QUOTA_MAX = 1000


def monthly_quota(total_contacts: int) -> int:
    """Reactivations allowed per calendar month: 2% of contacts, at least 10, at most 1000."""
    return min(QUOTA_MAX, max(QUOTA_MIN, int(QUOTA_SHARE * total_contacts)))


def month_of(moment: datetime) -> str:
    """The calendar month (UTC) of ``moment``, as ``YYYY-MM``."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def quota(month: str, total_contacts: int, used: int) -> dict:
    """The quota row of ``month``: its limit for ``total_contacts``, the ``used`` part and what remains."""
    limit = monthly_quota(total_contacts)
    return {"month": month, "total_contacts": total_contacts, "limit": limit, "used": used,
            "remaining": max(0, limit - used)}
