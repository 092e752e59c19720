"""Persistence only: one SQLite file, split by table. No rule is decided here (see :mod:`bouncectl.ledger`).

- :mod:`~bouncectl.store.schema`: the tables and their numbered migrations.
- :mod:`~bouncectl.store.store`: :class:`Store`, opening the file, and the append-only audit log.
- :mod:`~bouncectl.store.events`: events, imports and rejects.
- :mod:`~bouncectl.store.contacts`: contacts, brought up to date from their events' folds.
- :mod:`~bouncectl.store.queries`: listings, exports, statistics, the quota's and the guards' facts.
- :mod:`~bouncectl.store.admin`: settings, sending domains, users and saved lists.
- :mod:`~bouncectl.store.erasure`: forgotten addresses, their kept statuses, and the erasure itself.

What events mean (their folds, keys and statuses) is :mod:`bouncectl.ledger`'s, imported from there.
"""

from bouncectl.store.base import DEFAULT_BUSY_TIMEOUT, MAX_PARAMS
from bouncectl.store.events import BatchResult, stored_keys_probe
from bouncectl.store.queries import (
    AUDIT_COLUMNS,
    BOUNCED_COLUMNS,
    CONTACT_COLUMNS,
    EXPORT_CONTACT_COLUMNS,
    EXPORT_EMAIL_COLUMNS,
    NOT_SENT_COLUMNS,
    OUTCOME_PRECEDENCE,
    QUOTA_COLUMNS,
    REJECT_COLUMNS,
)
from bouncectl.store.schema import MIGRATION_SET, MIGRATIONS, build_migrations, migrate
from bouncectl.store.store import Store

__all__ = [
    "AUDIT_COLUMNS",
    "BOUNCED_COLUMNS",
    "CONTACT_COLUMNS",
    "DEFAULT_BUSY_TIMEOUT",
    "EXPORT_CONTACT_COLUMNS",
    "EXPORT_EMAIL_COLUMNS",
    "MAX_PARAMS",
    "MIGRATIONS",
    "MIGRATION_SET",
    "NOT_SENT_COLUMNS",
    "OUTCOME_PRECEDENCE",
    "QUOTA_COLUMNS",
    "REJECT_COLUMNS",
    "BatchResult",
    "Store",
    "build_migrations",
    "migrate",
    "stored_keys_probe",
]
