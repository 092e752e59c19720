"""userunknown: the recipient's mailbox does not exist (hard).

"No such user" is strong evidence only where the server was asked about the
recipient: in reply to RCPT TO, or with an address status (X.1.x). The same
words in reply to MAIL FROM are about the sender (``rejected``); after DATA, or
with a policy or mailbox status (X.7.x, X.2.x) and no RCPT TO to confirm them, a
filter used them to refuse the message (``filtered``); at connection time they
refuse the sending host (``blocked``). In reply to RCPT TO they mean the
mailbox whatever the status (Sisimai: lib/Sisimai/Reason/UserUnknown.pm
``true``, the words in reply to RCPT when the status names no address reason).
With neither a command nor a status there is too little to suppress an address
on: ``filtered`` (soft). See :func:`resolve`.
"""

from bouncectl.bounces.reasons.base import Facts, PhraseList
from bouncectl.bounces.rules import rules

REASON = "userunknown"
STATUSES = {"X.1.351": "Microsoft: Exchange NDR 5.1.351 (the remote server refused an unknown recipient)"}

# Address statuses that settle it: the recipient's mailbox is unknown.
MAILBOX_STATUSES = frozenset({"X.1.1", "X.1.3", "X.1.4", "X.1.5", "X.1.10"})
BY_COMMAND = {"DATA": "filtered", "CONN": "blocked", "EHLO": "blocked", "HELO": "blocked"}
# The sender's address statuses (RFC 3463 X.1.7 "bad sender's mailbox address syntax", X.1.8 "bad sender's
# system address"): with them, words of an unknown or invalid address are about the sender unless they
# answer RCPT TO (Sisimai: go-sisimai reason/why-userunknown.go, the words count under a status of another
# reason only in reply to RCPT; why-rejected.go takes X.1.7/X.1.8 as a refused sender).
SENDER_STATUSES = frozenset({"X.1.7", "X.1.8"})


def resolve(facts: Facts) -> tuple[str, str]:
    """The reason of a "no such user" text, by the refused command and the status."""
    key, command = facts.key, facts.command
    if command == "MAIL":
        return "rejected", "in reply to MAIL FROM"
    if key in MAILBOX_STATUSES:
        return REASON, f"with address status {key}"
    if command in BY_COMMAND:
        return BY_COMMAND[command], f"in reply to {command}"
    if command == "RCPT":
        return REASON, "in reply to RCPT TO"
    if key in SENDER_STATUSES:
        return "rejected", f"with the sender's address status {key}"
    if key and key.startswith("X.7."):
        return "filtered", f"with policy status {key}"
    if key and key.startswith("X.2."):
        return "filtered", f"with mailbox status {key}"
    if key is None:
        return "filtered", "with no status or refused command to confirm it"
    return REASON, f"with status {key}"


# What a mail system says of its own directory: no command or status needed to trust it.
DIRECTORY = PhraseList(REASON, "a mail system's own directory", rules(
    REASON,
    ("IBM Domino: 'User ... not listed in Domino Directory' / 'not listed in public Name & Address Book'",
     "not listed in domino directory", "not listed in the domino directory", "not listed in public name",
     "no ... in name directory"),
    ("Novell GroupWise: 'Invalid final delivery userid'", "invalid final delivery userid"),
    ("Microsoft: Exchange NDR 5.1.1/5.1.10 (RESOLVER.ADR.RecipNotFound / RecipientNotFound)", "recipnotfound",
     "recipientnotfound", "exrecipnotfound", "recipient not found by smtp address lookup",
     "resolver.adr.recipient notfound"),
    ("Google: SMTP error reference 5.1.1 ('The email account that you tried to reach does not exist')",
     "the email account that you tried to reach does not exist"),
    ("Exchange Online, Outlook.com: 'the address couldn't be found'", "address couldn't be found",
     "email address could not be found"),
    ("Microsoft: Exchange NDR ('and other recipients in the same domain' notice)",
     "and other recipients in the same domain"),
    ("Exchange Server 2003: 'The recipient name is not recognized'", "recipient name is not recognized"),
    ("Orange: error codes OFR/LPN 416 ('adresse d au moins un destinataire invalide')",
     "adresse destinataire invalide", "destinataire invalide"),
    ("Postfix: src/smtpd/smtpd_check.c ('User unknown in local/virtual recipient table')",
     "user unknown in local recipient table", "user unknown in virtual mailbox table",
     "user unknown in virtual alias table", "user unknown in relay recipient table"),
    ("Seznam: napoveda.seznam.cz 'Uživatel neexistuje' (5.1.1 with 'User hasn't got the service mapped')",
     "user hasn't got the service mapped"),
))

MAILBOX = PhraseList(REASON, "no such user", rules(
    REASON,
    # Yahoo gives these words in reply to RCPT TO, with its 554 and a status; the same words with neither (as
    # another mail system may write them) are weighed as any "no such user" (see :func:`resolve`).
    ("Yahoo: SMTP error codes 554 ('delivery error: dd This user doesn't have a ... account')",
     "this user doesn't have a ... account"),
    ("Sendmail: sendmail/parseaddr.c, Postfix: local(8) ('User unknown')", "user unknown", "unknown user",
     "recipient unknown", "unknown recipient", "addressee unknown", "user not known", "is not a known user"),
    ("Exim: src/verify.c, qmail: qmail-local.c ('unknown local-part', 'no mailbox here by that name')",
     "unknown local-part", "unknown local part", "no mailbox here by that name", "no mailbox by that name",
     "unknown mailbox", "unknown e-mail address", "unknown email address"),
    # Cisco AsyncOS writes its own bounce category before the remote's reply ("5.1.0 - Unknown address error
    # 550-'...'", its bounce log's Reason then Response): the reply decides, not the category's words.
    ("Exim: src/verify.c ('unknown address'), other than Cisco AsyncOS's category 'Unknown address error' (Cisco AsyncOS for Email Daily Management Guide, bounce log entries)",
     "re:\\bunknown address\\b(?!\\W+error\\b)"),
    ("Exim (cPanel): 'No Such User Here', Sendmail: 'no such user'", "no such user", "no such mailbox",
     "no such recipient", "no such account", "no such address", "no such person"),
    ("RFC 5321 550 ('Requested action not taken: mailbox unavailable')", "mailbox unavailable",
     "mailbox is unavailable", "mailbox not available", "recipient unavailable"),
    ("Courier: courier/module.esmtp, Exchange: '... does not exist' / '... not found'",
     "user|recipient|address|mailbox|account ... not found", "user|recipient|address|mailbox|account does not exist",
     "user|recipient|address|mailbox|account doesn't exist", "user|recipient|address|mailbox|account not exist",
     "user|recipient|address|mailbox|account ... does not exist"),
    ("RFC 3463 X.1.1 (bad destination mailbox address)", "bad destination mailbox address",
     "destination mailbox address invalid", "invalid recipient", "invalid mailbox", "invalid user",
     "invalid address", "bad recipient", "not a valid mailbox", "not a valid recipient", "not a valid user",
     "not a valid address", "is not a valid email address", "undeliverable address", "recipient not ok",
     "recipient is not local", "not a local address", "no mailbox found", "mailbox not present",
     "user is not recognized", "recipient is not recognized", "address is not recognized"),
    ("qmail: qmail-smtpd badrcptto / validrcptto patches", "badrcptto", "validrcptto"),
    ("Microsoft: its servers' refusal of every recipient ('No valid recipients, bye')", "no valid recipients bye"),
    (("Microsoft: Exchange Online NDR 5.4.1 ('Recipient address rejected: Access denied': directory-based edge "
      "blocking, the recipient does not exist)"), "recipient address rejected: access denied"),
    ("Exim: src/verify.c ('Recipient verify failed', 'callout verification failure')",
     "recipient verify failed", "recipient address rejected: user unknown", "recipient address rejected: invalid user"),
    ("Apple iCloud Mail: 550 5.1.1 ('unknown or illegal alias')", "unknown or illegal alias"),
    ("vpopmail: vdelivermail.c ('invalid or unknown virtual user')", "unknown virtual user"),
    ("Italian, Spanish, French, German MTAs' local wordings of 'no such user'",
     "nessun utente simile", "no existe dicha persona", "no existe ese usuario", "utilisateur inconnu",
     "adresse nicht gefunden"),
    ("Exchange, Domino: 'doesn't have an account' texts", "doesn't have an ... account",
     "does not have an ... account", "there is no one at this address"),
    ("RFC 3463 X.1.1 (bad destination mailbox address): its wordings in MTA replies",
     "address not present in directory", "destination addresses were unknown", "mailbox invalid",
     "is not an active address", "no account by that name", "no mail box available for this user",
     "no such address here", "recipient is not accepted", "recipient not accepted",
     "the user's email name is not found",
     "email address is wrong or no longer valid", "user not active", "non-existent user", "nonexistent user",
     "non existent user", "user ... was not found", "recipient ... was not found", "user ... is unknown",
     "recipient ... is unknown", "can't accept user", "not our user", "mailbox ... unavailable or access denied",
     "account ... does not exist at the organization", "destination server rejected recipients",
     "following recipients was undeliverable", "rejected recipient"),
    ("qmail: qmail-smtpd rcptcheck patches ('sorry, your envelope recipient has been denied')",
     "envelope recipient has been denied", "badrecipientto"),
    ("Sendmail: sendmail/deliver.c ('User missing home directory' for a local user)", "user missing home directory"),
    ("Microsoft: Exchange Server 5.1.3 ('STOREDRV.Submit: invalid recipient address')", "invalid recipient address"),
    ("Sendmail: srvrsmtp.c 553 ('... User address required' / 'mailbox name not allowed')",
     "mailbox name not allowed"),
    ("hMailServer: SMTP/RecipientParser.cpp ('550 Recipient not in route list': the route's addresses do not hold it)",
     "not in route list"),
    (("Receivers' unknown-address replies ('#5.1.1 bad address', '550 address invalid', 'address unknown'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/UserUnknown.pm"),
     "#5.1.1 bad address", "address invalid", "address unknown", "account unavailable",
     "mailbox unavaiable"),
    (("Receivers' unknown-recipient replies ('<address> not found', 'RCPT <address> does not exist', "
     "'recipient refuses to accept your mail', 'this spectator does not exist'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/UserUnknown.pm"),
     "< > not found", "rcpt ... does not exist", "rcpt ... doesn't exist", "refuses to accept your mail",
     "this spectator does not exist"),
    # The nouns of the lists above (account, address, user, recipient) with their verdicts (unknown, invalid,
    # unavailable) in the other word orders: each wording is in two of these bounce parsers' tables, or (the
    # recipient and the account "invalid") in the same rule as one that is.
    (("Receivers' unknown-recipient replies, as bounce parsers list them: PHP-Bounce-Handler bounce_responses.php "
      "(5.1.1), PHPMailer-BMH rules 0107 to 0143, Mail::DeliveryStatus::BounceParser (user_unknown)"),
     "unknown account", "invalid account", "account is unavailable", "address is unknown",
     "not a known user", "user invalid", "recipient invalid", "account invalid", "no such email address",
     "doesn't handle mail for that user"),
    # The address, the reply's subject, is taken out of the text before the lists read it: "<> does not exist."
    # or, unbracketed, nothing before the words but the reply code and status.
    (("Receivers' replies that name only the address ('<address> does not exist.'), as the reference "
      "classifier lists it: go-sisimai reason/why-userunknown.go ('does not exist.')"),
     "< > does not exist", "re:^(?:[245]\\d\\d\\W+)?(?:[245]\\.\\d{1,3}\\.\\d{1,3}\\W+)?does not exist\\b"),
    # Only the bare refusal: "Recipient address rejected: <more>" is decided by what follows.
    (("Receivers' bare refusals of the recipient as Postfix relays them ('Recipient address rejected. (in reply to "
     "RCPT TO command)', 'Recipient address rejected: userunknown'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/UserUnknown.pm"),
     "recipient address rejected in reply to", "recipient address rejected: userunknown"),
), resolve=resolve, local=False)
