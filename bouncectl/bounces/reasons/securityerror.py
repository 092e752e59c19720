"""securityerror: the submission needed credentials or a security feature it did not have."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "securityerror"

SECURITY = PhraseList(REASON, "authentication of the client", rules(
    REASON,
    ("RFC 4954 (SMTP AUTH) 6: '530 5.7.0 Authentication required'", "authentication required",
     "authentication is required", "authentication failure", "authentication failed",
     "authentication credentials invalid"),
    ("Sendmail, Postfix: 'unauthenticated senders not allowed' / 'not authorized'", "unauthenticated senders",
     "not authorized", "not authorised"),
    (("Google: SMTP error reference 535/534 ('Username and Password not accepted', "
      "'Application-specific password required')"),
     "username and password not accepted", "application-specific password", "log in with your web browser",
     "log in through your web browser", "too many login attempts"),
    ("Orange: error codes OFR/LPN 305 and 402 ('authentification invalide', 'authentification requise')",
     "authentification invalide", "authentification requise"),
    ("RFC 3463 X.7.0 ('security reasons')", "security policy", "security reasons"),
    ("Amazon SES: 'not authorized to perform ses:SendRawEmail'", "ses:sendrawemail",
     "account not subscribed to ses"),
    ("OpenSMTPD: smtpd/mta.c ('Could not retrieve credentials')", "could not retrieve credentials"),
    ("Symantec Email Security.cloud: 'Please turn on SMTP Authentication in your mail client'",
     "turn on smtp authentication", "authentication turned on"),
    (("Receivers' security refusals ('domain ... is a dead domain', 'executable files are not allowed in compressed "
     "files'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/SecurityError.pm"),
     "is a dead domain", "executable files are not allowed in compressed files"),
))
