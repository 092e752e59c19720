"""The last evidence: the enhanced status code's meaning, the bare reply code, the class.

:data:`STATUS_TABLE` gives each RFC 3463 / RFC 5248 code (without its class
digit, ``"X.1.1"``) the reason it means when nothing in the text says more.
:data:`REPLY_CODES` does the same for bare RFC 5321 reply codes. The class
defaults (:data:`DEFAULTS`) decide when neither is known.
"""

from __future__ import annotations

from bouncectl.bounces.rules import Rule


def _status(key: str, reason: str, origin: str) -> tuple[str, Rule]:
    return key, Rule(reason, "", origin, frozenset({key}))


# Codes whose meaning depends on the class (a persistent transient 4.x.y or a permanent 5.x.y),
# looked up by the full code before :data:`STATUS_TABLE`.
CLASS_STATUS_TABLE: dict[str, Rule] = {
    code: Rule(reason, "", origin, frozenset({code})) for code, reason, origin in (
        # X.1.1-X.1.3 are "only useful for permanent failures" (RFC 3463 3.2): a transient one says the
        # address or its domain could not be checked now, not that it does not exist.
        ("4.1.1", "onhold", "RFC 3463 X.1.1 (only useful for permanent failures): transient, the mailbox not yet checked"),
        ("4.1.2", "networkerror",
         "RFC 3463 X.1.2 (only useful for permanent failures): transient, the domain's lookup failed for now"),
        ("4.1.3", "onhold", "RFC 3463 X.1.3 (only useful for permanent failures): transient, the address not yet checked"),
        ("4.4.4", "networkerror", "RFC 3463 X.4.4 (unable to route): transient, the routing data was unavailable"),
        ("4.7.1", "blocked", "RFC 3463 X.7.1 (delivery not authorized): transient, the sending host held back"),
        ("4.2.1", "blocked", ("RFC 3463 X.2.1 (mailbox disabled): transient, the sender held back for now, as "
         "Sisimai reads it (go-sisimai smtp/status/lib.go Name: '4.2.1' blocked)")),
        ("4.7.2", "blocked", ("RFC 3463 X.7.2 (mailing list expansion prohibited): transient, the sender held back, "
         "as Sisimai reads it (go-sisimai smtp/status/lib.go Name: '4.7.2' blocked)")),
        ("5.1.0", "userunknown", "RFC 3463 X.1.0 (other address status): permanent, the address refused"),
        ("5.5.4", "systemerror", "RFC 3463 X.5.4 (invalid command arguments): the server's limits"),
    )
}

STATUS_TABLE: dict[str, Rule] = dict((
    _status("X.1.0", "rejected", "RFC 3463 X.1.0 (other address status: in practice the sender's)"),
    _status("X.1.1", "userunknown", "RFC 3463 X.1.1 (bad destination mailbox address)"),
    _status("X.1.2", "hostunknown", "RFC 3463 X.1.2 (bad destination system address)"),
    _status("X.1.3", "userunknown", "RFC 3463 X.1.3 (bad destination mailbox address syntax)"),
    _status("X.1.4", "filtered", "RFC 3463 X.1.4 (destination mailbox address ambiguous: not one mailbox)"),
    _status("X.1.7", "rejected", "RFC 3463 X.1.7 (bad sender's mailbox address syntax)"),
    _status("X.1.8", "rejected", "RFC 3463 X.1.8 (bad sender's system address)"),
    _status("X.1.9", "systemerror", "RFC 3463 X.1.9 / RFC 5248 (message relayed to non-compliant mailer)"),
    _status("X.1.10", "notaccept", "RFC 7505 X.1.10 (recipient address has null MX)"),
    _status("X.2.0", "filtered", "RFC 3463 X.2.0 (other or undefined mailbox status)"),
    _status("X.2.1", "filtered", "RFC 3463 X.2.1 (mailbox disabled, not accepting messages: the recipient's "
            "settings refuse it, as Sisimai reads it: go-sisimai smtp/status/lib.go Name '5.2.1' filtered)"),
    _status("X.2.4", "filtered", "RFC 3463 X.2.4 (mailing list expansion problem: the list refused it)"),
    _status("X.3.0", "systemerror", "RFC 3463 X.3.0 (other or undefined mail system status)"),
    _status("X.3.2", "notaccept", "RFC 3463 X.3.2 (system not accepting network messages)"),
    _status("X.3.3", "systemerror", "RFC 3463 X.3.3 (system not capable of selected features)"),
    _status("X.3.5", "systemerror", "RFC 3463 X.3.5 (system incorrectly configured)"),
    _status("X.4.0", "networkerror", "RFC 3463 X.4.0 (other or undefined network or routing status)"),
    _status("X.4.1", "expired", "RFC 3463 X.4.1 (no answer from host)"),
    _status("X.4.2", "networkerror", "RFC 3463 X.4.2 (bad connection)"),
    _status("X.4.3", "systemerror", "RFC 3463 X.4.3 (directory server failure)"),
    _status("X.4.4", "hostunknown", "RFC 3463 X.4.4 (unable to route)"),
    _status("X.4.5", "systemfull", "RFC 3463 X.4.5 (mail system congestion)"),
    _status("X.4.7", "expired", "RFC 3463 X.4.7 (delivery time expired)"),
    # X.5.0, X.5.1 and X.5.2 name no reason of their own: servers give them to refusals of every kind
    # ("550 5.5.0 user unknown"), and a syntax error is told by the reply code (501-504, REPLY_CODES), as
    # Sisimai does (go-sisimai smtp/status/lib.go Name has no X.5.0-X.5.2; reason/why-syntaxerror.go reads
    # the reply code; smtp/status/prefer.go takes X.5.1/X.5.2 for ambiguous codes).
    _status("X.5.4", "syntaxerror", "RFC 3463 X.5.4 (invalid command arguments)"),
    _status("X.5.5", "systemerror", "RFC 3463 X.5.5 (wrong protocol version: the systems cannot agree, not a syntax error)"),
    _status("X.5.6", "syntaxerror", "RFC 4954 X.5.6 (authentication exchange line is too long)"),
    _status("X.6.0", "contenterror", "RFC 3463 X.6.0 (other or undefined media error)"),
    _status("X.6.1", "contenterror", "RFC 3463 X.6.1 (media not supported)"),
    _status("X.6.2", "contenterror", "RFC 3463 X.6.2 (conversion required and prohibited)"),
    _status("X.6.3", "contenterror", "RFC 3463 X.6.3 (conversion required but not supported)"),
    _status("X.6.5", "contenterror", "RFC 3463 X.6.5 (conversion failed)"),
    _status("X.6.6", "contenterror", "RFC 4468 X.6.6 (message content not available)"),
    _status("X.6.7", "contenterror", "RFC 6531 X.6.7 (non-ASCII addresses not permitted for that sender or recipient)"),
    _status("X.6.8", "contenterror", "RFC 6531 X.6.8 (UTF-8 string reply is required, but not permitted)"),
    _status("X.6.9", "contenterror", "RFC 6531 X.6.9 (UTF-8 header message cannot be transferred to a recipient)"),
    _status("X.6.10", "contenterror", "RFC 6531 X.6.10 (UTF-8 header message cannot be transferred, as X.6.8)"),
    _status("X.7.0", "securityerror", "RFC 3463 X.7.0 (other or undefined security status)"),
    _status("X.7.1", "securityerror", "RFC 3463 X.7.1 (delivery not authorized, message refused: a security status)"),
    _status("X.7.2", "securityerror", "RFC 3463 X.7.2 (mailing list expansion prohibited)"),
    _status("X.7.3", "securityerror", "RFC 3463 X.7.3 (security conversion required but not possible)"),
    _status("X.7.4", "securityerror", "RFC 3463 X.7.4 (security features not supported)"),
    _status("X.7.5", "securityerror", "RFC 3463 X.7.5 (cryptographic failure)"),
    _status("X.7.6", "securityerror", "RFC 3463 X.7.6 (cryptographic algorithm not supported)"),
    _status("X.7.7", "securityerror", "RFC 3463 X.7.7 (message integrity failure)"),
    _status("X.7.8", "securityerror", "RFC 4954 X.7.8 (authentication credentials invalid)"),
    _status("X.7.9", "securityerror", "RFC 4954 X.7.9 (authentication mechanism is too weak)"),
    _status("X.7.13", "suspend", "IANA SMTP enhanced status X.7.13 (user account disabled)"),
    _status("X.7.12", "securityerror", "RFC 4954 X.7.12 (a password transition is needed)"),
    _status("X.7.14", "securityerror", "RFC 4468 X.7.14 (trust relationship required)"),
    _status("X.7.15", "securityerror", "RFC 6710 X.7.15 (priority level is too low)"),
    _status("X.7.19", "securityerror", "RFC 7293 X.7.19 (RRVS test cannot be completed)"),
    _status("X.7.29", "authfailure", "RFC 8617 X.7.29 (ARC validation failure)"),
))

REPLY_CODES: dict[int, Rule] = {
    code: Rule(reason, "", origin, label=f"reply code {code}") for code, reason, origin in (
        (432, "securityerror", "RFC 4954 432 (a password transition is needed, with 4.7.12)"),
        (450, "onhold", "RFC 5321 4.2.3 450 (mailbox unavailable: busy or blocked for policy reasons)"),
        (500, "syntaxerror", "RFC 5321 4.2.3 500 (syntax error, command unrecognized)"),
        (501, "syntaxerror", "RFC 5321 4.2.3 501 (syntax error in parameters or arguments)"),
        (502, "syntaxerror", "RFC 5321 4.2.3 502 (command not implemented)"),
        (503, "syntaxerror", "RFC 5321 4.2.3 503 (bad sequence of commands)"),
        (504, "syntaxerror", "RFC 5321 4.2.3 504 (command parameter not implemented)"),
        (521, "notaccept", "RFC 7504 521 (host does not accept mail)"),
        (523, "failedstarttls", "RFC 5248 / IANA 523 with X.7.10 (encryption needed)"),
        (524, "failedstarttls", "RFC 5248 / IANA 524 with X.7.11 (encryption required for the authentication mechanism)"),
        (525, "suspend", "RFC 5248 / IANA 525 with X.7.13 (user account disabled)"),
        (538, "failedstarttls", "RFC 4954 538 (encryption required for requested authentication mechanism)"),
        (550, "onhold", "RFC 5321 4.2.3 550 (mailbox unavailable: not found, no access, or policy)"),
        (554, "onhold", "RFC 5321 4.2.3 554 (transaction failed: no more specific reason)"),
        (556, "notaccept", "RFC 7504 556 (domain does not accept mail)"),
    )
}

# A status of a known subject whose detail the table lacks (``5.7.100``): the subject decides.
SUBJECTS: dict[str, Rule] = {
    "3": Rule("systemerror", "", "RFC 3463 3.5 (X.3.XXX: mail system status, the destination system's)",
              label="status X.3.*"),
    "4": Rule("networkerror", "", "RFC 3463 3.6 (X.4.XXX: network and routing status)", label="status X.4.*"),
    "6": Rule("contenterror", "", "RFC 3463 3.7 (X.6.XXX: message content or media status)", label="status X.6.*"),
    "7": Rule("securityerror", "", "RFC 3463 3.8 (X.7.XXX: security or policy status)", label="status X.7.*"),
}

# A DSN whose Action is "delayed" (or "expired") and that says nothing more specific.
DELAYED = Rule("expired", "",
               "RFC 3464 2.3.3 (Action: delayed, the sending MTA keeps retrying until its queue lifetime)",
               label="action delayed")

# The reply codes not in REPLY_CODES name no reason when they come alone, as Sisimai reads them (go-sisimai
# reason/find.go and smtp/failure/lib.go: of the bare reply codes only 521/556, 525 and 501-507 name one), and
# a failure saying nothing more is held (``onhold``, soft):
# - 553: RFC 5321 4.2.3 gives it "mailbox name not allowed", and servers give it as well to a refused sender
#   or relay, so alone it proves no unknown mailbox (a hard bounce);
# - 551 ("user not local"): servers give it to a refused relay too, so alone it proves no moved mailbox;
# - 552 (storage or size), 452 (storage), 421 and 451 (the service or the transaction), 454 and 530-535
#   (TLS or authentication): each covers several failures of its own class, and the words or the status
#   tell which (a full mailbox, a size limit, a policy, a block) when the notice says it.

# When neither the text, the status nor the reply code says more.
LOCAL_MAILER = Rule("mailererror", "", label="diagnostic type X-Unix",
    origin="RFC 3464 2.3.6 Diagnostic-Code type X-Unix (a local mailer's own error)")
AT_CONNECTION = Rule("blocked", "", label="refused at connection",
    origin="RFC 5321 3.1 (a refusal at connection time refuses the sending host)")
AT_HELO = Rule("blocked", "", label="refused at EHLO/HELO",
    origin="RFC 5321 4.1.1.1 (a refusal of EHLO/HELO refuses the sending host's name)")
AT_MAIL = Rule("rejected", "", label="refused at MAIL FROM",
    origin="RFC 5321 4.1.1.2 (MAIL FROM names the sender: its refusal refuses the sender)")
AT_STARTTLS = Rule("failedstarttls", "", label="refused at STARTTLS",
    origin="RFC 3207 4 (the reply to STARTTLS: a refusal means TLS could not be started)")
FAILURE = Rule("onhold", "", label="a failure with nothing more specific",
    origin="RFC 3464 2.3.3 (a failure with nothing more specific: held for a decision)")
NOTHING = Rule("undefined", "", label="no rule matched", origin="no code, status or text to read")
DEFAULTS = (LOCAL_MAILER, DELAYED, AT_CONNECTION, AT_HELO, AT_STARTTLS, AT_MAIL, FAILURE, NOTHING) + tuple(SUBJECTS.values())

# A reason that the refused command turns into another: a host or an unknown address in reply
# to MAIL FROM is about the sender; a refusal at connection time refuses the sending host.
COMMAND_RULES: dict[tuple[str, str], tuple[str, str]] = {
    ("MAIL", "userunknown"): ("rejected", "RFC 5321 4.1.1.2 (MAIL FROM names the sender)"),
    ("MAIL", "hostunknown"): ("rejected", "RFC 5321 4.1.1.2 (MAIL FROM names the sender)"),
    ("MAIL", "filtered"): ("rejected", "RFC 5321 4.1.1.2 (MAIL FROM names the sender)"),
    ("MAIL", "onhold"): ("rejected", "RFC 5321 4.1.1.2 (MAIL FROM names the sender)"),
    ("DATA", "hostunknown"): ("rejected", "RFC 5321 4.1.1.4 (after DATA the recipients were accepted)"),
    ("CONN", "hostunknown"): ("blocked", "RFC 5321 3.1 (a refusal at connection refuses the sending host)"),
    ("CONN", "systemerror"): ("blocked", "RFC 5321 3.1 (a refusal at connection refuses the sending host)"),
    ("CONN", "rejected"): ("blocked", "RFC 5321 3.1 (a refusal at connection refuses the sending host)"),
    ("CONN", "securityerror"): ("blocked", "RFC 5321 3.1 (a refusal at connection refuses the sending host)"),
    ("CONN", "onhold"): ("blocked", "RFC 5321 3.1 (a refusal at connection refuses the sending host)"),
}
# A refusal of STARTTLS that the words, the status or the reply code read only as a generic security, system,
# protocol or connection failure: TLS could not be started (a block, a rate or a full disk keeps its own reason).
for _reason in ("securityerror", "systemerror", "syntaxerror", "networkerror", "onhold"):
    COMMAND_RULES[("STARTTLS", _reason)] = (
        "failedstarttls", "RFC 3207 4 (the reply to STARTTLS: a refusal means TLS could not be started)")
for _command in ("EHLO", "HELO"):
    for _reason in ("hostunknown", "systemerror", "rejected", "securityerror", "onhold"):
        COMMAND_RULES[(_command, _reason)] = (
            "blocked", "RFC 5321 4.1.1.1 (a refusal of EHLO/HELO refuses the sending host's name)")
