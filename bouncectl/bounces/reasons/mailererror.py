"""mailererror: the local delivery program failed (a pipe, procmail, a mailer exiting non-zero)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "mailererror"

LOCAL_MAILER = PhraseList(REASON, "a local delivery program's failure", rules(
    REASON,
    ("Sendmail: sendmail/deliver.c ('unknown mailer error')", "mailer error", "unknown mailer error"),
    ("procmail: its own error lines ('procmail: ...')", "procmail"),
    ("Postfix: src/local/command.c ('Command died with status', 'Command time limit exceeded')",
     "command died", "command time limit exceeded", "command output"),
    ("Exim: src/transports/pipe.c ('pipe to |...')", "pipe to |", "returned from the command"),
    ("Postfix: src/local/ (delivery to a program)", "delivery to program", "delivery to command"),
    ("maildrop: its own error lines", "maildrop"),
    ("Exim: src/transports/pipe.c ('Child process of ... transport returned')",
        "child process of ... transport returned"),
))

# What a local mailer says in the transcript, after the remote server's wording.
PIPE = PhraseList(REASON, "a local mailer named in the text", rules(
    REASON,
    ("Postfix: src/local/command.c ('command failed')", "command failed"),
    ("Sendmail: X-Unix diagnostic type in the DSN (RFC 3464 2.3.6)", "x-unix"),
    ("Postfix: src/local/local.c ('local delivery failed')", "local delivery failed"),
))
