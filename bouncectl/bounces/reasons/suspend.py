"""suspend: the recipient's mailbox exists but is disabled, suspended or inactive."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "suspend"
# X.7.13 (user account disabled) is in the status table, not here: Exchange uses 5.7.13 for a
# sender not authenticated for a public folder.

_STATES = "disabled|suspended|inactive|deactivated|locked|frozen|expired|closed|discontinued|terminated"

# A disabled mailbox, before the domain and the sending host (the words "not accepting" follow).
DISABLED = PhraseList(REASON, "a disabled mailbox", rules(
    REASON,
    ("RFC 3463 X.2.1 (mailbox disabled, not accepting messages)", "mailbox disabled",
     "mailbox is disabled", "mailbox has been disabled",
     "mailbox|account ... not accepting messages|mail|email",
     r"re:\b(?:mailbox|account) (?:\w+ ){0,3}does not accept (?:e-?)?mail\b(?! from\b)"),
    ("Google: SMTP error reference 5.2.1 (the email account that you tried to reach is disabled/inactive)",
     "account that you tried to reach is disabled", "account that you tried to reach is inactive"),
    ("Exim, Postfix: account state texts ('account is disabled')", "account is disabled",
     "account has been disabled", "account disabled", "account is suspended", "account has been suspended",
     "account is deactivated"),
))

# Any mailbox, user or account said to be out of use; after the domain, the relay and the move.
OUT_OF_USE = PhraseList(REASON, "a mailbox out of use", rules(
    REASON,
    ("Yahoo, AOL: SMTP error codes 554 ('this mailbox is disabled', 'is no longer valid')",
     "this mailbox is disabled", "is no longer valid"),
    ("NetEase 163.com: 'user suspended'", "user suspended", "recipient suspend the service"),
    ("Tencent QQ Mail: error codes ('is a deactivated mailbox')", "deactivated mailbox"),
    ("vpopmail: vdelivermail.c ('account is locked email bounced')", "account is locked"),
    ("Orange: error codes OFR/LPN 420 and 426 ('boite du destinataire archivee', account blocked)",
     "boite du destinataire archivee", "compte du destinataire est bloque", "archived recipient"),
    ("Exchange, Zimbra, Courier: account state texts (disabled, suspended, inactive, closed)",
     f"account|mailbox|user|address|recipient ... {_STATES}",
     "inactive account", "inactive user", "inactive mailbox", "disabled recipient", "invalid/inactive user"),
    (("Apple iCloud Mail: 550 5.1.1 ('inactive email address': deactivated by its owner, as the reference "
      "classifier reads it: go-sisimai rhost/apple.go)"), "inactive email address"),
    ("Postfix: src/smtpd/smtpd_check.c access(5) 'temporarily inactive' texts", "temporarily inactive",
     "temporary locked"),
    (("Receivers' account state texts ('... has been suspended'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/Suspend.pm"), "has been suspended"),
    ("GoDaddy: bounce errors ('account disabled')", "mail receiving disabled"),
    ("qmail-ldap: qmail-ldap patch ('Mailaddress is administratively disabled', #5.2.1)",
     "mailaddress is administrativ* disabled"),
    ("AOL, Hotmail: 'this address no longer accepts mail'", "no longer accepts mail", "account is not active",
     "mailbox is not active",
     "user is terminated", "is currently suspended", "user or domain is disabled"),
    ("hMailServer: SMTP/RecipientParser.cpp ('550 Domain has been disabled', '550 Alias is not active', '550 Distribution list is not active')",
     "domain has been disabled", "alias is not active", "distribution list is not active"),
))
