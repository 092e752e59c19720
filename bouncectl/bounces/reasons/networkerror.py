"""networkerror: the way to the recipient's server failed (DNS, routing, loops)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "networkerror"
STATUSES = {
    "X.4.6": "RFC 3463 X.4.6 (routing loop detected)",
    "X.4.312": "Microsoft: EOP mail flow intelligence 450 4.4.312 (DNS query failed)",
}

ROUTING = PhraseList(REASON, "DNS and routing", rules(
    REASON,
    ("Postfix: src/smtp/smtp_addr.c ('Host not found, try again', 'Host or domain name lookup failure')",
     "host not found, try again", "host name lookup failure", "name service error for ... try again"),
    ("Postfix: src/smtp/smtp_addr.c ('malformed or unexpected name server reply')",
     "malformed name server reply", "malformed or unexpected name server"),
    ("Google: SMTP error reference ('DNS Error: ...')", "dns error", "dns query failed", "dns lookup failed"),
    ("RFC 1035 SERVFAIL: 'temporary lookup failure' texts", "temporary lookup failure", "temporary dns failure",
     "temporary failure in name resolution"),
    ("RFC 3463 X.4.2 (bad connection): 'network error' texts", "network error", "no route to host",
     "network is unreachable", "network unreachable", "host is unreachable", "host unreachable",
     "host not reachable"),
    ("Sendmail: sendmail/deliver.c, Exim: 'Too many hops' / 'Too many Received headers'", "too many hops",
     "hop count exceeded", "exceeded 50 hops"),
    ("HCL (Lotus) Notes: router ('Message has exceeded maximum hop count')", "exceeded maximum hop count"),
    ("Postfix: src/local/ ('mail forwarding loop'), qmail: 'this message is looping'", "mail loop",
     "forwarding loop", "routing loop", "message is looping", "message looping", "probably in a routing loop"),
    ("Exchange Server: 'DNS records for the destination computer could not be found'",
     "dns records for the destination computer could not be found"),
    ("Postfix: src/smtp/smtp_connect.c ('unable to establish')", "unable to establish",
     "could not connect and send"),
    ("Mimecast: SMTP error codes ('the incorrect hostname used for inbounds')", "incorrect hostname used"),
    ("qmail: qmail-remote.c ('Although I'm listed as a best-preference MX or A for that host', #5.4.6)",
     "listed as a best-preference mx"),
    ("Microsoft: Exchange NDR 5.4.4/5.4.6 (SMTPSEND.DNS.MxLoopback)", "mxloopback"),
    ("qmail: qmail-remote.c (a soft DNS failure: 'Sorry, I couldn't find any host by that name. (#4.1.2)')",
     "couldn't find any host by that name"),
    ("OpenSMTPD: smtpd/mta.c (relay failure strings: routes, MX lookups, loops)",
     "address family mismatch on destination mxs", "all routes to destination blocked", "bad dns lookup error code",
     "could not retrieve source address", "loop detected", "network error on destination mxs",
     "no valid route to remote mx", "no valid route to destination", "temporary failure in mx lookup"),
    ("Exim: src/routers/dnslookup.c ('lowest numbered MX record points to local host')",
     "mx record points to local host"),
    ("Exim: src/deliver.c ('unable to resolve route', 'maximum forwarding loop count exceeded')",
     "unable to resolve route", "forwarding loop count exceeded"),
    ("Apache James: mailets RemoteDelivery / MailDelivrer ('Temporary problem looking up mail server for host: HOST')",
     "temporary problem looking up mail server"),
    ("Haraka: plugins/mail_from.is_resolvable.js ('Temporary resolver error (timeout)', 'Temp. resolver error (CODE)')",
     "temporary resolver error", "temp resolver error"),
))

# What a sending MTA says of the connection, after the server's own words.
CONNECTION = PhraseList(REASON, "the connection", rules(
    REASON,
    ("qmail: qmail-remote.c ('Connected to ... but connection died')", "connection died"),
    ("Postfix: src/smtp/smtp_proto.c ('lost connection with ... while ...')", "lost connection",
     "connection reset", "connection closed"),
    ("Exim: src/transports/smtp.c ('Remote host ... closed connection in response to ...')", "closed connection"),
    ("Sendmail: sendmail/deliver.c ('Connection refused by')", "connection refused"),
    ("Sendmail: sendmail/usersmtp.c ('host not responding')", "host not responding",
     "did not respond", "not responding"),
    ("Postfix: src/smtp/smtp_addr.c ('Name server: ...')", "name server"),
    ("Dovecot: src/lib-smtp/smtp-client-transaction.c, src/lmtp/lmtp-proxy.c ('451 4.4.0 Remote server not answering (connect)', '(timed out)', '(connection lost)')",
     "remote server not answering"),
))
