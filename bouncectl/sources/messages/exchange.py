"""Microsoft Exchange Server 2007 and later, Exchange Online and Office 365 (``Undeliverable: ...``),
and Exchange 2000/2003.

Exchange 2007+ writes ``Diagnostic information for administrators:``, ``Generating server:
HOST``, then each recipient on its own line followed by ``Remote Server returned 'REPLY'`` (or
``#REPLY ##``): the reply holds Exchange's own enhanced status and component code
(``RESOLVER.ADR.RecipNotFound``, ``QUEUE.Expired``, ...), which Microsoft documents ("DSNs and
NDRs in Exchange Server", "Email non-delivery reports in Exchange Online"). Exchange 2003
writes ``Your message did not reach some or all of the intended recipients.`` and one line per
recipient, ``address on DATE``, then the reason indented.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import exchange2003
from bouncectl.sources.messages.base import (
    ADDRESS,
    Bounce,
    Finding,
    finding_of,
    first_reason,
    host_name,
    normalize,
    reasons,
    refine,
    reply_code,
)

NAME = "exchange"

BODY = re.compile(r"^\s*diagnostic information for administrators:|^\s*remote server returned '"
                  r"|^\s*#\d{3} \d\.\d+\.\d+ "
                  r"|^\s*your message did not reach some or all of the intended recipients"
                  r"|^\s*did not reach the following recipient"
                  r"|^\s*delivery has failed to these recipients or groups:", re.IGNORECASE | re.MULTILINE)
SUBJECTS = re.compile(r"^(undeliverable|undelivered|non remis|unzustellbar|onbestelbaar|no se puede entregar"
                      r"|non recapitabile|olevererbart|niedostarczalne|nao_entregue"
                      r"|配信不能|無法傳遞|无法投递)\s*:",
                      re.IGNORECASE)
KEYS = ("diagnostic information for administrators", "remote server returned", "##", "did not reach",
        "delivery has failed to these recipients")
RETURNED = re.compile(r"remote server (?:at (?P<h>[^\s(]+) \([^)]*\) )?returned '(?P<r>[^']*)'|^\s*#(?P<q>\d{3}[ -]\d\.\d+\.\d+ [^#]*)",
                      re.IGNORECASE | re.MULTILINE)
GENERATING = re.compile(r"^\s*generating server:\s*(?P<h>\S+)", re.IGNORECASE | re.MULTILINE)
RECEIVING = re.compile(r"^\s*receiving server:\s*(?P<h>\S+)", re.IGNORECASE | re.MULTILINE)
# Exchange's own summary in a retry history: the message expired in its queue.
SUMMARY = re.compile(r"\bqueue\.expired\b", re.IGNORECASE)
X2003 = re.compile(r"^\s*(?P<a>[^\s<>]+@[^\s<>]+)\s+on\s+\S", re.IGNORECASE)

# Exchange's component codes, as Microsoft documents them, and the reason each states.
REASONS = reasons(
    (r"\bresolver\.adr\.(recipnotfound|exrecipnotfound|recipientnotfound)\b", "userunknown"),
    (r"\bresolver\.adr\.recipienttypenotallowed\b", "userunknown"),
    (r"\bresolver\.rst\.recipsizelimit\b", "exceedlimit"),  # the recipient's size limit
    (r"\bresolver\.rst\.(sendsizelimit|sizelimit)\b", "mesgtoobig"),
    (r"\bresolver\.rst\.(authrequired|notauthorized|restrictedtorecipientspermission)\b", "rejected"),
    # 5.5.3 RESOLVER.ADR.RecipLimit: too many recipients (RFC 3463 X.5.3).
    (r"\bresolver\.adr\.reciplimit\b", "toomanyconn"),
    # 5.2.0 RESOLVER.ADR.BadPrimary, 5.1.0 RESOLVER.ADR.InvalidInSmtp, 5.1.4 RESOLVER.ADR.Ambiguous: the
    # organisation's own directory is wrong, not the address.
    (r"\bresolver\.adr\.(badprimary|invalidinsmtp|ambiguous)\b", "systemerror"),
    (r"\bqueue\.expired\b", "expired"),
    (r"\bstoredrv\.deliver\.exception:quotaexceeded|mailbox (is )?full|quotaexceeded", "mailboxfull"),
    (r"\bsmtpsend\.dns\.nonexistentdomain\b", "hostunknown"),
    (r"\bsmtpsend\.dns\.mxloopback\b", "networkerror"),  # 5.4.4: the MX points back at the sender's server
    (r"\bresolver\.fwd\.forwarding loop|\brouting loop detected\b", "systemerror"),
    (r"\bdirectory-based edge blocking\b|access denied\. as\(201806281\)", "userunknown"),
    # Exchange 2000/2003 NDR texts, and the IMS diagnostic codes of its "MSEXCH:IMS:..." line (one
    # table, exchange2003's, for a notice read here without that decoder's header marks).
    (r"the recipient name is not recognized|unknown recipient\b", "userunknown"),
    *((rf"\({code.lower()}\)", reason) for code, reason in exchange2003.CODES.items()),
    (r"the e-?mail account does not exist at the organization", "userunknown"),
)
ORIGIN = "Microsoft: DSNs and NDRs in Exchange Server / Exchange Online"
# Exchange 2000/2003's IMS codes and the DSN status Exchange documents for each: 000C05A6 is 5.1.1 (unknown
# recipient), 000C0595 is 5.1.4 (ambiguous recipient).
IMS_CODE = re.compile(r"msexch:\S*.*?\(([0-9a-f]{8})\)", re.IGNORECASE)
IMS_STATUS = {"000c05a6": "5.1.1", "000c0595": "5.1.4"}


def recognise(bounce: Bounce) -> bool:
    if bounce.msg.get("X-MS-Exchange-Message-Is-Ndr") is not None:
        return True
    low = bounce.lower
    if "did not reach the following recipient" in low and "msexch:" in low:
        return True  # Exchange 2000/2003: its MSEXCH: diagnostic codes
    if not (SUBJECTS.search(bounce.subject) or any(k.lower().startswith("x-ms-exchange") for k in bounce.msg)):
        return False
    return any(key in low for key in KEYS) and bool(BODY.search(bounce.text))


def decode(bounce: Bounce) -> list[Finding] | None:
    read = _read(bounce.text)
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    refine(findings, read, prefer_text=True)
    for finding in findings:
        own = read.get(finding.recipient)
        if own is not None and own.host:
            finding.host = own.host  # the receiving server it names, not a host the generic reading guessed
        if own is not None and own.enhanced_status and SUMMARY.search(finding.diagnostic or ""):
            # The DSN's status is Exchange's expiry; the remote server's own status says what failed.
            finding.enhanced_status, finding.smtp_code = own.enhanced_status, own.smtp_code
        if not finding.decoder_reason:
            reason = first_reason(finding.diagnostic or "", REASONS)
            if reason:
                finding.decoder_reason, finding.reason_origin = reason, ORIGIN
    return findings


def _read(text: str) -> dict[str, Finding]:
    read: dict[str, Finding] = {}
    generating = GENERATING.search(text)
    receiving = RECEIVING.search(text)
    lines = text.splitlines()
    current = None
    # Each recipient's ``Remote Server [at HOST (IP)] returned '...'`` lines: one, or a retry history, newest first.
    replies: dict[str, list[tuple[str, str | None]]] = {}
    for index, line in enumerate(lines):
        stripped = line.strip()
        found = ADDRESS.search(stripped)
        if found and found.start() == 0 and re.fullmatch(r"\S+(<mailto:[^>]+>)?", stripped):
            current = normalize(found.group(1))
            continue
        x2003 = X2003.match(line)
        if x2003:
            current = normalize(x2003.group("a"))
            following = lines[index + 1:index + 4]
            reason = " ".join(line.strip() for line in following if line[:1].isspace() and line.strip())
            if reason:
                finding = finding_of(current, reason)
                ims = IMS_CODE.search(reason)
                if ims and not finding.enhanced_status:
                    finding.enhanced_status = IMS_STATUS.get(ims.group(1).lower())
                finding.decoder_reason = first_reason(reason, REASONS)
                finding.reason_origin = ORIGIN if finding.decoder_reason else None
                read[current] = finding
            continue
        returned = RETURNED.search(line)
        if returned and current:
            reply = (returned.group("r") or returned.group("q") or "").strip()
            replies.setdefault(current, []).append((reply, returned.group("h")))
    server = receiving or generating
    default_host = server.group("h").lower() if server else None
    for address, history in replies.items():
        # In a retry history, the remote server's own last answer says what failed; Exchange's
        # QUEUE.Expired summary says that it stopped trying.
        remote = next(((r, h) for r, h in history if not SUMMARY.search(r)), history[0])
        text_of = "; ".join(r for r, _ in history)
        finding = finding_of(address, text_of, diagnostic_type="SMTP", host=host_name(remote[1] or "") or default_host)
        code, status = reply_code(remote[0])
        finding.smtp_code = code or finding.smtp_code
        finding.enhanced_status = status or finding.enhanced_status
        finding.decoder_reason = first_reason(text_of, REASONS)
        finding.reason_origin = ORIGIN if finding.decoder_reason else None
        read[address] = finding
    return read
