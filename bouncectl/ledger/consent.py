"""New consent (SPEC rule 2.10): when ``resubscribe`` may lift a complaint or an unsubscribe.

Only the recipient's own new consent lifts a complaint or an unsubscribe; ``resubscribe`` records
it. It is refused, in this order, when:

- ``NO_EVIDENCE``: no evidence of the consent is given (where and when the recipient opted in
  again): the audit entry must say what the consent rests on;
- ``NOT_UNSUBSCRIBED``: the contact neither complained nor unsubscribed (from every email or from
  a group), so there is nothing to lift;
- ``THIRD_PARTY_LIST``: the contact came from a third-party or purchased list, whose consent was
  never the recipient's own to this sender.
"""

from __future__ import annotations

from dataclasses import dataclass

from bouncectl.ledger.reactivation import Refusal
from bouncectl.model import COMPLAINED, UNSUBSCRIBED


@dataclass(frozen=True, slots=True)
class ConsentFacts:
    """Everything the resubscribe rule looks at for one attempt."""

    status: str | None  # None: the address is not in the store
    groups: tuple[str, ...]  # the groups it unsubscribed from since its last new consent
    third_party: bool
    evidence: str


def resubscribe_refusal(facts: ConsentFacts) -> Refusal | None:
    """Why new consent cannot be recorded for this contact, or ``None`` when it can."""
    if not facts.evidence.strip():
        return Refusal(
            "NO_EVIDENCE",
            "no evidence of the recipient's new consent was given",
            "say where and when the recipient opted in again: --evidence 'signup form, 2026-12-01'",
        )
    if facts.status not in (COMPLAINED, UNSUBSCRIBED) and not facts.groups:
        return Refusal(
            "NOT_UNSUBSCRIBED",
            "the address is not in the store" if facts.status is None
            else f"the contact is {facts.status}: it neither complained nor unsubscribed",
            "resubscribe lifts only a complaint or an unsubscribe; a bounce is lifted with `bouncectl unbounce`",
        )
    if facts.third_party:
        return Refusal(
            "THIRD_PARTY_LIST",
            "the contact was imported from a third-party or purchased list",
            "a purchased list's contacts cannot be resubscribed: the recipient must sign up with you directly",
        )
    return None
