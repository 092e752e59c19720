"""What a reason module is made of: the facts a rule may look at, and a phrase list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bouncectl.bounces.rules import Rule

# The refused commands before the message's content was sent: a list about the content does not speak there.
BEFORE_DATA = frozenset({"CONN", "EHLO", "HELO", "STARTTLS", "MAIL", "RCPT"})


@dataclass(frozen=True)
class Facts:
    """What a rule may look at besides the text."""

    status: str | None      # the enhanced status code, e.g. "5.1.1"
    key: str | None         # the same without its class, e.g. "X.1.1"
    permanent: bool | None  # 5xx / 5.x.x (True), 4xx / 4.x.x (False), or unknown
    command: str | None     # the refused SMTP command (CONN, EHLO, MAIL, RCPT, DATA)
    local: bool             # the diagnostic is a local mailer's (X-Unix)


@dataclass(frozen=True)
class PhraseList:
    reason: str
    title: str
    rules: tuple[Rule, ...]
    content: bool = False
    local: bool = True
    resolve: Callable[[Facts], tuple[str, str]] | None = None

    def __post_init__(self) -> None:
        for rule in self.rules:
            if rule.reason != self.reason:
                raise ValueError(f"{rule.name} is listed under {self.reason}")

    def skipped(self, facts: Facts) -> bool:
        if self.content and facts.command in BEFORE_DATA:
            return True
        return facts.local and not self.local
