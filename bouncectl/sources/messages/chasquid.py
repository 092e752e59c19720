"""chasquid: ``Mail delivery failed: returning message to sender``, from ``postmaster-dsn@``.

chasquid's notice (its queue's dsn.go) lists the failed addresses after ``Delivery to the
following recipient(s) failed permanently:``, then under ``----- Technical details -----`` one
entry per recipient, ``- "ADDRESS" (TYPE) failed permanently with error:`` (or ``failed
repeatedly and timed out, last error:`` for a delivery it gave up retrying) and the error
indented below; ``----- Original message -----`` ends it. The error is the remote reply, prefixed
with the step that failed (``MAIL+RCPT``, ``DATA``), or one of its courier's own texts
(courier/smtp.go: ``Could not find mail server: ...``, ``Could not dial: ...``).
"""

from __future__ import annotations

import re

from bouncectl.sources.messages.base import Bounce, Finding, finding_of, first_reason, normalize, reasons

NAME = "chasquid"

DETAILS = "----- technical details -----"
ENTRY = re.compile(r'^- "(?P<a>[^"\s]+@[^"\s]+)" \([^)]*\) failed (?P<how>permanently with error|repeatedly and '
                   r"timed out, last error):\s*$", re.IGNORECASE)
STOP = re.compile(r"^----- original message -----", re.IGNORECASE)
STEP = re.compile(r"^(?P<s>MAIL\+RCPT|DATA(?: writing| closing)?)\s+(?=[245]\d\d\b)")

# The courier's own texts (courier/smtp.go), and the reason each states.
REASONS = reasons(
    (r"could not find mail server:", "hostunknown"),
    (r"could not dial:", "networkerror"),
    (r"all mxs returned transient failures", "networkerror"),
)
ORIGIN = "chasquid source (internal/queue/dsn.go, internal/courier/smtp.go)"


def recognise(bounce: Bounce) -> bool:
    low = bounce.lower
    if DETAILS not in low:
        return False
    return (bounce.sender_local == "postmaster-dsn" or bounce.header("Message-ID").startswith("<chasquid-dsn-")
            or "failed permanently with error:" in low or "failed repeatedly and timed out, last error:" in low)


def decode(bounce: Bounce) -> list[Finding] | None:
    entries: list[tuple[str, bool, list[str]]] = []
    inside = False
    for line in bounce.lines:
        if STOP.match(line):
            break
        if line.strip().lower() == DETAILS:
            inside = True
            continue
        if not inside:
            continue
        entry = ENTRY.match(line.strip())
        if entry:
            entries.append((normalize(entry.group("a")), entry.group("how").lower().startswith("repeatedly"), []))
        elif entries and line.strip():
            entries[-1][2].append(line.strip())
    found = [_finding(address, retried, lines) for address, retried, lines in entries if lines]
    return found or None


def _finding(address: str, retried: bool, lines: list[str]) -> Finding:
    """One recipient: the step that failed and the remote reply, or the courier's own text."""
    text = "\n".join(lines)
    step = STEP.match(text)
    command = None
    if step:
        command = "DATA" if step.group("s").startswith("DATA") else None
        text = text[step.end():]
    if retried:  # given up after its retries: the notice's words say so, before the last error
        text = f"failed repeatedly and timed out, last error: {text}"
    found = finding_of(address, text, command=command, diagnostic_type="SMTP" if step else None)
    if not step:
        found.decoder_reason = first_reason(text, REASONS)
        if retried and found.decoder_reason == "networkerror":
            # Given up after its retries, the courier's last network error is only what it last saw: the
            # notice says the delivery timed out, which the phrase lists read as an expiry.
            found.decoder_reason = None
    found.reason_origin = ORIGIN if found.decoder_reason else None
    return found
