"""The reactivation guards (SPEC rules 2.5 and 2.10), in order, and what a reactivation lifts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bouncectl.vocabulary import COMPLAINED, GLOBALLY_BOUNCED, HARD_BOUNCED, UNSUBSCRIBED

# The classifier (bouncectl.bounces) holds which reasons need their cause fixed first. It is
# imported by the two rules below when they run, not with the ledger: the store and the commands
# that only read it (quota, bounced) load the ledger, and must start without compiling the
# classifier's patterns.


def _problem_behind(reason: str | None) -> str | None:
    """What must be fixed before reactivating a contact that bounced for ``reason`` (None: nothing)."""
    from bouncectl.bounces import needs_resolution

    return needs_resolution(reason)


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
    held_by: tuple[str, ...] = ()  # the providers whose suppression lists hold the address


def held_note(providers: tuple[str, ...]) -> str:
    """What a message adds when providers' suppression lists hold the address: who, and that it is
    lifted there, by hand (bouncectl never changes a provider's list)."""
    if not providers:
        return ""
    lists = "holds it on its suppression list" if len(providers) == 1 else "hold it on their suppression lists"
    return f" ({', '.join(providers)} {lists}: lift it there by hand)"


@dataclass(frozen=True, slots=True)
class Guard:
    code: str
    passes: Callable[[ReactivationFacts], bool]
    message: Callable[[ReactivationFacts], str]
    hint: str


REACTIVATION_GUARDS: tuple[Guard, ...] = (
    Guard(
        "COMPLAINT",
        lambda f: f.status not in (COMPLAINED, UNSUBSCRIBED),
        lambda f: (
            f"the recipient {'reported an email as spam' if f.status == COMPLAINED else 'unsubscribed'}; "
            "only the recipient's own new consent lifts it, not a reactivation" + held_note(f.held_by)
        ),
        "record the recipient's new consent with `bouncectl resubscribe EMAIL --evidence TEXT`",
    ),
    Guard(
        "NOT_BOUNCED",
        lambda f: f.status in (HARD_BOUNCED, GLOBALLY_BOUNCED),
        lambda f: "the address is not in the store" if f.status is None else f"the contact is {f.status}, not bounced",
        "only hard-bounced contacts can be reactivated",
    ),
    Guard(
        "GLOBAL_BOUNCE",
        lambda f: f.status != GLOBALLY_BOUNCED,
        lambda f: (
            "the address is on a provider's global bounce list; only the provider that holds it can lift it"
            + held_note(f.held_by)
        ),
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
        lambda f: f.resolved or _problem_behind(f.reason) is None,
        lambda f: f"the bounce reason {f.reason!r} points to a problem of {_problem_behind(f.reason)}",
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
    from bouncectl.bounces import ABANDONED_INBOX_REASONS

    if reason in ABANDONED_INBOX_REASONS:
        kind = "a full mailbox" if reason == "mailboxfull" else "an unknown address"
        return (
            f"This contact bounced for {kind}: the typical sign of an abandoned inbox. "
            "Reactivate only if you know the address is in use."
        )
    return None


def lifted_until(at: str, hard_bounced_at: str | None) -> str:
    """The ``reactivated_at`` of a contact reactivated at ``at``: every bounce known now is lifted,
    also one dated after now (a clock or time zone off in the source), so the later of the two."""
    return max(at, hard_bounced_at or "")
