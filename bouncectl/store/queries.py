"""Reading the store: listings and their column sets (SPEC section 4), exports, statistics, and
the facts the quota and the reactivation guards need."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

from bouncectl.addresses import normalize_domain
from bouncectl.errors import NotFound
from bouncectl.ledger.quota import month_of, quota
from bouncectl.ledger.reactivation import ReactivationFacts
from bouncectl.model import GLOBALLY_BOUNCED
from bouncectl.store.base import StoreBase, chunks

# Columns shown by the listing commands (SPEC section 4).
BOUNCED_COLUMNS = ["recipient", "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "bounced_at"]
NOT_SENT_COLUMNS = ["recipient", "not_sent_reason", "event_at"]
CONTACT_COLUMNS = ["email", "status", "hard_bounce_reason", "hard_bounced_at", "bounces", "last_event_at"]
QUOTA_COLUMNS = ["month", "total_contacts", "limit", "used", "remaining"]
AUDIT_COLUMNS = ["id", "at", "user", "action", "contact", "bounce_event_id", "outcome", "code", "detail"]
REJECT_COLUMNS = ["import_id", "file", "line", "error", "raw"]
EXPORT_EMAIL_COLUMNS = [
    "recipient", "outcome", "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "event_at",
]
EXPORT_CONTACT_COLUMNS = CONTACT_COLUMNS + [
    "bounce_type", "reason", "smtp_code", "enhanced_status", "diagnostic", "bounced_at",
]

# Which event stands for a recipient's outcome on an email, strongest first.
OUTCOME_PRECEDENCE = ("not_sent", "bounce", "complaint", "unsubscribe", "click", "open", "delivered", "deferred", "sent")
OUTCOME_ORDER_SQL = "CASE event " + " ".join(
    f"WHEN '{name}' THEN {rank}" for rank, name in enumerate(OUTCOME_PRECEDENCE)
) + " END"


PER_RECIPIENT_SQL = (
    "SELECT email_id, recipient, min(timestamp) AS first_at, "
    "max(event <> 'not_sent') AS sent, "
    "max(event IN ('delivered', 'open', 'click')) AS delivered, "
    "max(event = 'bounce' AND bounce_type = 'hard') AS hard, "
    "max(event = 'bounce' AND bounce_type = 'soft') AS soft, "
    "max(event = 'not_sent') AS not_sent, "
    "max(event = 'complaint') AS complaint "
    "FROM events {where} GROUP BY email_id, recipient"
)
STATS_GROUPS = {
    None: ("'all'", ""),
    "email": ("per.email_id", " LEFT JOIN emails em ON em.email_id = per.email_id"),
    "domain": ("coalesce(c.domain, substr(per.recipient, instr(per.recipient, '@') + 1))",
               " LEFT JOIN contacts c ON c.email = per.recipient"),
    "month": ("substr(per.first_at, 1, 7)", ""),
}


class Queries(StoreBase):
    def email_exists(self, email_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM emails WHERE email_id = ?", (email_id,)).fetchone() is not None

    def require_email(self, email_id: str) -> None:
        if not self.email_exists(email_id):
            raise NotFound(f"no email with id {email_id!r} in the store", hint="see the ids with `bouncectl stats --by email`")

    def bounced(self, email_id: str, bounce_type: str = "all", reason: str | None = None) -> Iterator[dict]:
        """The email's bounced recipients, oldest bounce first.

        One row per recipient: when several reports of one recipient's bounce arrived (a
        provider's event and the bounce message, a soft bounce then a hard one), the hard
        one, else the latest, is the recipient's bounce.
        """
        self.require_email(email_id)
        sql = (
            "SELECT recipient, bounce_type, reason, smtp_code, enhanced_status, diagnostic, timestamp AS bounced_at "
            "FROM (SELECT *, row_number() OVER ("
            "  PARTITION BY recipient ORDER BY bounce_type = 'hard' DESC, timestamp DESC) AS rank"
            "  FROM events WHERE email_id = ? AND event = 'bounce') WHERE rank = 1"
        )
        params: list = [email_id]
        if bounce_type != "all":
            sql += " AND bounce_type = ?"
            params.append(bounce_type)
        if reason:
            sql += " AND reason = ?"
            params.append(reason.strip().lower())
        return self._rows(sql + " ORDER BY timestamp, recipient", params)

    def not_sent(self, email_id: str) -> Iterator[dict]:
        self.require_email(email_id)
        return self._rows(
            "SELECT recipient, not_sent_reason, timestamp AS event_at FROM events "
            "WHERE email_id = ? AND event = 'not_sent' ORDER BY timestamp, recipient",
            (email_id,),
        )

    @staticmethod
    def contact_filter_sql(
        status: str | None = None,
        hard_bounce_reason: str | None = None,
        domain: str | None = None,
        bounced_since: str | None = None,
    ) -> tuple[str, list]:
        """The WHERE clause of a contact filter (shared by ``contacts`` and saved lists)."""
        clauses, params = [], []
        if status and status != "all":
            clauses.append("status = ?")
            params.append(status)
        if hard_bounce_reason:
            clauses.append("hard_bounce_reason = ?")
            params.append(hard_bounce_reason.strip().lower())
        if domain:
            clauses.append("domain = ?")
            params.append(normalize_domain(domain))
        if bounced_since:
            clauses.append("hard_bounced_at >= ?")
            params.append(bounced_since)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def contacts(self, **filters: str | None) -> Iterator[dict]:
        where, params = self.contact_filter_sql(**filters)
        return self._rows(f"SELECT {', '.join(CONTACT_COLUMNS)} FROM contacts{where} ORDER BY email", params)

    def contact(self, email: str) -> dict | None:
        return next(self._rows("SELECT * FROM contacts WHERE email = ?", (email,)), None)

    def statuses(self, emails: list[str]) -> dict[str, str]:
        """The status of each of ``emails`` that is in the store."""
        found: dict[str, str] = {}
        for chunk in chunks(emails):
            placeholders = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT email, status FROM contacts WHERE email IN ({placeholders})", chunk))
        return found

    def event(self, event_id: int | None) -> dict | None:
        if event_id is None:
            return None
        return next(self._rows("SELECT * FROM events WHERE id = ?", (event_id,)), None)

    def export_email_sql(self, email_id: str) -> tuple[str, list]:
        """One row per recipient of the email: its strongest outcome, with bounce details."""
        self.require_email(email_id)
        sql = (
            "SELECT recipient, event AS outcome, bounce_type, reason, smtp_code, enhanced_status, diagnostic, "
            "timestamp AS event_at FROM ("
            "  SELECT *, row_number() OVER ("
            f"    PARTITION BY recipient ORDER BY {OUTCOME_ORDER_SQL}, timestamp DESC) AS rank"
            "  FROM events WHERE email_id = ?"
            ") WHERE rank = 1 ORDER BY recipient"
        )
        return sql, [email_id]

    def export_contacts_sql(self) -> tuple[str, list]:
        """Every contact with bounce data, with its latest bounce."""
        sql = (
            f"SELECT {', '.join('c.' + c for c in CONTACT_COLUMNS)}, e.bounce_type, e.reason, e.smtp_code, "
            "e.enhanced_status, e.diagnostic, e.timestamp AS bounced_at FROM contacts c "
            "LEFT JOIN events e ON e.id = ("
            "  SELECT id FROM events WHERE recipient = c.email AND event = 'bounce' ORDER BY timestamp DESC LIMIT 1"
            ") WHERE c.bounces > 0 ORDER BY c.email"
        )
        return sql, []

    def rejects(self) -> Iterator[dict]:
        return self._rows(f"SELECT {', '.join(REJECT_COLUMNS)} FROM rejects ORDER BY import_id, file, line")

    def audit(self) -> Iterator[dict]:
        return self._rows(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit ORDER BY id")

    def imports(self) -> Iterator[dict]:
        return self._rows("SELECT * FROM imports ORDER BY id")

    def count_contacts(self, **filters: str | None) -> int:
        where, params = self.contact_filter_sql(**filters)
        return self.conn.execute(f"SELECT count(*) FROM contacts{where}", params).fetchone()[0]

    def quota(self, now: datetime | None = None, conn: sqlite3.Connection | None = None) -> dict:
        conn = conn or self.conn
        month = month_of(now or datetime.now(UTC))
        total = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        used = conn.execute("SELECT count(*) FROM reactivations WHERE month = ?", (month,)).fetchone()[0]
        return quota(month, total, used)

    def reactivation_facts(
        self,
        conn: sqlite3.Connection,
        email: str,
        user: str,
        confirmed: bool,
        resolved: bool,
        now: datetime,
    ) -> tuple[ReactivationFacts, dict | None, dict | None]:
        """What the guards need for one attempt, read inside the caller's write transaction."""
        contact = next(self._rows("SELECT * FROM contacts WHERE email = ?", (email,)), None)
        bounce = self.event(contact["hard_bounce_event_id"]) if contact else None
        if contact and contact["status"] == GLOBALLY_BOUNCED and bounce is None:
            bounce = next(
                self._rows(
                    "SELECT * FROM events WHERE recipient = ? AND is_global = 1 ORDER BY timestamp DESC LIMIT 1",
                    (email,),
                ),
                None,
            )
        quota = self.quota(now, conn)
        permissions = conn.execute("SELECT permissions FROM users WHERE name = ?", (user,)).fetchone()
        facts = ReactivationFacts(
            status=contact["status"] if contact else None,
            reason=contact["hard_bounce_reason"] if contact else None,
            third_party=bool(contact and contact["third_party"]),
            reactivated_before=conn.execute("SELECT 1 FROM reactivations WHERE contact = ?", (email,)).fetchone()
            is not None,
            sending_domains=conn.execute("SELECT count(*) FROM domains").fetchone()[0],
            user_has_permission=bool(permissions and "email" in permissions[0].split(",")),
            confirmed=confirmed,
            resolved=resolved,
            quota_used=quota["used"],
            quota_limit=quota["limit"],
        )
        return facts, contact, bounce

    def send_stats(self, email_id: str | None = None, by: str | None = None) -> Iterator[dict]:
        """Counts per group (``by``: None for one total row, ``email``, ``domain`` or ``month``):
        ``key, sends, deliveries, hard_bounces, soft_bounces, not_sent, complaints``.

        Each recipient counts once per email it is known to belong to: sent (any event but not_sent), delivered (a
        delivery, open or click), hard bounced, soft bounced (and not hard bounced), not sent,
        complained.
        """
        if email_id is not None:
            self.require_email(email_id)
        key, join = STATS_GROUPS[by]
        # Events that name no email (a bounce whose send is unknown) count for no email's sends.
        where, params = ("WHERE email_id = ?", [email_id]) if email_id is not None else ("WHERE email_id IS NOT NULL", [])
        order = {
            None: "",
            "email": "min(em.first_event_at), key",
            "domain": "sends DESC, key",
            "month": "key",
        }[by]
        sql = (
            f"SELECT {key} AS key, sum(per.sent) AS sends, sum(per.delivered) AS deliveries, "
            "sum(per.hard) AS hard_bounces, sum(per.soft AND NOT per.hard) AS soft_bounces, "
            "sum(per.not_sent) AS not_sent, sum(per.complaint) AS complaints "
            f"FROM ({PER_RECIPIENT_SQL.format(where=where)}) AS per{join}"
        )
        if by is not None:  # without a grouping, one total row even when there is nothing to count
            sql += f" GROUP BY 1 ORDER BY {order}"
        return self._rows(sql, params)

    def bounce_reason_stats(self, email_id: str | None = None) -> Iterator[dict]:
        """Bounced recipients per reason and type (``reason, bounce_type, bounces``), most first.

        A recipient counts once per email, under its deciding bounce: the latest hard bounce, else
        the latest soft one.
        """
        if email_id is not None:
            self.require_email(email_id)
        where, params = ("AND email_id = ?", [email_id]) if email_id is not None else ("", [])
        sql = (
            "SELECT reason, bounce_type, count(*) AS bounces FROM ("
            "  SELECT reason, bounce_type, row_number() OVER ("
            "    PARTITION BY email_id, recipient ORDER BY bounce_type = 'hard' DESC, timestamp DESC) AS rank"
            f"  FROM events WHERE event = 'bounce' {where}"
            ") WHERE rank = 1 GROUP BY reason, bounce_type ORDER BY bounces DESC, reason"
        )
        return self._rows(sql, params)
