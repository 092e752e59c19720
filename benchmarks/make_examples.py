"""Write the bundled examples (examples/*): one small account's November and first December sends.

    python benchmarks/make_examples.py [--out examples] [--seed 14]

The same seed gives the same files. The account has about 2,150 contacts on example domains
(example.com, example.net, example.org and their subdomains), in sign-up order. What it sent:

- the canonical send log (send-log.csv, the sending application's own log):
  ``2026-11-newsletter`` (2,000 recipients), ``2026-11-12-webinar-invite`` (40; its bounces
  are reported by Postmark only), ``2026-11-23-product-update-test`` (an internal test send to
  3 colleagues) and ``2026-11-24-product-update`` (300; the previously hard-bounced contacts of
  its segment were not sent to);
- Mailgun webhook bodies: ``2026-11-19-customer-survey`` (60);
- a HubSpot recipients export: the webinar follow-up (30, HubSpot email id 164523497811), and
  HubSpot's unsubscribes-and-bounces list of the portal;
- SendGrid event webhook batches: ``2026-11-28-black-friday`` (150);
- Amazon SES event publishing records: ``2026-11-30-renewal-notice`` (80);
- the Postfix log of the account's own server: account notifications of November 30 (a mail
  log does not know the email id: these events have none unless imported with --email-id);
- a delivery status notification (bounce.eml) that came back two days after the newsletter.

A contact keeps what it is across emails: an address that does not exist bounces as unknown
whenever it is sent to, a dead domain never resolves, a full mailbox is often full again; a
contact that hard-bounced is not sent to again (a provider drops it, or the next send's
filter leaves it out). Opens and clicks come from a share of the delivered recipients.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

DOMAINS = [("example.com", 40), ("example.net", 24), ("example.org", 16), ("mail.example.com", 10),
           ("corp.example.net", 7), ("mx.example.org", 3)]
DEAD_DOMAINS = ("shop.example.org", "old-mail.example.net")  # no MX and no A record: every send fails
FIRST = ["anna", "ben", "carla", "david", "elena", "felix", "grace", "hugo", "iris", "jonas", "karen", "liam",
         "maria", "noah", "olivia", "paul", "quinn", "rosa", "samuel", "tara", "ulrich", "vera", "will", "xenia",
         "yusuf", "zoe", "adam", "bianca", "chris", "diana", "emil", "fatima", "george", "hannah", "ivan",
         "julia", "kevin", "laura", "marco", "nina", "oscar", "petra", "rafael", "sofia", "thomas", "victor"]
LAST = ["smith", "mueller", "garcia", "rossi", "novak", "silva", "jansen", "nielsen", "kowalski", "dubois",
        "fischer", "martin", "moreau", "weber", "lopez", "perez", "romano", "costa", "santos", "larsen", "berg",
        "virtanen", "horvat", "kovacs", "nagy", "popescu", "yilmaz", "cohen", "brown", "taylor", "walker",
        "wright", "green", "baker", "hall", "young", "king", "scott", "adams", "turner"]
STAFF = ["qa@team.example.net", "maria.lindqvist@team.example.net", "design@team.example.net"]
SENDER = "news@news.example.com"
EPOCH_NEWSLETTER = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)

# Replies as receiving servers word them; {r} is the recipient, {d} its domain.
UNKNOWN = [
    ("550", "5.1.1", "550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table"),
    ("550", "5.1.1", ("550-5.1.1 The email account that you tried to reach does not exist. Please try "
                     "double-checking the recipient's email address for typos or unnecessary spaces.")),
    ("550", "5.1.1", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"),
    ("550", "5.1.1", "550 5.1.1 <{r}>... User unknown"),
    ("550", "5.1.1", "550 5.1.1 <{r}>: Mailbox does not exist"),
    ("511", "5.1.1", "511 sorry, no mailbox here by that name (#5.1.1)"),
]
HOST_UNKNOWN = "Host or domain name not found. Name service error for name={d} type=MX: Host not found"
FULL = [
    ("452", "4.2.2", "452 4.2.2 The email account that you tried to reach is over quota."),
    ("552", "5.2.2", "552 5.2.2 <{r}>: Mailbox full - user quota exceeded"),
    ("452", "4.2.2", "452 4.2.2 Mailbox size limit exceeded, try again later"),
]
TEMPORARY = [
    ("421", "4.7.0", "421 4.7.0 Try again later, closing connection. (throttled)"),
    ("451", "4.3.0", "451 4.3.0 Temporary local problem - please try later"),
    ("450", "4.2.1", ("450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents "
                     "additional messages from being delivered.")),
]
BLOCKED = [
    ("554", "5.7.1", "554 5.7.1 Service unavailable; Client host [198.51.100.25] blocked using bl.example.net"),
    ("550", "5.7.1", ("550 5.7.1 Connection refused: sending IP 198.51.100.25 listed on the recipient's "
                     "blocklist")),
]


class Account:
    """The contact list and what each contact is: dead, full, or fine; who hard-bounced already."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        seen: set[str] = set()
        self.contacts: list[str] = []
        names, weights = zip(*DOMAINS)
        while len(self.contacts) < 2150:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            local = rng.choice([f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}", f"{first}{last[0]}",
                                f"{first}.{last}{rng.randint(2, 99)}"])
            address = f"{local}@{rng.choices(names, weights)[0]}"
            if address not in seen:
                seen.add(address)
                self.contacts.append(address)
        # Fixed addresses the README tour names, and dead domains among the early sign-ups.
        self.contacts[137] = "jane@example.com"
        for index, position in enumerate((212, 498, 760, 1033, 1391, 1802)):
            self.contacts[position] = f"{rng.choice(FIRST)}.{rng.choice(LAST)}{index}@shop.example.org"
        for index, position in enumerate((2031, 2118)):
            self.contacts[position] = f"{rng.choice(FIRST)}{index + 7}@old-mail.example.net"
        self.unknown = {"jane@example.com"} | set(rng.sample(self.contacts[:2000], 29))
        self.unknown |= set(rng.sample(self.contacts[2000:], 9))
        self.full = set(rng.sample(self.contacts, 30))
        self.hard: set[str] = set()

    def fate(self, recipient: str, soft_share: float) -> str:
        """The outcome of one send: delivered, unknown, hostunknown, full, temporary or blocked."""
        if recipient.split("@")[1] in DEAD_DOMAINS:
            return "hostunknown"
        if recipient in self.unknown:
            return "unknown"
        if recipient in self.full and self.rng.random() < 0.6:
            return "full"
        draw = self.rng.random()
        if draw < soft_share:
            return "temporary"
        if draw < soft_share + 0.0012 and recipient.split("@")[1] == "corp.example.net" or draw > 0.9993:
            return "blocked"
        return "delivered"


def iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def reply(table: list, recipient: str, rng: random.Random) -> tuple[str, str, str]:
    code, status, text = rng.choice(table)
    return code, status, text.format(r=recipient, d=recipient.split("@")[1])


def outcome_reply(fate: str, recipient: str, rng: random.Random) -> tuple[str, str, str]:
    if fate == "hostunknown":
        return "", "5.4.4", HOST_UNKNOWN.format(d=recipient.split("@")[1])
    table = {"unknown": UNKNOWN, "full": FULL, "temporary": TEMPORARY, "blocked": BLOCKED}[fate]
    return reply(table, recipient, rng)


# --- the canonical send log ---------------------------------------------------------------------

def send_log(account: Account, rng: random.Random, between) -> tuple[list[list[str]], dict]:  # noqa: C901
    rows: list[list[str]] = []
    later: dict = {}

    def row(email_id, recipient, event, when, bounce_type="", code="", status="", diagnostic="", name="",
            not_sent="", message_id=""):
        rows.append([email_id, recipient, event, iso(when), bounce_type, code, status, diagnostic, name, not_sent,
                     message_id])

    def campaign(  # noqa: C901
            email_id, name, start, recipients, *, soft_share, open_share, unsubscribes=0, complaints=0,
            bounce_reported=True, deferred=()):
        sent_to, skipped = [], []
        for recipient in recipients:
            (skipped if recipient in account.hard else sent_to).append(recipient)
        for index, recipient in enumerate(skipped):
            row(email_id, recipient, "not_sent", start - timedelta(minutes=5, seconds=-index), name=name,
                not_sent="PREVIOUSLY_BOUNCED")
        delivered = []
        quiet = []  # sent, with the outcome reported elsewhere
        for index, recipient in enumerate(sent_to):
            when = start + timedelta(seconds=index // 3)
            message_id = f"<{when:%Y%m%d%H%M%S}.{index:05d}@news.example.com>"
            row(email_id, recipient, "sent", when, name=name if index == 0 else "", message_id=message_id)
            if recipient in deferred:
                # The log saw a deferral; the bounce came back days later as a message (bounce.eml).
                row(email_id, recipient, "deferred", when + timedelta(seconds=6), "soft", "451", "4.4.1",
                    "451 4.4.1 Connection timed out while talking to mx2.example.net")
                later["late_message_id"], later["late_sent_at"] = message_id, when
                continue
            fate = account.fate(recipient, soft_share)
            if fate == "delivered":
                row(email_id, recipient, "delivered", when + timedelta(seconds=rng.randint(1, 4)), code="250")
                delivered.append((recipient, when))
                continue
            if fate in ("unknown", "hostunknown"):
                account.hard.add(recipient)
            if not bounce_reported:
                quiet.append((recipient, when, fate, message_id))
                continue
            code, status, text = outcome_reply(fate, recipient, rng)
            bounce_type = "hard" if fate in ("unknown", "hostunknown") else "soft"
            row(email_id, recipient, "bounce", when + timedelta(seconds=rng.randint(2, 9)), bounce_type, code,
                status, text)
        for recipient, when in delivered:
            if rng.random() < open_share:
                opened = when + timedelta(minutes=rng.randint(3, 60 * 30))
                row(email_id, recipient, "open", opened)
                if rng.random() < 0.14:
                    row(email_id, recipient, "click", opened + timedelta(seconds=rng.randint(5, 300)))
        chosen = rng.sample(delivered, unsubscribes + complaints)
        for recipient, when in chosen[:unsubscribes]:
            row(email_id, recipient, "unsubscribe", when + timedelta(hours=rng.randint(1, 40)))
        for recipient, when in chosen[unsubscribes:]:
            row(email_id, recipient, "complaint", when + timedelta(hours=rng.randint(1, 20)))
        return delivered, quiet

    contacts = account.contacts
    late = next(c for c in contacts[300:2000] if c.endswith("@example.net") and c not in account.unknown
                and c not in account.full)
    later["late"] = late
    campaign("2026-11-newsletter", "November newsletter", EPOCH_NEWSLETTER, contacts[:2000], soft_share=0.004,
             open_share=0.27, unsubscribes=2, complaints=1, deferred={late})
    # The webinar invite went out through Postmark's broadcast stream: the log has the sends and
    # deliveries; the bounces are in Postmark's report.
    business = [c for c in contacts[:2000] if c.split("@")[1] in ("corp.example.net", "example.com")
                and c not in account.hard and c != late]
    webinar = sorted(rng.sample(business, 38)) + rng.sample(sorted(account.unknown - account.hard - {late}), 1)
    webinar.append(rng.choice(sorted(account.full & set(business))))
    rng.shuffle(webinar)
    webinar_delivered, quiet = campaign("2026-11-12-webinar-invite", "Webinar invite: a clean list in 30 minutes",
                                        datetime(2026, 11, 12, 14, 0, tzinfo=UTC), webinar, soft_share=0.02,
                                        open_share=0.45, unsubscribes=1, bounce_reported=False)
    later["webinar"] = [r for r, _ in webinar_delivered]
    later["webinar_quiet"] = quiet
    between(later)  # what other sources sent from November 13 to 19
    campaign("2026-11-23-product-update-test", "Product update: November 24 (internal test)",
             datetime(2026, 11, 23, 16, 30, tzinfo=UTC), STAFF, soft_share=0, open_share=1)
    segment = rng.sample(contacts[:2000], 240) + rng.sample(contacts[2000:], 64)
    segment = [c for c in segment if c != late]
    for dead in contacts[2031], contacts[2118]:
        if dead not in segment:
            segment.append(dead)
    campaign("2026-11-24-product-update", "Product update: November 24", datetime(2026, 11, 24, 9, 15, tzinfo=UTC),
             segment, soft_share=0.004, open_share=0.33, unsubscribes=1)
    return rows, later


# --- provider files -----------------------------------------------------------------------------

def eligible(account: Account, pool: list[str]) -> list[str]:
    return [c for c in pool if c not in account.hard]


def sendgrid(account: Account, rng: random.Random) -> list[dict]:
    email_id = "2026-11-28-black-friday"
    start = int(datetime(2026, 11, 28, 8, 0, tzinfo=UTC).timestamp())
    pool = rng.sample(account.contacts, 150)
    events: list[dict] = []
    counter = iter(range(1, 100000))

    def event(recipient, kind, when, message, **fields):
        number = next(counter)
        events.append({"email": recipient, "timestamp": when, "smtp-id": f"<{message}@news.example.com>",
                       "event": kind, "category": ["promotion", "black-friday"], "email_id": email_id,
                       "sg_event_id": f"c2cmV2ZW50{number:06d}",
                       "sg_message_id": f"{message}.filterdrecv-7f4b9-1-{number}",
                       **fields})

    for index, recipient in enumerate(pool):
        when = start + index // 4
        message = f"sg{index:04d}bf28"
        if recipient in account.hard:
            event(recipient, "dropped", when, message, reason="Bounced Address", status="5.0.0")
            continue
        event(recipient, "processed", when, message)
        fate = account.fate(recipient, 0.01)
        if fate == "delivered":
            if rng.random() < 0.03:
                event(recipient, "deferred", when + 40, message, response="421 4.7.0 Try again later, closing "
                      "connection. (throttled)", attempt="1")
            event(recipient, "delivered", when + rng.randint(2, 6) + (300 if rng.random() < 0.03 else 0), message,
                  response="250 2.0.0 OK: queued as " + f"{rng.getrandbits(40):010X}", ip="198.51.100.25",
                  tls=1)
            if rng.random() < 0.3:
                opened = when + rng.randint(600, 86400)
                event(recipient, "open", opened, message, useragent="Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                      ip="203.0.113.40", sg_machine_open=False)
                if rng.random() < 0.2:
                    event(recipient, "click", opened + rng.randint(5, 200), message,
                          url="https://news.example.com/black-friday?utm_source=newsletter", url_offset={"index": 0,
                                                                                                        "type": "html"})
            continue
        _code, status, text = outcome_reply(fate, recipient, rng)
        if fate in ("unknown", "hostunknown"):
            account.hard.add(recipient)
            event(recipient, "bounce", when + rng.randint(2, 9), message, type="bounce", status=status or "5.4.4",
                  reason=text, bounce_classification="Invalid Address" if fate == "unknown" else "Unreachable")
        elif fate == "blocked":
            event(recipient, "bounce", when + rng.randint(2, 9), message, type="blocked", status=status, reason=text,
                  bounce_classification="Reputation")
        else:
            event(recipient, "deferred", when + 60, message, response=text, attempt="1")
            event(recipient, "bounce", when + 259200, message, type="blocked", status=status, reason=text,
                  bounce_classification="Mailbox Unavailable" if fate == "full" else "Technical")
    delivered = [e for e in events if e["event"] == "delivered"]
    spam, unsubscribed = rng.sample(delivered, 2)
    event(spam["email"], "spamreport", spam["timestamp"] + 7200, spam["smtp-id"].strip("<>").split("@")[0])
    event(unsubscribed["email"], "unsubscribe", unsubscribed["timestamp"] + 5400,
          unsubscribed["smtp-id"].strip("<>").split("@")[0])
    events.sort(key=lambda e: e["timestamp"])
    return events


def mailgun(account: Account, rng: random.Random) -> list[dict]:
    email_id = "2026-11-19-customer-survey"
    start = datetime(2026, 11, 19, 11, 0, tzinfo=UTC).timestamp()
    pool = rng.sample(account.contacts[:2000], 58) + rng.sample(sorted(account.hard), 1)
    pool.append(rng.choice(sorted(account.unknown - account.hard)))
    records: list[dict] = []
    counter = iter(range(1, 100000))

    def record(recipient, kind, when, message_id, level="info", **fields):
        number = next(counter)
        data = {"id": f"Ase7i2zsRYeDXztHGENqRA{number:04d}", "event": kind, "timestamp": round(when, 3),
                "log-level": level, "recipient": recipient, "recipient-domain": recipient.split("@")[1],
                "tags": ["survey"], "user-variables": {"email_id": email_id},
                "message": {"headers": {"message-id": message_id, "from": f"Example News <{SENDER}>",
                                        "to": recipient, "subject": "Two minutes for a short survey?"},
                            "size": 18342},
                **fields}
        records.append({"signature": {"timestamp": str(int(when) + 2), "token": f"{rng.getrandbits(200):050x}",
                                      "signature": f"{rng.getrandbits(256):064x}"},
                        "event-data": data})

    for index, recipient in enumerate(pool):
        when = start + index * 0.8
        message_id = f"20261119110000.{index + 1}.{rng.getrandbits(32):08x}@news.example.com"
        if recipient in account.hard:
            record(recipient, "failed", when, message_id, "warn", severity="permanent", reason="suppress-bounce",
                   **{"delivery-status": {"code": 605, "message": "", "attempt-no": 1,
                                          "description": "Not delivering to previously bounced address"}})
            continue
        record(recipient, "accepted", when, message_id, method="http")
        fate = account.fate(recipient, 0.01)
        if fate == "delivered":
            record(recipient, "delivered", when + rng.uniform(1, 5), message_id,
                   **{"delivery-status": {"code": 250, "message": "OK", "attempt-no": 1, "tls": True,
                                          "mx-host": f"mx1.{recipient.split('@')[1]}"}})
            if rng.random() < 0.4:
                record(recipient, "opened", when + rng.uniform(600, 90000), message_id, ip="203.0.113.71",
                       **{"client-info": {"client-type": "mobile browser", "client-os": "iOS"}})
            continue
        code, _status, text = outcome_reply(fate, recipient, rng)
        permanent = fate in ("unknown", "hostunknown")
        if permanent:
            account.hard.add(recipient)
        message = text.split(" ", 1)[1] if code and text.startswith(code) else text
        record(recipient, "failed", when + rng.uniform(2, 9), message_id, "error" if permanent else "warn",
               severity="permanent" if permanent else "temporary", reason="bounce" if permanent else "generic",
               **{"delivery-status": {"code": int(code or 550), "message": message, "attempt-no": 1,
                                      "mx-host": f"mx.{recipient.split('@')[1]}", "description": "",
                                      **({} if permanent else {"retry-seconds": 600})}})
    delivered = [r["event-data"] for r in records if r["event-data"]["event"] == "delivered"]
    gone = rng.choice(delivered)
    record(gone["recipient"], "unsubscribed", gone["timestamp"] + 3600, gone["message"]["headers"]["message-id"],
           ip="203.0.113.88")
    records.sort(key=lambda r: r["event-data"]["timestamp"])
    return records


def postmark(later: dict, rng: random.Random) -> dict:
    bounces = []
    kinds = {"unknown": ("HardBounce", 1, "Hard bounce", ("The server was unable to deliver your message (ex: "
                         "unknown user, mailbox not found).")),
             "full": ("SoftBounce", 4096, "Soft bounce", "Unable to temporarily deliver this message."),
             "temporary": ("Transient", 2, "Message delayed", ("The server could not temporarily deliver your "
                           "message (ex: Message is delayed due to network troubles).")),
             "blocked": ("Blocked", 100006, "ISP block", "The ISP has blocked this message."),
             "hostunknown": ("DnsError", 8, "DNS error", "A temporary DNS error."),
             "delivered": ("Transient", 2, "Message delayed", ("The server could not temporarily deliver your "
                           "message (ex: Message is delayed due to network troubles)."))}
    for number, (recipient, when, fate, _message_id) in enumerate(later["webinar_quiet"]):
        kind, code, name, description = kinds[fate]
        _, _, text = outcome_reply(fate if fate != "delivered" else "temporary", recipient, rng)
        bounced_at = when + timedelta(seconds=rng.randint(3, 20), microseconds=rng.randint(0, 999999))
        bounces.append({
            "RecordType": "Bounce", "MessageStream": "broadcast", "ID": 4129770310 + number * 17, "Type": kind,
            "TypeCode": code, "Name": name, "Tag": "webinar", "MessageID": f"8f0c4a1e-{number:04d}-4c3b-9d2e-"
            f"{rng.getrandbits(48):012x}", "Metadata": {"email_id": "2026-11-12-webinar-invite"}, "ServerID": 23456,
            "Description": description, "Details": "smtp;" + text, "Email": recipient, "From": SENDER,
            "BouncedAt": bounced_at.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z", "DumpAvailable": True,
            "Inactive": kind == "HardBounce", "CanActivate": True,
            "Subject": "Webinar invite: a clean list in 30 minutes"})
    return {"TotalCount": len(bounces), "Bounces": bounces}


def hubspot(account: Account, later: dict, rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    header = ["Email ID", "Email Name", "Recipient", "First Name", "Last Name", "Sent At", "Delivered", "Opened",
              "Clicked", "Bounce", "Bounce Reason", "Not Sent Reason", "Unsubscribed", "Spam Report"]
    attendees = rng.sample(later["webinar"], 27) + [r for r, *_ in later["webinar_quiet"]]
    rows = [header]
    start = datetime(2026, 11, 13, 10, 0, tzinfo=UTC)
    full_done = False
    for index, recipient in enumerate(sorted(attendees)):
        local = recipient.split("@")[0].replace("_", ".")
        first, _, last = local.partition(".")
        first, last = first.rstrip("0123456789").title(), last.rstrip("0123456789").title()
        stamp = (start + timedelta(seconds=index)).strftime("%Y-%m-%d %H:%M:%S")
        base = ["164523497811", "Webinar follow-up: slides and recording", recipient, first, last]
        if recipient in account.hard:
            rows.append(base + ["", "FALSE", "FALSE", "FALSE", "FALSE", "", "Previously bounced", "FALSE", "FALSE"])
            continue
        if recipient in account.full and not full_done:
            full_done = True
            bounce = (start + timedelta(seconds=index + 4)).strftime("%Y-%m-%d %H:%M:%S")
            rows.append(base + [stamp, "FALSE", "FALSE", "FALSE", bounce, "Mailbox full", "", "FALSE", "FALSE"])
            continue
        delivered = (start + timedelta(seconds=index + 2)).strftime("%Y-%m-%d %H:%M:%S")
        opened = (start + timedelta(minutes=rng.randint(20, 3000))).strftime("%Y-%m-%d %H:%M:%S")
        did_open = rng.random() < 0.6
        rows.append(base + [stamp, delivered, opened if did_open else "FALSE",
                            "TRUE" if did_open and rng.random() < 0.4 else "FALSE", "FALSE", "", "",
                            "FALSE", "FALSE"])
    # One attendee unsubscribes from the follow-up.
    victim = next(r for r in rows[1:] if r[6] != "FALSE" and r[9] == "FALSE")
    victim[12] = "2026-11-14 08:12:40"
    portal = [["Email", "Portal Bounce", "Portal Unsubscribe", "Portal Spam Report", "Global Bounce",
               "Marketing Information", "Customer Service Communication"]]
    hard = sorted(account.hard)
    for recipient in rng.sample(hard, 3):
        portal.append([recipient, "Unknown user", "FALSE", "FALSE", "FALSE", "FALSE", "FALSE"])
    fine = sorted(set(account.contacts[:2000]) - account.hard - account.unknown - {"jane@example.com", later["late"]})
    globally = rng.choice(fine)
    account.hard.add(globally)
    portal.append([globally, "TRUE", "FALSE", "FALSE", "TRUE", "FALSE", "FALSE"])
    for recipient in rng.sample(fine, 3):
        portal.append([recipient, "FALSE", "TRUE", "FALSE", "FALSE", "TRUE", "FALSE"])
    return rows, portal


def ses(account: Account, rng: random.Random) -> list[dict]:
    email_id = "2026-11-30-renewal-notice"
    start = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    pool = rng.sample(account.contacts, 78)
    pool += [rng.choice(sorted(account.unknown - account.hard)), rng.choice(sorted(account.hard))]
    rng.shuffle(pool)
    lines = []
    tag_time = {"email_id": [email_id], "ses:configuration-set": ["transactional"],
                "ses:source-ip": ["198.51.100.30"], "ses:from-domain": ["news.example.com"]}
    for index, recipient in enumerate(pool):
        sent = start + timedelta(seconds=index * 2, milliseconds=rng.randint(0, 999))
        message_id = f"0100019c{rng.getrandbits(32):08x}-{rng.getrandbits(64):016x}-000000"
        mail = {"timestamp": sent.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", "source": f"Example Billing <{SENDER}>",
                "sourceArn": "arn:aws:ses:eu-west-1:111122223333:identity/news.example.com",
                "sendingAccountId": "111122223333", "messageId": message_id, "destination": [recipient],
                "headersTruncated": False, "tags": tag_time,
                "commonHeaders": {"from": [f"Example Billing <{SENDER}>"], "to": [recipient],
                                  "messageId": f"<{message_id}@eu-west-1.amazonses.com>",
                                  "subject": "Your plan renews on December 1"}}

        def at(seconds: float, sent: datetime = sent) -> str:
            return (sent + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

        if recipient in account.hard:
            lines.append({"eventType": "Bounce", "mail": mail, "bounce": {
                "bounceType": "Permanent", "bounceSubType": "OnAccountSuppressionList", "timestamp": at(0.4),
                "feedbackId": f"0100019c{rng.getrandbits(48):012x}-000000", "reportingMTA": "dns; amazonses.com",
                "bouncedRecipients": [{"emailAddress": recipient, "action": "failed", "status": "5.1.1",
                                       "diagnosticCode": "Amazon SES did not send the message to this address "
                                                         "because it is on the suppression list for your account."}]}})
            continue
        lines.append({"eventType": "Send", "mail": mail, "send": {}})
        fate = account.fate(recipient, 0.012)
        if fate == "delivered":
            lines.append({"eventType": "Delivery", "mail": mail, "delivery": {
                "timestamp": at(rng.uniform(0.8, 3)), "processingTimeMillis": rng.randint(800, 3000),
                "recipients": [recipient], "smtpResponse": "250 2.0.0 Ok: queued as " f"{rng.getrandbits(36):09X}",
                "reportingMTA": "b224-13.smtp-out.eu-west-1.amazonses.com"}})
            continue
        _code, status, text = outcome_reply(fate, recipient, rng)
        if fate in ("unknown", "hostunknown"):
            account.hard.add(recipient)
            kind, sub = "Permanent", "General" if fate == "unknown" else "NoEmail"
        elif fate == "full":
            kind, sub = "Transient", "MailboxFull"
        else:
            kind, sub = "Transient", "General"
        if kind == "Transient":
            lines.append({"eventType": "DeliveryDelay", "mail": mail, "deliveryDelay": {
                "timestamp": at(1800),
                "delayType": "MailboxFull" if fate == "full" else "TransientCommunicationFailure",
                "expirationTime": at(86400), "reportingMTA": "b224-13.smtp-out.eu-west-1.amazonses.com",
                "delayedRecipients": [{"emailAddress": recipient, "status": status,
                                       "diagnosticCode": "smtp; " + text}]}})
        lines.append({"eventType": "Bounce", "mail": mail, "bounce": {
            "bounceType": kind, "bounceSubType": sub, "timestamp": at(86400.5 if kind == "Transient" else 3.2),
            "feedbackId": f"0100019c{rng.getrandbits(48):012x}-000000",
            "reportingMTA": "dns; b224-13.smtp-out.eu-west-1.amazonses.com",
            "bouncedRecipients": [{"emailAddress": recipient, "action": "failed", "status": status or "5.4.4",
                                   "diagnosticCode": "smtp; " + text}]}})
    lines.sort(key=lambda r: next(v["timestamp"] for k, v in r.items() if k not in ("eventType", "mail") and v
                                  and "timestamp" in v) if r["eventType"] != "Send" else r["mail"]["timestamp"])
    return lines


def postfix(account: Account, rng: random.Random) -> list[str]:
    """The account's own server: one notification a message, November 30."""
    fine = [c for c in account.contacts[:2000] if c not in account.hard and c not in account.unknown]
    recipients = rng.sample(fine, 6) + [rng.choice(sorted(account.unknown - account.hard))]
    recipients.append(rng.choice(sorted(account.full - account.hard)))
    lines = []
    clock = datetime(2026, 11, 30, 14, 2, 11, tzinfo=UTC)
    pid = 23810
    for index, recipient in enumerate(recipients):
        queue = f"4Q{rng.getrandbits(40):010X}"[:12]
        domain = recipient.split("@")[1]
        stamp = clock.strftime("%b %e %H:%M:%S")
        message_id = f"{clock:%Y%m%d%H%M%S}.{pid + index}@app.example.com"
        relay = f"mx1.{domain}[192.0.2.{10 + index * 7}]:25"
        lines.append(f"{stamp} mail postfix/smtpd[{pid}]: {queue}: client=app.example.com[192.0.2.5]")
        lines.append(f"{stamp} mail postfix/cleanup[{pid + 1}]: {queue}: message-id=<{message_id}>")
        lines.append(f"{stamp} mail postfix/qmgr[812]: {queue}: from=<{SENDER}>, size={rng.randint(6000, 14000)}, "
                     f"nrcpt=1 (queue active)")
        done = clock + timedelta(seconds=rng.randint(1, 3))
        when = done.strftime("%b %e %H:%M:%S")
        smtp = f"{when} mail postfix/smtp[{pid + 2}]: {queue}: to=<{recipient}>, relay={relay}, delay=1.4, " \
               f"delays=0.08/0.01/0.62/0.7"
        if index == len(recipients) - 2:
            _code, status, text = reply(UNKNOWN[:1], recipient, rng)
            account.hard.add(recipient)
            lines.append(f"{smtp}, dsn={status}, status=bounced (host {relay.rsplit(':', 1)[0]} said: {text} "
                         "(in reply to RCPT TO command))")
            lines.append(f"{when} mail postfix/bounce[{pid + 3}]: {queue}: sender non-delivery notification: "
                         f"4Q{rng.getrandbits(40):010X}"[:62])
            lines.append(f"{when} mail postfix/qmgr[812]: {queue}: removed")
        elif index == len(recipients) - 1:
            lines.append(f"{smtp}, dsn=4.2.2, status=deferred (host {relay.rsplit(':', 1)[0]} said: 452 4.2.2 "
                         "Mailbox full - user quota exceeded (in reply to RCPT TO command))")
            retry = (done + timedelta(hours=5, minutes=3)).strftime("%b %e %H:%M:%S")
            lines.append(f"{retry} mail postfix/smtp[{pid + 9}]: {queue}: to=<{recipient}>, relay={relay}, "
                         "delay=18185, delays=18184/0.02/0.6/0.4, dsn=4.2.2, status=deferred (host "
                         f"{relay.rsplit(':', 1)[0]} said: 452 4.2.2 Mailbox full - user quota exceeded (in reply "
                         "to RCPT TO command))")
        else:
            lines.append(f"{smtp}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {rng.getrandbits(36):09X})")
            lines.append(f"{when} mail postfix/qmgr[812]: {queue}: removed")
        clock += timedelta(minutes=rng.randint(2, 40), seconds=rng.randint(0, 59))
        pid += 10
    return lines


def bounce_message(later: dict) -> str:
    recipient = later["late"]
    sent = later["late_sent_at"]
    returned = sent + timedelta(days=2, minutes=2, seconds=31)
    message_id = later["late_message_id"]
    date = returned.strftime("%a, %d %b %Y %H:%M:%S +0000")
    sent_date = sent.strftime("%a, %d %b %Y %H:%M:%S +0000")
    return f"""Return-Path: <>
Received: by mail.news.example.com (Postfix) id 5C2D13F7A1; {date}
Date: {date}
From: MAILER-DAEMON@mail.news.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {SENDER}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="5C2D13F7A1.1796376151/mail.news.example.com"
Message-Id: <{returned:%Y%m%d%H%M%S}.5C2D13F7A1@mail.news.example.com>

This is a MIME-encapsulated message.

--5C2D13F7A1.1796376151/mail.news.example.com
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.news.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<{recipient}>: host mx2.example.net[192.0.2.84] said: 554 5.2.1
    <{recipient}>: mailbox is disabled, the account has not been used for
    over a year (in reply to RCPT TO command)

--5C2D13F7A1.1796376151/mail.news.example.com
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.news.example.com
X-Postfix-Queue-ID: 5C2D13F7A1
Arrival-Date: {sent_date}

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: failed
Status: 5.2.1
Remote-MTA: dns; mx2.example.net
Diagnostic-Code: smtp; 554 5.2.1 <{recipient}>: mailbox is disabled, the account
    has not been used for over a year

--5C2D13F7A1.1796376151/mail.news.example.com
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Example News <{SENDER}>
To: {recipient}
Subject: November newsletter
Date: {sent_date}
Message-ID: {message_id}
X-Email-ID: 2026-11-newsletter

--5C2D13F7A1.1796376151/mail.news.example.com--
"""


def json_array(records: list) -> str:
    """One record a line, inside one array: the way a batch is stored, easy to read and to diff."""
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "examples")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    account = Account(rng)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    made: dict = {}

    def between(later: dict) -> None:
        made["recipients"], made["portal"] = hubspot(account, later, rng)
        made["mailgun"] = mailgun(account, rng)

    rows, later = send_log(account, rng, between)
    rows.sort(key=lambda r: (r[3], r[0], r[1]))
    with (out / "send-log.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["email_id", "recipient", "event", "timestamp", "bounce_type", "smtp_code", "enhanced_status",
                         "diagnostic", "email_name", "not_sent_reason", "message_id"])
        writer.writerows(rows)
    (out / "bounce.eml").write_text(bounce_message(later), encoding="utf-8")
    (out / "mailgun-events.json").write_text(json_array(made["mailgun"]), encoding="utf-8")
    (out / "postmark-bounces.json").write_text(json.dumps(postmark(later, rng), indent=2) + "\n", encoding="utf-8")
    for name in ("recipients", "portal"):
        file = "hubspot-recipients.csv" if name == "recipients" else "hubspot-unsubscribes-and-bounces.csv"
        with (out / file).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(made[name])
    (out / "sendgrid-events.json").write_text(json_array(sendgrid(account, rng)), encoding="utf-8")
    (out / "ses-notifications.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ses(account, rng)), encoding="utf-8")
    (out / "postfix-mail.log").write_text("\n".join(postfix(account, rng)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
