"""What events mean for a contact: pure functions a reader can check against SPEC.md.

- :mod:`~bouncectl.ledger.rows`: an event and a contact as rows at the store's edge, the event key.
- :mod:`~bouncectl.ledger.fold`: a contact's summary of events (its fold), merged in any order.
- :mod:`~bouncectl.ledger.status`: eligible, hard_bounced, globally_bounced or suppressed (rules 2.1,
  2.2, 2.9), the soft-bounce policy and where a soft streak starts.
- :mod:`~bouncectl.ledger.quota`: how many reactivations a calendar month allows (rule 2.5).
- :mod:`~bouncectl.ledger.reactivation`: the reactivation guards, in order, and what a reactivation lifts.
"""

from bouncectl.ledger.quota import QUOTA_MAX, QUOTA_MIN, QUOTA_SHARE, month_of, monthly_quota, quota
from bouncectl.ledger.reactivation import (
    REACTIVATION_GUARDS,
    Guard,
    ReactivationFacts,
    Refusal,
    abandoned_inbox_note,
    first_refusal,
    lifted_until,
)
from bouncectl.ledger.status import (
    DEFAULT_SOFT_BOUNCE_DAYS,
    DEFAULT_SOFT_BOUNCE_LIMIT,
    NOT_SENT_BY_STATUS,
    SoftBouncePolicy,
    contact_status,
    not_sent_reason,
    soft_bounce_policy,
    soft_streak_start,
    status_of,
)

__all__ = [
    "DEFAULT_SOFT_BOUNCE_DAYS",
    "DEFAULT_SOFT_BOUNCE_LIMIT",
    "NOT_SENT_BY_STATUS",
    "QUOTA_MAX",
    "QUOTA_MIN",
    "QUOTA_SHARE",
    "REACTIVATION_GUARDS",
    "Guard",
    "ReactivationFacts",
    "Refusal",
    "SoftBouncePolicy",
    "abandoned_inbox_note",
    "contact_status",
    "first_refusal",
    "lifted_until",
    "month_of",
    "monthly_quota",
    "not_sent_reason",
    "quota",
    "soft_bounce_policy",
    "soft_streak_start",
    "status_of",
]
