"""GoDaddy (secureserver.net): its bounce error codes (IBnnn).

Origin: GoDaddy Help, "Fix rejected email with a bounce error" (godaddy.com/help/40685).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "GoDaddy: bounce error codes"


def _code(reason: str, code: str, what: str):
    return rule(reason, code.lower(), f"{_DOC} {code} ({what})")


PROVIDER = Provider("godaddy", ("secureserver.net",), (
    _code("securityerror", "IB401", "authentication not allowed on inbound servers"),
    _code("notcompliantrfc", "IB501", "blank From address"),
    _code("notcompliantrfc", "IB502", "IP address as From"),
    _code("rejected", "IB506", "From domain is invalid"),
    _code("authfailure", "IB508", "invalid SPF record"),
    _code("requireptr", "IB108", "reverse DNS failed"),
    _code("spamdetected", "IB212", "content judged to be spam"),
    _code("virusdetected", "IB705", "virus infected message"),
    _code("toomanyconn", "IB605", "too many recipients"),
    _code("toomanyconn", "IB007", "too many sessions from this IP"),
    _code("speeding", "IB101", "server temporarily unavailable"),
    _code("blocked", "IB110", "IP blocked for spam"),
    _code("blocked", "IB111", "IP blocked for the day"),
    _code("blocked", "IB112", "IP blocked for invalid recipients"),
    _code("blocked", "IB113", "IP blocked for the day for invalid recipients"),
    _code("speeding", "IB504", "too many messages this hour"),
    _code("speeding", "IB510", "too many messages per session"),
    _code("speeding", "IB607", "too many recipients this hour"),
    _code("badreputation", "IB103", "poor Cloudmark reputation"),
    _code("blocked", "IB104", "Spamhaus SBL"),
    _code("blocked", "IB105", "Spamhaus XBL"),
    _code("blocked", "IB106", "Spamhaus PBL"),
    rule("blocked", "rbl reject", f"{_DOC} (RBL Reject)"),
    rule("mailboxfull", "account storage limit", f"{_DOC} (account storage limit)"),
    rule("suspend", "account disabled", f"{_DOC} (account disabled)"),
    rule("userunknown", "recipient not found|account does not exist", f"{_DOC} (recipient not found)"),
    rule("spamdetected", "message rejected for spam or virus content", f"{_DOC} 552 (spam or virus content)"),
    rule("expired", "in the queue too long|delivery timeout", f"{_DOC} 451 (in the queue too long, delivery timeout)"),
    rule("networkerror", "message is looping", f"{_DOC} (#5.4.6: the message is looping)"),
))
