"""policyviolation: the message breaks the receiving organisation's policy."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "policyviolation"

POLICY = PhraseList(REASON, "the receiver's policy", rules(
    REASON,
    ("Yahoo: SMTP error codes 554 [PH01] ('Email not accepted for policy reasons')", "for policy reasons",
     "policy reasons", "policy violation", "violates ... policy", "violation of ... policy"),
    ("Apple iCloud Mail: 550 5.7.1 [CS01] ('Message rejected due to local policy')", "local policy",
     "due to local policy"),
    ("Google: SMTP error reference 552 5.7.0 ('illegal attachment', 'content presents a potential security issue')",
     "illegal attachment", "content presents a potential", "has a policy that prohibited"),
    ("Microsoft: Exchange Online NDR 5.7.1/5.7.900-999 (mail flow rule), 5.0.350 ('policy violation detected')",
     "organization policy", "organizational settings", "transport rule", "mail flow rule"),
    ("Mimecast: SMTP error codes ('anti-spoofing policy', 'content examination policy', 'host network not allowed')",
     "anti-spoofing policy", "content examination policy", "host network not allowed",
     "host network, not allowed"),
    ("RFC 5321 550 ('not allowed by policy' texts)", "not allowed by policy", "denied by policy",
     "prohibited by policy", "header error"),
    ("Mailman, Google Groups: list posting policies ('members-only list', 'closed mailing list')",
     "members-only list", "closed mailing list", "not subscribed to this group",
     "allowable number of posts without solving a captcha"),
    ("AOL, Google: content and attachment policies ('not accepting mail with', 'messages containing images')",
     "not accepting mail with", "messages containing images or other attachments", "using a mass mailer",
     "header are not accepted", "messages with multiple addresses", "message given low priority",
     "email rejected due to security policies"),
    ("IndiMail (qmail): qmail.c ('Message contains banned attachment (#5.7.1)')",
     "contains banned attachment"),
    ("Rspamd: src/plugins/lua/multimap.lua (a map rule's pre-result 'Matched map: <SYMBOL>' when it has no message)",
     "matched map"),
    ("iRedAPD: libs/__init__.py SMTP_ACTIONS ('REJECT Policy rejection': a plugin's policy refused the message, its null-sender refusal left to the sender's list)",
     "re:\\bpolicy rejection\\b(?! due to null sender)"),
    (("Receivers' refusals of a protocol violation ('protocol violation'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/PolicyViolation.pm"),
     "protocol violation"),
))
