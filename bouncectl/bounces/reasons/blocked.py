"""blocked: the sending host or network is refused (block lists, dynamic IPs, connection refusals)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "blocked"
STATUSES = {key: "Microsoft: Exchange NDR 5.7.606-649 (banned sending IP)" for key in (f"X.7.{n}" for n in range(606,
    650))}

# The sending host's HELO name, before the recipient's domain: "Helo command rejected: Host not found"
# is about the client's name, not the recipient's domain.
HELO = PhraseList(REASON, "the sending host's HELO name", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd_check.c ('Helo command rejected', reject_unknown_helo_hostname)",
     "helo command rejected", "ehlo command rejected"),
    ("RFC 5321 4.1.1.1 (the HELO/EHLO domain): receivers' refusals of the client's name",
     "invalid helo", "bad helo", "helo name", "in helo", "helo hostname", "ehlo hostname"),
    ("maddy: internal/check/dns ('Malformed IP in EHLO', 'IP in EHLO is not the same as the actual client IP')",
     "in ehlo"),
    ("Haraka: plugins/helo.checks.js ('HELO must have a dot', 'HELO must have a valid TLD', 'HELO is dynamic', 'HELO IP literal does not match your IP address', 'You are not who you say you are')",
     "helo must have", "helo is dynamic", "helo ip literal", "you are not who you say you are"),
))

SENDING_HOST = PhraseList(REASON, "the sending host", rules(
    REASON,
    ("Postfix: src/smtpd/smtpd_check.c ('Client host ... blocked using <dnsbl>')", "blocked using",
     "client host rejected", "client host blocked", "client host ... blocked"),
    ("Spamhaus: DNSBL usage (SBL, XBL, PBL, ZEN refusal texts)", "spamhaus", "black listed", "blacklisted",
     "blacklist", "block listed", "blocklisted", "blocklist", "block list", "deny listed", "denylisted",
     "denylist"),
    ("RFC 5782 (DNS blacklists and whitelists): 'listed in/on/at/by' a list",
        r"re:(?<!not )\blisted (?:in|on|at|by)\b", "dnsbl", "rbl", "rbl reject"),
    ("SpamCop, SORBS, Barracuda BRBL, Cloudmark CSI: block list names", "spamcop", "sorbs",
     "barracudacentral", "cloudmark", "abuseat"),
    ("SpamCop: blocking mail (the refusal 'Blocked - see <the list's page for the IP>')",
     r"re:\b(?:blocked|refused) - see\b"),
    ("Microsoft: Exchange Online NDR 5.7.606-649 / 5.7.511 / 5.7.513 (banned sending IP, customer block list)",
     "banned sending ip", "banned sender", "customer block list", "part of their network is on our block list",
     "not currently accepting mail from your ip"),
    ("policyd-weight: its default configuration ($REJECTMSG 'Mail appeared to be SPAM or forged', $DNSERRMSG 'No DNS entries for your MTA, HELO and Domain', $CACHEREJECTMSG 'temporarily blocked because of previous errors': its score of the client's DNSBL listings, HELO and DNS)",
     "mail appeared to be spam or forged", "no dns entries for your mta", "temporarily blocked because of previous errors"),
    ("Sendmail: sendmail/srvrsmtp.c ('Rejecting open proxy', 'Access denied' at connection)",
     "rejecting open proxy", "open proxy"),
    ("Exim, Postfix: refusals of dynamic and residential ranges", "dynamic ip", "dynamic ips", "dial-up",
     "dialup", "residential ip", "use the smtp server of your isp", "use your isp's smtp",
     "hosts with dynamic ip"),
    ("Apple iCloud Mail: postmaster ('ESMTP not accepting connections')", "not accepting connections"),
    ("Postfix: src/smtpd/smtpd_check.c (reject_unauth_pipelining, 'may not be mail exchanger')",
     "may not be mail exchanger"),
    ("Receivers' IP refusals ('your IP ... blocked', 'IP address ... blocked')",
     "ip address ... blocked", "ip ... is blocked", "ip blocked", "ip address is blocked",
     "your ip|network|host|server ... blocked|banned|rejected|blacklisted",
     "blocked for spamming", "blocked for abuse", "host blocked", "ip temporarily blacklisted"),
    ("Sendmail: sendmail/deliver.c ('Connection refused by'), Exim 'connection refused from'",
     "connection refused by", "connection rejected by", "connection refused from", "connection rejected from",
     "connections not accepted from", "connections will not be accepted from"),
    ("Orange: error codes OFR/LPN 101-103, 510, 999 ('adresse IP source bloquee', 'service refuse')",
     "adresse ip source bloquee", "invalid ip for sending", "service refused, please try later"),
    ("Tencent QQ Mail: error codes ('suspected spam ip', 'suspected bounce attacks', 'connection denied')",
     "suspected spam ip", "suspected bounce attacks", "connection denied"),
    ("Symantec Email Security.cloud: 553 ('your IP address has been blocked', 'IP is in the PBL')",
     "your ip address has been blocked|blacklisted|blocklisted|banned|listed|rejected", "ip is in the pbl",
     "spamhaus.org/pbl"),
    ("Postfix: src/smtp/smtp_proto.c ('host ... refused to talk to me': the greeting refused the client)",
     "refused to talk to me"),
    ("Free.fr, Earthlink: 'too many spams from your IP'", "too many spams from your ip"),
    # Before the sending MTA's own "lost connection" words (networkerror): a server that resets or drops the
    # connection of a client it refuses.
    (("Receivers that drop the connection of a refused client ('Connection reset by peer', 'connection dropped', "
      "'connection was dropped by remote host'), as the reference classifier lists it: go-sisimai "
      "reason/why-blocked.go"),
     "connection reset by peer", "connection dropped", "connection was dropped by remote host"),
    ("SmarterMail: SmarterTools KB a3500 ('Your access to submit messages to this e-mail system has been rejected')",
     "to submit messages to this e-mail system"),
    ("Mail.ru, junkemailfilter.com, Sendmail: refusals of the client ('go away', 'you are not allowed to connect')",
     "go away", "not allowed to connect", "no access from mail server", "bad sender ip", "sender ip address rejected",
     "currently sending spam", "you are sending spam",
     "sending mta or the sender has not passed validation", "your server requires confirmation",
     "confirm this mail server", "remotehost looks suspiciously like spammer", "extreme bad ip profile",
     "too many unwanted messages", "listed as abusive", "is in a black list", "is in an rbl", "zombied"),
    ("postgrey(8), Exim greylisting: 'Greylisted, see ...' (the sending host held back)", "greylist*"),
    ("AT&T: postmaster DNSBL refusals ('DNSBL:RBL 521< ip >_is_blocked', 'DNSBL:ATTRBL')", "_is_blocked",
     "dnsbl:attrbl", "dnsbl:rbl"),
    ("Exim: src/smtp_in.c ('SMTP error from remote mail server after initial connection')",
     "after initial connection"),
    ("Yahoo: SMTP error codes 421 4.7.1 ('messages from ... temporarily deferred due to user complaints')",
     "deferred due to user complaints"),
    (("Receivers' refusals of the client ('Error: no valid recipients from <IP>', 'mail server at <IP> is blocked', "
     "'server access forbidden by your IP', 'no matches to nameserver query', '550 blocked' relayed by Postfix's "
     "'host ... said:'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/Blocked.pm"),
     "no valid recipients from", "mail server at ... is blocked", "access forbidden by your ip",
     "no matches to nameserver query", "said: 550 blocked"),
    (("ORBS (Open Relay Behaviour-modification System): the block list named in refusals ('Mail from <IP> refused, "
      "see ... ORBS'), receivers' 'your access IP ... has been rejected', "
      "as the reference classifier lists it: go-sisimai reason/why-blocked.go"),
     "orbs", "your access ip ... has been rejected"),
))
