"""hostunknown: the recipient's domain does not exist (hard)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "hostunknown"

DOMAIN = PhraseList(REASON, "the recipient's domain", rules(
    REASON,
    ("Postfix: src/smtp/smtp_addr.c ('Host or domain name not found. Name service error')",
     "host or domain name not found", "name service error", "host not found", "domain name not found"),
    ("Sendmail: sendmail/deliver.c ('Host unknown (Name server: ... host not found)')", "host unknown",
     "unknown host", "illegal host"),
    ("qmail: qmail-remote.c ('Sorry, I couldn't find any host named')", "couldn't find any host"),
    ("Exim: src/verify.c ('Unrouteable address', 'unrouteable mail domain')", "unrouteable", "unroutable",
     "unrouteable mail domain"),
    ("RFC 3463 X.1.2 (bad destination system address)", "bad destination system address"),
    ("Postfix: src/smtpd/smtpd_check.c ('Recipient address rejected: Domain not found')",
     "recipient address rejected: domain not found", "unknown domain", "domain unknown"),
    ("Exchange Server: 'The domain name in the email address is incorrect' (5.1.2, 5.4.310)",
     "no such domain", "domain does not exist", "domain doesn't exist", "domain is invalid", "invalid domain",
     "domain name does not exist", "domain must exist", "domain is not reachable"),
    ("Microsoft: Exchange NDR 5.4.4 (SMTPSEND.DNS.NonExistentDomain)", "nonexistentdomain",
     "nonexistent domain", "non-existent domain"),
    ("Yahoo, Exchange Online: 'the account or domain may not exist'", "account or domain may not exist"),
    # Not "DNS lookup failure: ... try again later" (a transient lookup, or the client's own name).
    ("RFC 1035 NXDOMAIN (name error)", "nxdomain", r"re:\bdns lookup failure\b(?!.*\btry again\b)",
     "name or service not known"),
    ("Google: Gmail's notices ('... because the domain example.org couldn't be found')",
     "domain ... couldn't be found"),
    ("Postfix: src/smtpd/smtpd_check.c ('Recipient address rejected: unknown domain name')",
     "unknown domain name", "recipient domain must exist"),
    ("Postfix: src/smtp/smtp_addr.c ('no MX host for %s has a valid address record')",
     "no mx host for ... has a valid address record"),
    ("Exim: src/transports/smtp.c ('all host address lookups failed permanently')",
     "all host address lookups failed permanently"),
    ("OpenSMTPD: smtpd/mta.c ('Invalid domain name', 'Domain does not exist')", "invalid domain name"),
    ("Exim: src/routers/dnslookup.c ('all relevant MX records point to non-existent hosts')",
     "point to non-existent hosts", "domain ... is unknown", "mail domain mentioned in email address is unknown"),
    ("Go: net package (errNoSuchHost 'lookup HOST: no such host', written by chasquid's and maddy's clients), Windows Sockets WSAHOST_NOT_FOUND ('No such host is known')",
     "no such host"),
    ("Apache James: mailets RemoteDelivery / MailDelivrer ('There are no DNS entries for the hostname HOST. I cannot determine where to send this message.')",
     "no dns entries for the hostname"),
))
