"""AOL Mail (legacy AOL and Verizon Media relays): the DSN its outbound relays send.

AOL's relays stamp their mail with ``X-AOL-IP`` (and ``x-aol-sid``, ``X-AOL-VSS-INFO``); the
notice carries an RFC 3464 part, ``Reporting-MTA`` one of AOL's relays, and the relays'
Postfix texts when the receiving domain could not be found (``Host or domain name not found.
Name service error for name=DOMAIN type=MX: Host not found``).
"""

from __future__ import annotations

from bouncectl.sources.messages.base import Bounce, Finding, first_reason, reasons

NAME = "aol"

# The relays' own (Postfix smtp(8)) texts, and the reason each states.
REASONS = reasons(
    (r"host or domain name not found\. name service error for name=\S+ type=\w+: host not found(?!, try again)",
     "hostunknown"),
    # The recipient domain's MX lookup got a reply the relay could not use: no way to deliver there.
    (r"type=mx: malformed or unexpected name server reply", "notaccept"),
)
ORIGIN = ("Postfix smtp(8) on AOL's outbound relays: 'Host or domain name not found', 'Malformed or unexpected "
          "name server reply', as the reference classifier reads them: p5-sisimai lib/Sisimai/Lhost/Aol.pm")


def recognise(bounce: Bounce) -> bool:
    return bool(bounce.header("X-AOL-IP")) and bounce.has_dsn


def decode(bounce: Bounce) -> list[Finding] | None:
    findings = bounce.findings()
    for finding in findings:
        reason = first_reason(finding.diagnostic or "", REASONS)
        if reason and finding.kind == "bounce":
            finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings or None
