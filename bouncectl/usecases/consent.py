"""Recording a recipient's new consent (SPEC rule 2.10): ``resubscribe``.

The rule is read and the change and its audit entry written in one write transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from bouncectl.addresses import normalize
from bouncectl.ledger.consent import ConsentFacts, resubscribe_refusal
from bouncectl.store import Store


@dataclass
class ConsentOutcome:
    email: str
    outcome: str  # resubscribed, refused
    code: str | None
    message: str
    hint: str | None
    status: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def resubscribe(store: Store, address: str, evidence: str, user: str, now: datetime | None = None) -> ConsentOutcome:
    """Lift the contact's complaint and unsubscribes on the recipient's new consent; audited either way."""
    email = normalize(address)
    moment = now or datetime.now(UTC)
    with store.write() as conn:
        contact = store.contact(email)
        facts = ConsentFacts(
            status=contact["status"] if contact else None,
            groups=store.groups_unsubscribed(email, conn) if contact else (),
            third_party=bool(contact and contact["third_party"]),
            evidence=evidence,
        )
        refusal = resubscribe_refusal(facts)
        if refusal is None:
            status = store.resubscribe(conn, email, moment)
            outcome = ConsentOutcome(email, "resubscribed", None, f"new consent recorded: the contact is {status} now",
                                     None, status)
        else:
            outcome = ConsentOutcome(email, "refused", refusal.code, refusal.message, refusal.hint, facts.status)
        store.record_audit(
            conn,
            user=user,
            action="resubscribe",
            contact=email,
            bounce_event_id=None,
            outcome=outcome.outcome,
            code=outcome.code,
            detail=f"evidence: {evidence.strip()}" if evidence.strip() else outcome.message,
            at=moment,
        )
    return outcome
