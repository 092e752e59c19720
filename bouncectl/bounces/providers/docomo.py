"""NTT docomo (docomo.ne.jp): its reply "550 Unknown user" and what it means.

Origin: NTT docomo, "Mail reception settings" (docomo.ne.jp/service/... meiwaku): since
March 2025 docomo no longer refuses by domain or reception filter in the SMTP dialogue,
so "550 Unknown user" in reply to RCPT TO is an unknown mailbox; the same reply after
DATA (the older reception filter) refuses the sender, and status 5.2.0 marks the
recipient's own filter.
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "NTT docomo: mail reception settings"

PROVIDER = Provider("docomo", ("docomo.ne.jp", "mfsmax."), (
    rule("filtered", "", f"{_DOC} (status 5.2.0: the recipient's reception filter)", statuses=("5.2.0",)),
    rule("rejected", "unknown user", f"{_DOC} ('550 Unknown user' after DATA: the sender refused)", commands=("DATA",)),
    rule("userunknown", "unknown user", f"{_DOC} ('550 Unknown user' in reply to RCPT TO)", commands=("RCPT",)),
    rule("userunknown", "550 unknown user", f"{_DOC} ('550 Unknown user': an unknown mailbox since March 2025)"),
    rule("mailboxfull", "too much mail data", f"{_DOC} ('552 Too much mail data')"),
    rule("toomanyconn", "too many recipients", f"{_DOC} ('552 Too many recipients')"),
))
