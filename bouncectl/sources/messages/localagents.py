"""Local delivery agents: the programs an MTA hands a message to for the last step (Dovecot's LDA,
mail.local, procmail, maildrop, vpopmail's vdelivermail, vmailmgr's vdeliver).

When one of them refuses a message, the MTA's notice (Postfix's ``Command died with status ...``,
Exim's pipe transport, qmail's ``Remote host said`` for a local delivery, Sendmail's X-Unix
Diagnostic-Code) carries the agent's own error line, which starts with the agent's name. That line
says why in the agent's own documented words: ``maildrop: maildir over quota.`` is a full mailbox,
not a failed mailer, although the bare name ``maildrop`` says a local mailer failed.

:func:`reason_of` reads that line: the agent, by the prefix it writes, then its own messages. It
is asked only of a failure after the message was handed over (no refused command, or DATA): a
reply to RCPT TO that quotes an agent's name is the remote server's, not the agent's.
"""

from __future__ import annotations

# Each agent: the prefixes that name it in a notice, and its own messages (lower-cased) with the
# reason each states. The first agent whose prefix is in the text is the one read.
AGENTS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], str], ...] = (
    ("dovecot", ("> was automatically rejected:",), (
        ("quota exceeded", "mailboxfull"),
        ("not enough disk space", "mailboxfull"),
        ("mailbox doesn't exist: ", "userunknown"),
    ), "Dovecot: its LDA's rejection notice and the quota plugin's messages"),
    ("mail.local", ("mail.local: ",), (
        ("disc quota exceeded", "mailboxfull"),
        ("mailbox full or quota exceeded", "mailboxfull"),
        ("temporary file write error", "systemerror"),
        (": invalid mailbox path", "userunknown"),
        (": unknown user:", "userunknown"),
        (": user missing home directory", "userunknown"),
        (": user unknown", "userunknown"),
    ), "mail.local, Sendmail's local mailer: its error lines"),
    ("procmail", ("procmail: ", "/procmail "), (
        ("quota exceeded while writing", "mailboxfull"),
        ("user over quota", "mailboxfull"),
        ("no space left to finish writing", "systemfull"),
        ("service unavailable", "systemerror"),
    ), "procmail: its error lines"),
    ("maildrop", ("maildrop: ",), (
        ("maildir over quota", "mailboxfull"),
        ("invalid user specified.", "userunknown"),
        ("cannot find system user", "userunknown"),
    ), "maildrop (Courier's delivery agent): its error lines"),
    ("vpopmail", ("vdelivermail: ",), (
        ("sorry, no mailbox here by that name.", "userunknown"),
        ("user does not exist, but will deliver to ", "filtered"),
        ("domain is over quota", "mailboxfull"),
        ("user is over quota", "mailboxfull"),
        ("account is locked email bounced", "suspend"),
    ), "vpopmail's vdelivermail: its error lines"),
    ("vmailmgr", ("vdeliver: ",), (
        ("delivery failed due to system quota violation", "mailboxfull"),
        ("invalid or unknown base user or domain", "userunknown"),
        ("invalid or unknown virtual user", "userunknown"),
        ("user name does not refer to a virtual user", "userunknown"),
    ), "vmailmgr's vdeliver: its error lines"),
)
# Where these messages are known from: the reference classifier's table of local delivery agents.
ORIGIN_SUFFIX = ", as the reference classifier reads them: p5-sisimai lib/Sisimai/LDA.pm"
# The words every prefix above holds one of: a text without any of them names no agent (most
# notices), and is passed over without reading each agent.
_MARKS = ("automatically rejected", "mail.local", "procmail", "maildrop", "vdeliver")


def reason_of(text: str | None, command: str | None = None) -> tuple[str, str] | None:
    """The reason a local delivery agent's own error line in ``text`` states, and its origin."""
    if not text or command not in (None, "", "DATA"):
        return None
    low = text.lower()
    if not any(mark in low for mark in _MARKS):
        return None
    for _name, prefixes, messages, origin in AGENTS:
        if any(prefix in low for prefix in prefixes):
            for message, reason in messages:
                if message in low:
                    return reason, origin + ORIGIN_SUFFIX
            return None
    return None
