"""rejected: the sender (envelope from, its domain) is refused."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "rejected"
# Exchange's codes for a sender the recipient (a group, a mailbox, a public folder) does not accept.
STATUSES = {
    key: "Microsoft: Exchange NDR 5.7.124 / 5.7.133-136 (sender not allowed or not authenticated for the recipient)"
    for key in ("X.7.124", "X.7.133", "X.7.134", "X.7.135", "X.7.136")
}

SENDER = PhraseList(REASON, "the sender", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd_check.c ('Sender address rejected')",
     "sender rejected", "sender refused", "sender denied", "sender not allowed", "sender invalid",
     "sender unknown", "invalid sender", "bad sender", "sender is not allowed"),
    ("Sendmail: sendmail/srvrsmtp.c ('Domain of sender address ... does not exist')", "domain of sender address",
     "sender domain must exist", "sender ... does not exist"),
    ("Exim: src/acl.c ('Administrative prohibition': the default text of a deny ACL)", "administrative prohibition"),
    ("qmail: qmail-remote.c ('Connected to ... but sender was rejected')", "sender was rejected"),
    ("Postfix, Sendmail: 'MAIL FROM ... rejected/refused'", "mail from ... rejected", "mail from ... refused",
     "envelope sender", "envelope blocked", "envelope rejected"),
    ("Mailman, Google Groups: posting refusals ('not a member', 'do not have permission to post')",
     "not a member", "have permission to post", "groups.google.com", "not allowed to post"),
    ("Symantec Email Security.cloud: 553 ('your envelope sender is in my badmailfrom list')", "badmailfrom",
     "your email address has been blacklisted", "your domain has been blacklisted",
     "your email address has been blocked", "your domain has been blocked"),
    ("MDaemon, SonicWall, Barracuda: BATV / backscatter refusals", "batv", "backscatter",
     "no third-party dsns", "null sender is not allowed", "empty envelope senders", "unsigned dsn"),
    ("McAfee Email Gateway: bounce verification ('denied [BounceDeny]': a bounce for mail it never sent)",
     "bouncedeny"),
    ("Microsoft: Exchange Server sender filtering (the blocked senders of Set-SenderFilterConfig)",
     "senderfilterconfig"),
    ("Trustwave MailMarshal: 'Rule imposed mailbox access for ... refused' (a sender refused by a rule)",
     "rule imposed mailbox access"),
    ("Microsoft: Exchange Online NDR 5.7.501-503, 5.1.8 ('spam abuse detected', 'bad outbound sender')",
     "spam abuse detected", "bad outbound sender", "sender not in allowed-senders list",
     "sender was not authenticated", "sender not authenticated for group",
     "resolver.rst.sendernotauthenticated*", "resolver.rst.notauthorizedtosend"),
    ("Yahoo: SMTP error codes 553 [TSS09/TSS11] ('will be permanently deferred')", "will be permanently deferred"),
    ("Postfix, Exim, McAfee, SpamWall: sender refusals ('sender not pre-approved', 'bogus mail from')",
     "sender not pre-approved", "bogus mail from", "returned mail not accepted here", "sender domain is empty", "sender is spammer", "sender email address rejected",
     "sender domain not allowed", "can't determine purported responsible address",
     "fully qualified email address required", "this server does not accept mail from",
     "not allowed to send mail from", "not a registered gateway user", "syntax error: empty email address"),
    ("SendGrid: bounce notices ('spam reporting address')", "spam reporting address"),
    ("Google: Gmail's 'Send mail as' refusal ('sending this from a different address or alias')",
     "from a different address or alias"),
    ("FML: the mailing list manager's refusal of a non-member's post ('NOT MEMBER article from ...')",
     "not member article from"),
    ("SecuMail: its valid-address filter's refusal of the sender ('denied by SecuMail valid-address-filter')",
     "denied by secumail valid-address-filter"),
    ("Orange: error codes OFR/LPN 403, 405, 415, 421 ('emetteur invalide', 'mail from not owned by user')",
     "emetteur invalide", "mail from not owned by user"),
    ("maddy: internal/check/authorize_sender ('553 5.7.0 Unauthorized use of sender address')",
     "unauthorized use of sender address"),
    ("Postfix: src/smtpd/smtpd_check.c (reject_multi_recipient_bounce: 'Data command rejected: Multi-recipient bounce', a null sender with several recipients)",
     "multi-recipient bounce"),
) + rules(
    REASON,
    # The Sendmail access map's refusal: in reply to MAIL FROM it refuses the sender.
    ("Sendmail: sendmail/srvrsmtp.c ('Access denied' in reply to MAIL FROM)", "access denied"),
    ("Postfix: src/smtpd/smtpd_check.c (an address refused in reply to MAIL FROM is the sender's)",
     "address rejected", "address refused", "address not accepted"),
    commands=("MAIL",),
))

# The sender's domain, before the recipient's: "Sender address rejected: Domain not found" (which Postfix
# gives in reply to RCPT TO when smtpd_delay_reject is on) is not the recipient's domain.
SENDER_DOMAIN = PhraseList(REASON, "the sender's domain", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd_check.c (reject_unknown_sender_domain: 'Sender address rejected: Domain not found')",
     "sender address rejected: domain not found", "sender domain ... not exist",
     "sender domain ... unknown", "sender domain ... not found", "sender domain ... invalid",
     "sender's domain", "domain in sender address", "sender address domain", "unknown sender domain",
     "invalid sender domain"),
    ("RFC 5321 4.1.1.2 (MAIL FROM): receivers' refusals of the reverse-path", "invalid address in mail from",
     "mail from address", "in mail from"),
    ("hMailServer: AntiSpam/SpamTestMXRecords.cpp ('Sender domain does not have any MX records.')",
     "sender domain does not have any mx records"),
    ("Haraka: plugins/mail_from.is_resolvable.js ('No MX for your FROM address')",
     "no mx for your from address"),
    # Before the recipient's domain: "unroutable", "domain is invalid" here are the sender's.
    ("GoDaddy: bounce error IB506 ('From: Domain is invalid. Please provide a valid From:')", "from domain is invalid",
     "please provide a valid from"),
    ("Postfix, Exim, McAfee, SpamWall: sender refusals ('unroutable sender address')", "unroutable sender address",
     "unrouteable sender address"),
    (("Receivers' refusals of the sender's domain ('connections not accepted from servers without a valid sender "
     "domain', 'RFC 1035 violation: recursive CNAME records for'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/Rejected.pm"),
     "without a valid sender domain", "recursive cname records"),
))

# The server's own words that the refusal is of the sender, whatever the reason it gives after them: Postfix
# names every sender restriction's refusal "Sender address rejected: ..." (with "User unknown in local
# recipient table" for reject_unlisted_sender, "Domain not found" for reject_unknown_sender_domain), and
# Exim's failed sender verification ends "Sender verify failed" after the verification's own reply
# ("Unrouteable address", "User unknown"). Before the recipient's domain and mailbox lists, whose words follow.
REFUSED_SENDER = PhraseList(REASON, "a refusal of the sender", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd_check.c (the reply class of sender restrictions: 'Sender address rejected')",
     "sender address rejected"),
    ("Exim: src/acl.c ('Sender verify failed')", "sender verify failed", "sender verification failed"),
    # The recipient lists' "address invalid" and "address unknown" would otherwise take the sender's address for
    # the recipient's when the refusal came at RCPT TO (where servers delay the sender's checks).
    ("RFC 3463 X.1.7, X.1.8 (the sender's address is bad: named so in the reply)",
     r"re:\bsender(?:'s)? (?:e-?mail )?address (?:is )?(?:invalid|unknown|not valid)\b"),
))

# A block list of sender addresses, before the sending host's block lists (the same words).
LISTED = PhraseList(REASON, "a listed sender address", rules(
    REASON,
    ("Exim: ACL 'deny senders' messages ('sending to/from an address that has been blacklisted')",
     "sending to/from an address", "sender address ... blacklisted", "sender ... is blacklisted",
     "sender is in my black list", "sender ... black list", "sender ... blocklist", "sender ... denylist"),
    ("Symantec Email Security.cloud: 553 ('your email address has been blacklisted')",
     "your email address has been blacklisted", "your email address has been blocked"),
    (("Receivers' refusals of a listed or unlisted sender ('Access denied (sender blacklisted)', 'because the sender "
     "isn't on the recipient's list of senders to accept mail from'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/Rejected.pm"),
     "sender blacklisted", "list of senders to accept mail from"),
))
