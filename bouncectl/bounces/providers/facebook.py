"""Facebook / Meta (facebook.com, fb.com): its postmaster response codes.

Origin: Facebook, "Postmaster response codes" (facebook.com/postmaster/response_codes).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Facebook: postmaster response codes"


def _codes(reason: str, codes: str, what: str):
    return rule(reason, "|".join(code.lower() for code in codes.split()), f"{_DOC} {codes.replace(' ', '/')} ({what})")


PROVIDER = Provider("facebook", ("facebook.com", "facebookmail.com", "fb.com"), (
    _codes("userunknown", "RCP-P1 INT-P1 INT-P3 INT-P4", "the recipient address does not exist"),
    _codes("filtered", "RCP-P2 RCP-P3", "the recipient's preferences or privacy settings"),
    _codes("suspend", "RCP-T4", "the recipient address is deactivated"),
    _codes("systemerror", "RCP-T1", "internal system issue"),
    rule("systemerror", r"re:\bint-t\d\b", f"{_DOC} INT-Tx (a temporary issue internal to Facebook's system)"),
    _codes("mailboxfull", "INT-P7", "the recipient's storage quota exceeded"),
    _codes("policyviolation", "POL-P8", "not compliant with the abuse policies"),
    _codes("authfailure", "POL-P7", "domain authentication requirements"),
    _codes("blocked", "POL-P1 POL-P2 POL-P3 POL-P4 POL-T1 POL-T2 POL-T3", "mail from the server's IP not accepted"),
    _codes("spamdetected", "POL-P6", "a blocked URL"),
    _codes("virusdetected", "POL-P5", "a virus"),
    _codes("mesgtoobig", "MSG-P1 INT-P2", "over the maximum size"),
    _codes("contenterror", "MSG-P2", "an attachment type not accepted"),
    _codes("notcompliantrfc", "MSG-P3", "a header that may be present once, repeated"),
    _codes("rejected", "DNS-P1 DNS-P2 DNS-T1", "the MAIL FROM domain does not exist or resolve"),
    _codes("requireptr", "DNS-P3 DNS-T2", "no reverse DNS record"),
    _codes("toomanyconn", "CON-T1 CON-T2 CON-T3 CON-T4 MSG-T1", "connection and recipient limits"),
))
