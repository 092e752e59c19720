"""The rule: one reason, one phrase (or code), one origin; and the phrase language.

Every rule that can decide a bounce's reason is a :class:`Rule`. Its ``origin``
says where the wording comes from: a mail system's source or documentation
(``"Postfix: src/smtpd/smtpd_check.c"``), a provider's published error codes
(``"Microsoft: Exchange Online NDR 5.7.606"``), a standard (``"RFC 3463 X.2.2"``),
or, at the least, ``"corpus: 2+ samples"`` (the wording seen in two or more
real bounces). A test holds the corpus to that: a rule that decides exactly one
corpus sample must name an origin other than the corpus.

The phrase language (:func:`compile_phrase`), matched against the diagnostic
text lower-cased, with addresses and URL paths removed:

- words are matched in order, whole words, with any punctuation or spacing
  between them (``"user unknown"`` matches ``"User <> unknown"`` and
  ``"user: unknown"``);
- ``...`` allows up to :data:`GAP_WORDS` other words in between
  (``"user ... not found"`` matches ``"user jdoe was not found"``);
- ``a|b|c`` is one word out of several (``"mailbox|account ... disabled"``);
- a word ending in ``*`` is a prefix (``"disabl*"`` matches ``disabled``,
  ``disabling``);
- a word in brackets is optional (``"[the] recipient"``);
- ``re:`` starts a regular expression, for the few phrases the language cannot say
  (``"re:(?<!not )listed in"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

GAP_WORDS = 5

_GAP = rf"\W+(?:\w+\W+){{0,{GAP_WORDS}}}?"


def _word(token: str) -> str:
    prefix = token.endswith("*") and len(token) > 1
    if prefix:
        token = token[:-1]
    alternatives = token.split("|")
    body = "|".join(re.escape(alt) for alt in alternatives)
    body = f"(?:{body})" if len(alternatives) > 1 else body
    start = r"\b" if all(alt[:1].isalnum() for alt in alternatives) else ""
    end = "" if prefix or not all(alt[-1:].isalnum() for alt in alternatives) else r"\b"
    return start + body + end


def compile_phrase(phrase: str) -> str:
    """The regular expression of one phrase (see the module docstring)."""
    if phrase.startswith("re:"):
        return phrase[3:]
    parts: list[str] = []
    joiner = None
    for token in phrase.split():
        if token == "...":
            joiner = _GAP
            continue
        optional = _optional(token)
        word = _word(token[1:-1] if optional else token)
        if parts:
            parts.append(joiner or r"\W*")
        parts.append(f"(?:{word}\\W*)?" if optional else word)
        joiner = None
    if not parts:
        raise ValueError(f"empty phrase: {phrase!r}")
    return "".join(parts)


_WORDS = re.compile(r"\w+")


def _whole_word(literal: str) -> bool:
    return literal[:1].isalnum() and literal[-1:].isalnum() and _WORDS.fullmatch(literal) is not None


def key_words(phrase: str) -> tuple[tuple[str, ...], bool] | None:
    """Literal strings one of which any text matching ``phrase`` contains, and whether they are whole words.

    The longest required word of the phrase, or the alternatives of its most selective
    word (None for a ``re:`` phrase); a cheap test on them spares the regular expression
    most texts. A prefix word (``disabl*``) is a literal, not a whole word.
    """
    if phrase.startswith("re:"):
        return None
    best: tuple[str, ...] | None = None
    best_whole = False
    for token in phrase.split():
        if token == "..." or (token.startswith("[") and token.endswith("]")):
            continue
        prefix = token.endswith("*")
        alternatives = tuple(token.rstrip("*").split("|"))
        if not all(alternatives):
            continue
        score = min(len(alt) for alt in alternatives) - len(alternatives)
        if best is None or score > min(len(alt) for alt in best) - len(best):
            best, best_whole = alternatives, not prefix and all(_whole_word(alt) for alt in alternatives)
    return (best, best_whole) if best else None


def _optional(token: str) -> bool:
    return token.startswith("[") and token.endswith("]") and len(token) > 2


def required_literals(phrase: str) -> tuple[tuple[str, ...], ...] | None:
    """What any text matching ``phrase`` contains: one literal of each group (None for a ``re:`` phrase).

    One group per word that is not optional, of its alternatives (a prefix word without its
    ``*``): the phrase's regular expression matches each such word literally, so a text lacking
    one of them cannot match, and the expression need not be compiled or searched for it.
    """
    if phrase.startswith("re:"):
        return None
    groups = []
    for token in phrase.split():
        if token == "..." or _optional(token):
            continue
        prefix = token.endswith("*") and len(token) > 1
        groups.append(tuple((token[:-1] if prefix else token).split("|")))
    return tuple(groups)


def contains_all(text: str, groups: tuple[tuple[str, ...], ...] | None) -> bool:
    """Whether ``text`` holds a literal of every group (see :func:`required_literals`); None: no condition."""
    if groups is None:
        return True
    for group in groups:
        if len(group) == 1:
            if group[0] not in text:
                return False
        elif not any(literal in text for literal in group):
            return False
    return True


@dataclass(frozen=True, slots=True)
class Rule:
    """One way of knowing a reason: a phrase (and/or a status code) with its origin.

    ``statuses``: the rule applies only when the enhanced status is one of
    these (full codes such as ``"5.7.606"``, or class-free keys such as
    ``"X.2.2"``); empty means any status. ``phrase`` may be empty when the
    status alone decides (a provider's own code, or a status module's entry).
    """

    reason: str
    phrase: str
    origin: str
    statuses: frozenset[str] = field(default_factory=frozenset)
    commands: frozenset[str] = field(default_factory=frozenset)
    label: str = ""  # what the rule reads when it is neither a phrase nor a status ("reply code 550")

    def __post_init__(self) -> None:
        # A verdict's rule text is the rule's name, then "; " and how the match was resolved.
        if "; " in self.phrase + self.origin + self.label or not self.origin.strip():
            raise ValueError(f"a rule needs an origin and no '; ' in its texts: {self.phrase!r} [{self.origin}]")

    @property
    def name(self) -> str:
        if self.label:
            what = self.label
        elif self.phrase:
            what = repr(self.phrase)
        elif self.statuses:
            what = "status " + "/".join(sorted(self.statuses))
        else:
            what = "default"
        if self.phrase and self.statuses:
            what += " with status " + "/".join(sorted(self.statuses))
        if self.commands:
            what += " in reply to " + "/".join(sorted(self.commands))
        return f"{self.reason}: {what} [{self.origin}]"

    def applies(self, status: str | None, key: str | None, command: str | None) -> bool:
        """Whether the rule's status and command conditions (if any) hold."""
        if self.statuses and status not in self.statuses and key not in self.statuses:
            return False
        return not self.commands or command in self.commands


def rules(reason: str, *groups: tuple[str, ...], statuses: Iterable[str] = (),
          commands: Iterable[str] = ()) -> tuple[Rule, ...]:
    """Rules of one reason from groups ``(origin, phrase, phrase, ...)``."""
    found = []
    codes, refused = frozenset(statuses), frozenset(commands)
    for origin, *phrases in groups:
        for phrase in phrases:
            found.append(Rule(reason, phrase, origin, codes, refused))
    return tuple(found)


class PhraseIndex:
    """Phrase lists compiled for speed: each rule is searched only if its key word is in the text.

    A text is split into its words once; a rule whose key (see :func:`key_words`) is a whole
    word is a candidate only when the text has that word, one whose key is any other literal
    only when the text contains it, and a ``re:`` rule always. Of a list's candidates, the
    rule whose phrase starts first in the text decides (ties: the first listed).
    """

    def __init__(self, lists: Sequence[Sequence[Rule]]):
        self.lists = tuple(tuple(rule for rule in rules if rule.phrase) for rules in lists)
        # Compiled on first use: most rules never meet a text with their key word.
        self.patterns: list[list[re.Pattern | None]] = [[None] * len(rules) for rules in self.lists]
        # What a text must contain for each rule to match: checked before its expression.
        self.needs = [[required_literals(rule.phrase) for rule in rules] for rules in self.lists]
        self.by_word: dict[str, list[tuple[int, int]]] = {}
        self.by_literal: list[tuple[tuple[str, ...], int, int]] = []
        self.always: list[tuple[int, int]] = []
        for li, rules in enumerate(self.lists):
            for ri, rule in enumerate(rules):
                found = key_words(rule.phrase)
                if found is None:
                    self.always.append((li, ri))
                    continue
                keys, whole = found
                if whole:
                    for key in keys:
                        self.by_word.setdefault(key, []).append((li, ri))
                else:
                    self.by_literal.append((keys, li, ri))

    def candidates(self, text: str) -> dict[int, set[int]]:
        """The rules worth searching, by list."""
        found: dict[int, set[int]] = {}
        for word in set(_WORDS.findall(text)):
            for li, ri in self.by_word.get(word, ()):
                found.setdefault(li, set()).add(ri)
        for keys, li, ri in self.by_literal:
            for key in keys:
                if key in text:
                    found.setdefault(li, set()).add(ri)
                    break
        for li, ri in self.always:
            found.setdefault(li, set()).add(ri)
        return found

    def first(self, li: int, candidates: set[int], text: str, status: str | None, key: str | None,
              command: str | None) -> Rule | None:
        """The rule of list ``li`` that matches first in ``text`` and whose conditions hold."""
        best: tuple[int, int] | None = None
        rules, patterns, needs = self.lists[li], self.patterns[li], self.needs[li]
        for ri in sorted(candidates):
            rule = rules[ri]
            if not rule.applies(status, key, command) or not contains_all(text, needs[ri]):
                continue
            pattern = patterns[ri]
            if pattern is None:
                pattern = patterns[ri] = re.compile(compile_phrase(rule.phrase))
            found = pattern.search(text)
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), ri)
        return rules[best[1]] if best else None
