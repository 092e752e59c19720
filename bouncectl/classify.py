"""Bounce classification: reason (SPEC section 3 vocabulary) and hard or soft.

The rules are data: an enhanced-status table, a text-pattern table and an
SMTP-reply-code table, tried in that order of strength (text first where it is
specific, since servers often send a generic status with a precise text).
:func:`classify` returns which rule decided, so a user can see why.

How the provider's verdict is combined with the classifier (documented in the
README): see :func:`combine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

HARD_REASONS = frozenset({"userunknown", "hostunknown", "hasmoved", "notaccept"})
NOT_BOUNCES = frozenset({"delivered", "feedback", "vacation"})

# Reasons that need --resolved before a reactivation (SPEC section 3).
RESOLVABLE_REASONS = {
    "allowlist or policy": frozenset(
        {"blocked", "filtered", "policyviolation", "rejected", "badreputation",
         "requireptr", "authfailure", "securityerror", "norelaying"}
    ),
    "network": frozenset({"networkerror", "systemerror", "expired", "toomanyconn", "failedstarttls"}),
    "content": frozenset({"contenterror", "spamdetected", "virusdetected", "mesgtoobig", "notcompliantrfc"}),
}

# Reasons that are typical of an abandoned inbox (SPEC rule 2.6).
ABANDONED_INBOX_REASONS = frozenset({"mailboxfull", "userunknown"})


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: str
    bounce_type: str | None  # "hard", "soft", or None for a non-bounce
    rule: str


# RFC 3463 enhanced status codes, most specific first ("X" matches 4 or 5).
STATUS_RULES: tuple[tuple[str, str], ...] = (
    ("X.1.1", "userunknown"),
    ("X.1.2", "hostunknown"),
    ("X.1.3", "userunknown"),
    ("X.1.4", "userunknown"),
    ("X.1.5", "userunknown"),
    ("X.1.6", "hasmoved"),
    ("X.1.7", "rejected"),
    ("X.1.8", "rejected"),
    ("X.1.10", "userunknown"),
    ("X.2.0", "userunknown"),
    ("X.2.1", "suspend"),
    ("X.2.2", "mailboxfull"),
    ("X.2.3", "mesgtoobig"),
    ("X.2.4", "mailererror"),
    ("X.3.0", "systemerror"),
    ("X.3.1", "systemfull"),
    ("X.3.2", "notaccept"),
    ("X.3.4", "mesgtoobig"),
    ("X.3.5", "systemerror"),
    ("X.4.0", "networkerror"),
    ("X.4.1", "networkerror"),
    ("X.4.2", "networkerror"),
    ("X.4.3", "systemerror"),
    ("X.4.4", "hostunknown"),
    ("X.4.5", "networkerror"),
    ("X.4.6", "networkerror"),
    ("X.4.7", "expired"),
    ("X.5.0", "networkerror"),
    ("X.5.3", "toomanyconn"),
    ("X.5.4", "syntaxerror"),
    ("X.6.0", "contenterror"),
    ("X.6.1", "contenterror"),
    ("X.7.0", "securityerror"),
    ("X.7.1", "rejected"),
    ("X.7.7", "contenterror"),
    ("X.7.9", "authfailure"),
    ("X.7.13", "suspend"),
    ("X.7.25", "requireptr"),
    ("X.7.26", "authfailure"),
)
_STATUS_TABLE = dict(STATUS_RULES)

# Diagnostic text patterns (case-insensitive), checked before the status table.
TEXT_RULES: tuple[tuple[str, str], ...] = (
    (r"mailbox (is )?full|over ?quota|quota exceeded|insufficient (disk )?space|mailbox size limit", "mailboxfull"),
    (r"user unknown|unknown user|no such (user|mailbox|recipient)|does not exist|invalid recipient"
     r"|recipient (address )?rejected|mailbox unavailable|unknown recipient|address rejected", "userunknown"),
    (r"host (or domain name )?not found|domain (not found|does not exist)|no mx|nxdomain|unrouteable", "hostunknown"),
    (r"greylist|graylist|try again later", "blocked"),
    (r"spamhaus|blacklist|blocklist|block ?list|listed|poor reputation", "blocked"),
    (r"spam|junk", "spamdetected"),
    (r"virus", "virusdetected"),
    (r"message (is )?too (big|large)|size exceeds", "mesgtoobig"),
    (r"relay(ing)? (denied|not permitted|access denied)", "norelaying"),
    (r"spf|dkim|dmarc", "authfailure"),
    (r"ptr|reverse dns", "requireptr"),
    (r"too many (connections|messages)|rate limit|throttl", "speeding"),
    (r"(account|mailbox) (is )?(disabled|suspended|inactive)", "suspend"),
    (r"timed? ?out|connection (refused|reset)", "networkerror"),
    (r"policy", "policyviolation"),
)
_TEXT_PATTERNS = tuple((re.compile(p, re.IGNORECASE), reason) for p, reason in TEXT_RULES)

# Bare SMTP reply codes, the weakest evidence.
REPLY_CODE_RULES: dict[int, str] = {
    421: "toomanyconn",
    450: "blocked",
    451: "systemerror",
    452: "systemfull",
    550: "userunknown",
    551: "hasmoved",
    552: "mailboxfull",
    553: "userunknown",
    554: "rejected",
}


def natural_type(reason: str, permanent: bool | None) -> str | None:
    """Hard or soft for a reason alone (``permanent``: the codes said 5xx)."""
    if reason in NOT_BOUNCES:
        return None
    if reason == "notaccept":
        return "hard" if permanent is not False else "soft"
    return "hard" if reason in HARD_REASONS else "soft"


def _permanent(smtp_code: int | None, status: str | None) -> bool | None:
    if status and status[:1] in "45":
        return status[0] == "5"
    if smtp_code:
        return smtp_code >= 500
    return None


@lru_cache(maxsize=65536)
def classify(smtp_code: int | None, enhanced_status: str | None, diagnostic: str | None) -> Verdict:
    """Decide the reason and the natural hard/soft type of one bounce."""
    permanent = _permanent(smtp_code, enhanced_status)
    if diagnostic:
        for pattern, reason in _TEXT_PATTERNS:
            if pattern.search(diagnostic):
                return Verdict(reason, natural_type(reason, permanent), f"text /{pattern.pattern}/")
    if enhanced_status:
        parts = enhanced_status.split(".")
        if len(parts) == 3:
            key = "X." + parts[1] + "." + parts[2]
            reason = _STATUS_TABLE.get(key)
            if reason:
                return Verdict(reason, natural_type(reason, permanent), f"status {key}")
    if smtp_code in REPLY_CODE_RULES:
        reason = REPLY_CODE_RULES[smtp_code]
        return Verdict(reason, natural_type(reason, permanent), f"reply code {smtp_code}")
    return Verdict("undefined", "soft", "no rule matched")


def combine(verdict: Verdict, provider_type: str | None) -> Verdict:
    """Combine the classifier's verdict with the provider's own.

    - A reason that is hard by nature (``userunknown``, ``hostunknown``,
      ``hasmoved``, ``notaccept`` on 5xx) stays hard whatever the provider says.
    - Otherwise a provider that calls the bounce permanent makes it hard.
    - Otherwise it is soft.
    """
    if verdict.bounce_type is None or provider_type not in ("hard", "soft"):
        return verdict
    if verdict.bounce_type == "hard":
        return verdict
    if provider_type == "hard":
        return Verdict(verdict.reason, "hard", verdict.rule + "; provider says permanent")
    return verdict


def needs_resolution(reason: str | None) -> str | None:
    """The problem kind that must be stated resolved before reactivation, if any."""
    for kind, reasons in RESOLVABLE_REASONS.items():
        if reason in reasons:
            return kind
    return None
