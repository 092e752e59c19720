"""Generate a realistic canonical CSV send log of any size.

    python benchmarks/sendlog.py ROWS OUT.csv [--contacts N] [--emails N]

Each recipient of each email gets a ``sent`` event and then, mostly, a delivery (some
opens and clicks), and a few percent hard or soft bounces with real-looking SMTP replies.
The same seed gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta

BOUNCES = [
    ("550", "5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table"),
    ("550", "5.1.1", "550-5.1.1 The email account that you tried to reach does not exist."),
    ("552", "5.2.2", "552 5.2.2 Mailbox full - user quota exceeded"),
    ("452", "4.2.2", "452 4.2.2 The email account that you tried to reach is over quota."),
    ("554", "5.7.1", "554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org"),
    ("550", "5.4.4", "Host or domain name not found. Name service error for name={d} type=MX"),
    ("421", "4.7.0", "421 4.7.0 Try again later, closing connection. (throttled)"),
]
DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com", "corp.example.net", "shop.example.org"]


def rows(total: int, contacts: int, emails: int, seed: int = 1):
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    written = 0
    email = 0
    while written < total:
        email_id = f"campaign-{email:04d}"
        sent_at = start + timedelta(days=3 * email)
        for index in range(contacts):
            if written >= total:
                return
            recipient = f"user{index:07d}@{DOMAINS[index % len(DOMAINS)]}"
            moment = sent_at + timedelta(seconds=index // 50)
            yield [email_id, recipient, "sent", moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "", "", ""]
            written += 1
            roll = rng.random()
            if roll < 0.04:
                code, status, text = BOUNCES[rng.randrange(len(BOUNCES))]
                diagnostic = text.format(r=recipient, d=recipient.partition("@")[2])
                event = [email_id, recipient, "bounce", (moment + timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         code, status, diagnostic]
            else:
                event = [email_id, recipient, "delivered", (moment + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                         "250", "", ""]
            if written < total:
                yield event
                written += 1
            if roll > 0.75 and written < total:
                yield [email_id, recipient, "open", (moment + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"), "", "", ""]
                written += 1
        email += 1


def write(path: str, total: int, contacts: int | None = None, emails: int = 10) -> None:
    contacts = contacts or max(1, total // 5)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["email_id", "recipient", "event", "timestamp", "smtp_code", "enhanced_status", "diagnostic"])
        writer.writerows(rows(total, contacts, emails))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--contacts", type=int, default=None)
    args = parser.parse_args()
    write(args.out, args.rows, args.contacts)


if __name__ == "__main__":
    main()
