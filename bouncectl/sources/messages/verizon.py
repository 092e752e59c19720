"""Verizon Wireless's mail-to-text and picture gateways (``vtext.com``, ``vzwpix.com``).

``vtext.com`` answers from ``post_master@vtext.com``: its gateway runs Apache James, whose notice
gives the error lines (``550 - Requested action not taken: no such user here``) and then
``Message details:`` with a ``  RCPT TO: address`` line per recipient. ``vzwpix.com`` answers
from ``sysadmin@...vzwpix.com``: ``Message could not be delivered to mobile.``, ``Error: TEXT``
and, under ``Original Message:``, the returned message's ``To: address``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import apachejames
from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, first_reason, normalize, reasons

NAME = "verizon"

PIX_SENDER = re.compile(r"^sysadmin@(?:[a-z0-9-]+\.)*vzwpix\.com$", re.IGNORECASE)
PIX_START = "message could not be delivered to mobile"
PIX_ERROR = re.compile(r"^\s*error:\s*(?P<t>.+)$", re.IGNORECASE)
PIX_TO = re.compile(r"^\s*to:\s*(?P<v>.+)$", re.IGNORECASE)
# The picture gateway's own text: none of the addresses is a Verizon Wireless number it can deliver to.
PIX_REASONS = reasons((r"no valid recipients for this mm", "userunknown"))
ORIGIN = "Verizon Wireless picture gateway's notice ('No valid recipients for this MM')"


def _from_vtext(bounce: Bounce) -> bool:
    return bounce.sender == "post_master@vtext.com" and any(
        ".vtext.com (" in str(value) for value in bounce.received)


def recognise(bounce: Bounce) -> bool:
    return _from_vtext(bounce) or (bool(PIX_SENDER.match(bounce.sender)) and PIX_START in bounce.lower)


def decode(bounce: Bounce) -> list[Finding] | None:
    if _from_vtext(bounce):
        found = apachejames.decode(bounce)
        if found:
            for finding in found:
                finding.decoder = NAME
        return found
    started, error, addresses = False, None, []
    for line in bounce.lines:
        if PIX_START in line.lower():
            started = True
            continue
        if not started:
            continue
        failed = PIX_ERROR.match(line)
        to = PIX_TO.match(line)
        if failed and error is None:
            error = failed.group("t").strip()
        elif to:
            addresses += [normalize(a) for a in ADDRESS.findall(to.group("v"))]
    if not addresses and bounce.original is not None:
        addresses = [normalize(a) for a in ADDRESS.findall(str(bounce.original.get("To", "")))]
    reason = first_reason(error or "", PIX_REASONS)
    return [finding_of(a, error or "", decoder_reason=reason, reason_origin=ORIGIN if reason else None)
            for a in dict.fromkeys(addresses)] or None
