"""notaccept: the recipient's domain accepts no mail at all (null MX, no mail service)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "notaccept"
# X.1.10 is in the status table, not here: Exchange Online uses 5.1.10 for "recipient not found".
STATUSES = {"X.7.27": "RFC 7505 X.7.27 (sender address has null MX)"}

NULL_MX = PhraseList(REASON, "a domain that takes no mail", rules(
    REASON,
    ("RFC 7505 (null MX)", "null mx", "nullmx"),
    # "does not accept mail from ..." refuses the sender, not the recipient's domain: not these.
    ("Sendmail: sendmail/domain.c ('Host does not accept mail'), iCloud 'host/domain does not accept mail'",
     r"re:\bdoes not accept (?:e-?)?mail\b(?! from\b)", "accepts no mail"),
    ("Google: SMTP error reference ('the domain ... doesn't receive email')", "doesn't receive email",
     "doesn't receive mail"),
    # Not a bare "not accepting messages": X.3.2 is also a host down for maintenance or overloaded, and
    # "not accepting messages from ..." refuses the sender; a mailbox that takes none is suspend.
    ("RFC 3463 X.3.2 (system not accepting network messages)", "not accepting network messages"),
    ("Yahoo: SMTP error codes ('no MX record found for domain')", "no mx record", "no mx records"),
    ("qmail: qmail-remote.c ('couldn't find a mail exchanger or IP address')", "couldn't find a mail exchanger"),
    (("Exim: src/routers/dnslookup.c, src/transports/smtp.c ('an MX or SRV record indicated no SMTP service', "
      "'no host found for existing SMTP connection')"),
     "indicated no smtp service", "no host found for existing smtp connection"),
    ("OpenSMTPD: smtpd/mta.c ('Destination seem to reject all mails', 'No MX found for domain')",
     "destination seem to reject all mails", "no mx found for domain", "no mx found for destination"),
    ("Microsoft: Exchange NDR 4.4.4 (hosted tenant which has no mail-enabled subscriptions)",
     "no mail-enabled subscriptions"),
    ("Mimecast: SMTP error codes 451 ('account inbounds disabled')", "account inbounds disabled"),
    (("Receivers' refusals of all mail for the domain ('no route for current request', 'SMTP protocol returned a "
     "permanent error'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/NotAccept.pm"),
     "no route for current request", "smtp protocol returned a permanent error"),
))
