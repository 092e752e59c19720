"""au by KDDI (au one net, ``*.dion.ne.jp``, ``ezweb.ne.jp``, ``au.com``): the notice of its mail system.

KDDI's notice says ``Your mail sent on: DATE`` (or ``Your mail attempted to be delivered on:``),
then ``Could not be delivered to: <address>`` and an indented English reason (``As their
mailbox is full.``). A message its filter refused carries ``X-SPASIGN: NG``. EZweb's notice
(``Mail System Error - Returned Mail`` from ``Postmaster@ezweb.ne.jp``) states the account's
state for every recipient it lists (``The user(s) account is disabled.``) above their lines.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, first_reason, normalize, reasons, refine

NAME = "kddi"

FROM = re.compile(r"^no-reply@.*\.dion\.ne\.jp$", re.IGNORECASE)
START = re.compile(r"^\s*your mail (sent|attempted to be delivered) on:", re.IGNORECASE)
TO = re.compile(r"could not be delivered to:\s*<(?P<a>[^<>\s]+@[^<>\s]+)>", re.IGNORECASE)
# KDDI's own reasons, and what each states.
REASONS = reasons(
    (r"as their mailbox is full", "mailboxfull"),
    (r"due to the following smtp relay error", "norelaying"),
    (r"as the remote domain doesn'?t exist", "hostunknown"),
)
ORIGIN = "au by KDDI's delivery failure notice texts"
# EZweb's notice texts (au by KDDI), said of the account of each recipient listed below them.
EZWEB = reasons(
    (r"the user\(s\) account is disabled\.", "suspend"),
    (r"the user\(s\) account is temporarily limited\.", "suspend"),
    (r"the user\(s\) account is temporarily over quota", "mailboxfull"),
    (r"your message was not delivered within \d+ days", "expired"),
)
EZWEB_ORIGIN = "au by KDDI: EZweb's 'Mail System Error - Returned Mail' notice texts"


def recognise(bounce: Bounce) -> bool:
    if FROM.match(bounce.sender) or bounce.header("Reply-To").strip().lower() == "no-reply@app.auone-net.jp":
        return True
    if bounce.sender in ("postmaster@ezweb.ne.jp", "postmaster@au.com") and \
            bounce.subject.strip() == "Mail System Error - Returned Mail":
        return True
    return any(("ezweb.ne.jp (" in text or ".au.com (" in text)
               for text in (str(value) for value in bounce.received))


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    started, address = False, None
    lines: list[str] = []

    def close() -> None:
        if address:
            text = " ".join(lines)
            finding = finding_of(address, text)
            if bounce.header("X-SPASIGN").strip().upper() == "NG":
                finding.decoder_reason = "filtered"  # KDDI's reception filter refused it
            else:
                finding.decoder_reason = first_reason(text, REASONS)
            finding.reason_origin = ORIGIN if finding.decoder_reason else None
            read[address] = finding

    for line in bounce.lines:
        if START.match(line):
            started = True
            continue
        if not started:
            continue
        to = TO.search(line)
        if to:
            close()
            # The reason on its own indented line, or after the address on the same one (a relay that
            # rewrapped the notice).
            rest = line[to.end():].strip()
            address, lines = normalize(to.group("a")), [rest] if rest else []
        elif address and line.startswith(" ") and line.strip():
            lines.append(line.strip())
    close()
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return _ezweb(bounce, list(read.values()) or findings) or None
    return _ezweb(bounce, refine(findings, read))


def _ezweb(bounce: Bounce, findings: list[Finding]) -> list[Finding]:
    """EZweb's notice: its statement of the accounts' state (or its filter's header) for each finding."""
    if bounce.sender_domain not in ("ezweb.ne.jp", "au.com") and bounce.subject != "Mail System Error - Returned Mail":
        return findings
    refused = bounce.header("X-SPASIGN").strip().upper() == "NG"
    stated = first_reason(bounce.text, EZWEB)
    for finding in findings:
        if finding.decoder_reason:
            continue
        finding.decoder_reason = "filtered" if refused else stated
        finding.reason_origin = (ORIGIN if refused else EZWEB_ORIGIN) if finding.decoder_reason else None
    return findings
