"""The product's rules, as short pure functions a reader can check against SPEC.md.

- :func:`contact_status`: eligible, hard_bounced, globally_bounced or suppressed (rules 2.1, 2.9).
- :func:`not_sent_reason`: why a planned send to a contact is not made (rule 2.2).
- :func:`monthly_quota`: how many reactivations a calendar month allows (rule 2.5).
- :data:`REACTIVATION_GUARDS` and :func:`first_refusal`: the reactivation guards, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bouncectl.bounces import ABANDONED_INBOX_REASONS, needs_resolution
from bouncectl.model import ELIGIBLE, GLOBALLY_BOUNCED, HARD_BOUNCED, SUPPRESSED

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
    return (_parse(last) - _parse(first)).total_seconds() / 86400.0


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def contact_status(
    *,
    hard_bounced_at: str | None,
    global_bounced_at: str | None,
    last_delivered_at: str | None,
    reactivated_at: str | None,
    soft_streak: int,
    soft_streak_since: str | None,
    soft_streak_last: str | None,
    policy: SoftBouncePolicy = SoftBouncePolicy(),
) -> str:
    """A contact's status from its bounce history (times are canonical UTC text).

    - globally bounced: a provider reported the address on its global suppression
      list, and nothing was delivered to it since;
    - hard bounced: a hard bounce that no reactivation came after;
    - suppressed: ``policy.limit`` consecutive soft-bounced sends, no delivery or
      reactivation since the first of them, spread over ``policy.days`` or more;
    - eligible otherwise.
    """
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
}


def not_sent_reason(status: str | None) -> str | None:
    """Why a contact with ``status`` is not sent to (``None``: it can be sent to)."""
    return NOT_SENT_BY_STATUS.get(status or ELIGIBLE)


# --- Reactivation (rule 2.5) -------------------------------------------------------------

QUOTA_SHARE = 0.02
QUOTA_MIN = 10
QUOTA_MAX = 1000


def monthly_quota(total_contacts: int) -> int:
    """Reactivations allowed per calendar month: 2% of contacts, at least 10, at most 1000."""
    return min(QUOTA_MAX, max(QUOTA_MIN, int(QUOTA_SHARE * total_contacts)))


def month_of(moment: datetime) -> str:
    """The calendar month (UTC) of ``moment``, as ``YYYY-MM``."""
    return moment.astimezone(UTC).strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class ReactivationFacts:
    """Everything the guards look at for one attempt."""

    status: str | None  # None: the address is not in the store
    reason: str | None  # the hard bounce reason being lifted
    third_party: bool
    reactivated_before: bool
    sending_domains: int
    user_has_permission: bool
    confirmed: bool
    resolved: bool
    quota_used: int
    quota_limit: int


@dataclass(frozen=True, slots=True)
class Guard:
    code: str
    passes: Callable[[ReactivationFacts], bool]
    message: Callable[[ReactivationFacts], str]
    hint: str


REACTIVATION_GUARDS: tuple[Guard, ...] = (
    Guard(
        "NOT_BOUNCED",
        lambda f: f.status in (HARD_BOUNCED, GLOBALLY_BOUNCED),
        lambda f: "the address is not in the store" if f.status is None else f"the contact is {f.status}, not bounced",
        "only hard-bounced contacts can be reactivated",
    ),
    Guard(
        "GLOBAL_BOUNCE",
        lambda f: f.status != GLOBALLY_BOUNCED,
        lambda f: "the address is on a provider's global bounce list; only the provider that holds it can lift it",
        "ask your sending provider to remove the address from its suppression list",
    ),
    Guard(
        "THIRD_PARTY_LIST",
        lambda f: not f.third_party,
        lambda f: "the contact was imported from a third-party or purchased list",
        "contacts from purchased or rented lists cannot be reactivated",
    ),
    Guard(
        "ALREADY_REACTIVATED",
        lambda f: not f.reactivated_before,
        lambda f: "the contact was reactivated before; a contact can be reactivated only once",
        "see `bouncectl audit` for the earlier reactivation",
    ),
    Guard(
        "NO_SENDING_DOMAIN",
        lambda f: f.sending_domains > 0,
        lambda f: "no sending domain is connected",
        "connect one with `bouncectl domains add DOMAIN`",
    ),
    Guard(
        "NO_PERMISSION",
        lambda f: f.user_has_permission,
        lambda f: "the acting user does not hold the email permission",
        "an administrator can grant it with `bouncectl users add NAME --permission email`",
    ),
    Guard(
        "NOT_CONFIRMED",
        lambda f: f.confirmed,
        lambda f: "not confirmed that the address is valid; nothing was changed",
        "check the bounce details, then re-run with --confirm",
    ),
    Guard(
        "UNRESOLVED_REASON",
        lambda f: f.resolved or needs_resolution(f.reason) is None,
        lambda f: f"the bounce reason {f.reason!r} points to a problem of {needs_resolution(f.reason)}",
        "fix the cause first, then re-run with --resolved",
    ),
    Guard(
        "QUOTA_EXCEEDED",
        lambda f: f.quota_used < f.quota_limit,
        lambda f: f"this month's reactivation quota is used up ({f.quota_used} of {f.quota_limit})",
        "the quota renews on the first day of next month (UTC)",
    ),
)


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str
    hint: str


def first_refusal(facts: ReactivationFacts) -> Refusal | None:
    """The first guard that refuses the attempt, or ``None`` when all pass."""
    for guard in REACTIVATION_GUARDS:
        if not guard.passes(facts):
            return Refusal(guard.code, guard.message(facts), guard.hint)
    return None


def abandoned_inbox_note(reason: str | None) -> str | None:
    """The warning shown before reactivating a contact that bounced for ``reason``."""
    if reason in ABANDONED_INBOX_REASONS:
        kind = "a full mailbox" if reason == "mailboxfull" else "an unknown address"
        return (
            f"This contact bounced for {kind}: the typical sign of an abandoned inbox. "
            "Reactivate only if you know the address is in use."
        )
    return None
