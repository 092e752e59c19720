"""HCL (IBM, Lotus) Domino and Lotus Notes: ``DELIVERY FAILURE: ...`` and ``Undeliverable message``.

Domino writes ``Your message\n  Subject: ...\nwas not delivered to:\n  address\nbecause:\n  TEXT``;
older Notes gateways write the reason under ``------- Failure Reasons --------`` then the
address. Domino's own texts (its documented router messages) name the failure.
"""

from __future__ import annotations

import re

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

NAME = "domino"

SUBJECTS = re.compile(r"^(delivery[ _]failure|delivery report|undeliverable message)", re.IGNORECASE)
NOT_DELIVERED = re.compile(r"^\s*was not delivered to:\s*$", re.IGNORECASE)
BECAUSE = re.compile(r"^\s*because:\s*$", re.IGNORECASE)
FAILURE_REASONS = re.compile(r"^-+ failure reasons\s*-+", re.IGNORECASE)
RETURNED = re.compile(r"^-+ returned message\s*-+", re.IGNORECASE)
# Domino's router texts, and the reason each states.
REASONS = reasons(
    (r"not listed in (the )?(domino directory|public name (& |and )address book)", "userunknown"),
    # The same in Domino's Spanish and French router texts.
    (r"no se encuentra en el directorio de domino|non r\S*pertori\S* dans l'annuaire domino", "userunknown"),
    # The directory holds more than one entry for the name: Domino's own directory problem.
    (r"several matches found in (the )?domino directory", "systemerror"),
    # The router found the person but will not route to them (a restriction, not a missing user).
    (r"cannot route mail to user", "filtered"),
    (r"no route found to domain|unable to find (a )?route to", "hostunknown"),
    (r"maximum (message )?size exceeded|exceeds (the )?maximum (message )?size", "mesgtoobig"),
    (r"mail file (is )?full|mailbox quota exceeded|exceeded (its|their) quota", "mailboxfull"),
    # Notes' router: the message went round too many routers.
    (r"message has exceeded (the )?maximum hop count", "networkerror"),
)
ORIGIN = "HCL Domino router delivery failure texts"


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    return bool(SUBJECTS.search(bounce.subject)) and ("was not delivered to:" in low or "failure reasons" in low
                                                       or "domino" in low)


def decode(bounce: Bounce) -> list[Finding] | None:
    addresses, text = _read(bounce.lines)
    read: dict[str, Finding] = {}
    for address in addresses:
        finding = finding_of(address, text)
        finding.decoder_reason = first_reason(text, REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        read[address] = finding
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read)


def _read(lines: list[str]) -> tuple[list[str], str]:
    """The notice's recipients and its reason text (the "because" lines, else the failure reasons)."""
    state = None
    addresses: list[str] = []
    because: list[str] = []
    reasons_block: list[str] = []
    for line in lines:
        if NOT_DELIVERED.match(line):
            state = "to"
            continue
        if BECAUSE.match(line):
            state = "because"
            continue
        if FAILURE_REASONS.match(line):
            state = "reasons"
            continue
        if RETURNED.match(line):
            break
        if state == "to" and line.strip():
            found = ADDRESS.search(line)
            if found:
                addresses.append(normalize(found.group(1)))
        elif state == "because" and line.strip():
            because.append(line.strip())
        elif state == "reasons" and line.strip():
            found = ADDRESS.fullmatch(line.strip())
            if found:
                addresses.append(normalize(found.group(1)))
            else:
                reasons_block.append(line.strip())
    return addresses, "\n".join(because or reasons_block)
