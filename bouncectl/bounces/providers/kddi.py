"""KDDI au (ezweb.ne.jp, au.com): its reply to a refused recipient.

Origin: au support, "Mail error messages" (au.com/support/service/internet/trouble/mail/01):
a reception filter answers "550 : User unknown" with no address, an unknown
mailbox "550 <address>: User unknown".
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "KDDI au: mail error messages"

PROVIDER = Provider("au", ("ezweb.ne.jp", "au.com", "lsean."), (
    rule("filtered", r"re:\b550 : user unknown", f"{_DOC} ('550 : User unknown': a reception filter)"),
    rule("userunknown", r"re:>\s*: user unknown", f"{_DOC} ('550 <address>: User unknown')"),
))
