"""Tencent (QQ Mail, Foxmail, Tencent Exmail): its error code pages.

Origin: QQ Mail Help, "Error codes" (service.mail.qq.com/detail/122).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Tencent: QQ Mail error codes"

PROVIDER = Provider("tencent", ("qq.com", "foxmail.com", "exmail.qq.com"), (
    rule("authfailure", "spf check failed|dmarc check failed", f"{_DOC} (SPF, DMARC check failed)"),
    rule("blocked", "suspected bounce attacks|suspected spam ip|connection denied", f"{_DOC} (suspected spam IP)"),
    rule("mesgtoobig", "message too large", f"{_DOC} (message too large)"),
    rule("spamdetected", "spam is embedded|mail content denied", f"{_DOC} (content denied)"),
    rule("rejected", "suspected spam|mail is rejected by recipients", f"{_DOC} 122/71, 122/92 (rejected by recipients)"),
    rule("speeding", "access denined|frequency of receiving messages", f"{_DOC} (receiving frequency limited)"),
    rule("toomanyconn", "frequency limited", f"{_DOC} (IP, domain, sender, connection frequency limited)"),
    rule("suspend", "deactivated mailbox", f"{_DOC} (deactivated mailbox)"),
    rule("syntaxerror", "bad address syntax", f"{_DOC} (bad address syntax)"),
    rule("userunknown", "mailbox not found", f"{_DOC} (mailbox not found)"),
))
