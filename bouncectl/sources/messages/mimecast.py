"""Mimecast: ``[Postmaster] Email Delivery Failure``.

Mimecast writes ``This is a delivery failure notification message indicating that an email
you addressed to email address :`` then ``-- address``, ``The problem appears to be :`` then
``-- TEXT`` and ``Additional information follows :`` then ``-- STATUS SMTP; REPLY``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, normalize, refine

NAME = "mimecast"

BODY = "this is a delivery failure notification message indicating that"
ITEM = re.compile(r"^\s*--\s+(?P<v>.+)$")


def recognise(bounce: Bounce) -> bool:
    return BODY in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    address, texts = None, []
    for line in bounce.lines:
        item = ITEM.match(line)
        if not item:
            continue
        value = item.group("v").strip()
        found = ADDRESS.fullmatch(value)
        if found and address is None:
            address = normalize(found.group(1))
        elif address:
            texts.append(re.sub(r"^([245]\.\d{1,3}\.\d{1,3})\s+smtp;\s*", r"\1 ", value, flags=re.IGNORECASE))
    if address is None:
        return None
    read = {address: finding_of(address, " ".join(reversed(texts)), diagnostic_type="SMTP")}
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values())
    return refine(findings, read)
