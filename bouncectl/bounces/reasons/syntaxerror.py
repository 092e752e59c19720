"""syntaxerror: the SMTP dialogue itself went wrong (a bad command or sequence)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "syntaxerror"

PROTOCOL = PhraseList(REASON, "the SMTP dialogue", rules(
    REASON,
    ("RFC 5321 500/501 ('Syntax error, command unrecognized', 'Syntax error in parameters or arguments')",
     "syntax error", "command unrecognized", "unrecognized command", "unrecognised command"),
    ("RFC 5321 502/504 ('Command not implemented', 'Command parameter not implemented')",
     "command not implemented", "command parameter not implemented", "unimplemented command"),
    ("RFC 5321 503 ('Bad sequence of commands')", "bad sequence of commands", "bad sequence"),
    ("Postfix: src/smtpd/smtpd.c ('Improper use of SMTP command pipelining')",
        "improper use of smtp command pipelining"),
    ("Exim: src/parser.c (address parse errors: 'malformed address', 'angle-brackets nested too deep')",
     "malformed address", "angle-brackets nested too deep", "domain missing in source-routed address",
     "expected word or"),
    ("Haraka: plugins/limit.js ('Too many unrecognized commands')",
     "too many unrecognized commands"),
))
