"""Lotus Notes (its SMTP MTA, before Domino's router notice): ``Undeliverable message``.

Notes writes ``------- Failure Reasons --------``, then for each recipient the reason in words
on its own line(s) and the address alone on the line after them, and returns the message
below ``------- Returned Message --------``. Notes' own English texts name the failure, and
the router texts it shares with its successor, Domino (:mod:`bouncectl.sources.messages.domino`).
A reason in another language (a Japanese server's) is left to the phrase lists.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import domino
from bouncectl.sources.messages.base import (
    ADDRESS,
    Bounce,
    Finding,
    finding_of,
    first_reason,
    normalize,
    reasons,
    refine,
)

NAME = "notes"

SUBJECT = re.compile(r"^undeliverable message", re.IGNORECASE)
FAILURE_REASONS = domino.FAILURE_REASONS  # the same block markers as Domino's
STARTS = re.compile(r"^\s*-+ failure reasons\s*-+", re.IGNORECASE | re.MULTILINE)
RETURNED = domino.RETURNED
# Notes' own texts, and the reason each states.
REASONS = reasons(
    (r"user not listed in (the )?public name (&|and) address book", "userunknown"),
    (r"message has exceeded (the )?maximum hop count", "networkerror"),
)
ORIGIN = "Lotus Notes SMTP MTA failure reasons ('User not listed in public Name & Address Book', ...)"


def recognise(bounce: Bounce) -> bool:
    return bool(SUBJECT.match(bounce.subject)) and bool(STARTS.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    started = False
    pending: list[str] = []  # the reason lines read before their address (Notes writes them first)
    last: Finding | None = None
    for line in bounce.lines:
        stripped = line.strip()
        if not started:
            started = bool(FAILURE_REASONS.match(stripped))
            continue
        if RETURNED.match(stripped):
            break
        if not stripped or stripped.startswith("-"):
            continue
        address = ADDRESS.fullmatch(stripped.strip("<>"))
        if address:
            last = _finding(normalize(address.group(1)), pending)
            read.setdefault(last.recipient, last)
            pending = []
        else:
            pending.append(stripped)
    if pending and last is not None:  # reason lines after the last address are its own
        read[last.recipient] = _finding(last.recipient, [last.diagnostic or "", *pending])
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)


def _finding(address: str, lines: list[str]) -> Finding:
    text = "\n".join(line for line in lines if line)
    finding = finding_of(address, text)
    finding.decoder_reason = first_reason(text, REASONS)
    finding.reason_origin = ORIGIN if finding.decoder_reason else None
    if finding.decoder_reason is None:  # the router texts Notes shares with its successor, Domino
        finding.decoder_reason = first_reason(text, domino.REASONS)
        finding.reason_origin = domino.ORIGIN if finding.decoder_reason else None
    return finding
