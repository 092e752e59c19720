"""toomanyconn: too many connections or recipients at once."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "toomanyconn"
STATUSES = {"X.5.3": "RFC 3463 X.5.3 (too many recipients)"}

CONNECTIONS = PhraseList(REASON, "connections and recipients", rules(
    REASON,
    ("Sendmail: sendmail/daemon.c ('too many SMTP sessions for this host')", "too many smtp sessions",
     "too many sessions", "too many connections", "too many concurrent", "too many simultaneous"),
    ("Postfix: src/smtpd/smtpd.c ('4.5.3 Error: too many recipients')", "too many recipients"),
    ("Postfix: anvil(8) ('too many connections from')", "connection rate limit", "connection limit",
     "connection frequency", "maximum connections", "max connections", "maximum number of connections"),
    ("Tencent QQ Mail: error codes ('ip/domain/sender/connection frequency limited')", "frequency limited"),
    ("Yahoo: SMTP error codes 421 ('Max message per connection reached')", "max message per connection"),
    ("Mimecast: SMTP error codes ('exceeding outbound thread limit')", "outbound thread limit"),
    ("Orange: error codes OFR/LPN 104 ('trop de connexions')", "trop de connexions"),
    ("SendGrid, Amazon SES, Free.fr: volume refusals ('maximum connection limit', 'throttling failure')",
     "maximum connection limit", "per-domain connection limit", "max emails per hour", "throttling failure",
     "too many errors from your ip"),
    ("Sendmail: sendmail/daemon.c, Comcast: session limits ('too many ... sessions'), as the reference classifier lists it: go-sisimai reason/why-ratelimited.go",
     "too many ... sessions"),
))
