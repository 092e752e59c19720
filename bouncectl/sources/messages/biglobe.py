"""BIGLOBE (and the ISPs on its mail system: inacatv, tmtv, ttv): ``Returned mail: ...`` from
``postmaster@biglobe.ne.jp``.

Its notice lists the addresses under ``----- The following addresses had delivery problems
-----`` and the reason under ``----- Non-delivered information -----``, in BIGLOBE's own
words.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import ADDRESS, Bounce, Finding, finding_of, first_reason, normalize, reasons

NAME = "biglobe"

SENDER = re.compile(r"^postmaster@(biglobe|inacatv|tmtv|ttv)\.ne\.jp$", re.IGNORECASE)
SECTION = re.compile(r"^\s*-{3,}\s*(?P<s>the following addresses had delivery problems|non-delivered information)"
                     r"\s*-{3,}\s*$", re.IGNORECASE)
# BIGLOBE's own texts, and the reason each states.
REASONS = reasons(
    (r"the number of messages in recipient's mailbox exceeded the local limit", "mailboxfull"),
    (r"mail delivery failed\.\.\. user unknown", "filtered"),
)
ORIGIN = "BIGLOBE's delivery failure notice texts"


def recognise(bounce: Bounce) -> bool:
    return bool(SENDER.match(bounce.sender)) and bounce.subject.startswith("Returned mail:")


def decode(bounce: Bounce) -> list[Finding] | None:
    addresses: list[str] = []
    reason: list[str] = []
    section = None
    for line in bounce.lines:
        head = SECTION.match(line)
        if head:
            section = head.group("s").lower()
            continue
        if not line.strip() or section is None:
            continue
        if section.startswith("the following"):
            found = ADDRESS.fullmatch(line.strip())
            if found:
                addresses.append(normalize(found.group(1)))
        elif line[:1].isalnum():
            reason.append(line.strip())
    text = " ".join(reason)
    findings = []
    for address in addresses:
        finding = finding_of(address, text)
        finding.decoder_reason = first_reason(text, REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        findings.append(finding)
    return findings or None
