"""Erasure that keeps the suppression (SPEC rule 2.11): what a forgotten address keeps.

``forget`` deletes a person's data and keeps only :func:`address_hash` of the normalized address,
with :func:`kept_status`. The hash is keyed (HMAC-SHA256 with a random key made once per store),
so the entry cannot be turned back into the address by hashing guessed addresses without the
store's key, and the same address always gives the same entry, so a later import or planned list
of it is recognized.

What is kept is the minimum needed to honour the person's objection: without it the next import of
an old list would make the address sendable again.
"""

from __future__ import annotations

from bouncectl.vocabulary import COMPLAINED, ELIGIBLE, GLOBALLY_BOUNCED, HARD_BOUNCED, SUPPRESSED, UNSUBSCRIBED

HASH_PREFIX = "hmac-sha256:"


def address_hash(key: bytes, email: str) -> str:
    """The keyed hash a forgotten address is known by (``email`` already normalized)."""
    import hashlib  # OpenSSL's hashes, loaded by an erasure or a forgotten address's check, not by every command
    import hmac

    return HASH_PREFIX + hmac.new(key, email.encode("utf-8"), hashlib.sha256).hexdigest()


def kept_status(status: str | None) -> str:
    """The status an address keeps once forgotten: the one it had, when it was not sent to; an
    eligible (or unknown) address becomes ``unsubscribed``, since asking to be erased is objecting
    to the mail."""
    return UNSUBSCRIBED if status in (None, ELIGIBLE) else status


def kept_in_force(
    kept: str | None, last_delivered_at: str | None, reactivated_at: str | None, resubscribed_at: str | None
) -> str | None:
    """A kept status while nothing since the address came back lifted it, as it would have lifted
    the status itself: new consent lifts a complaint or an unsubscribe, a reactivation a hard
    bounce, a delivery a global bounce or the soft-bounce policy. (The address came back with no
    history: every time here is after its erasure.)"""
    if kept in (COMPLAINED, UNSUBSCRIBED):
        return None if resubscribed_at else kept
    if kept == HARD_BOUNCED:
        return None if reactivated_at else kept
    if kept in (GLOBALLY_BOUNCED, SUPPRESSED):
        return None if last_delivered_at else kept
    return None
