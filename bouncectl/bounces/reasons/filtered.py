"""filtered: a filter (the recipient's own, or the server's) refused the message."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "filtered"

FILTER = PhraseList(REASON, "a filter", rules(
    REASON,
    ("Postfix: header_checks(5) 'FILTER'/'REJECT' texts ('message filtered')", "filtered", "message filtered"),
    ("Facebook, AOL: 'refused due to recipient preferences' / 'only accepting mail from specific addresses'",
     "recipient preferences", "only accepting mail from specific", "refuses to receive",
     "refuse to receive", "message rejected due to user rules", "you have been blocked by the recipient"),
    ("Exchange, Postfix: 'content filter' refusals", "content filter"),
    ("RFC 5429 (Sieve reject: the recipient's own filter refused the message)", "recipient's filter",
     "recipient's filters", "recipient filter", "sieve"),
    ("AT&T: 'has restricted SMS e-mail'", "has restricted sms e-mail"),
    ("Dovecot: src/lib-lda/mail-send.c (the MDN a Sieve reject sends, rejection_reason 'Your message to <%t> was automatically rejected:%n%r'), Pigeonhole: the reject action (RFC 5429)",
     "was automatically rejected"),
    (("SendGrid: bounce classification 'Bounced Address' (a message to the address bounced before), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/Filtered.pm"),
     "bounced address"),
    (("Receivers' refusals by the recipient's settings ('user reject', 'this account is protected by', 'is not "
     "accepting any mail', 'not found recipient account', 'due to extended inactivity new mail is not currently "
     "being accepted'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/Filtered.pm"),
     "user reject", "this account is protected by", "is not accepting any mail", "not found recipient account",
     "due to extended inactivity"),
), content=True)

# A mail system's own code for a recipient that takes no mail from this sender: before the security
# list, whose "not authorized" the same reply carries ("RESOLVER.RST.NotAuthorized; not authorized").
CODES = PhraseList(REASON, "a mail system's code for the recipient's restriction", rules(
    REASON,
    ("Microsoft: Exchange NDR 5.7.1 (RESOLVER.RST.NotAuthorized: the recipient does not accept mail from this sender)",
     "resolver.rst.notauthorized"),
), content=True)
