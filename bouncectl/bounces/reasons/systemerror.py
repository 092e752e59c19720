"""systemerror: the receiving system failed (a configuration error, a loop, an internal error)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "systemerror"

INTERNAL = PhraseList(REASON, "the receiving system's own error", rules(
    REASON,
    ("Exchange Server: 'internal system error' / 'STOREDRV' errors", "internal system error"),
    ("Sendmail: sendmail/deliver.c ('Local configuration error')", "local configuration error",
     "mail system configuration error", "server configuration error", "system config error"),
    ("Sendmail: sendmail/deliver.c, Exim: 'mail loops back to me' / 'aliasing/forwarding loop'",
     "aliasing forwarding loop", "would create a mail loop"),
    ("Exim: src/transports/appendfile.c ('can't create user output file')", "can't create user output file"),
    ("qmail-ldap: qmail-lspawn.c ('Unable to contact LDAP server', #4.4.3)", "unable to contact ldap server"),
    ("qmail-ldap: qmail-ldap patch (LDAP lookup and homedir failures, #4.4.3, #5.3.5, #4.3.0)",
     "automatic homedir creator crashed", "illegal value in ldap attribute", "ldap attribute is not given",
     "timeout while performing search on ldap server", "too many results returned but needs to be unique",
     "error while executing qmail-forward", "error in automatic homedir creation", "temporary failure in ldap lookup",
     "unable to login into ldap server"),
    ("Unix shells: 'bad interpreter: No such file or directory' (a delivery program that cannot start)",
     "bad interpreter"),
    ("Exim: src/deliver.c ('delivery to file forbidden', 'delivery to pipe forbidden': the configuration refuses it)",
     "delivery to file forbidden", "delivery to pipe forbidden"),
    ("Exim: src/routers/redirect.c ('error in redirect data', errors in a forward or filter file)",
     "error in redirect data", "error in forward file", "error in filter file"),
    ("qmail: qmail-remote.c, qmail-local.c ('Out of memory. (#4.3.0)')", "out of memory"),
    ("Postfix: src/qmgr/ ('mail transport unavailable', 'unknown mail transport error', 'address resolver failure')",
     "mail transport unavailable", "unknown mail transport error", "address resolver failure"),
    ("Cyrus IMAP: lmtpd ('451 4.2.0 Mailbox has an invalid format', '451 4.3.0 System I/O error')",
     "mailbox has an invalid format", "system i/o error"),
    ("qmail: qmail-local.c ('Uh-oh: home directory is writable', 'Unable to chdir to maildir. (#4.2.1)', 'Timeout on maildir delivery', 'Temporary error on maildir delivery')",
     "uh-oh", "unable to chdir to maildir", "timeout on maildir delivery", "temporary error on maildir delivery"),
    # Before the relaying list: its words ("unable to relay") are not a relay refusal here.
    ("amavisd-new: amavisd %smtp_reason_by_ccat ('Unable to relay message back to MTA')",
     "unable to relay message back to mta"),
    ("qmail: qmail.c (qmail-queue's exit codes: 'mail server permanently rejected message (#5.3.0)', 'qq timeout', 'qq crashed', 'qq read error')",
     "mail server permanently rejected message", "qq timeout", "qq crashed", "qq read error", "qq unable to", "qq trouble"),
    ("Sendmail: mail.local/mail.local.c ('User database failure', 'lockmailbox ... failed', 'file changed after open', 'wrong ownership', 'irregular file')",
     "user database failure", "lockmailbox", "file changed after open", "wrong ownership", "irregular file"),
    ("Zimbra: lmtpserver/LmtpReply.java ('450 4.2.0 Mailbox is not on this server', '451 4.0.0 Temporary message delivery failure try again')",
     "mailbox is not on this server", "temporary message delivery failure"),
    (("Receivers' own configuration errors ('Could not load DRD for domain', 'A loop was found in the mail exchanger', "
     "'Recipient deferred because there is no Mdb'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/SystemError.pm"),
     "could not load drd", "loop was found in the mail exchanger", "there is no mdb"),
    (("Receivers' own errors ('Temporary local problem', 'it encountered an error while being "
     "processed', 'remote server is misconfigured'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/SystemError.pm"),
     "temporary local problem", "encountered an error while being processed", "remote server is misconfigured"),
    (("Receivers' own errors reaching a local service ('unable to connect to the ... daemon'), "
     "as the reference classifier lists it: go-sisimai reason/why-systemerror.go"),
     "unable to connect ... daemon"),
))

SERVER = PhraseList(REASON, "a server error named in the text", rules(
    REASON,
    ("RFC 3463 X.3.0 (other or undefined mail system status)", "system error", "internal error",
     "internal server error", "server error"),
    ("Postfix, Amazon SES: 'Transaction failed' (RFC 5321 554)", "transaction failed"),
    ("RFC 5321 421 ('Service not available')", "service not available", "service unavailable",
     "service currently unavailable", "service refused", "temporarily unavailable"),
    ("Sendmail: 'local error in processing' (RFC 5321 451)", "local error", "error in processing"),
    ("Exchange Server: duplicate Message-ID / loop alerts", "duplicated message-id", "loop alert"),
    ("Exim: 'upstream error' (callout to the next hop)", "upstream error"),
    ("Postfix: src/smtp/smtp_proto.c ('mail for ... loops back to myself')", "loops back to myself",
     "loops back to me"),
    ("Microsoft: Exchange NDR 4.4.22-4.4.28 ('message failed to be replicated')", "failed to be replicated"),
    ("Google: SMTP error reference 421/451 4.3.0 ('temporary system problem')", "temporary system problem",
     "server busy", "temporarily rejected this message", "temporarily rejected message"),
    ("Sendmail: sendmail/queue.c ('queue file write error')", "queue file write error", "interrupted system call"),
    ("Mimecast: SMTP error codes 451 ('unable to process')", "unable to process"),
    # Late: Exim wraps the LMTP server's reply ('LMTP error after RCPT TO:<...>: 550 5.1.1 ... User doesn't exist'),
    # whose own words (a store's unknown user, its quota) say more than the wrapper.
    ("Exim: src/transports/lmtp.c ('LMTP error after COMMAND: REPLY')", "lmtp error after"),
    # amavisd-new adds the next hop's reply after these: its words come first.
    ("amavisd-new: amavisd %smtp_reason_by_ccat ('Temporary MTA failure on relaying', 'Rejected by next-hop MTA on relaying')",
     "temporary mta failure on relaying", "rejected by next-hop mta on relaying"),
    ("Stalwart: crates/smtp/src/queue/dsn.rs ('(queue error: ...)')",
     "queue error"),
    ("WildDuck: haraka-plugin-wildduck index.js ('Failed to process recipient, try again [ERRC01]': its database unreachable)",
     "failed to process recipient"),
))
