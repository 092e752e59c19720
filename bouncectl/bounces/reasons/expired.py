"""expired: the sending MTA gave up after retrying for its queue lifetime."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "expired"
STATUSES = {
    "X.4.316": "Microsoft: Exchange NDR 4.4.316/5.4.316 (message expired, connection refused)",
    "X.4.315": "Microsoft: EOP mail flow intelligence 450 4.4.315 (connection timed out)",
}

RETRIES = PhraseList(REASON, "retries and time-outs", rules(
    REASON,
    ("Exim: src/retry.c ('retry timeout exceeded', 'retry time not reached for any host')", "retry timeout exceeded",
     "retry time not reached", "retry time exceeded", "have been failing for a long time"),
    ("Microsoft: Exchange NDR 4.4.7/5.4.300 ('QUEUE.Expired: message expired')", "message expired",
     "queue.expired", "queue expired", "expired"),
    ("Postfix: src/qmgr/ ('delivery temporarily suspended', 'message delivery expired')", "delivery expired",
     "delivery time expired", "giving up", "gave up"),
    ("Sendmail: sendmail/queue.c ('Cannot send message for 5 days')", "cannot send message for",
     "could not be delivered for", "could not deliver for", "not delivered within", "unable to deliver in",
     "could not be delivered within"),
    ("qmail: qmail-send.c ('this message has been in the queue too long')", "in the queue too long",
     "too long in queue", "too long in the queue"),
    ("RFC 3463 X.4.1 / Postfix: src/smtp/smtp_connect.c ('Connection timed out')", "timed out", "time out",
     "timeout", "timed-out", "socket error"),
    ("Sendmail: DSN Action: delayed (RFC 3464 2.3.3) wordings", "still undelivered", "will be retried",
     "delayed", "delivery attempts will continue", "has been delayed", "delivery failed ... attempts",
     "after multiple retries", "numerous attempts"),
    ("Exim: src/deliver.c, src/receive.c (delay warnings, frozen messages: 'No action is required on your part')",
     "no action is required on your part", "delay reason", "has been frozen", "was frozen on arrival"),
    ("OpenSMTPD: smtpd/queue.c ('Envelope expired')", "envelope expired"),
    ("Amazon SES, Exchange Online: 'did not accept our requests to connect'", "did not accept our requests to connect"),
    (("Sendmail, Exchange: 'could not find a gateway', 'server did not respond', "
      "'not reachable within the queue period'"),
     "could not find a gateway", "server did not respond", "not reachable within the allowed queue period",
     "has not been collected after", "failed to deliver to domain", "delivery timeout", "message timed out"),
))
