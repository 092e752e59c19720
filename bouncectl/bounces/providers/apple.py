"""Apple iCloud Mail: its postmaster information.

Origin: Apple Support, "Postmaster information for iCloud Mail" (support.apple.com/en-us/102322).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Apple: iCloud Mail postmaster information"

# MX hosts mx01.mail.icloud.com, mx02.mail.icloud.com (older *.me.com); Hide My Email relay addresses
# (privaterelay.appleid.com) are delivered by the same servers.
PROVIDER = Provider("apple", ("icloud.com", "me.com", "mac.com", "apple.com", "privaterelay.appleid.com"), (
    rule("userunknown", "unknown or illegal alias|user does not exist", f"{_DOC} 550 5.1.1"),
    # The same status for an address its owner has deactivated, which may be reactivated: not a dead address
    # (the reference classifier reads it so too: go-sisimai rhost/apple.go, Suspend).
    rule("suspend", "inactive email address", f"{_DOC} 550 5.1.1 ('inactive email address')"),
    rule("hasmoved", "no longer on server", f"{_DOC} 550 5.1.6"),
    rule("mailboxfull", "over quota", f"{_DOC} 552 5.2.2"),
    rule("authfailure", "dmarc policy|spf and dkim", f"{_DOC} 554 5.7.1 (DMARC, [HME1])"),
    rule("blocked", "spamhaus|dnsbl-lookup|not accepting connections", f"{_DOC} 550 5.7.0 / 5.7.1 / 554 (block lists)"),
    rule("policyviolation", "local policy|cs01", f"{_DOC} 550 5.7.1 [CS01]"),
    rule("speeding", "excessive volume", f"{_DOC} 421 4.7.1 (deferred due to excessive volume)"),
    rule("norelaying", "relay access denied", f"{_DOC} 554 5.7.1"),
    rule("notaccept", "does not accept mail", f"{_DOC} (host/domain does not accept mail)"),
    rule("rejected", "sender address rejected", f"{_DOC} 450 4.1.8"),
))
