"""Generate a realistic canonical CSV send log of any size.

    python benchmarks/sendlog.py ROWS OUT.csv [--contacts N] [--order list|sorted] [--seed N]

Each recipient of each email gets a ``sent`` event and then, mostly, a delivery (a quarter
also an open), and a few percent hard or soft bounces with real-looking SMTP replies.
The events of one email are written in time order, as a mail server or provider logs them.
The same seed gives the same file.

Recipients are sent to in list order (the order of the contact list, i.e. sign-up order).
With ``--order list`` (the default) every contact has a real-looking address
(``first.last123@domain``), drawn once from the seed and kept in every email, so the file
lists addresses in an order that has nothing to do with their alphabetical order, as a real
log does. With ``--order sorted`` contact N is ``user000000N@...``: list order is then
alphabetical order, which makes any B-tree keyed on the address much cheaper to fill (keys
arrive sorted); it is kept to compare with figures measured on such files.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import itertools
import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache

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
# A few large mailbox providers hold most of a real list: share of contacts per domain, in percent.
DOMAIN_SHARES = [38, 22, 14, 12, 8, 6]
ORDERS = ("list", "sorted")

FIRST_NAMES = [
    "anna", "ben", "carla", "david", "elena", "felix", "grace", "hugo", "iris", "jonas", "karen", "liam",
    "maria", "noah", "olivia", "paul", "quinn", "rosa", "samuel", "tara", "ulrich", "vera", "william", "xenia",
    "yusuf", "zoe", "adam", "bianca", "chris", "diana", "emil", "fatima", "george", "hannah", "ivan", "julia",
    "kevin", "laura", "marco", "nina", "oscar", "petra", "rafael", "sofia", "thomas", "ursula", "victor",
    "wendy", "aaron", "beatriz", "carlos", "daniela", "erik", "freya", "gustav", "helena", "ingrid", "jakob",
]
LAST_NAMES = [
    "smith", "mueller", "garcia", "rossi", "novak", "silva", "jansen", "nielsen", "kowalski", "dubois",
    "fischer", "martin", "bernard", "moreau", "weber", "schneider", "lopez", "gonzalez", "perez", "romano",
    "ricci", "costa", "ferreira", "santos", "andersen", "larsen", "johansson", "berg", "lindqvist", "virtanen",
    "horvat", "kovacs", "nagy", "popescu", "ionescu", "papadopoulos", "yilmaz", "demir", "kaya", "cohen",
    "levy", "brown", "taylor", "wilson", "evans", "walker", "wright", "green", "baker", "hall", "young", "king",
    "scott", "adams", "nelson", "carter", "mitchell", "roberts", "turner", "phillips",
]
# Local-part patterns: first name, last name, unique number.
STYLES = [
    "{f}.{l}{n}", "{f}.{l}{n}", "{f}{l}{n}", "{i}{l}{n}", "{f}_{l}{n}", "{l}.{f}{n}", "{f}{n}", "{l}{i}{n}",
]
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def list_addresses(contacts: int, seed: int = 1) -> list[str]:
    """Address of each contact, by list position: random-looking, unique, the same for one seed.

    Every local part ends in a number that no other contact has (a shuffled range), and names
    hold no digits, so the addresses are unique whatever names, pattern and domain are drawn."""
    rng = random.Random(f"addresses-{seed}")
    numbers = list(range(contacts))
    rng.shuffle(numbers)
    domain_slots = [domain for domain, share in zip(DOMAINS, DOMAIN_SHARES, strict=True) for _ in range(share)]
    addresses = []
    for number in numbers:
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        style = STYLES[rng.randrange(len(STYLES))]
        local = style.format(f=first, l=last, i=first[0], n=number)
        addresses.append(f"{local}@{domain_slots[rng.randrange(len(domain_slots))]}")
    numbers.clear()
    return addresses


def sorted_addresses(contacts: int) -> list[str]:
    """Address of each contact, by list position, in alphabetical order: ``user0000000@...``."""
    return [f"user{index:07d}@{DOMAINS[index % len(DOMAINS)]}" for index in range(contacts)]


@lru_cache(maxsize=1 << 16)
def stamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def email_rows(email_id: str, sent_at: int, recipients: list[str], rng: random.Random) -> Iterator[list[str]]:
    """All events of one email, in time order.

    Sends go out at 50 a second in list order; a delivery follows 2 s after its send, a bounce
    30 s after, an open 2 h after. Later events wait in a heap until the sends catch up with
    them, so the rows come out in time order (ties: the earlier-made event first)."""
    pending: list[tuple[int, int, list[str]]] = []
    made = itertools.count()
    for index, recipient in enumerate(recipients):
        moment = sent_at + index // 50
        while pending and pending[0][0] <= moment:
            yield heapq.heappop(pending)[2]
        yield [email_id, recipient, "sent", stamp(moment), "", "", ""]
        roll = rng.random()
        if roll < 0.04:
            code, status, text = BOUNCES[rng.randrange(len(BOUNCES))]
            diagnostic = text.format(r=recipient, d=recipient.partition("@")[2])
            when = moment + 30
            heapq.heappush(pending, (when, next(made), [email_id, recipient, "bounce", stamp(when), code, status,
                                                        diagnostic]))
        else:
            when = moment + 2
            heapq.heappush(pending, (when, next(made), [email_id, recipient, "delivered", stamp(when), "250", "", ""]))
        if roll > 0.75:
            when = moment + 2 * 3600
            heapq.heappush(pending, (when, next(made), [email_id, recipient, "open", stamp(when), "", "", ""]))
    while pending:
        yield heapq.heappop(pending)[2]


def rows(total: int, contacts: int, emails: int, seed: int = 1, order: str = "list") -> Iterator[list[str]]:
    """The first ``total`` events of emails sent three days apart to the same ``contacts`` contacts.

    The draws that decide each recipient's events do not depend on ``order``: both orders give
    the same events for the same contact positions, only the addresses differ."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    recipients = list_addresses(contacts, seed) if order == "list" else sorted_addresses(contacts)
    rng = random.Random(seed)
    start = int(START.timestamp())

    def every_email() -> Iterator[list[str]]:
        for email in itertools.count():
            yield from email_rows(f"campaign-{email:04d}", start + email * 3 * 86400, recipients, rng)

    return itertools.islice(every_email(), total)


def write(path: str, total: int, contacts: int | None = None, emails: int = 10, order: str = "list",
          seed: int = 1) -> None:
    contacts = contacts or max(1, total // 5)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["email_id", "recipient", "event", "timestamp", "smtp_code", "enhanced_status", "diagnostic"])
        writer.writerows(rows(total, contacts, emails, seed=seed, order=order))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int)
    parser.add_argument("out")
    parser.add_argument("--contacts", type=int, default=None)
    parser.add_argument("--order", choices=ORDERS, default="list",
                        help="list: real-looking addresses, unsorted (default); sorted: user0000000@... in order")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.rows, args.contacts, order=args.order, seed=args.seed)


if __name__ == "__main__":
    main()
