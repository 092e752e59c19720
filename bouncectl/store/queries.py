"""Reading the store: listings and their column sets (SPEC section 4), exports, statistics, and
the facts the quota and the reactivation guards need."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bouncectl.addresses import normalize_domain
from bouncectl.errors import NotFound
from bouncectl.ledger.quota import month_of, quota
from bouncectl.store.base import chunks
from bouncectl.store.erasure import ErasureTables
from bouncectl.vocabulary import GLOBALLY_BOUNCED

if TYPE_CHECKING:  # the guards' module is loaded by an unbounce only (see reactivation_facts)
    from bouncectl.ledger.reactivation import ReactivationFacts

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
    "max(event = 'complaint') AS complaint, "
    "max(event = 'unsubscribe') AS unsubscribe "
    "FROM events {where} GROUP BY email_id, recipient"
)
STATS_GROUPS = {
    None: ("'all'", ""),
    "email": ("per.email_id", " LEFT JOIN emails em ON em.email_id = per.email_id"),
    "domain": ("coalesce(c.domain, substr(per.recipient, instr(per.recipient, '@') + 1))",
               " LEFT JOIN contacts c ON c.email = per.recipient"),
    "month": ("substr(per.first_at, 1, 7)", ""),
}


class Queries(ErasureTables):
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
            "FROM (SELECT recipient, bounce_type, reason, smtp_code, enhanced_status, diagnostic, timestamp, "
            "  row_number() OVER (PARTITION BY recipient ORDER BY bounce_type = 'hard' DESC, timestamp DESC) AS rank"
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
        """The status of each of ``emails`` that is in the store, or was forgotten (its kept status)."""
        found: dict[str, str] = {}
        for chunk in chunks(emails):
            placeholders = ",".join("?" * len(chunk))
            found.update(self.conn.execute(f"SELECT email, status FROM contacts WHERE email IN ({placeholders})", chunk))
        found.update(self.kept_statuses(self.conn, [email for email in emails if email not in found]))
        return found

    def unsubscribed_from_group(self, emails: list[str], group: str) -> set[str]:
        """Those of ``emails`` that unsubscribed from ``group`` after their last new consent."""
        found: set[str] = set()
        for chunk in chunks(emails):
            placeholders = ",".join("?" * len(chunk))
            found.update(
                email for (email,) in self.conn.execute(
                    "SELECT DISTINCT e.recipient FROM events e LEFT JOIN contacts c ON c.email = e.recipient "
                    f"WHERE e.event = 'unsubscribe' AND e.list_group = ? AND e.recipient IN ({placeholders}) "
                    "AND e.timestamp > coalesce(c.resubscribed_at, '')",
                    (group, *chunk),
                )
            )
        return found

    def groups_unsubscribed(self, email: str, conn: sqlite3.Connection | None = None) -> tuple[str, ...]:
        """The groups ``email`` unsubscribed from after its last new consent."""
        rows = (conn or self.conn).execute(
            "SELECT DISTINCT e.list_group FROM events e LEFT JOIN contacts c ON c.email = e.recipient "
            "WHERE e.recipient = ? AND e.event IN ('complaint', 'unsubscribe') AND e.event = 'unsubscribe' "
            "AND e.list_group IS NOT NULL "
            "AND e.timestamp > coalesce(c.resubscribed_at, '') ORDER BY 1",
            (email,),
        )
        return tuple(group for (group,) in rows)

    def held_by(self, email: str, conn: sqlite3.Connection | None = None) -> tuple[str, ...]:
        """The providers whose suppression lists, as imported, hold ``email`` (a bounce, complaint or unsubscribe)."""
        rows = (conn or self.conn).execute(
            "SELECT json_extract(raw, '$.suppression_list') FROM events "
            "WHERE recipient = ? AND event = 'bounce' AND is_global = 1 AND raw LIKE '%suppression_list%' "
            "UNION SELECT json_extract(raw, '$.suppression_list') FROM events "
            "WHERE recipient = ? AND event IN ('complaint', 'unsubscribe') AND raw LIKE '%suppression_list%' ORDER BY 1",
            (email, email),
        )
        return tuple(name for (name,) in rows if name)

    def unsendable(self) -> Iterator[dict]:
        """Every contact that is not sent to, with when its status began and its latest hard bounce's
        reply, in address order: the store's side of a provider's suppression list."""
        return self._rows(
            "SELECT c.email, c.status, coalesce(CASE c.status WHEN 'complained' THEN c.complained_at "
            "WHEN 'unsubscribed' THEN c.unsubscribed_at WHEN 'globally_bounced' THEN c.global_bounced_at "
            "WHEN 'hard_bounced' THEN c.hard_bounced_at END, c.last_event_at, c.first_seen_at) AS since, "
            "e.smtp_code, e.diagnostic FROM contacts c LEFT JOIN events e ON e.id = c.hard_bounce_event_id "
            "WHERE c.status <> 'eligible' ORDER BY c.email"
        )

    def group_unsubscribes(self) -> Iterator[dict]:
        """Every sendable contact's unsubscribes from one group (after its last new consent): ``email, group, since``."""
        return self._rows(
            "SELECT e.recipient AS email, e.list_group AS grp, max(e.timestamp) AS since FROM events e "
            "JOIN contacts c ON c.email = e.recipient WHERE e.event = 'unsubscribe' AND e.list_group IS NOT NULL "
            "AND c.status = 'eligible' AND e.timestamp > coalesce(c.resubscribed_at, '') "
            "GROUP BY e.recipient, e.list_group ORDER BY e.recipient, e.list_group"
        )

    def event(self, event_id: int | None) -> dict | None:
        if event_id is None:
            return None
        return next(self._rows("SELECT * FROM events WHERE id = ?", (event_id,)), None)

    def latest_global_bounce(self, email: str) -> dict | None:
        """The latest bounce of ``email`` that its provider reported as global (the one that makes
        the contact globally bounced: only bounces do; a dated one before any undated one), found
        through the bounce index."""
        return next(
            self._rows(
                "SELECT * FROM events WHERE recipient = ? AND event = 'bounce' AND is_global = 1 "
                "ORDER BY dated DESC, timestamp DESC LIMIT 1",
                (email,),
            ),
            None,
        )

    def export_email_sql(self, email_id: str) -> tuple[str, list]:
        """One row per recipient of the email: its strongest outcome, with bounce details.

        The window reads only the columns the export writes: an email's events hold their
        provider's raw fields, which would otherwise be copied into the window's sorter."""
        self.require_email(email_id)
        sql = (
            "SELECT recipient, event AS outcome, bounce_type, reason, smtp_code, enhanced_status, diagnostic, "
            "timestamp AS event_at FROM ("
            "  SELECT recipient, event, bounce_type, reason, smtp_code, enhanced_status, diagnostic, timestamp, "
            f"    row_number() OVER (PARTITION BY recipient ORDER BY {OUTCOME_ORDER_SQL}, timestamp DESC) AS rank"
            "  FROM events WHERE email_id = ?"
            ") WHERE rank = 1 ORDER BY recipient"
        )
        return sql, [email_id]

    def export_contacts_sql(self) -> tuple[str, list]:
        """Every contact with bounce data, with its latest bounce (a dated one before any undated one)."""
        sql = (
            f"SELECT {', '.join('c.' + c for c in CONTACT_COLUMNS)}, e.bounce_type, e.reason, e.smtp_code, "
            "e.enhanced_status, e.diagnostic, e.timestamp AS bounced_at FROM contacts c "
            "LEFT JOIN events e ON e.id = ("
            "  SELECT id FROM events WHERE recipient = c.email AND event = 'bounce' "
            "  ORDER BY dated DESC, timestamp DESC LIMIT 1"
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
        from bouncectl.ledger.reactivation import ReactivationFacts

        contact = next(self._rows("SELECT * FROM contacts WHERE email = ?", (email,)), None)
        bounce = self.event(contact["hard_bounce_event_id"]) if contact else None
        if contact and contact["status"] == GLOBALLY_BOUNCED and bounce is None:
            bounce = self.latest_global_bounce(email)
        quota = self.quota(now, conn)
        permissions = conn.execute("SELECT permissions FROM users WHERE name = ?", (user,)).fetchone()
        facts = ReactivationFacts(
            status=contact["status"] if contact else None,
            reason=contact["hard_bounce_reason"] if contact else None,
            third_party=bool(contact and contact["third_party"]),
            reactivated_before=conn.execute(
                "SELECT 1 FROM reactivations WHERE contact IN (?, ?)", (email, self.hash_if_forgotten(conn, email) or email)
            ).fetchone() is not None,
            sending_domains=conn.execute("SELECT count(*) FROM domains").fetchone()[0],
            user_has_permission=bool(permissions and "email" in permissions[0].split(",")),
            confirmed=confirmed,
            resolved=resolved,
            held_by=self.held_by(email, conn) if contact else (),
            quota_used=quota["used"],
            quota_limit=quota["limit"],
        )
        return facts, contact, bounce

    def send_stats(self, email_id: str | None = None, by: str | None = None) -> Iterator[dict]:
        """Counts per group (``by``: None for one total row, ``email``, ``domain`` or ``month``):
        ``key, sends, deliveries, hard_bounces, soft_bounces, not_sent, complaints, unsubscribes``.

        Each recipient counts once per email it is known to belong to: sent (any event but not_sent), delivered (a
        delivery, open or click), hard bounced, soft bounced (and not hard bounced), not sent,
        complained, unsubscribed.
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
            "sum(per.not_sent) AS not_sent, sum(per.complaint) AS complaints, "
            "sum(per.unsubscribe) AS unsubscribes "
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
