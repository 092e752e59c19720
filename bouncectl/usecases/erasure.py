"""Erasure (SPEC rule 2.11): ``forget`` deletes a person's data and keeps the suppression.

All the addresses are erased in one write transaction, with one audit entry each that names the
hash, never the address; then the file is rebuilt so no deleted row survives in it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from bouncectl.addresses import normalize
from bouncectl.errors import BouncectlError
from bouncectl.ledger.erasure import address_hash, kept_status
from bouncectl.store import Store
from bouncectl.timeparse import format_utc


@dataclass
class Erasure:
    hash: str
    status: str  # the status it keeps
    was_in_store: bool
    events: int
    rejects: int
    audit_entries: int

    def as_dict(self) -> dict:
        return asdict(self)


def forget(store: Store, addresses: list[str], user: str, now: datetime | None = None) -> list[Erasure]:
    """Erase each address; returns what was kept and removed of each (by hash: nothing names the address)."""
    emails = list(dict.fromkeys(normalize(a) for a in addresses))
    if not all(emails):
        raise BouncectlError("an empty address was given", hint="name each address to forget, one a line in --from-file")
    moment = now or datetime.now(UTC)
    stamp = format_utc(moment)
    done = []
    store.conn.execute("PRAGMA secure_delete = ON")  # deleted content is overwritten, not left in free space
    with store.write() as conn:
        key = store.erasure_key(conn)
        for email in emails:
            digest = address_hash(key, email)
            contact = store.contact(email)
            status = kept_status(contact["status"] if contact else store.kept_statuses(conn, [email]).get(email))
            counts = store.erase(conn, email, digest, status, stamp)
            store.record_audit(
                conn, user=user, action="forget", contact=digest, bounce_event_id=None, outcome="forgotten",
                code=None, detail=f"status kept: {status}", at=moment,
            )
            done.append(Erasure(digest, status, contact is not None, counts["events"], counts["rejects"], counts["audit"]))
    store.scrub()
    return done
