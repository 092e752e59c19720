"""mailboxfull: the recipient's mailbox is over its quota."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "mailboxfull"
STATUSES = {"X.2.2": "RFC 3463 X.2.2 (mailbox full)"}

# A quota that disables the account for a while, before the account's state ("Account disabled temporarly for
# exceeding receiving limits" is a full mailbox, not a disabled one).
RECEIVING_LIMITS = PhraseList(REASON, "a quota that disables the account", rules(
    REASON,
    ("Exim, Courier, Exchange: quota wordings ('account is over quota', 'exceeded storage allocation')",
     "exceeding receiving limits"),
))

QUOTA = PhraseList(REASON, "the mailbox's quota", rules(
    REASON,
    ("RFC 3463 X.2.2 (mailbox full)", "mailbox full", "mailbox is full", "mailbox ... full", "full mailbox"),
    ("Postfix: src/virtual/ and local(8) ('mailbox size limit exceeded')", "mailbox size limit",
     "mailbox limit"),
    # Not a sender's quota: Amazon SES's "Daily message quota exceeded", Exchange Online's "Submission quota
    # exceeded" and Gmail's "sending quota exceeded" are rate limits.
    ("Dovecot: LDA/LMTP quota texts ('Quota exceeded (mailbox for user is full)')",
     r"re:(?<!message )(?<!submission )(?<!sending )\bquota exceed", "quota full", "quota violation",
     "over quota", "overquota", "over the allowed quota",
     "exceeded quota", "exceeds quota"),
    ("Courier: courier/module.local ('Mail quota exceeded'), Exim: 'mailbox is full'", "mail quota",
     "disk quota", "maildir quota", "mailbox quota", "storage quota", "storage limit", "account storage limit"),
    ("Exchange Server: STOREDRV 'QuotaExceededException' / 'mailbox has exceeded'", "quotaexceeded*",
     "mailbox has exceeded", "mailbox exceeded", "mailbox exceeds", "exceeded storage allocation",
     "exceeds the allowed size", "exceed the mailbox size", "exceed maximum allowed storage"),
    ("Google: SMTP error reference 4.2.2/5.2.2 ('inbox is out of storage space', 'is over quota')",
     "out of storage space", "out of storage", "out of space", "insufficient storage", "not enough space",
     "no space left"),
    ("vpopmail: vdelivermail.c ('mailfolder is full' / 'user is over quota')", "mailfolder is full",
     "mail folder is full", "user is over quota"),
    ("GNU Mailutils: mda manual 'Mailbox Quotas' ('message would exceed maximum mailbox size for this recipient')",
     "would exceed maximum mailbox size"),
    ("NTT docomo: 552 ('too much mail data')", "too much mail", "too many messages on the server",
     "space has been used up"),
    ("Orange: error codes OFR/LPN 417 ('boite du destinataire pleine')", "boite du destinataire pleine"),
    ("Exim, Courier, Exchange: quota wordings ('account is over quota', 'exceeded storage allocation')",
     "account is ... quota", "mailbox ... exceeded ... limit", "enough ... space", "user has exceeded quota",
     "too many messages on the server", "would exceed maximum allowed storage"),
    ("Dovecot: src/plugins/quota/quota.c ('Too many messages in the mailbox': the message count quota)",
     "too many messages in the mailbox"),
    (("Maildir delivery agents' quota texts ('Maildir delivery failed: Userdisk quota ... exceeded', 'Domaindisk "
     "quota', 'diskspace quota'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/MailboxFull.pm"),
     "userdisk quota", "domaindisk quota", "diskspace quota"),
    (("Receivers' quota texts ('user is over the quota', 'mail file size exceeds the maximum size allowed for mail "
     "delivery'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/MailboxFull.pm"),
     "over the quota", "maximum size allowed for mail delivery"),
    (("Receivers' quota texts with words between ('user is over its quota', 'mailbox for user is over the storage "
      "quota', 'disk usage quota'), as the reference classifier lists its ordered pairs: go-sisimai "
      "reason/why-mailboxfull.go"),
     "over its quota", "over their quota", "over his quota", "over her quota", "mailbox ... quota",
     "maildir ... quota", "disk ... quota"),
    ("Receivers' quota texts ('not sufficient disk space'), as the reference classifier lists it: go-sisimai reason/why-mailboxfull.go",
     "not sufficient disk space"),
))
