"""Microsoft (Exchange Online, Microsoft 365, Outlook.com): its NDR codes.

Origin: Microsoft Learn, "Email non-delivery reports and SMTP errors in Exchange Online"
and the per-code pages ("Fix email delivery issues for error code 5.7.606-649", ...).
"""

from bouncectl.bounces.providers.base import Provider, rule, status_range

_DOC = "Microsoft: Exchange Online NDR"

PROVIDER = Provider("microsoft", (
    # Exchange Online Protection and Microsoft 365 (MX hosts ``*.mail.protection.outlook.com``,
    # ``*.olc.protection.outlook.com``; older ``*.messaging.microsoft.com``).
    "protection.outlook.com", "prod.outlook.com", "outlook.com", "onmicrosoft.com", "exchangelabs.com",
    "office365.com", "messaging.microsoft.com", "microsoft.com",
    # Outlook.com's consumer domains (Validity, "Microsoft Outlook.com and Hotmail overview"; Spam
    # Resource, "MAGY email domains"): outlook.com and hotmail.com, and the kept older ones.
    "hotmail.com", "live.com", "msn.com", "passport.com", "windowslive.com",
    "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "hotmail.ca", "hotmail.at",
    "hotmail.be", "hotmail.dk", "hotmail.se", "hotmail.co.il", "hotmail.co.jp", "hotmail.com.ar",
    "hotmail.com.au", "hotmail.com.br", "hotmail.com.tr", "live.at", "live.ca", "live.co.uk", "live.fr",
    "live.de", "live.it", "live.nl", "live.be", "live.jp", "live.com.au", "outlook.fr", "outlook.de",
    "outlook.es", "outlook.it", "outlook.jp",
), (
    # The recipient.
    rule("userunknown", "recipient address rejected: access denied", f"{_DOC} 5.4.1 (directory-based edge blocking)"),
    rule("userunknown", "", f"{_DOC} 5.1.10 (RecipientNotFound)", statuses=("5.1.10",)),
    rule("userunknown", "requested action not taken: mailbox unavailable",
        f"{_DOC} 550 5.5.0 (Outlook.com: mailbox unavailable)"),
    rule("hostunknown", "domain is not reachable", f"{_DOC} 5.4.310-312 (the recipient's domain is not reachable)"),
    rule("userunknown", "", f"{_DOC} 5.7.504 (recipient address isn't valid)", statuses=("5.7.504",)),
    rule("suspend", "banned recipient", f"{_DOC} 5.7.505 (banned recipient)"),
    rule("mailboxfull", "mailbox full|quotaexceeded", f"{_DOC} 5.2.2 (mailbox full)", statuses=("5.2.2", "4.2.2")),
    rule("speeding", "submission quota exceeded", f"{_DOC} 5.2.2 (submission quota)"),
    rule("speeding", "", f"{_DOC} 5.2.121 / 5.2.122 (per-hour receive limits)", statuses=("5.2.121", "5.2.122")),
    rule("speeding", "", f"{_DOC} 5.1.90 (daily recipient limit)", statuses=("5.1.90",)),
    rule("exceedlimit", "recipsizelimit", f"{_DOC} 5.2.3 (RecipSizeLimit)"),
    rule("userunknown", "exrecipnotfound|recipient not found by smtp address lookup|invalid recipient address"
         "|recipient address reserved by rfc 2606|recipient addresses in single label domains not accepted"
         "|returned unknown recipient",
         f"{_DOC} 5.1.1 / 5.1.3 / 5.1.4 / 5.1.6 / 5.1.10 / 5.1.351 (the recipient not found or not valid)"),
    rule("suspend", "mailbox cannot be accessed", f"{_DOC} 5.2.1 (the mailbox cannot be accessed)"),
    rule("speeding", "recipient thread limit exceeded|per hour message receive limit"
         "|reached your daily limit for message recipients|exceeded their limit for|exceeded permitted limits",
         f"{_DOC} 4.3.2 / 5.2.121 / 5.2.122 / 5.1.90 / 5.7.508 (receive and send rate limits)"),
    rule("spamdetected", "content filter agent quarantined", f"{_DOC} 5.2.1 (quarantined by content filtering)"),
    # The sending host and tenant: the wording first (a code of a range may be reused for another cause).
    rule("toomanyconn", "exceeded the maximum number of connections", f"{_DOC} 4.7.652 (the maximum of connections)"),
    rule("badreputation", "rate limited due to ip reputation", f"{_DOC} 4.7.650 (rate limited due to IP reputation)"),
    # Exchange Online's busy front ends, within the 4.7.5xx-7xx codes of refused hosts: a temporary system problem.
    rule("systemerror", "server busy ... try again later|pfa agent busy",
         "Exchange Online: 451 4.7.500 'Server busy. Please try again later' (AS761), 451 4.7.700 'PFA agent busy', "
         "as the reference classifier reads them: p5-sisimai lib/Sisimai/Rhost/Microsoft.pm"),
    rule("blocked", "banned sending ip|access denied, banned sender|using customer block list|access denied, bad helo"
         "|access denied, rejected by recipient|does not accept email over ipv6|network is on our block list",
         f"{_DOC} 5.7.506 / 5.7.507 / 5.7.510 / 5.7.511 / 5.7.513 / 5.7.606-649 (the sending IP refused)"),
    # X.5.4 is a command's invalid argument (RFC 3463): here the sending host's EHLO name, not the recipient's domain.
    rule("blocked", "invalid domain name",
         "Exchange Online: '501 5.5.4 Invalid domain name' (its reply to an EHLO name it refuses), as the reference "
         "classifier lists it: go-sisimai rhost/microsoft.go", statuses=("5.5.4",)),
    rule("rejected", "spam abuse detected|bad outbound sender|tenant has exceeded threshold"
         "|traffic not accepted from this ip|blocked from sending from unregistered domains"
         "|sender not in allowed-senders list|sender not authenticated for group"
         "|sender was not authenticated for mailbox|sender was not authenticated for public folder"
         "|sender was not authenticated by organization|sender denied",
         f"{_DOC} 5.1.0 / 5.1.8 / 5.7.12 / 5.7.124 / 5.7.133-136 / 5.7.501-503 / 5.7.700-750 (the sender refused)"),
    rule("authfailure", "must pass either spf or dkim|sender policy framework violation|does not pass dmarc verification"
         "|doesn't meet the required authentication level",
         f"{_DOC} 4.7.26 / 5.7.23 / 5.7.509 / 5.7.515 (SPF, DKIM, DMARC)"),
    rule("notcompliantrfc", "must be rfc 5322 section 3.6.2 compliant", f"{_DOC} 5.7.512 (no valid From address)"),
    rule("requireptr", "must have a reverse dns record", f"{_DOC} 5.7.25 (the sending IPv6 address has no PTR)"),
    rule("failedstarttls", "failed mta-sts validation|starttls is required to send mail|starttls-not-supported"
         "|certificate-expired|tlsa-invalid|dnssec-invalid|certificate-host-mismatch"
         "|restrictdomainstoipaddresses or restrictdomainstocertificate",
         f"{_DOC} 4.4.8 / 5.4.8 / 4.4.317 / 5.4.317 / 5.7.5 / 5.7.51 / 5.7.321-325 (TLS, DANE, MTA-STS)"),
    rule("blocked", "", f"{_DOC} 5.7.606-649 (banned sending IP)", statuses=status_range("5.7.", 606, 649)),
    rule("blocked", "", f"{_DOC} 5.7.511 / 5.7.513 (banned sender, customer block list)",
         statuses=("5.7.511", "5.7.513")),
    rule("blocked", "", f"{_DOC} 5.7.506 / 5.7.507 / 5.7.510 (bad HELO, rejected by recipient, IPv6)",
         statuses=("5.7.506", "5.7.507", "5.7.510")),
    rule("blocked", "", f"{_DOC} 4.7.500-699 / 4.7.850-899 (suspicious activity, try again later)",
         statuses=status_range("4.7.", 500, 649) + status_range("4.7.", 651, 699) + status_range("4.7.", 850, 899)),
    rule("badreputation", "", f"{_DOC} 4.7.650 (rate limited due to IP reputation)", statuses=("4.7.650",)),
    rule("speeding", "", f"{_DOC} 5.7.508 (exceeded permitted limits)", statuses=("5.7.508",)),
    rule("rejected", "", f"{_DOC} 5.7.700-749 (tenant over threshold, traffic not accepted)",
         statuses=status_range("5.7.", 700, 750)),
    rule("rejected", "", f"{_DOC} 5.7.501-503 (spam abuse detected)", statuses=("5.7.501", "5.7.502", "5.7.503")),
    rule("rejected", "", f"{_DOC} 5.1.8 (bad outbound sender)", statuses=("5.1.8",)),
    rule("notcompliantrfc", "", f"{_DOC} 5.7.512 (message must be RFC 5322 section 3.6.2 compliant)",
         statuses=("5.7.512",)),
    rule("rejected", "", f"{_DOC} 5.7.12 / 5.7.124 / 5.7.133-136 (sender not allowed or not authenticated)",
         statuses=("5.7.12", "5.7.124", "5.7.133", "5.7.134", "5.7.135", "5.7.136")),
    rule("authfailure", "", f"{_DOC} 5.7.509 / 5.7.515 / 5.7.23 / 5.7.26 (DMARC, SPF, authentication level)",
         statuses=("5.7.509", "5.7.515", "5.7.23", "5.7.26", "4.7.26")),
    rule("requireptr", "", f"{_DOC} 5.7.25 (reverse DNS record)", statuses=("5.7.25",)),
    rule("securityerror", "", f"{_DOC} 5.7.57 (client was not authenticated to send anonymous mail)",
         statuses=("5.7.57",)),
    rule("norelaying", "", f"{_DOC} 5.7.54 / 5.7.64 (unable to relay, TenantAttribution)", statuses=("5.7.54",
        "5.7.64")),
    rule("norelaying", "unable to relay", f"{_DOC} 5.7.1 (unable to relay)"),
    rule("securityerror", "client was not authenticated", f"{_DOC} 5.7.1 (client was not authenticated)"),
    rule("rejected", "delivery not authorized", f"{_DOC} 5.7.1 (delivery not authorized, message refused)"),
    rule("policyviolation", "", f"{_DOC} 5.7.900-999 (mail flow rule)", statuses=status_range("5.7.", 900, 999)),
    # Outlook.com's own codes (Outlook.com postmaster: troubleshooting).
    rule("badreputation", "rp-001|rp-002|rp-003|sc-001|ou-002",
         "Outlook.com: postmaster troubleshooting RP-001-003, SC-001, OU-002 (IP/domain reputation)"),
    rule("policyviolation", "sc-002", "Outlook.com: postmaster troubleshooting SC-002 (namespace mining)"),
    rule("blocked", "sc-003|sc-004|dy-001|ou-001",
         "Outlook.com: postmaster troubleshooting SC-003/SC-004/DY-001/OU-001 "
         "(open proxy, complaints, dynamic IP, Spamhaus)"),
    rule("virusdetected", "dy-002", "Outlook.com: postmaster troubleshooting DY-002 (a compromised or infected host)"),
    # The way there.
    rule("networkerror", "", f"{_DOC} 5.4.6 / 5.4.14 (routing loop)", statuses=("5.4.6", "5.4.14")),
    rule("networkerror", "", f"{_DOC} 4.4.312 / 5.4.312 (DNS query failed)", statuses=("4.4.312", "5.4.312")),
    rule("expired", "", f"{_DOC} 5.4.300 / 4.4.316 / 5.4.316 (message expired)",
         statuses=("5.4.300", "4.4.316", "5.4.316")),
    rule("systemerror", "", f"{_DOC} 4.4.318 / 5.4.318 (SuspiciousRemoteServerError)", statuses=("4.4.318", "5.4.318")),
    rule("failedstarttls", "", f"{_DOC} 4.4.317 / 5.4.317 / 5.7.321-325 (STARTTLS, DANE, MTA-STS)",
         statuses=("4.4.317", "5.4.317", "4.4.8", "5.4.8") + status_range("4.7.", 321, 325)
         + status_range("5.7.", 321, 325)),
    rule("contenterror", "", f"{_DOC} 5.6.11 (invalid characters)", statuses=("5.6.11",)),
    rule("systemerror", "", f"{_DOC} 5.3.190 (journaling archive disabled)", statuses=("5.3.190",)),
    # Exchange Server's own wording ("Exchange Server: NDRs and SMTP errors", the same pages).
    rule("networkerror", "hop count exceeded|routing loop detected", f"{_DOC} 5.4.6 / 5.4.14 (a mail loop)"),
    rule("expired", "message expired|queue expired", f"{_DOC} 4.4.7 / 5.4.300 (the message expired in the queue)"),
    rule("contenterror", "too many related errors|invalid message content",
         f"{_DOC} 5.3.0 / 5.5.6 (a malformed message, moved to the poison queue)"),
    rule("policyviolation", "policy violation detected|x-dg-ref header is too long",
         f"{_DOC} 5.0.350 (policy violation, AS345 nested attachments)"),
    rule("securityerror", "cannot achieve exchange server authentication", f"{_DOC} 5.7.3 (Exchange Server authentication)"),
    rule("securityerror", "not authorized", f"{_DOC} 5.7.3 (not authorized)", statuses=("5.7.3",)),
    rule("syntaxerror", "send hello first|unrecognized command", f"{_DOC} 5.5.2 / 5.3.3 (commands out of sequence)"),
    rule("systemfull", "insufficient system resources", f"{_DOC} 4.3.1 (insufficient system resources)"),
    # Older Exchange Server's wording, as the reference classifier reads it (p5-sisimai
    # lib/Sisimai/Rhost/Microsoft.pm): the organisation's own directory or list, not the address.
    rule("systemerror", "destination mailbox address ambiguous|mailing list expansion problem",
         "Exchange Server: 5.1.4 / 5.2.4 (an ambiguous address, a list expansion problem), as the reference "
         "classifier reads them: p5-sisimai lib/Sisimai/Rhost/Microsoft.pm"),
    rule("contenterror", "agent generated message depth exceeded",
         "Exchange Server: 5.4.11 (agent-generated message depth exceeded), as the reference classifier reads it: "
         "p5-sisimai lib/Sisimai/Rhost/Microsoft.pm"),
    rule("userunknown", "invalid x.400 address",
         "Exchange Server: 5.1.2 (invalid X.400 address), as the reference classifier reads it: "
         "p5-sisimai lib/Sisimai/Rhost/Microsoft.pm"),
    rule("systemerror", "service not available|service not active|system incorrectly configured"
         "|helo / ehlo requires domain address|misconfigured forwarding address",
         f"{_DOC} 4.3.2 / 5.3.5 / 5.0.0 / 5.2.14 (the receiving server's configuration)"),
))
