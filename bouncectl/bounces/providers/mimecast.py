"""Mimecast: its SMTP error codes.

Origin: Mimecast Community, "Mimecast SMTP error codes" (community.mimecast.com, article 842605754).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Mimecast: SMTP error codes"

PROVIDER = Provider("mimecast", ("mimecast.com", "mimecast.co.za", "mimecast-offshore.com"), (
    rule("authfailure", "spf sender invalid|dkim sender invalid|dmarc sender invalid",
        f"{_DOC} 550 (SPF, DKIM, DMARC sender invalid)"),
    rule("badreputation", "ip reputation|internal resources are temporarily unavailable",
         f"{_DOC} 550 (local CT IP reputation) / 451 (greylisting or a poor IP reputation)"),
    rule("expired", "journal message* past ... expiration", f"{_DOC} 550 (journal messages past the expiration)"),
    rule("blocked", "sender address blocked|ip temporarily blacklisted|recipient temporarily unavailable",
         f"{_DOC} 421/451 (blocked senders, temporary block list)"),
    rule("failedstarttls", "requires encryption|requires tls|high-strength ciphers|configuration is invalid for this certificate",
         f"{_DOC} 553 (TLS required) / 554 (the umbrella account's certificate)"),
    rule("mesgtoobig", "maximum email size exceeded", f"{_DOC} 554 (maximum email size exceeded)"),
    rule("networkerror", "incorrect hostname used for inbounds|mail loop detected",
        f"{_DOC} 451/550/554 (MX records, mail loop)"),
    rule("norelaying", "open relay", f"{_DOC} 451 (open relay not allowed)"),
    rule("notaccept", "account inbounds disabled", f"{_DOC} 451 (account inbounds disabled)"),
    # The sending customer's own Mimecast account or hostnames, not the recipient's: nothing to decide by.
    rule("onhold", "account outbounds disabled|hostname is not authorized",
         f"{_DOC} 451 (account outbounds disabled, Omni Directional hostnames)"),
    rule("policyviolation", "anti-spoofing|content examination policy|host network", f"{_DOC} 550/554 (policies)"),
    rule("rejected", "envelope blocked|envelope rejected|blocked senders|administrative prohibition",
         f"{_DOC} 550 (blocked senders policy)"),
    rule("securityerror", "incorrect authentication data|submitter failed to authenticate",
        f"{_DOC} 535/550 (authentication)"),
    rule("systemerror", "unable to process|message ended early", f"{_DOC} 451 (server load, generic)"),
    rule("toomanyconn", "account service is temporarily unavailable|too many recipients|outbound thread limit",
         f"{_DOC} 451/452/550 (connection and recipient limits)"),
    rule("userunknown", "invalid recipient|user unknown|invalid address", f"{_DOC} 501/503/550 (recipient validation)"),
    rule("virusdetected", "virus|malware|signature|rejected due to security policies",
         f"{_DOC} 554 ('email rejected due to security policies': a virus signature detected)"),
))
