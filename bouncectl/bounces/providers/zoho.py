"""Zoho Mail: its refusal texts.

Origin: Zoho Mail Help, "Reasons an email is marked as spam" (zoho.com/mail/help/spam-reason.html)
and Zoho Desk's email failure alerts (github.com/zoho/zohodesk-oas, EmailFailureAlert).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Zoho Mail: refusal texts"

# Its regional data centres: mx.zoho.com, mx.zoho.eu, mx.zoho.in, mx.zoho.com.au, smtpin.zohomail.*.
PROVIDER = Provider("zoho", ("zoho.com", "zohomail.com", "zoho.eu", "zohomail.eu", "zoho.in", "zohomail.in",
                             "zoho.com.au"), (
    rule("authfailure", "rejected per dmarc policy", f"{_DOC} 550 5.7.1 (rejected per DMARC policy)"),
    rule("blocked", "greylisted, try again after some time", f"{_DOC} 451 4.7.1 (greylisted)"),
    rule("rejected", "email flagged as spam|mail rejected by destination domain",
         f"{_DOC} 554 5.7.1 / 541 5.4.1 (the sender's mail refused)"),
    rule("policyviolation", "policy violation detected|delivery restricted by policy", f"{_DOC} 554 5.7.7 (policy)"),
    rule("systemerror", "temporary system error", f"{_DOC} 452 4.3.1 (temporary system error)"),
    rule("userunknown", "user does not exist", f"{_DOC} 550 5.1.1 (user does not exist)"),
    rule("virusdetected", "detected by zoho mail", f"{_DOC} 552 5.7.1 (virus detected)"),
))
