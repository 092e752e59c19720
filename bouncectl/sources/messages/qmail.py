"""qmail (and netqmail, its forks): qmail-send's ``failure notice``.

qmail-send writes ``Hi. This is the qmail-send program at HOST.`` then each recipient as
``<address>:`` followed by its error lines, up to a blank line. qmail-remote's lines name the
step that failed (``HOST does not like recipient.``, ``Connected to HOST but sender was
rejected.``, ``HOST failed after I sent the message.``, ``Connected to HOST but greeting
failed.``) and quote the reply after ``Remote host said:``; qmail's own failures end with
``(#x.y.z)``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import (
    Bounce,
    Finding,
    entries,
    finding_of,
    first_reason,
    reasons,
    refine,
)

NAME = "qmail"

BODY = re.compile(r"^hi\. this is the qmail-send program at |^i'm afraid i wasn't able to deliver your message to the"
                  r" following addresses\.", re.IGNORECASE | re.MULTILINE)
HEADING = re.compile(r"^<(?P<a>[^<>\s]+@[^<>\s]+)>:\s*(?P<t>.*)$")
# qmail-send.c's "--- Below this line is a copy of the message.", and the lines of its forks and of
# qmail-based services that keep its layout under other words.
STOP = re.compile(r"^--- (below this line|below the next line|enclosed are the original headers"
                  r"|mensaje original adjunto)|^original message follows\.", re.IGNORECASE)
GIVING_UP = re.compile(r"^\s*giving up on \S+\s*$", re.IGNORECASE)
DEFERRED = re.compile(r"i'm not going to give up|i'm still trying|this is not a permanent error", re.IGNORECASE)

# The step of the SMTP session, as qmail-remote words it (qmail-remote.c).
STEPS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, re.IGNORECASE), c) for p, c in (
    (r"does not like recipient\.", "RCPT"),
    (r"but sender was rejected\.", "MAIL"),
    (r"failed after i sent the message\.", "DATA"),
    (r"but greeting failed\.|but my name was rejected\.", "CONN"),
    (r"most progress was (rcpt to|recipient)", "RCPT"),
    (r"most progress was mail from", "MAIL"),
    (r"most progress was data", "DATA"),
))

# qmail's own texts (qmail-send.c, qmail-remote.c, qmail-local.c), and the reason each states; a relay may
# wrap their lines anywhere. qmail-send's queue lifetime ("I'm not going to try again; this message has been
# in the queue too long.") is not among them: qmail-send adds it after the text of the last temporary
# failure, which names the cause, and the phrase lists read it as an expiry only when nothing else speaks
# (the corpus's qmail samples with it are labelled by the text before it: a refused greeting, a system
# error, a full mailbox, a connection).
REASONS = reasons(*((pattern.replace(" ", r"\s+"), reason) for pattern, reason in (
    (r"sorry, no mailbox here by that name\.", "userunknown"),  # qmail-local / qmail-send
    # qmail-remote: no such host (DNS_HARD, #5.1.2); "by that name" is its soft DNS failure (#4.1.2).
    (r"sorry, i couldn't find any host named", "hostunknown"),
    (r"sorry, i couldn't find any host by that name", "networkerror"),
    (r"sorry, i wasn't able to establish an smtp connection\.", "networkerror"),  # qmail-remote
    # qmail-local: its own loop check, status #5.4.6 (RFC 3463 X.4.6, routing loop detected).
    (r"this message is looping: it already has my delivered-to line", "networkerror"),
    ((r"sorry, this message is too large|message is larger than the recipient's limit"
     r"|message size exceeds fixed maximum message size"), "mesgtoobig"),
    (r"mailbox is full|disk quota exceeded|over quota", "mailboxfull"),  # qmail-local (EDQUOT), vpopmail
    (r"^unable to (write|open|chdir) ", "systemerror"),  # qmail-local
)))
ORIGIN = "qmail source (qmail-send.c, qmail-remote.c, qmail-local.c)"

# qmail-remote.c's "HOST does not like recipient.": the remote server refused RCPT TO. A permanent (5xx)
# refusal there is of the address itself, unless the reply's own words say otherwise (a weak reason: the
# words of a reason weighed before an unknown user decide first) or its status does: only none, an undefined
# one (X.0.0) or one of the recipient's address (X.1.x but the sender's X.1.7 and X.1.8, which a server may
# give in reply to RCPT TO when it checks the sender there) leaves it to the address; a policy (X.7.x),
# mailbox (X.2.x) or system status names another cause. A temporary refusal (4xx, qmail's soft case) says
# nothing of the address.
REFUSED_RECIPIENT = re.compile(r"does not like recipient\.", re.IGNORECASE)
ADDRESS_STATUS = re.compile(r"^5\.(0\.0|1\.(?![78]$)\d+)$")
REFUSED_ORIGIN = ("qmail source (qmail-remote.c: 'does not like recipient.' for a refused RCPT TO), as the "
                  "reference classifier reads it: p5-sisimai lib/Sisimai/Lhost/qmail.pm")


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    if ("qmail-send program" in low or "able to deliver your message to the following" in low) and bool(
            BODY.search(bounce.text)):
        return True
    # A fork or a qmail-based service with its own opening: qmail-send's subject ("failure notice") or
    # qmail's Received line ("(qmail 123 invoked for bounce)"), and qmail-send's "<address>:" entries.
    # Yahoo's notice, qmail-based too, has a decoder of its own.
    if "sorry, we were unable to deliver your message" in low:
        return False
    qmail_received = any("(qmail " in str(value) for value in bounce.received)
    if bounce.subject.strip().lower() != "failure notice" and not qmail_received:
        return False
    return any(HEADING.match(line) for line in bounce.lines)


def decode(bounce: Bounce) -> list[Finding] | None:
    kind = "deferred" if DEFERRED.search(bounce.text) else "bounce"
    found: list[Finding] = []
    for address, lines in entries(bounce.lines, HEADING, stop=STOP,
                                  continuation=lambda line: bool(line.strip())):
        # qmail-remote.c closes a permanent failure with "Giving up on HOST.": the end of its report on that
        # host, not a queue that expired (qmail-send words that "in the queue too long").
        text = "\n".join(line for line in lines if not GIVING_UP.match(line))
        step = next((command for pattern, command in STEPS if pattern.search(text)), None)
        remote = re.search(r"remote host (?:[\w.-]+ )?said:\s*(.*)", text, re.IGNORECASE | re.DOTALL)
        finding = finding_of(address, text, kind, command=step, diagnostic_type="SMTP" if remote else "X-qmail")
        # The last (#x.y.z) qmail adds to its own texts is its status for them.
        own = re.findall(r"\(#([245]\.\d{1,3}\.\d{1,3})\)", text)
        if own and not remote:
            finding.enhanced_status = own[-1]
        finding.decoder_reason = first_reason(text if not remote else text[: remote.start()], REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        if finding.decoder_reason is None and (finding.smtp_code or 0) >= 500 and REFUSED_RECIPIENT.search(text) \
                and ADDRESS_STATUS.match(finding.enhanced_status or "5.0.0"):
            finding.decoder_reason, finding.reason_origin = "userunknown", REFUSED_ORIGIN
        found.append(finding)
    if not found:
        return None
    generic = bounce.findings() if bounce.has_dsn else []
    return refine(generic, {f.recipient: f for f in found}, prefer_text=True) if generic else found
