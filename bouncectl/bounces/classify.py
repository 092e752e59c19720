"""Bounce classification: reason (SPEC section 3 vocabulary) and hard or soft.

The reason is decided by the first of these that speaks, and the verdict's
``rule`` names what decided (the reason, the phrase or code, and its origin),
so a user can see why:

1. a 2.x.x status: the message was delivered;
2. the decoder's reason (``decoder_reason``): what the mail system that wrote
   the notice says in its own documented wording, unless it is a weak one
   (:data:`WEAK_DECODER_REASONS`: reasons a decoder gives from generic words,
   which the steps below may refine);
3. the provider's table (:mod:`bouncectl.bounces.providers`), chosen by the
   remote host or else the recipient's domain: Google, Microsoft, Yahoo/AOL,
   Apple, Orange, GoDaddy, Tencent, KDDI, docomo, Cox, Spectrum, Mimecast,
   Proofpoint, MessageLabs, Facebook, Zoho, Cloudflare, i.ua, Comcast, NetEase,
   with their published codes and wording;
4. the reason modules (:mod:`bouncectl.bounces.reasons`): first a status code
   that names one reason outright (``X.2.2`` mailbox full, ``X.7.25``
   reverse DNS, ...), then the phrase lists in the fixed order of
   :data:`bouncectl.bounces.reasons.ORDER`, each list combined with the status
   and the refused command (a content list is skipped for refusals before DATA;
   "no such user" means the sender at MAIL FROM and a filter after DATA). A
   Diagnostic-Code of type X-Unix (a local mailer's error) skips the lists
   about remote addresses. A trusted status (:data:`TRUSTED_STATUS_REASONS`: a
   permanent X.1.0/X.1.1/X.1.3 unknown user, an X.1.7/X.1.8 refused sender)
   decides over the words of a reason weighed after its own in Sisimai's order
   (:data:`bouncectl.bounces.reasons.FIRST_GROUP`: a spam verdict, a policy, a
   security or system failure), not over those weighed before it (a full or
   moved mailbox, a size limit, relaying, authentication) nor over words that
   say a block, a refused sender or a local mailer's error; with no phrase at
   all it decides before a weak decoder reason (Sisimai tests the status of its
   first group before the decoder's undecided reason is kept);
5. a weak decoder reason, in its place among step 4's reasons (:func:`_by_words`): one of
   :data:`bouncectl.bounces.reasons.FIRST_GROUP` before the words of every reason weighed after
   it, one of the second group before that group's words and statuses; ``onhold`` and
   ``undefined`` from a decoder only when nothing else spoke; then, in reply to RCPT TO, the
   spam words step 4 skipped there (:func:`_by_content_words`);
6. for an X-Unix diagnostic: ``mailererror``;
7. the status table (:data:`bouncectl.bounces.status.CLASS_STATUS_TABLE` for the
   few codes whose meaning depends on the class, then
   :data:`bouncectl.bounces.status.STATUS_TABLE`: RFC 3463 / RFC 5248 meanings),
   then the status's subject (X.3: ``systemerror``, X.4: ``networkerror``, X.6: ``contenterror``,
   X.7: ``securityerror``); a transient X.1.1-X.1.3 (RFC 3463: "only useful for permanent failures")
   does not say the address or its domain is dead;
8. a delayed DSN (``action``): ``expired``; then the bare reply code (RFC 5321,
   RFC 4954, RFC 7504), unless its class (4xx, 5xx) is not the status's (the
   status's class decides); a bare code that covers several failures (421, 451,
   452, 454, 530-535, 551, 552, 553, 555) names no reason;
9. class defaults: a refusal at connection or HELO is ``blocked``, one of STARTTLS
   ``failedstarttls`` (RFC 3207: TLS could not be started), one at MAIL FROM ``rejected``
   (it refuses the sender); any other failure ``onhold``; nothing at all ``undefined``.

:data:`bouncectl.bounces.status.COMMAND_RULES` then adjust a reason by the
refused command (a host or address refusal in reply to MAIL FROM is about the
sender: ``rejected``; one at connection time refuses the sending host:
``blocked``; a generic security, system, protocol or connection failure in reply
to STARTTLS is ``failedstarttls``).

Hard or soft follows from the reason (:func:`natural_type`): ``userunknown``,
``hostunknown`` and ``hasmoved`` are hard; ``notaccept`` is hard on a permanent
(5xx) failure, or with no code at all unless its words call it temporary or
persistent; everything else is soft. How the provider's own verdict is
combined with it: :func:`combine` (documented in the README).

The text is read lower-cased, without addresses, URL paths and the reply codes
repeated on each line of a multi-line reply, so bounces that differ only in the
address are decided once (the cache is keyed on that text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bouncectl.bounces import providers, reasons, status
from bouncectl.bounces.providers import provider_of
from bouncectl.bounces.reasons import Facts
from bouncectl.bounces.rules import Rule

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

# Reasons a decoder gives from generic words: the provider tables and the phrase lists may refine
# them, and the decoder's reason is used only when they say nothing.
WEAK_DECODER_REASONS = frozenset({
    "undefined", "onhold", "systemerror", "securityerror", "expired", "networkerror", "hostunknown",
    "userunknown",
})

# Commands a DSN or transcript may name, in the spelling the rules use.
_COMMANDS = {"CONN": "CONN", "CONNECT": "CONN", "EHLO": "EHLO", "HELO": "HELO", "MAIL": "MAIL",
             "MAIL FROM": "MAIL", "RCPT": "RCPT", "RCPT TO": "RCPT", "DATA": "DATA", "BDAT": "DATA",
             "STARTTLS": "STARTTLS", "AUTH": "AUTH"}


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: str
    bounce_type: str | None  # "hard", "soft", or None for a non-bounce
    rule: str


def natural_type(reason: str, permanent: bool | None) -> str | None:
    """Hard or soft for a reason alone (``permanent``: the codes said 5xx)."""
    if reason in NOT_BOUNCES:
        return None
    if reason == "notaccept":
        return "hard" if permanent is not False else "soft"
    return "hard" if reason in HARD_REASONS else "soft"


# Words that call a failure temporary when no code says its class (Sisimai: go-sisimai smtp/failure/lib.go
# IsTemporary, " temporar" / " persistent"; RFC 3463 2: class 4, "persistent transient failure").
_TEMPORARY = re.compile(r"\btemporar|\bpersistent")


def _permanent(smtp_code: int | None, enhanced_status: str | None, text: str = "") -> bool | None:
    if enhanced_status and enhanced_status[:1] in "45":
        return enhanced_status[0] == "5"
    if smtp_code:
        return smtp_code >= 500
    if text and _TEMPORARY.search(text):
        return False
    return None


def _same_class(smtp_code: int | None, enhanced_status: str | None) -> int | None:
    """The reply code, unless its class (4xx, 5xx) is not the enhanced status's: the status's class decides,
    and a reply code of the other class says nothing of this failure (RFC 3463 2: the class digits of the two
    codes agree; go-sisimai fact/rise.go drops a reply code whose first digit is not the status's)."""
    if (smtp_code and enhanced_status and enhanced_status[:1] in "45" and 400 <= smtp_code < 600
            and str(smtp_code)[0] != enhanced_status[0]):
        return None
    return smtp_code


def _status_key(enhanced_status: str | None) -> str | None:
    if not enhanced_status:
        return None
    parts = enhanced_status.strip().split(".")
    if len(parts) != 3 or parts[0] not in ("2", "4", "5"):
        return None
    return "X." + parts[1] + "." + parts[2]


# --------------------------------------------------------------------------
# Every rule, by the name a verdict gives it.
# --------------------------------------------------------------------------
_DECODER_ORIGIN = "the decoder of the mail system that wrote the notice"
_DECODER_NAME = re.compile(r"^(\w+): decoder \[(.+)\]$")


def _decoder_rule(reason: str, origin: str | None = None) -> Rule:
    origin = (origin or "").replace("; ", ", ").strip() or _DECODER_ORIGIN
    return Rule(reason, "", origin, label="decoder")


RULES: dict[str, Rule] = {}
for _rule in (providers.all_rules() + reasons.all_rules() + tuple(status.STATUS_TABLE.values())
              + tuple(status.CLASS_STATUS_TABLE.values())
              + tuple(status.REPLY_CODES.values()) + status.DEFAULTS):
    RULES.setdefault(_rule.name, _rule)


def rule_of(verdict: Verdict | str) -> Rule | None:
    """The rule that decided a verdict (or a verdict's ``rule`` text), if it is one of the tables'."""
    text = verdict.rule if isinstance(verdict, Verdict) else verdict
    name = text.split("; ", 1)[0]
    found = RULES.get(name)
    decoded = _DECODER_NAME.match(name) if found is None else None
    return _decoder_rule(decoded.group(1), decoded.group(2)) if decoded else found


# Removed before matching texts: addresses and URLs (their words are not the
# server's), and the reply codes repeated on every line of a multi-line reply.
# (An address's local part is taken whole: "@" is not one of its characters, so giving some back
# could never find one.)
_NOISE = re.compile(
    r"[\w.+=-]++@[\w.-]+|(?<=\s)[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b|(?<=\s)[245]\d\d-(?=\S)"
)
# The same without the address, for a text without an @ (the same matches, found faster).
_NOISE_CODES = re.compile(r"(?<=\s)[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b|(?<=\s)[245]\d\d-(?=\S)")
_URL = re.compile(r"\b(?:https?|ftp)://([\w.-]+)\S*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

# The refused command, when the caller does not know it but the text names it: Postfix's "(in reply
# to RCPT TO command)", Exim's "after RCPT TO:", Amazon SES's "did not like our RCPT TO", qmail-remote.c's
# "does not like recipient" / "but sender was rejected" / "but my name was rejected" / "failed on DATA".
_COMMAND_IN_TEXT = (
    (re.compile(r"\b(?:in reply to|after|failed on|did not like our)\s+(?:the\s+)?end of data\b"), "DATA"),
    (re.compile(r"\b(?:in reply to|after|did not like our)\s+rcpt to\b|\bdoes not like recipient\b|^\d{3}[ -]rcpt to:"),
     "RCPT"),
    (re.compile(r"\b(?:in reply to|after|did not like our)\s+mail from\b|\bbut sender was rejected\b"), "MAIL"),
    (re.compile(r"\b(?:in reply to|after|failed on)\s+data\b|\bfailed after i sent the message\b"), "DATA"),
    (re.compile(r"\b(?:in reply to|after)\s+(?:ehlo|helo)\b|\bbut my name was rejected\b"), "EHLO"),
    (re.compile(r"\bbut greeting failed\b|\bafter initial connection\b"), "CONN"),
    (re.compile(r"\b(?:in reply to|after)\s+starttls\b"), "STARTTLS"),
)


# One of these is in every text that names a command the patterns above read.
_COMMAND_WORDS = ("in reply to", "after", "failed on", "did not like our", "does not like recipient", "rcpt to:",
                  "but sender was rejected", "but my name was rejected", "but greeting failed")


def _command_in(text: str) -> str | None:
    if not any(words in text for words in _COMMAND_WORDS):
        return None
    for pattern, command in _COMMAND_IN_TEXT:
        if pattern.search(text):
            return command
    return None

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
    action: str | None = None,
    recipient: str | None = None,
    decoder_origin: str | None = None,
) -> Verdict:
    """Decide the reason and the natural hard/soft type of one bounce.

    ``host`` is the remote host (or the recipient's domain) when known;
    ``command`` the SMTP command that was refused (``CONN``, ``EHLO``,
    ``MAIL``, ``RCPT`` or ``DATA``) when known; ``diagnostic_type`` the type of
    the DSN's Diagnostic-Code (``SMTP``, ``X-Unix``, ...); ``decoder_reason``
    the reason a mail system's decoder read from that system's own wording;
    ``action`` the DSN's Action (``failed``, ``delayed``, ...); ``recipient``
    the recipient's address (or domain), whose domain chooses the provider
    table when the remote host is not a known provider's; ``decoder_origin``
    where the decoder's reason comes from (named in the verdict's rule). The
    order in which they count is the module docstring's.
    """
    if diagnostic and len(diagnostic) > TEXT_LIMIT:
        diagnostic = diagnostic[:TEXT_LIMIT]
    # The rules read the text without its addresses, so bounces that differ only in the address
    # (most of a send's bounces) are decided once.
    diagnostic = diagnostic or ""
    noise = _NOISE if "@" in diagnostic else _NOISE_CODES
    text = _SPACES.sub(" ", noise.sub(" ", diagnostic)).strip().lower()
    if command:
        command = _COMMANDS.get(command.strip().upper(), command.strip().upper())
    else:
        command = _command_in(text)
    local = bool(diagnostic_type and diagnostic_type.strip().lower().startswith("x-unix"))
    provider = provider_of(host.strip().lower().rstrip(".")) if host else None
    if provider is None and recipient:
        provider = provider_of(recipient.rpartition("@")[2].strip().lower().rstrip("."))
    delayed = bool(action and action.strip().lower() in ("delayed", "expired"))
    return _classify(smtp_code, enhanced_status, text, provider, command, local, decoder_reason, delayed,
                     decoder_origin)


def _verdict(reason: str, rule: Rule, facts: Facts, why: str = "") -> Verdict:
    label = rule.name + (f"; {why}" if why else "")
    adjusted = status.COMMAND_RULES.get((facts.command or "", reason))
    if adjusted:
        reason, origin = adjusted
        label += f"; refused at {facts.command}: {reason} [{origin}]"
    return Verdict(reason, natural_type(reason, facts.permanent), label)


@lru_cache(maxsize=65536)
def _classify(smtp_code: int | None, enhanced_status: str | None, full: str, provider: str | None,
              command: str | None, local: bool, decoder_reason: str | None, delayed: bool = False,
              decoder_origin: str | None = None) -> Verdict:
    key = _status_key(enhanced_status)
    # 1. A 2.x.x status: delivered.
    if enhanced_status and key and enhanced_status.startswith("2."):
        return Verdict("delivered", None, f"status {enhanced_status}")
    smtp_code = _same_class(smtp_code, enhanced_status)
    facts = Facts(enhanced_status, key, _permanent(smtp_code, enhanced_status, full), command, local)
    strong = decoder_reason if decoder_reason not in WEAK_DECODER_REASONS else None
    return (_by_decoder(strong, decoder_origin, facts)                   # 2.
            or _by_provider(provider, full, facts)                      # 3.
            or _by_words(full, facts, decoder_reason, decoder_origin)   # 4. and 5.
            or _by_tables(smtp_code, delayed, facts)                    # 6. to 8.
            or _by_default(smtp_code, full, facts))                     # 9.


# Weak decoder reasons that still say something: a decoder that read "undefined" or "onhold" said nothing.
_UNSAID = frozenset({"undefined", "onhold"})


def _by_words(full: str, facts: Facts, decoder_reason: str | None, origin: str | None) -> Verdict | None:
    """Steps 4 and 5: the reason modules, then a weak decoder reason, which keeps its place among them.

    Sisimai (go-sisimai reason/find.go) tests the reasons of its first group in order
    (:data:`bouncectl.bounces.reasons.FIRST_GROUP`), each test true at once for the reason the decoder
    gave (reason/why-*.go ``ProbesInto``); then it keeps the decoder's reason unless that is undefined or
    onhold (``anotherone``, ``IsExplicit``); only then come the words of the second group and the status's
    name. So a weak decoder reason of the first group stands before the words of every reason weighed
    after it, and one of the second group before the second group's words and statuses. (The words are
    those of the first list in :data:`bouncectl.bounces.reasons.ORDER` that speaks: the order puts a
    specific wording before a general one of a reason weighed before it, as a soft DNS failure's before
    an unknown domain's, and that stays so.)"""
    matched = _by_reasons(full, facts)
    if decoder_reason is None or decoder_reason in _UNSAID:
        return matched or _by_content_words(full, facts) or _by_decoder(decoder_reason, origin, facts)
    place = min(reasons.rank(decoder_reason), len(reasons.FIRST_GROUP))
    if matched is not None and reasons.rank(matched.reason) < place:
        return matched
    return _by_decoder(decoder_reason, origin, facts)


# The phrase lists about the content read again for a refusal of RCPT TO, when nothing else spoke.
_LATE_LISTS = frozenset(li for li, plist in enumerate(reasons.ORDER)
                        if plist.content and plist.reason in reasons.SECOND_GROUP)


def _by_content_words(full: str, facts: Facts) -> Verdict | None:
    """Step 5, last: the words of a content list of the second group (:data:`bouncectl.bounces.reasons.
    SECOND_GROUP`) in a refusal of RCPT TO, which step 4 skipped: a spam filter's words there are a spam
    verdict (on the sender or its host: no content was sent yet) before the status's name decides. At the
    connection, HELO or MAIL FROM the class defaults stay (a blocked host, a refused sender)."""
    if not full or facts.local or facts.command != "RCPT":
        return None
    text = _URL.sub(r"\1", full) if "://" in full else full
    found = reasons.INDEX.first(text, facts.status, facts.key, facts.command, lambda li: li not in _LATE_LISTS)
    return _phrase_verdict(*found, facts) if found is not None else None


def _by_decoder(reason: str | None, origin: str | None, facts: Facts) -> Verdict | None:
    """Steps 2 and 5: the decoder's reason (a strong one first; a weak one in its place, see :func:`_by_words`)."""
    return _verdict(reason, _decoder_rule(reason, origin), facts) if reason else None


def _by_provider(provider: str | None, full: str, facts: Facts) -> Verdict | None:
    """Step 3: the provider's own codes and wording."""
    if not provider:
        return None
    found = providers.BY_NAME[provider].match(full, facts.status, facts.key, facts.command)
    return _verdict(found.reason, found, facts, f"provider {provider}") if found else None


# The statuses trusted over the words of reasons weighed after theirs (Sisimai: lib/Sisimai/Reason.pm `get`;
# go-sisimai reason/lib.go `classorder[0]` and the `ProbesInto` test of each reason in reason/why-*.go, true on
# the status alone): a permanent X.1.0/X.1.1/X.1.3 is an unknown user (why-userunknown.go), X.1.7/X.1.8 a
# refused sender (why-rejected.go). (A transient X.2.1/X.7.1/X.7.2 is a block there too, but last of the
# group, after every wording a mail system's decoder there reads as its own: here those wordings are phrase
# lists, so that status stays in the status table.)
# Words of a reason weighed before theirs in that order still decide (a full mailbox, a size limit, a
# suspended or moved mailbox, relaying, authentication: :data:`bouncectl.bounces.reasons.FIRST_GROUP`).
# (The statuses that name a reason outright, X.2.2 whatever the words, are the reason modules' STATUSES.)
TRUSTED_STATUS_REASONS = frozenset({"userunknown", "rejected"})
# Words that keep a trusted status from deciding: go-sisimai reason/why-userunknown.go reads an X.1.1
# status's words for relaying, a block, a full or moved mailbox, a refused sender or a domain without mail
# first; and a local mailer's own words are its error whatever the status (reason/find.go reads the words
# of a non-SMTP diagnostic without the first group).
_DISTRUSTED_BY = {
    "userunknown": frozenset({"norelaying", "blocked", "mailboxfull", "hasmoved", "rejected", "notaccept",
                              "mailererror"}),
}


def _status_rule(facts: Facts) -> Rule | None:
    """The status table's meaning of the status (without the subject defaults)."""
    return status.CLASS_STATUS_TABLE.get(facts.status or "") or status.STATUS_TABLE.get(facts.key or "")


def _phrase_verdict(li: int, found: Rule, facts: Facts) -> Verdict:
    resolve = reasons.ORDER[li].resolve
    if resolve is not None:
        reason, why = resolve(facts)
        return Verdict(reason, natural_type(reason, facts.permanent), f"{found.name}; {why}")
    return _verdict(found.reason, found, facts)


def _by_reasons(full: str, facts: Facts) -> Verdict | None:
    """Step 4: a status that names one reason outright, then the phrase lists in order, unless the
    status is a trusted one (:data:`TRUSTED_STATUS_REASONS`) of a reason weighed before the words'."""
    outright = reasons.STATUS_RULES.get(facts.key or "")
    if outright:
        return _verdict(outright.reason, outright, facts)
    matched = None
    if full:
        # A provider's codes may sit in a URL (".../err/2/"); the phrase lists read URLs as their host
        # only (a path's words, "spam" or "block", are not the server's).
        text = _URL.sub(r"\1", full) if "://" in full else full
        order = reasons.ORDER
        found = reasons.INDEX.first(text, facts.status, facts.key, facts.command,
                                    lambda li: order[li].skipped(facts))
        matched = _phrase_verdict(*found, facts) if found is not None else None
    if facts.local:
        return matched
    table = _status_rule(facts)
    if (table is not None and table.reason in TRUSTED_STATUS_REASONS
            and (matched is None or (matched.reason not in _DISTRUSTED_BY.get(table.reason, ())
                                     and reasons.rank(table.reason) < reasons.rank(matched.reason)))):
        return _verdict(table.reason, table, facts, f"status {facts.status} before the words")
    return matched


def _by_tables(smtp_code: int | None, delayed: bool, facts: Facts) -> Verdict | None:
    """Steps 6 to 8: a local mailer's error; the status table, then the status's subject; a
    delayed DSN; the bare reply code."""
    if facts.local:
        return _verdict(status.LOCAL_MAILER.reason, status.LOCAL_MAILER, facts)
    key = facts.key
    found = _status_rule(facts)
    if found is None and key and key[2:3] in status.SUBJECTS and key[3:4] == ".":
        found = status.SUBJECTS[key[2]]
    if found is None and delayed:
        found = status.DELAYED
    if found is None and smtp_code in status.REPLY_CODES:
        found = status.REPLY_CODES[smtp_code]
    return _verdict(found.reason, found, facts) if found else None


def _by_default(smtp_code: int | None, full: str, facts: Facts) -> Verdict:
    """Step 9: class defaults."""
    if facts.command == "CONN":
        return Verdict("blocked", "soft", status.AT_CONNECTION.name)
    if facts.command in ("EHLO", "HELO"):
        return Verdict("blocked", "soft", status.AT_HELO.name)
    if facts.command == "STARTTLS":
        return Verdict("failedstarttls", "soft", status.AT_STARTTLS.name)
    if facts.command == "MAIL":
        return Verdict("rejected", "soft", status.AT_MAIL.name)
    if facts.key or smtp_code or full:
        return Verdict("onhold", "soft", status.FAILURE.name)
    return Verdict("undefined", "soft", status.NOTHING.name)


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
    for kind, kind_reasons in RESOLVABLE_REASONS.items():
        if reason in kind_reasons:
            return kind
    return None
