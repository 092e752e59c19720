"""One table per provider: what a known mailbox provider means by its own codes and wording.

A provider is chosen by the remote host that answered (``gmail-smtp-in.l.google.com``)
or, when that is unknown, by the recipient's domain (``gmail.com``). Its table is
tried before the general phrase lists, because a provider's documented code
("AUP#CXBL", "5.7.606", "[TSS04]") says more than the words around it.

Each table is a tuple of :class:`~bouncectl.bounces.rules.Rule`: a phrase (or
none), the statuses and refused commands it needs (or any), and the provider's
documentation as origin. The first rule that holds decides. In a provider's
rule, ``|`` separates whole phrases (``"mailbox full|over quota"``), each in the
phrase language of :mod:`bouncectl.bounces.rules`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from bouncectl.bounces.rules import Rule, compile_phrase


def _alternatives(phrase: str) -> str:
    if phrase.startswith("re:"):
        return compile_phrase(phrase)
    return "|".join(f"(?:{compile_phrase(part)})" for part in phrase.split("|"))


@dataclass(frozen=True)
class Provider:
    name: str
    hosts: tuple[str, ...]  # domain suffixes; an entry ending in "." is a host-name prefix
    rules: tuple[Rule, ...]
    patterns: list[re.Pattern | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled on first use (a table is read only for its provider's bounces).
        object.__setattr__(self, "patterns", [None] * len(self.rules))

    def pattern(self, index: int) -> re.Pattern | None:
        """The compiled phrase of rule ``index`` (None: the rule has no phrase)."""
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
        for index, rule in enumerate(self.rules):
            if rule.applies(status, key, command):
                pattern = self.pattern(index)
                if pattern is None or pattern.search(text):
                    return rule
        return None


def rule(reason: str, phrase: str, origin: str, *, statuses: tuple[str, ...] = (),
         commands: tuple[str, ...] = ()) -> Rule:
    return Rule(reason, phrase, origin, frozenset(statuses), frozenset(commands))


def status_range(prefix: str, first: int, last: int) -> tuple[str, ...]:
    """``status_range("5.7.", 606, 649)``: every code of a documented range."""
    return tuple(f"{prefix}{number}" for number in range(first, last + 1))


from bouncectl.bounces.providers import (  # noqa: E402  (the tables use rule() above)
    apple,
    cloudflare,
    comcast,
    cox,
    docomo,
    facebook,
    godaddy,
    google,
    iua,
    kddi,
    messagelabs,
    microsoft,
    mimecast,
    netease,
    orange,
    proofpoint,
    spectrum,
    tencent,
    yahoo,
    zoho,
)

PROVIDERS: tuple[Provider, ...] = (
    docomo.PROVIDER, kddi.PROVIDER, google.PROVIDER, microsoft.PROVIDER, yahoo.PROVIDER, apple.PROVIDER,
    orange.PROVIDER, godaddy.PROVIDER, tencent.PROVIDER, cox.PROVIDER, spectrum.PROVIDER, mimecast.PROVIDER,
    proofpoint.PROVIDER, messagelabs.PROVIDER, facebook.PROVIDER, zoho.PROVIDER, cloudflare.PROVIDER, iua.PROVIDER,
    comcast.PROVIDER, netease.PROVIDER,
)
BY_NAME = {provider.name: provider for provider in PROVIDERS}


@lru_cache(maxsize=4096)
def provider_of(host: str | None) -> str | None:
    """The provider a host name (or a domain) belongs to, if known."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    for provider in PROVIDERS:
        if provider.owns(host):
            return provider.name
    return None


def all_rules() -> tuple[Rule, ...]:
    return tuple(rule for provider in PROVIDERS for rule in provider.rules)
