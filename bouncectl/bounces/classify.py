"""Bounce classification: reason (SPEC section 3 vocabulary) and hard or soft.

The rules are data, tried in this order; the first that matches decides and is
named in the verdict's ``rule``, so a user can see why:

1. :data:`PROVIDER_RULES`: what a known provider means by its own wording
   (chosen by the remote host, else the recipient's domain);
2. :data:`DEFINITE_STATUS`: the few enhanced status codes precise enough to
   trust over any wording (``X.2.3``: the recipient's size limit, even when the
   text only says "too large");
3. :data:`TEXT_RULES`: the remote server's text, most specific first;
4. :data:`MAILBOX_UNKNOWN_PHRASES`: "no such user" and the like, whose reason
   depends on the refused SMTP command and the status (:func:`_mailbox_unknown`):
   the recipient is unknown in reply to RCPT TO or with an address status
   (``X.1.x``), the sender in reply to MAIL FROM, and a filter refused the
   message after DATA or with a policy or mailbox status (``X.7.x``, ``X.2.x``);
5. :data:`LATE_TEXT_RULES`: what a sending MTA says of the way there (time-outs,
   retries), which it adds to whatever the remote server said;
6. :data:`STATUS_RULES`: the remaining RFC 3463 enhanced status codes;
7. :data:`REPLY_CODE_RULES`: bare SMTP reply codes, the weakest evidence.

:data:`COMMAND_RULES` then adjust a reason by the refused command: a host or
"unknown" refusal in reply to MAIL FROM is about the sender (``rejected``);
one at connection time refuses the sending host (``blocked``).

Hard or soft follows from the reason (:func:`natural_type`): ``userunknown``,
``hostunknown`` and ``hasmoved`` are hard; ``notaccept`` is hard on a
permanent (5xx) failure; everything else is soft.

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


# --------------------------------------------------------------------------
# 1. Providers: how a known provider's texts and codes read.
# --------------------------------------------------------------------------
# Host names (a suffix of the remote host, or of the recipient's domain).
PROVIDER_HOSTS: dict[str, tuple[str, ...]] = {
    "docomo": ("docomo.ne.jp", "mfsmax."),
    "au": ("ezweb.ne.jp", "au.com", "lsean."),
    "microsoft": ("protection.outlook.com", "outlook.com", "hotmail.com"),
    "cox": ("cox.net", "cloudfilter.net"),
    "spectrum": ("charter.net", "spectrum.net", "rr.com"),
}
PROVIDER_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    # NTT docomo answers "Unknown user" when the recipient's own filter refused the sender.
    "docomo": (("filtered", r"\bunknown user\b"),),
    # au (KDDI) answers "550 : User unknown" (no address) when a filter refused the message.
    "au": (("filtered", r"^550 : user unknown"),),
    # Exchange Online's directory-based edge blocking: the recipient does not exist.
    "microsoft": (("userunknown", r"recipient address rejected: access denied"),),
    # Cox and Spectrum publish their AUP codes.
    "cox": (("blocked", r"aup#\w*bl\b"),),
    "spectrum": (("toomanyconn", r"aup#(in|out)-1310"), ("blocked", r"aup#(in|out)-\d+")),
}
_PROVIDER_PATTERNS = {
    name: tuple((reason, re.compile(pattern, re.IGNORECASE)) for reason, pattern in rules)
    for name, rules in PROVIDER_RULES.items()
}


# --------------------------------------------------------------------------
# 2. Enhanced status codes precise enough to beat any wording ("X": 4 or 5).
# --------------------------------------------------------------------------
DEFINITE_STATUS: dict[str, str] = {
    "X.1.6": "hasmoved",        # destination mailbox has moved
    "X.2.3": "exceedlimit",     # message length exceeds the recipient's limit
    "X.3.4": "mesgtoobig",      # message too big for the system
    "X.7.13": "suspend",        # user account disabled (RFC 3463 update)
    "X.7.25": "requireptr",     # reverse DNS validation failed (RFC 7372)
    "X.7.26": "authfailure",    # multiple authentication checks failed (RFC 7372)
    "X.7.27": "notaccept",      # sender address has null MX (RFC 7505)
    "X.7.509": "authfailure",   # Microsoft: DMARC reject
    "X.7.515": "authfailure",   # Microsoft: sender authentication required
    "X.7.606": "blocked",       # Microsoft: banned sending IP
    "X.7.54": "norelaying",     # Microsoft: cannot relay
    "X.4.316": "expired",       # Microsoft: message expired, connection refused
    "X.1.351": "userunknown",   # Microsoft: remote server says unknown recipient
}

# --------------------------------------------------------------------------
# 3. The remote server's text, most specific first (case-insensitive). Matched
#    against the text with addresses, URL paths and repeated reply codes removed.
# --------------------------------------------------------------------------
_OUT_OF_USE = (r"(temporar(il)?y )?"
               r"(disabled|suspended|inactive|deactivated|locked|frozen|blocked|expired|closed|discontinued)")
TEXT_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("onhold", (r"\bon hold\b",)),
    # The form of the message (before the words it happens to contain: "dkim", "spam").
    ("notcompliantrfc", (r"rfc ?5322", r"rfc ?2822", r"rfc ?822", r"not (rfc )?compliant",
                         r"multiple (addresses in from|\w+ headers)", r"duplicate header", r"malformed (message|header)",
                         r"bare lf", r"header (line )?too long")),
    ("spamdetected", (r"spam classification", r"scored as spam", r"flagged as spam", r"detected as spam",
                      r"considered spam", r"blacklisted (url|link)")),
    ("mailererror", (r"mailer error", r"procmail", r"command died", r"pipe to \|", r"delivery to (program|command)")),
    ("systemerror", (r"internal system error",)),
    # The sending domain's authentication, the sending host's name and TLS.
    ("authfailure", (r"\b(spf|dkim|dmarc)\b", r"sender policy framework", r"authentication checks? fail",
                     r"fails? to pass authentication", r"does not have authentication information",
                     r"sender is unauthenticated", r"requires all senders to authenticate")),
    ("requireptr", (r"\bptr\b", r"reverse dns", r"reverse (dns )?lookup", r"\brdns\b", r"ip name lookup failed",
                    r"hostname (lookup|not) (failed|resolved)", r"cannot find your hostname",
                    r"unresolvable (host|ip)", r"mismatches client ip", r"unverifi?y?able sending ip")),
    ("failedstarttls", (r"starttls", r"tls (is )?required", r"must (issue|use) (a )?tls", r"encryption required",
                        r"does not support tls")),
    ("badreputation", (r"(low|poor|bad) reputation", r"reputation (of|is) (the )?(sending|your)",
                       r"sender reputation", r"unexpected volume or user complaints")),
    # The recipient's domain and the way there.
    ("suspend", (r"mailbox disabled", r"(account|mailbox) (is )?(disabled|suspended|deactivated)")),
    ("notaccept", (r"null mx", r"does not accept (e-?)?mail", r"doesn'?t receive e-?mail",
                   r"not accepting (network )?messages", r"accepts no mail", r"no mx record",
                   r"couldn'?t find a mail exchanger", r"malformed or unexpected name server")),
    ("networkerror", (r"host not found, try again", r"host name lookup failure", r"dns error",
                      r"temporary (lookup|dns) failure", r"network error", r"lost connection", r"no route to host",
                      r"network (is )?unreachable", r"too many hops", r"mail loop", r"loops back", r"routing loop",
                      r"unable to establish", r"wasn'?t able to establish")),
    ("hostunknown", (r"host (or domain name )?not found", r"host unknown", r"unknown host", r"no such domain",
                     r"domain (name )?(does not exist|not found|unknown|is invalid)", r"name service error",
                     r"illegal host", r"invalid domain", r"unrouteable (mail )?(domain|address)",
                     r"bad destination system address", r"domain is not reachable", r"account or domain may not exist",
                     r"nxdomain", r"dns lookup failure", r"\bdomain\b.{0,40}\bis unknown")),
    # The sending host or network is refused.
    ("blocked", (r"blocked using", r"black ?listed", r"block ?listed", r"deny ?listed", r"(?<!not )\blisted (in|on|at|by)\b",
                 r"spamhaus", r"spamcop", r"\bsorbs\b", r"barracudacentral", r"\bdnsbl\b", r"\brbl\b", r"cloudmark",
                 r"banned sending ip", r"ip address .* blocked", r"client host (rejected|blocked)", r"host blocked",
                 r"blocked for spamming", r"\bip (address )?(is )?blocked", r"use the smtp server of your isp",
                 r"dynamic ip", r"dial-?up", r"residential ip", r"not accepting connections",
                 r"may not be mail exchanger", r"your (ip|network|host) (is|has been) (blocked|banned|rejected)",
                 r"connection (refused|rejected) (by|from)", r"invalid ip for sending", r"adresse ip source bloquee")),
    ("norelaying", (r"relay(ing)? (access )?(denied|not permitted|prohibited|not allowed)", r"unable to relay",
                    r"not (configured|permitted|allowed) to relay", r"we do not relay", r"relay access",
                    r"open relay", r"address is not verified", r"identities failed the check")),
    # The recipient: gone, moved, suspended, full.
    ("hasmoved", (r"no longer on (this )?server", r"has moved", r"not our customer", r"address (has )?changed")),
    ("suspend", (rf"(account|mailbox|user|address|recipient)( account)? (is |has been |was )?{_OUT_OF_USE}",
                 r"disabled (recipient|mailbox|account|user)", r"(account|mailbox) (is )?not active",
                 r"compte du destinataire est bloque")),
    ("mailboxfull", (r"mailbox (is )?full", r"mailbox (size )?limit", r"over ?quota",
                     r"quota (exceeded|violation|full)", r"exceeds? (the )?(allowed|storage|mailbox)? ?(size|quota)",
                     r"disk quota", r"out of (storage|space)", r"insufficient (user )?(mailbox )?storage",
                     r"mailbox (has )?exceeded", r"mail ?folder is full", r"too much mail",
                     r"(mailbox|inbox) .*(exceeded|full)", r"number of messages .* exceeded", r"storage (limit|quota)")),
    ("exceedlimit", (r"exceeds? (the )?(limit|size limit) (set by|for) (the )?recipient", r"recipsizelimit")),
    ("mesgtoobig", (r"message (is |was )?too (big|large|long)", r"(message|mail) size (limit )?(exceeds|exceeded|too)",
                    r"size limit exceeded", r"exceeds? (the )?(fixed )?maximum (message )?size",
                    r"message length exceeds", r"too big for (the )?system", r"message size (is )?over")),
    # Wordings a mail system uses only of its own mailboxes (not a remote server's reply).
    ("userunknown", (r"not listed in (the )?(domino )?directory", r"not listed in public name",
                     r"recipient name is not recognized", r"invalid final delivery userid", r"^unknown user:",
                     r"no valid recipients", r"recipnotfound", r"recipientnotfound",
                     r"the email account that you tried to reach does not exist", r"address couldn'?t be found",
                     r"and other recipients in the same domain", r"adresse destinataire invalide")),
    # The content.
    ("virusdetected", (r"virus", r"malware", r"infected", r"trojan", r"security polic(y|ies).*signature")),
    ("spamdetected", (r"\bspam\b", r"\bube\b", r"unsolicited", r"junk mail", r"bulk mail", r"message content rejected",
                      r"suspicious (message|content)")),
    ("contenterror", (r"media error", r"8-?bit data", r"headers? too large", r"content error", r"invalid mime",
                      r"mime (error|format)", r"message (content|body) (is )?(invalid|malformed)")),
    ("policyviolation", (r"polic(y|ies) (reasons|violation)", r"violat(es|ion of) (our )?(local )?polic",
                         r"local policy", r"content presents a potential", r"header error", r"not allowed by policy",
                         r"host network not allowed")),
    ("securityerror", (r"unauthenticated senders", r"authentication required", r"not authorized",
                       r"security (policy|reasons)")),
    # The sender, or a list that does not take the sender's posts.
    ("rejected", (r"sender (address |domain )?(rejected|refused|invalid|unknown|denied|not allowed)",
                  r"domain of sender address", r"sender.*does not exist", r"from:? domain is invalid",
                  r"mail from .* (rejected|refused)", r"envelope sender", r"bad sender", r"access denied",
                  r"not a member", r"(may not|do not) have permission to post",
                  r"groups\.google\.com")),  # Google Groups' notices, in the poster's language
    ("filtered", (r"filtered", r"recipient preferences", r"content filter")),
    # Volume and rate.
    ("speeding", (r"receiving mail at a rate", r"rate limit", r"sending (too fast|rate)", r"too many messages",
                  r"throttl")),
    ("toomanyconn", (r"too many (connections|concurrent|sessions|recipients|smtp sessions)", r"connection frequency",
                     r"connection (limit|rate)", r"max(imum)? connections")),
)
# --------------------------------------------------------------------------
# 4. "No such user".
# --------------------------------------------------------------------------
# "No such user": which reason depends on the command that was refused and the
# status. With a policy status (X.7.x) a filter refused the message, whatever the
# words. In reply to RCPT TO, or with an address status (X.1.x), the mailbox
# does not exist; in reply to MAIL FROM it is the sender that is unknown; after
# DATA, or with a mailbox status (X.2.x), a filter refused the message. With
# neither a command nor a status there is too little evidence to suppress the
# address: filtered (soft). Otherwise (an X.0.0 or X.5.x status): unknown.
MAILBOX_UNKNOWN_PHRASES: tuple[str, ...] = (
    r"user unknown", r"unknown (user|recipient|local[- ]part|address|mailbox)", r"recipient unknown",
    r"no such (user|mailbox|recipient|account|address|person)",
    r"(user|recipient|address|mailbox|account) (not found|not known|(does )?not exist|doesn'?t exist)",
    r"(user|recipient|address|mailbox|account) (unavailable|(is )?not recognized)",
    r"invalid (recipient|mailbox|user|address)", r"bad recipient", r"doesn'?t have an? .* account",
    r"addressee unknown", r"not a valid (mailbox|recipient|user)", r"no mailbox (here )?by that name",
    r"destination mailbox address invalid", r"is not a known user", r"undeliverable address",
    r"mailbox does not exist", r"user not found",
)
MAILBOX_UNKNOWN = re.compile("|".join(MAILBOX_UNKNOWN_PHRASES), re.IGNORECASE)
MAILBOX_UNKNOWN_BY_COMMAND = {"MAIL": "rejected", "DATA": "filtered", "CONN": "blocked"}
# Address statuses that settle it: the recipient's mailbox is unknown.
MAILBOX_STATUSES = frozenset({"X.1.1", "X.1.3", "X.1.4", "X.1.5", "X.1.10"})

# --------------------------------------------------------------------------
# 5. Wordings of the way there, checked after "no such user": a sending MTA adds
#    them to whatever the remote server said ("giving up on 192.0.2.1").
# --------------------------------------------------------------------------
LATE_TEXT_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("expired", (r"retry time(out)? (exceeded|not reached)", r"message expired", r"queue\.expired", r"expired",
                 r"giving up(?! on)", r"could not (be )?deliver(ed)? for", r"not delivered within",
                 r"too long in (the )?queue", r"delivery (time )?expired", r"delivery failed \d+ attempts",
                 r"timed? ?out", r"socket error", r"still undelivered", r"unable to deliver in",
                 r"did not accept our requests to connect", r"will be retried", r"delayed")),
    ("networkerror", (r"connection (reset|refused|closed|dropped)", r"host not responding", r"name server")),
    ("systemfull", (r"insufficient (system |disk )?(storage|space)", r"system (is )?full", r"disk full",
                    r"out of disk")),
    ("mailererror", (r"command (died|failed)", r"pipe to", r"x-unix", r"local delivery failed")),
    ("systemerror", (r"system error", r"internal (server )?error", r"transaction failed", r"upstream error",
                     r"server error", r"service (refused|(currently )?unavailable)", r"duplicated message-id",
                     r"loop alert", r"local error")),
    ("syntaxerror", (r"syntax error", r"command (parameter )?not (implemented|recognized)",
                     r"bad sequence of commands", r"unrecognized command")),
)


# Removed before matching texts: addresses and URLs (their words are not the
# server's), and the reply codes repeated on every line of a multi-line reply.
_NOISE = re.compile(
    r"[\w.+=-]+@[\w.-]+|(?<=\s)[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b|(?<=\s)[245]\d\d-(?=\S)"
)
_URL = re.compile(r"\b(?:https?|ftp)://([\w.-]+)\S*", re.IGNORECASE)


def _compiled(rules: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((reason, re.compile("|".join(phrases), re.IGNORECASE)) for reason, phrases in rules)


_TEXT_PATTERNS = _compiled(TEXT_RULES)
_LATE_PATTERNS = _compiled(LATE_TEXT_RULES)

# --------------------------------------------------------------------------
# 6. The remaining enhanced status codes (RFC 3463 and its registry).
# --------------------------------------------------------------------------
STATUS_RULES: dict[str, str] = {
    "X.1.0": "rejected",        # other address status (usually the sender)
    "X.1.1": "userunknown",     # bad destination mailbox address
    "X.1.2": "hostunknown",     # bad destination system address
    "X.1.3": "userunknown",     # bad destination mailbox address syntax
    "X.1.4": "userunknown",     # destination mailbox address ambiguous
    "X.1.5": "userunknown",     # destination mailbox address valid (used for refusals)
    "X.1.7": "rejected",        # bad sender's mailbox address syntax
    "X.1.8": "rejected",        # bad sender's system address
    "X.1.9": "expired",         # message relayed to non-compliant mailer
    "X.1.10": "notaccept",      # recipient address has null MX
    "X.2.0": "filtered",        # other or undefined mailbox status
    "X.2.1": "suspend",         # mailbox disabled, not accepting messages
    "X.2.2": "mailboxfull",     # mailbox full
    "X.2.4": "mailererror",     # mailing list expansion problem
    "X.3.0": "systemerror",     # other or undefined mail system status
    "X.3.1": "systemfull",      # mail system full
    "X.3.2": "notaccept",       # system not accepting network messages
    "X.3.3": "systemerror",     # system not capable of selected features
    "X.3.5": "systemerror",     # system incorrectly configured
    "X.4.0": "networkerror",    # other or undefined network or routing status
    "X.4.1": "expired",         # no answer from host
    "X.4.2": "networkerror",    # bad connection
    "X.4.3": "systemerror",     # directory server failure
    "X.4.4": "hostunknown",     # unable to route
    "X.4.5": "systemfull",      # mail system congestion
    "X.4.6": "networkerror",    # routing loop detected
    "X.4.7": "expired",         # delivery time expired
    "X.5.0": "syntaxerror",     # other or undefined protocol status
    "X.5.1": "syntaxerror",     # invalid command
    "X.5.2": "syntaxerror",     # syntax error
    "X.5.3": "toomanyconn",     # too many recipients
    "X.5.4": "syntaxerror",     # invalid command arguments
    "X.5.5": "syntaxerror",     # wrong protocol version
    "X.6.0": "contenterror",    # other or undefined media error
    "X.6.1": "contenterror",    # media not supported
    "X.6.2": "contenterror",    # conversion required and prohibited
    "X.6.3": "contenterror",    # conversion required but not supported
    "X.6.5": "contenterror",    # conversion failed
    "X.6.9": "contenterror",    # non-ASCII text where not allowed
    "X.7.0": "securityerror",   # other or undefined security status
    "X.7.1": "rejected",        # delivery not authorized, message refused
    "X.7.2": "securityerror",   # mailing list expansion prohibited
    "X.7.4": "securityerror",   # security features not supported
    "X.7.5": "securityerror",   # cryptographic failure
    "X.7.6": "securityerror",   # cryptographic algorithm not supported
    "X.7.7": "securityerror",   # message integrity failure
    "X.7.8": "securityerror",   # authentication credentials invalid
    "X.7.9": "securityerror",   # authentication mechanism is too weak
    "X.7.10": "securityerror",  # encryption needed
    "X.7.11": "failedstarttls", # encryption required for requested authentication mechanism
    "X.7.12": "securityerror",  # a password transition is needed
    "X.7.15": "securityerror",  # priority level is too low
    "X.7.16": "mesgtoobig",     # message too big for specified priority
    "X.7.17": "hasmoved",       # mailbox owner has changed
    "X.7.18": "hasmoved",       # domain owner has changed
    "X.7.20": "authfailure",    # no passing DKIM signature found
    "X.7.21": "authfailure",    # no acceptable DKIM signature found
    "X.7.22": "authfailure",    # no valid author-matched DKIM signature found
    "X.7.23": "authfailure",    # SPF validation failed
    "X.7.24": "authfailure",    # SPF validation error
    "X.7.28": "spamdetected",   # mail flood detected
    "X.7.30": "failedstarttls", # REQUIRETLS support required
}

# --------------------------------------------------------------------------
# 7. Bare SMTP reply codes.
# --------------------------------------------------------------------------
REPLY_CODE_RULES: dict[int, str] = {
    421: "systemerror",
    450: "onhold",
    451: "systemerror",
    452: "systemfull",
    500: "syntaxerror",
    501: "syntaxerror",
    502: "syntaxerror",
    503: "syntaxerror",
    504: "syntaxerror",
    521: "notaccept",
    523: "mesgtoobig",
    530: "securityerror",
    534: "securityerror",
    535: "securityerror",
    550: "onhold",
    551: "hasmoved",
    552: "mailboxfull",
    553: "userunknown",
    554: "onhold",
    556: "notaccept",
}

# --------------------------------------------------------------------------
# Adjustments by the SMTP command that was refused.
# --------------------------------------------------------------------------
COMMAND_RULES: dict[tuple[str, str], str] = {
    ("MAIL", "userunknown"): "rejected",
    ("MAIL", "hostunknown"): "rejected",
    ("MAIL", "filtered"): "rejected",
    ("CONN", "hostunknown"): "blocked",
    ("CONN", "systemerror"): "blocked",
    ("DATA", "hostunknown"): "rejected",
    ("CONN", "rejected"): "blocked",
    ("CONN", "securityerror"): "blocked",
    ("CONN", "onhold"): "blocked",
}

def provider_of(host: str | None) -> str | None:
    """The provider a host name (or a domain) belongs to, if known."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    for name, suffixes in PROVIDER_HOSTS.items():
        for suffix in suffixes:
            if suffix.endswith("."):
                if host.startswith(suffix):
                    return name
            elif host == suffix or host.endswith("." + suffix):
                return name
    return None


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


def _status_key(status: str | None) -> str | None:
    if not status:
        return None
    parts = status.strip().split(".")
    if len(parts) != 3 or parts[0] not in ("2", "4", "5"):
        return None
    return "X." + parts[1] + "." + parts[2]


def _verdict(reason: str, rule: str, permanent: bool | None, command: str | None) -> Verdict:
    adjusted = COMMAND_RULES.get((command or "", reason))
    if adjusted:
        reason, rule = adjusted, f"{rule}; refused at {command}"
    return Verdict(reason, natural_type(reason, permanent), rule)


def _mailbox_unknown(key: str | None, command: str | None) -> tuple[str, str]:
    """The reason of a "no such user" text, by the refused command and the status (see MAILBOX_UNKNOWN)."""
    if command == "MAIL":
        return "rejected", "in reply to MAIL FROM"
    if key in MAILBOX_STATUSES:
        return "userunknown", f"with address status {key}"
    if command in ("DATA", "CONN"):
        return MAILBOX_UNKNOWN_BY_COMMAND[command], f"in reply to {command}"
    if key and key.startswith("X.7."):
        return "filtered", f"with policy status {key}"
    if command == "RCPT":
        return "userunknown", "in reply to RCPT TO"
    if key and key.startswith("X.2."):
        return "filtered", f"with mailbox status {key}"
    if key is None:
        return "filtered", "with no status or refused command to confirm it"
    return "userunknown", f"with status {key}"


_REPLY_CODE_IN_TEXT = re.compile(r"^\s*(?:smtp\s*;\s*)?([245]\d\d)(?=[\s\-]|$)", re.IGNORECASE)
_STATUS_IN_TEXT = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])")


def reply_code(text: object) -> int | None:
    """The SMTP reply code a diagnostic text starts with (``smtp; 550 ...``)."""
    if not isinstance(text, str):
        return None
    match = _REPLY_CODE_IN_TEXT.match(text)
    return int(match.group(1)) if match else None


def status_in(text: object) -> str | None:
    """The first RFC 3463 enhanced status code in a text."""
    if not isinstance(text, str):
        return None
    match = _STATUS_IN_TEXT.search(text)
    return match.group(1) if match else None


# The classifier reads this much of a server's text: real replies are far shorter, and the
# patterns would take minutes over a hostile 100 MB one. Callers still store the whole text.
TEXT_LIMIT = 20_000


def classify(
    smtp_code: int | None,
    enhanced_status: str | None,
    diagnostic: str | None,
    *,
    host: str | None = None,
    command: str | None = None,
    diagnostic_type: str | None = None,
    decoder_reason: str | None = None,
) -> Verdict:
    """Decide the reason and the natural hard/soft type of one bounce.

    ``host`` is the remote host (or the recipient's domain) when known;
    ``command`` the SMTP command that was refused (``CONN``, ``MAIL``,
    ``RCPT`` or ``DATA``) when known; ``diagnostic_type`` the type of the
    DSN's Diagnostic-Code (``SMTP``, ``X-Unix``, ...) and ``decoder_reason``
    the reason a mail system's decoder read from that system's own wording.
    Both are accepted now and used by the reason order as it grows.
    """
    if diagnostic and len(diagnostic) > TEXT_LIMIT:
        diagnostic = diagnostic[:TEXT_LIMIT]
    # The rules read the text without its addresses, so bounces that differ only in the address
    # (most of a send's bounces) are decided once.
    text = re.sub(r"\s+", " ", _NOISE.sub(" ", _URL.sub(r" \1 ", diagnostic or ""))).strip()
    return _classify(smtp_code, enhanced_status, text, host, command)


@lru_cache(maxsize=65536)
def _classify(
    smtp_code: int | None, enhanced_status: str | None, text: str, host: str | None, command: str | None
) -> Verdict:
    permanent = _permanent(smtp_code, enhanced_status)
    key = _status_key(enhanced_status)
    if enhanced_status and enhanced_status.startswith("2.") and key:
        return Verdict("delivered", None, f"status {enhanced_status}")
    provider = provider_of(host)
    for reason, pattern in _PROVIDER_PATTERNS.get(provider or "", ()):
        if pattern.search(text):
            return _verdict(reason, f"{provider}: text {pattern.pattern!r}", permanent, command)
    if key in DEFINITE_STATUS:
        return _verdict(DEFINITE_STATUS[key], f"status {key}", permanent, command)
    for reason, pattern in _TEXT_PATTERNS:
        found = pattern.search(text)
        if found:
            return _verdict(reason, f"text {found.group(0).lower()!r}", permanent, command)
    found = MAILBOX_UNKNOWN.search(text)
    if found:
        reason, why = _mailbox_unknown(key, command)
        return Verdict(reason, natural_type(reason, permanent), f"text {found.group(0).lower()!r} {why}")
    for reason, pattern in _LATE_PATTERNS:
        found = pattern.search(text)
        if found:
            return _verdict(reason, f"text {found.group(0).lower()!r}", permanent, command)
    if key in STATUS_RULES:
        return _verdict(STATUS_RULES[key], f"status {key}", permanent, command)
    if smtp_code in REPLY_CODE_RULES:
        return _verdict(REPLY_CODE_RULES[smtp_code], f"reply code {smtp_code}", permanent, command)
    if command == "CONN":
        return _verdict("blocked", "refused at connection", permanent, None)
    if key or smtp_code or text:
        return Verdict("onhold", "soft", "a failure with nothing more specific")
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
