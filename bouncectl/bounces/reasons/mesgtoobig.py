"""mesgtoobig: the message is too big for the receiving system."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "mesgtoobig"
STATUSES = {
    "X.3.4": "RFC 3463 X.3.4 (message too big for system)",
    "X.7.16": "RFC 5248 / IANA X.7.16 (message too big for specified priority)",
}

SIZE = PhraseList(REASON, "the message's size", rules(
    REASON,
    ("RFC 3463 X.3.4 (message too big for system)", "message too big", "too big for system",
     "too big for the system", "message is too big", "message too large", "message is too large",
     "message was too large", "message too long"),
    ("Postfix: src/smtpd/smtpd.c ('Message size exceeds fixed limit')", "message size exceeds",
     "size exceeds fixed limit", "message size exceeded", "mail size exceeds", "size limit exceeded"),
    ("Sendmail: sendmail/collect.c ('Message size exceeds maximum value')", "exceeds maximum value",
     "exceeds fixed maximum message size", "exceeds maximum message size", "exceeds the maximum message size"),
    ("Exim: src/receive.c ('message too big: read=... max=...')", "message length exceeds",
     "message size is over", "message file too big"),
    ("qmail: qmail-smtpd.c ('sorry, that message size exceeds my databytes limit')", "databytes limit"),
    (("Microsoft: Exchange Online NDR 5.3.4 ('Your message couldn't be delivered because it exceeded the maximum "
      "message size')"), "exceeded the maximum message size", "message ... was too large", "message ... is too large",
     "message ... too big"),
    ("Microsoft: Exchange NDR 5.3.4 ('message size exceeds fixed maximum message size')",
     "exceeded maximum inbound message size", "exceeded the maximum incoming message size"),
    ("Google: SMTP error reference 552 5.3.4 ('exceeded Google's message size limits')",
     "message size limits", "message size limit"),
    ("Mimecast: SMTP error codes 554 ('maximum email size exceeded')", "maximum email size exceeded"),
    ("Orange: error codes OFR/LPN 514 ('taille limite du message atteinte')", "taille limite du message"),
    ("Dovecot: src/plugins/quota/quota.c ('Mail size is larger than the maximum size allowed by server configuration')",
     "larger than the maximum size allowed"),
    ("iRedAPD: libs/__init__.py SMTP_ACTIONS ('REJECT Message size exceed (maybe caused by big attachment file)')",
     "message size exceed"),
    ("IceWarp: docs 'Interpretation of 5xx Errors in IceWarp SMTP' (5.7.1 'Message is too long': the size limit)",
     "message is too long"),
    (("Receivers' size refusals ('exceeded ... message size', 'message ... exceeds ... limit', 'message size ... "
     "exceed', 'message ... too big', 'size limit', 'line limit exceeded'), as the reference classifier lists "
     "them: p5-sisimai lib/Sisimai/Reason/EmailTooLarge.pm, MesgTooBig.pm"),
     "exceeded ... message size", "message ... exceeds ... limit", "message ... size ... exceed*",
     "message ... too ... big", "size limit", "line limit exceeded"),
))
