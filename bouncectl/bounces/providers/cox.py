"""Cox (cox.net): its AUP error codes.

Origin: Cox, "Cox Postmaster: email administration" error codes
(cox.com/residential/support/cox-postmaster-email-administration.html).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Cox: postmaster error codes"


def _aup(reason: str, code: str, what: str):
    return rule(reason, f"aup#{code.lower()}", f"{_DOC} AUP#{code} ({what})")


PROVIDER = Provider("cox", ("cox.net", "cloudfilter.net"), (
    _aup("blocked", "CXBL", "IP blocked for spam-like behaviour"),
    _aup("blocked", "CDRBL", "IP temporarily blocked"),
    _aup("requireptr", "CXDNS", "reverse DNS failing"),
    _aup("authfailure", "CXSNDR", "sender domain authentication failed"),
    _aup("rejected", "CXSMTP", "SMTP protocol violation"),
    _aup("toomanyconn", "CXCNCT", "too many concurrent connections"),
    _aup("toomanyconn", "CXMXRT", "too many recipients"),
    _aup("securityerror", "CXTHRT", "suspicious account activity"),
    _aup("securityerror", "CXMJ", "suspicious activity on the primary account"),
    rule("blocked", "aup#ipbl*", f"{_DOC} AUP#IPBLnnnn (sending IP on DNS block lists)"),
    rule("spamdetected", "aup#urlbl*", f"{_DOC} AUP#URLBLnnn (URL on block lists)"),
    rule("blocked", "too many bad commands|too many invalid recipients", f"{_DOC} (bad commands, invalid recipients)"),
    rule("requireptr", "dns check failure|no rdns", f"{_DOC} (reverse DNS check failed)"),
    rule("toomanyconn", "too many sessions from|message threshold exceeded", f"{_DOC} (connection limits)"),
    rule("toomanyconn", "requested action aborted: try again later", f"{_DOC} (rate limits: temporarily blocked)"),
    rule("policyviolation", "esmtp no data before greeting|attachment extension is forbidden",
         f"{_DOC} (talking before the greeting, a forbidden attachment type)"),
    rule("systemerror", "esmtp server temporarily not available", f"{_DOC} (a temporary inability to accept mail)"),
    rule("rejected", "sender rejected", f"{_DOC} (the sender's domain does not resolve to an MX or A record)"),
    rule("userunknown", "recipient rejected", f"{_DOC} (the recipient is not a valid Cox account)"),
))
