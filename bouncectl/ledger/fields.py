"""The events and contacts tables' fields, in their columns' order, and what stands for NULL in
bulk statements: plain names, apart from :mod:`bouncectl.ledger.rows` (which hashes the event
key, and re-exports these), so that the store's own statements are built without the hash."""

from __future__ import annotations

# An event as importers hand it to the store (see EventBatch): the events table's columns but its id,
# which SQLite gives in order. A NULL is "" (see NULL); ``key`` is None until the email id is known.
# ``dated`` is 1, or 0 when the source gave no time (``timestamp`` is then when the file was written).
ROW_FIELDS = (
    "key", "email_id", "recipient", "event", "timestamp", "bounce_type", "reason", "smtp_code",
    "enhanced_status", "diagnostic", "rule", "provider_type", "is_global", "not_sent_reason",
    "message_id", "raw", "import_id", "list_group", "dated",
)
(KEY, EMAIL_ID, RECIPIENT, EVENT, TIMESTAMP, BOUNCE_TYPE, REASON, SMTP_CODE, STATUS, DIAGNOSTIC,
 RULE, PROVIDER_TYPE, GLOBAL, NOT_SENT_REASON, MESSAGE_ID, RAW, IMPORT_ID, LIST_GROUP, DATED) = range(len(ROW_FIELDS))

# A contact as the contacts table holds it, in its columns' order.
CONTACT_FIELDS = (
    "email", "domain", "status", "hard_bounce_reason", "hard_bounced_at", "hard_bounce_event_id",
    "global_bounced_at", "last_delivered_at", "bounces", "soft_streak", "soft_streak_since",
    "soft_streak_last", "third_party", "reactivated_at", "first_seen_at", "last_event_at",
    "complained_at", "unsubscribed_at", "resubscribed_at", "kept_status", "undated",
)

# Python's sqlite3 binds None slowly (it looks for an adapter each time); bulk statements
# take "" for NULL instead, turned back into NULL by nullif(). No stored text is ever "".
NULL = ""
