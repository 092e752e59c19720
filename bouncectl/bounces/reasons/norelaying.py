"""norelaying: the server will not relay to the recipient's domain."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "norelaying"
STATUSES = {"X.7.54": "Microsoft: Exchange Online NDR 5.7.54 (unable to relay recipient in non-accepted domain)"}

RELAYING = PhraseList(REASON, "relaying", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd_check.c ('Relay access denied')", "relay access denied", "relay access"),
    ("Sendmail: sendmail/srvrsmtp.c ('Relaying denied')", "relaying denied", "relay denied",
     "relaying not permitted", "relay not permitted", "relaying prohibited", "relay prohibited",
     "relaying not allowed", "relay not allowed", "relaying mail to ... is not allowed"),
    ("Exim: src/acl.c ('relay not permitted')", "relay not permitted", "not permitted to relay"),
    ("Microsoft: Exchange NDR 5.7.1/5.7.54/5.4.1 ('Unable to relay')", "unable to relay", "cannot relay",
     "can't relay"),
    ("qmail: qmail-smtpd.c ('sorry, that domain isn't in my list of allowed rcpthosts')", "allowed rcpthost*"),
    ("Sendmail, Exchange: 'not configured to relay' texts", "not configured to relay", "not allowed to relay",
     "not authorized to relay", "not authorised to relay",
     "we do not relay", "no relaying", "not a gateway", "as a relay", "open relay", "insecure mail relay"),
    ("Amazon SES: 'Email address is not verified' (sandbox sending)", "address is not verified",
     "identities failed the check"),
    ("MailEnable: 'requires authentication when attempting to send to a non-local e-mail address'",
     "send to a non-local e-mail address"),
    ("Google: SMTP relay error messages ('Mail relay denied', 'Invalid credentials for relay')",
     "mail relay denied", "invalid credentials for relay"),
    ("hMailServer: SMTP/SMTPConnection.cpp ('550 Delivery is not allowed to this address': the IP range's relay option)",
     "delivery is not allowed to this address"),
    ("Haraka: connection.js ('550 I cannot deliver mail for <address>': no rcpt_to plugin accepted the domain)",
     "i cannot deliver mail for"),
    ("Coremail: support notices on returned mail ('Requested action not taken: Local user only')",
     "local user only"),
    ("Italiaonline (Libero, Virgilio): help 'Messaggi di errore più frequenti dopo invio email' ('RELAYING NOT ALLOWED (550 Relay Disabled)')",
     "relay disabled"),
    (("Receivers' relay refusals ('not local host', 'relaying mail to', 'we don't handle mail for'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/NoRelaying.pm"),
     "not local host", "relaying mail to", "we don't handle mail for"),
    ("Receivers' relay refusals ('specified domain is not allowed'), as the reference classifier lists it: go-sisimai reason/why-norelaying.go",
     "specified domain is not allowed"),
))
