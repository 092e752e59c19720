"""What a provider's table is made of: the :class:`Provider` and its rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bouncectl.bounces.rules import Phrase, Rule, Words, compile_phrase


def _alternatives(phrase: str) -> str:
    if phrase.startswith("re:"):
        return compile_phrase(phrase)
    return "|".join(f"(?:{compile_phrase(part)})" for part in phrase.split("|"))


def _phrases(phrase: str) -> tuple[Phrase, ...]:
    """A rule's phrases (``|`` between them), each compiled only for a text that could match it."""
    if not phrase:
        return ()
    if phrase.startswith("re:"):
        return (Phrase(phrase),)
    return tuple(Phrase(part) for part in phrase.split("|"))


@dataclass(frozen=True)
class Provider:
    name: str
    hosts: tuple[str, ...]  # domain suffixes; an entry ending in "." is a host-name prefix
    rules: tuple[Rule, ...]
    patterns: list[re.Pattern | None] = field(init=False, repr=False, compare=False)
    phrases: list[tuple[Phrase, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled on first use (a table is read only for its provider's bounces), each phrase of a
        # rule on its own, and searched only in a text that holds that phrase's words in order.
        object.__setattr__(self, "patterns", [None] * len(self.rules))
        object.__setattr__(self, "phrases", [_phrases(rule.phrase) for rule in self.rules])

    def pattern(self, index: int) -> re.Pattern | None:
        """The phrases of rule ``index`` as one expression (None: the rule has no phrase)."""
        rule = self.rules[index]
        if not rule.phrase:
            return None
        if self.patterns[index] is None:
            self.patterns[index] = re.compile(_alternatives(rule.phrase))
        return self.patterns[index]

    def owns(self, host: str) -> bool:
        for suffix in self.hosts:
            if suffix.endswith("."):
                if host.startswith(suffix):
                    return True
            elif host == suffix or host.endswith("." + suffix):
                return True
        return False

    def match(self, text: str, status: str | None, key: str | None, command: str | None) -> Rule | None:
        words = None
        for index, rule in enumerate(self.rules):
            if not rule.applies(status, key, command):
                continue
            if not rule.phrase:
                return rule
            words = words or Words(text)
            if any(phrase.may_match(words) and phrase.start(text, words=words) is not None
                   for phrase in self.phrases[index]):
                return rule
        return None


def rule(reason: str, phrase: str, origin: str, *, statuses: tuple[str, ...] = (),
         commands: tuple[str, ...] = ()) -> Rule:
    return Rule(reason, phrase, origin, frozenset(statuses), frozenset(commands))


def status_range(prefix: str, first: int, last: int) -> tuple[str, ...]:
    """``status_range("5.7.", 606, 649)``: every code of a documented range."""
    return tuple(f"{prefix}{number}" for number in range(first, last + 1))
