"""Send statistics: sends, deliveries, hard and soft bounces, not sent, complaints, unsubscribes, and rates.

Complaints and unsubscribes are counted apart from bounces: a recipient who complained or
unsubscribed is neither a bounce nor a delivery failure, and a bounce rate never includes them.

Rates are shares of the recipients an email was sent to (``sends``), as fractions (0.02 is 2%).
A recipient counts once per email, whatever the number of its events.

:func:`warnings` names the emails whose hard bounce rate passes 2% or whose complaint rate
passes 0.1%: the levels mailbox providers and sending services watch (Amazon SES reviews an
account from a 5% bounce rate and a 0.1% complaint rate, Gmail asks bulk senders to stay under
0.1% and never reach 0.3% of spam reports; 2% hard bounces is the usual ceiling of a healthy
list). Each warning names the receiving domains and reasons behind it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bouncectl.store import Store

GROUPINGS = ("reason", "domain", "email", "month")
HARD_BOUNCE_RATE_LIMIT = 0.02
COMPLAINT_RATE_LIMIT = 0.001
WORST = 3

COUNT_COLUMNS = ["sends", "deliveries", "hard_bounces", "soft_bounces", "not_sent", "complaints", "unsubscribes"]
RATE_COLUMNS = ["delivery_rate", "hard_bounce_rate", "soft_bounce_rate", "bounce_rate", "complaint_rate",
                "unsubscribe_rate"]
REASON_COLUMNS = ["reason", "bounce_type", "bounces", "share_of_bounces", "rate"]
KEY_COLUMN = {None: "scope", "email": "email_id", "domain": "domain", "month": "month"}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def with_rates(row: dict) -> dict:
    sends = row["sends"] or 0
    row.update(
        delivery_rate=_rate(row["deliveries"], sends),
        hard_bounce_rate=_rate(row["hard_bounces"], sends),
        soft_bounce_rate=_rate(row["soft_bounces"], sends),
        bounce_rate=_rate(row["hard_bounces"] + row["soft_bounces"], sends),
        complaint_rate=_rate(row["complaints"], sends),
        unsubscribe_rate=_rate(row["unsubscribes"], sends),
    )
    return row


def columns(by: str | None) -> list[str]:
    """The columns of :func:`stats` rows for a grouping."""
    if by == "reason":
        return REASON_COLUMNS
    return [KEY_COLUMN[by], *COUNT_COLUMNS, *RATE_COLUMNS]


def stats(store: Store, email_id: str | None = None, by: str | None = None) -> Iterator[dict]:
    """Statistics for one email (or all), in one total row or grouped ``by`` reason, domain, email or month."""
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}")
    if by == "reason":
        return _reason_rows(store, email_id)
    key = KEY_COLUMN[by]
    scope = email_id if email_id is not None else "all emails"
    return (
        with_rates({key: scope if by is None else row["key"], **{c: row[c] or 0 for c in COUNT_COLUMNS}})
        for row in store.send_stats(email_id, by)
    )


def _reason_rows(store: Store, email_id: str | None) -> Iterator[dict]:
    rows = list(store.bounce_reason_stats(email_id))
    bounced = sum(r["bounces"] for r in rows)
    sends = sum(r["sends"] or 0 for r in store.send_stats(email_id, None))
    for row in rows:
        yield {**row, "share_of_bounces": _rate(row["bounces"], bounced), "rate": _rate(row["bounces"], sends)}


@dataclass
class RateWarning:
    """An email whose hard bounce rate or complaint rate passes its limit."""

    email_id: str
    what: str  # "hard bounce rate" or "complaint rate"
    rate: float
    limit: float
    count: int
    sends: int
    domains: list[tuple[str, int, float | None]] = field(default_factory=list)  # domain, count, rate there
    reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def message(self) -> str:
        text = (
            f"{self.email_id}: {self.what} {self.rate:.2%} passes {self.limit:.1%} "
            f"({self.count:,} of {self.sends:,} sends)"
        )
        if self.domains:
            text += "; worst domains: " + ", ".join(
                f"{d} {n:,}" + (f" ({r:.1%})" if r is not None else "") for d, n, r in self.domains
            )
        if self.reasons:
            text += "; reasons: " + ", ".join(f"{reason} {n:,}" for reason, n in self.reasons)
        return text


def warnings(store: Store, email_id: str | None = None) -> list[RateWarning]:
    """Emails (the one given, or every email) whose hard bounce or complaint rate passes its limit."""
    found: list[RateWarning] = []
    for row in stats(store, email_id, "email"):
        email, sends = row["email_id"], row["sends"]
        if email is None or not sends:
            continue  # bounces that name no email have no send to measure against
        if row["hard_bounce_rate"] > HARD_BOUNCE_RATE_LIMIT:
            found.append(
                RateWarning(
                    email, "hard bounce rate", row["hard_bounce_rate"], HARD_BOUNCE_RATE_LIMIT, row["hard_bounces"],
                    sends, _worst_domains(store, email, "hard_bounces", "hard_bounce_rate"),
                    [(r["reason"], r["bounces"]) for r in _reason_rows(store, email) if r["bounce_type"] == "hard"][
                        :WORST
                    ],
                )
            )
        if row["complaint_rate"] > COMPLAINT_RATE_LIMIT:
            found.append(
                RateWarning(
                    email, "complaint rate", row["complaint_rate"], COMPLAINT_RATE_LIMIT, row["complaints"], sends,
                    _worst_domains(store, email, "complaints", "complaint_rate"),
                )
            )
    return found


def _worst_domains(store: Store, email_id: str, count: str, rate: str) -> list[tuple[str, int, float | None]]:
    rows = [r for r in stats(store, email_id, "domain") if r[count]]
    rows.sort(key=lambda r: (-r[count], r["domain"] or ""))
    return [(r["domain"], r[count], r[rate]) for r in rows[:WORST]]
