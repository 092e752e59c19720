"""A contact's status: eligible, hard_bounced, globally_bounced, suppressed, complained or
unsubscribed (SPEC rules 2.1, 2.2, 2.9, 2.10), and which of them wins when several hold.

Also the soft-bounce policy (its settings and defaults) and where a soft streak starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bouncectl.ledger.erasure import kept_in_force
from bouncectl.vocabulary import COMPLAINED, ELIGIBLE, GLOBALLY_BOUNCED, HARD_BOUNCED, SUPPRESSED, UNSUBSCRIBED

# Soft-bounce policy defaults (rule 2.9): suppressed after this many consecutive
# soft-bounced sends with no delivery in between, spread over at least this many days.
DEFAULT_SOFT_BOUNCE_LIMIT = 5
DEFAULT_SOFT_BOUNCE_DAYS = 7


@dataclass(frozen=True, slots=True)
class SoftBouncePolicy:
    """Rule 2.9: a contact is suppressed after ``limit`` consecutive soft-bounced sends, with no
    delivery in between, spread over at least ``days`` days. Defaults: 5 sends over 7 days.

    - **5 sends.** GNU Mailman disables a list member once its bounce score passes its default
      threshold of 5 (and scores at most one bounce a day). One soft bounce says little about an
      address (a full mailbox, greylisting, a short outage); five sends in a row with nothing
      delivered is a pattern.
    - **7 days.** Mailman forgets a bounce score after 7 days without a bounce
      (``bounce_info_stale_after``): a problem shorter than a week is taken as passing. Here the
      streak must span at least a week, so several sends during one bad weekend (a server down, a
      mailbox full until its owner is back) suppress nobody, while an inbox that keeps refusing
      mail for a week or more stops being sent to.
    - Retries of one email count as one send. A delivery (or an open or a click, which prove one)
      ends the streak, and so does a reactivation; events that arrive late are put in their place
      by time. Like listmonk's bounce count, both values are settings: ``bouncectl config
      soft_bounce_limit N`` and ``bouncectl config soft_bounce_days D`` (the statuses of contacts
      with soft bounces are re-evaluated at once).
    """

    limit: int = DEFAULT_SOFT_BOUNCE_LIMIT
    days: float = DEFAULT_SOFT_BOUNCE_DAYS


def _days_between(first: str, last: str) -> float:
    """Days from ``first`` to ``last``; 0 when either is not a time (a store written before times
    were checked may hold one such as month 13), so no span is counted from it."""
    try:
        return (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds() / 86400.0
    except (ValueError, OverflowError):
        return 0.0


# When several statuses hold for one contact, the first of these is its status. Consent comes
# first: a complaint or an unsubscribe is the recipient's own word, that no bounce and no
# reactivation can lift (rule 2.10), and a complaint is the stronger of the two (the recipient
# called the mail spam). Then what the provider holds (a global bounce, lifted only there), then
# what this store decided (a hard bounce, then the soft-bounce policy).
STATUS_PRECEDENCE = (COMPLAINED, UNSUBSCRIBED, GLOBALLY_BOUNCED, HARD_BOUNCED, SUPPRESSED, ELIGIBLE)
_RANK = {status: rank for rank, status in enumerate(STATUS_PRECEDENCE)}


def strongest(*statuses: str | None) -> str:
    """The status that wins among ``statuses`` (``None`` is none; none at all is eligible)."""
    return min((s for s in statuses if s), key=_RANK.__getitem__, default=ELIGIBLE)


def consent_status(complained_at: str | None, unsubscribed_at: str | None, resubscribed_at: str | None) -> str | None:
    """``complained`` or ``unsubscribed`` when such an event came after the last new consent, else ``None``."""
    if complained_at and (not resubscribed_at or complained_at > resubscribed_at):
        return COMPLAINED
    if unsubscribed_at and (not resubscribed_at or unsubscribed_at > resubscribed_at):
        return UNSUBSCRIBED
    return None


def contact_status(
    *,
    complained_at: str | None = None,
    unsubscribed_at: str | None = None,
    resubscribed_at: str | None = None,
    kept_status: str | None = None,
    hard_bounced_at: str | None,
    global_bounced_at: str | None,
    last_delivered_at: str | None,
    reactivated_at: str | None,
    soft_streak: int,
    soft_streak_since: str | None,
    soft_streak_last: str | None,
    policy: SoftBouncePolicy = SoftBouncePolicy(),
) -> str:
    """A contact's status from its history (times are canonical UTC text): the strongest
    (:data:`STATUS_PRECEDENCE`) of its consent status, its bounce status and ``kept_status`` (the
    status an erased address kept, see :mod:`bouncectl.ledger.erasure`).

    - complained, unsubscribed: a complaint, or an unsubscribe from every email, after the
      recipient's last new consent (``resubscribed_at``);
    - globally bounced: a provider reported the address on its global suppression
      list, and nothing was delivered to it since;
    - hard bounced: a hard bounce that no reactivation came after;
    - suppressed: ``policy.limit`` consecutive soft-bounced sends, no delivery or
      reactivation since the first of them, spread over ``policy.days`` or more;
    - eligible otherwise.
    """
    return strongest(
        consent_status(complained_at, unsubscribed_at, resubscribed_at),
        kept_in_force(kept_status, last_delivered_at, reactivated_at, resubscribed_at),
        _bounce_status(
            hard_bounced_at, global_bounced_at, last_delivered_at, reactivated_at, soft_streak, soft_streak_since,
            soft_streak_last, policy,
        ),
    )


def _bounce_status(
    hard_bounced_at: str | None,
    global_bounced_at: str | None,
    last_delivered_at: str | None,
    reactivated_at: str | None,
    soft_streak: int,
    soft_streak_since: str | None,
    soft_streak_last: str | None,
    policy: SoftBouncePolicy,
) -> str:
    if global_bounced_at and (not last_delivered_at or global_bounced_at > last_delivered_at):
        return GLOBALLY_BOUNCED
    if hard_bounced_at and (not reactivated_at or hard_bounced_at > reactivated_at):
        return HARD_BOUNCED
    if (
        soft_streak >= policy.limit
        and soft_streak_since
        and soft_streak_last
        and _days_between(soft_streak_since, soft_streak_last) >= policy.days
    ):
        return SUPPRESSED
    return ELIGIBLE


NOT_SENT_BY_STATUS = {
    HARD_BOUNCED: "PREVIOUSLY_BOUNCED",
    GLOBALLY_BOUNCED: "GLOBALLY_BOUNCED",
    SUPPRESSED: "SUPPRESSED",
    COMPLAINED: "COMPLAINED",
    UNSUBSCRIBED: "UNSUBSCRIBED",
}


def not_sent_reason(status: str | None) -> str | None:
    """Why a contact with ``status`` is not sent to (``None``: it can be sent to)."""
    return NOT_SENT_BY_STATUS.get(status or ELIGIBLE)


def soft_bounce_policy(settings: dict[str, str]) -> SoftBouncePolicy:
    """The policy the stored settings give, the defaults where unset."""
    return SoftBouncePolicy(
        limit=int(settings.get("soft_bounce_limit", str(DEFAULT_SOFT_BOUNCE_LIMIT))),
        days=float(settings.get("soft_bounce_days", str(DEFAULT_SOFT_BOUNCE_DAYS))),
    )


def status_of(contact: dict, policy: SoftBouncePolicy) -> str:
    """:func:`contact_status` of a contact row (a dict with the contacts table's columns)."""
    return contact_status(
        complained_at=contact["complained_at"],
        unsubscribed_at=contact["unsubscribed_at"],
        resubscribed_at=contact["resubscribed_at"],
        kept_status=contact["kept_status"],
        hard_bounced_at=contact["hard_bounced_at"],
        global_bounced_at=contact["global_bounced_at"],
        last_delivered_at=contact["last_delivered_at"],
        reactivated_at=contact["reactivated_at"],
        soft_streak=contact["soft_streak"],
        soft_streak_since=contact["soft_streak_since"],
        soft_streak_last=contact["soft_streak_last"],
        policy=policy,
    )


def soft_streak_start(contact: dict) -> str:
    """The time after which a contact's soft bounces count towards its streak: its last delivery
    or reactivation, whichever is later ("" for none)."""
    delivered, reactivated = contact["last_delivered_at"], contact["reactivated_at"]
    if delivered is None:
        return reactivated or ""
    if reactivated is None:
        return delivered
    return max(delivered, reactivated)
