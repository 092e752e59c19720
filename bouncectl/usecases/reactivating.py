"""Reactivating ("unbouncing") hard-bounced contacts under SPEC rule 2.5.

Each attempt runs in its own write transaction: the guards read the store, and
the reactivation and its audit entry are written, with no other writer in
between. Two processes racing for the last unit of quota cannot both win.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from bouncectl.addresses import normalize
from bouncectl.ledger.reactivation import abandoned_inbox_note, first_refusal, held_note
from bouncectl.store import Store


@dataclass
class Outcome:
    email: str
    outcome: str  # reactivated, refused, would_reactivate
    code: str | None
    message: str
    hint: str | None
    reason: str | None = None
    bounce_type: str | None = None
    smtp_code: int | None = None
    enhanced_status: str | None = None
    diagnostic: str | None = None
    bounced_at: str | None = None
    email_id: str | None = None
    note: str | None = None
    quota_remaining: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def unbounce(
    store: Store,
    emails: list[str],
    user: str,
    *,
    confirm: bool = False,
    resolved: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[Outcome]:
    """Try to reactivate each address; every real attempt is written to the audit log."""
    outcomes = []
    planned = 0  # reactivations a dry run would have made so far
    for address in emails:
        email = normalize(address)
        with store.write() as conn:
            # The time (and so the quota's month) of the attempt is when it holds the store, not
            # when it began waiting for it.
            moment = now or datetime.now(UTC)
            facts, contact, bounce = store.reactivation_facts(conn, email, user, confirm, resolved, moment)
            left = facts.quota_limit - facts.quota_used  # before this attempt; a dry run never uses any
            if dry_run:
                facts = replace(facts, quota_used=facts.quota_used + planned)
            refusal = first_refusal(facts)
            outcome = Outcome(
                email=email,
                outcome="refused" if refusal else ("would_reactivate" if dry_run else "reactivated"),
                code=refusal.code if refusal else None,
                message=refusal.message if refusal else "reactivated",
                hint=refusal.hint if refusal else None,
                note=abandoned_inbox_note(facts.reason) if contact else None,
            )
            if refusal is None and facts.held_by:
                # Lifted here; the provider's list still holds it, and only a person can lift it there.
                outcome.note = " ".join(filter(None, [outcome.note, "Lifted here only" + held_note(facts.held_by) + "."]))
            if bounce:
                outcome.reason = bounce["reason"]
                outcome.bounce_type = bounce["bounce_type"]
                outcome.smtp_code = bounce["smtp_code"]
                outcome.enhanced_status = bounce["enhanced_status"]
                outcome.diagnostic = bounce["diagnostic"]
                outcome.bounced_at = bounce["timestamp"]
                outcome.email_id = bounce["email_id"]
            if dry_run:
                if refusal is None:
                    outcome.message = "would be reactivated (dry run: nothing changed)"
                    planned += 1
            else:
                if refusal is None:
                    status = store.reactivate(conn, email, user, bounce, moment)
                    outcome.message = f"reactivated: the contact is {status} now"
                store.record_audit(
                    conn,
                    user=user,
                    action="unbounce",
                    contact=email,
                    bounce_event_id=bounce["id"] if bounce else None,
                    outcome=outcome.outcome,
                    code=outcome.code,
                    detail=outcome.message,
                    at=moment,
                )
            outcome.quota_remaining = max(0, left - (refusal is None and not dry_run))
        outcomes.append(outcome)
    return outcomes
