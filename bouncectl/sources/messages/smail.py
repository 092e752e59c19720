"""Smail 3 and Deutsche Telekom's (T-Online's) mail system built on it.

Smail's notice (src/notify.c) frames its parts with banner lines, ``|---- Message log follows:
----|``, ``|---- Failed addresses follow: ----|``, ``|---- Message header follows: ----|``
(or ``Message text follows:``). Under the failed addresses Smail writes ``address ... failed:
ERROR`` on one line; T-Online writes `` <address>`` and the remote reply indented on the next
line (``552 5.2.2 <address> Quota exceeded (mailbox for user is full)``). T-Online's mail comes
from ``Mailer-Daemon@t-online.de`` and carries ``X-TOI-MSGID``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, first_reason, normalize, reasons, refine

NAME = "smail"

BANNER = re.compile(r"^\|-+\s*(?P<w>[a-z ]+?) follows?:\s*-+\|\s*$", re.IGNORECASE)
ANGLED = re.compile(r"^\s<(?P<a>[^<>\s]+@[^<>\s]+)>\s*$")
FAILED = re.compile(r"^\s(?P<a>[^\s<>]+@[^\s<>]+)\s+\.\.\.\s+(?:failed:\s*)?(?P<t>.+)$", re.IGNORECASE)
# Smail's own texts (its ``address ... failed: ERROR`` lines), and the reason each states.
REASONS = reasons((r"^unknown host$", "hostunknown"))
ORIGIN = "Smail 3 source (notify.c's failed-address lines: 'unknown host')"


def recognise(bounce: Bounce) -> bool:
    return "failed addresses follow:" in bounce.lower and any(
        (found := BANNER.match(line)) is not None and found.group("w").lower() == "failed addresses"
        for line in bounce.lines)


def decode(bounce: Bounce) -> list[Finding] | None:
    texts: dict[str, list[str]] = {}
    section = None
    current: list[str] | None = None
    own: dict[str, str] = {}
    for line in bounce.lines:
        banner = BANNER.match(line)
        if banner:
            section, current = banner.group("w").lower(), None
            continue
        if section != "failed addresses" or not line.strip():
            continue
        angled, failed = ANGLED.match(line), FAILED.match(line)
        if angled:
            current = texts.setdefault(normalize(angled.group("a")), [])
        elif failed:
            current = texts.setdefault(normalize(failed.group("a")), [])
            current.append(failed.group("t").strip())
            own[normalize(failed.group("a"))] = failed.group("t").strip()
        elif current is not None:
            current.append(line.strip())
    read = {a: finding_of(a, "\n".join(lines)) for a, lines in texts.items()}
    for address, text in own.items():
        reason = first_reason(text, REASONS)
        if reason and len(texts[address]) == 1:
            read[address].decoder_reason, read[address].reason_origin = reason, ORIGIN
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)
