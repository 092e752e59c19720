"""McAfee Email Gateway (and its Email and Web Security appliance): subject ``Delivery Status``.

The appliance stamps its mail ``X-NAI-Header: Modified by McAfee ...``. Its notice, a text part
named ``deliveryproblems.txt``, says ``--- The following addresses had delivery problems ---``
and then one line per recipient, ``<address>   (TEXT)``, the text being the remote server's
reply or the appliance's own words; an RFC 3464 part follows.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, normalize, refine

NAME = "mcafee"

PROBLEMS = "the following addresses had delivery problems"
LINE = re.compile(r"^<(?P<a>[^<>\s]+@[^<>\s]+)>\s+\((?P<t>.+)\)\s*$")


def recognise(bounce: Bounce) -> bool:
    return "modified by mcafee" in bounce.header("X-NAI-Header").lower() and PROBLEMS in bounce.lower


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    for line in bounce.lines:
        found = LINE.match(line.strip())
        if found:
            address = normalize(found.group("a"))
            read.setdefault(address, finding_of(address, found.group("t")))
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or None
    return refine(findings, read, prefer_text=True)
