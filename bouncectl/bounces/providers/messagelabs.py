"""Symantec/Broadcom Email Security.cloud (MessageLabs): its error and bounce codes.

Origin: Broadcom Knowledge, "Email error and bounce codes for Email Security.cloud"
(knowledge.broadcom.com/external/article/169652).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Email Security.cloud (MessageLabs): error and bounce codes"

PROVIDER = Provider("messagelabs", ("messagelabs.com", "symanteccloud.com"), (
    rule("authfailure", "domain authentication fail", f"{_DOC} 553 (SPF/DMARC domain authentication fail)"),
    rule("badreputation", "connection rejected by policy", f"{_DOC} 501 (connection rejected by policy)"),
    rule("blocked", "ip is in the pbl|your ip address has been|ip address ... has been blocked",
        f"{_DOC} 553 (IP blocked)"),
    rule("contenterror", "stray linefeeds", f"{_DOC} 553 (stray linefeeds, #5.6.2)"),
    rule("failedstarttls", "tls/sslv3 connection required", f"{_DOC} 451 (TLS required, #4.7.1)"),
    rule("norelaying", "as a relay", f"{_DOC} (not configured to relay)"),
    rule("notcompliantrfc", "not rfc 5322|requested action aborted [4]", f"{_DOC} 550 (not RFC 5322)"),
    rule("rejected", "badmailfrom|domain has been blocked|email address has been blocked|has been blacklisted"
         "|sender envelope domain not allowed",
         f"{_DOC} 550/553 (sender blocked)"),
    rule("securityerror", "turn on smtp authentication", f"{_DOC} (SMTP authentication)"),
    rule("spamdetected", "message filtered|filtered by outbound scanning", f"{_DOC} 553 (message filtered)"),
    rule("toomanyconn", "too many recipients received this hour|too many messages", f"{_DOC} 452/460 (rate limits)"),
    rule("userunknown", "no such user|invalid recipient|mailbox is not allowed", f"{_DOC} 550/553 (invalid recipient)"),
))
