"""Comcast / Xfinity (comcast.net): its mail delivery error codes.

Origin: Comcast postmaster, "Mail delivery error codes" (postmaster.comcast.net/mail-error-codes)
and Xfinity support, "Email errors" (xfinity.com/support/articles/email-errors).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Comcast: postmaster mail delivery error codes"

PROVIDER = Provider("comcast", ("comcast.net", "xfinity.com"), (
    rule("blocked", r"re:\bes0000(?:01|10)\b", f"{_DOC} ES000001/ES000010 (dynamic or residential IP space)"),
    rule("blocked", r"re:\bbl0*\d{1,6}\b",
        f"{_DOC} BL000000-BL000111, BL001-BL010 (spam patterns, Spamhaus, Cloudmark, SenderScore)"),
    rule("speeding", r"re:\brl0*\d{1,6}\b", f"{_DOC} RL000001-RL000010 (rate limits)"),
    rule("toomanyconn", "too many sessions opened", f"{_DOC} 421 (too many sessions opened)"),
    rule("requireptr", "reverse dns failure", f"{_DOC} 421 (reverse DNS failure)"),
))
