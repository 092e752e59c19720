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
from collections.abc import Callable, Iterable, Sequence
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
    if prefix:  # the rest of the word, so that the next word can follow it
        return start + body + r"\w*"
    end = "" if not all(alt[-1:].isalnum() for alt in alternatives) else r"\b"
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


def _required_words(phrase: str) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    """The whole words a text matching ``phrase`` has among its words (its ``\\w+`` runs): each
    required word of one spelling, and for each required word of several spellings, those.

    Only words whose every spelling is a whole word count, matched between word boundaries; a
    prefix (``disabl*``) or another literal (``ptr-record``) is left to :func:`first_position`.
    None for a ``re:`` phrase.
    """
    single: set[str] = set()
    multiple: list[frozenset[str]] = []
    if phrase.startswith("re:"):
        return frozenset(), ()
    for token in phrase.split():
        if token == "..." or _optional(token) or (token.endswith("*") and len(token) > 1):
            continue
        group = token.split("|")
        if not all(_whole_word(literal) for literal in group):
            continue
        if len(group) == 1:
            single.add(group[0])
        else:
            multiple.append(frozenset(group))
    return frozenset(single), tuple(multiple)


def first_position(text: str, groups: tuple[tuple[str, ...], ...] | None) -> int | None:
    """Where the first of ``groups`` (see :func:`required_literals`) starts in ``text``, if ``text``
    holds a literal of every group in their order, one after the other; else -1. None: no condition.

    A phrase's expression matches each of its required words literally, in order and without
    overlap, so a text where they do not follow one another cannot match. Each group is looked
    for where the one before it ends soonest (the first occurrence of each of its literals), so
    no order the expression could match is missed.
    """
    if groups is None:
        return None
    at = 0
    first = -1
    for group in groups:
        if len(group) == 1:
            literal = group[0]
            found = text.find(literal, at)
            if found < 0:
                return -1
            end, start = found + len(literal), found
        else:
            end = start = -1
            for literal in group:
                found = text.find(literal, at)
                if found >= 0:
                    if end < 0 or found + len(literal) < end:
                        end = found + len(literal)
                    if start < 0 or found < start:
                        start = found
            if end < 0:
                return -1
        if first < 0:
            first = start
        at = end
    return first


_COMPILED: dict[str, re.Pattern[str]] = {}


class Words:
    """A text's words (its ``\\w+`` runs), read once for every phrase tried on it."""

    __slots__ = ("_at", "_starts", "list", "set", "text")

    def __init__(self, text: str):
        self.text = text
        self.list: list[str] = _WORDS.findall(text)
        self.set = set(self.list)
        self._starts: list[int] | None = None
        self._at: dict[str, list[int]] | None = None

    def starts(self) -> list[int]:
        """Where each word starts in the text."""
        if self._starts is None:
            self._starts = [found.start() for found in _WORDS.finditer(self.text)]
        return self._starts

    def at(self, word: str) -> list[int]:
        """The numbers of the words that are ``word``, in order."""
        if self._at is None:
            at: dict[str, list[int]] = {}
            for number, each in enumerate(self.list):
                at.setdefault(each, []).append(number)
            self._at = at
        return self._at.get(word, [])


def _word_sequence(phrase: str) -> tuple[tuple[frozenset[str], bool], ...] | None:
    """A phrase of whole words only, as ``(spellings, gap before)`` per word; None for any other.

    Such a phrase's expression is ``\\bA\\b\\W*\\bB\\b`` (or a gap ``\\W+(?:\\w+\\W+){0,N}?``
    between two words): each word is a whole word of the text, the next one is the text's next
    word (or one of the N+1 next, after a gap), and a match starts where its first word does.
    A phrase with an optional word, a prefix or a literal that is not a whole word is left to
    its expression.
    """
    if phrase.startswith("re:"):
        return None
    sequence: list[tuple[frozenset[str], bool]] = []
    gap = False
    for token in phrase.split():
        if token == "...":
            gap = bool(sequence)
            continue
        if _optional(token) or (token.endswith("*") and len(token) > 1):
            return None
        spellings = token.split("|")
        if not all(_whole_word(spelling) for spelling in spellings):
            return None
        sequence.append((frozenset(spellings), gap))
        gap = False
    return tuple(sequence) or None


def _follows(sequence: tuple[tuple[frozenset[str], bool], ...], index: int, words: list[str], at: int) -> bool:
    """Whether ``sequence[index:]`` matches the words from number ``at`` on."""
    if index == len(sequence):
        return True
    spellings, gap = sequence[index]
    for number in range(at, min(len(words), at + (GAP_WORDS + 1 if gap else 1))):
        if words[number] in spellings and _follows(sequence, index + 1, words, number + 1):
            return True
    return False


class Phrase:
    """One phrase, matched as cheaply as it can be, with the same result as its expression.

    A phrase of whole words only is matched on the text's words (:func:`_word_sequence`), with
    no expression at all. Any other is compiled on first use (phrases written alike share one
    expression) and searched only in a text that holds its required words in their order
    (:func:`first_position`); one that starts with a required word cannot match before the
    first of them, which lets :class:`PhraseIndex` pass over a phrase that could only match
    after a better one.
    """

    __slots__ = ("_pattern", "anchored", "needs", "phrase", "sequence", "spellings")

    def __init__(self, phrase: str):
        self.phrase = phrase
        self.needs = required_literals(phrase)
        self.sequence = _word_sequence(phrase)
        # A phrase of whole words: the spellings of each of its words, all needed in a text's words.
        self.spellings = tuple(spellings for spellings, _ in self.sequence) if self.sequence else ()
        first = next((token for token in phrase.split() if token != "..."), "")
        # The match starts at the phrase's first word when that word is required.
        self.anchored = self.needs is not None and bool(self.needs) and not _optional(first)
        self._pattern: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            found = _COMPILED.get(self.phrase)
            if found is None:
                found = _COMPILED[self.phrase] = re.compile(compile_phrase(self.phrase))
            self._pattern = found
        return self._pattern

    def may_match(self, words: Words) -> bool:
        """False when the text of ``words`` lacks one of the phrase's words (a phrase of whole words
        only; any other may match): a test of the text's set of words, before any search."""
        have = words.set
        for spellings in self.spellings:
            if have.isdisjoint(spellings):
                return False
        return True

    def start(self, text: str, before: int | None = None, words: Words | None = None) -> int | None:
        """Where the phrase's first match in ``text`` starts, if it matches (with ``before``: only a
        match that starts before it). ``words``: the text's words, when already read."""
        sequence = self.sequence
        if sequence is not None:
            if words is None:
                words = Words(text)
            first, rest = sequence[0], len(sequence) > 1
            numbers = sorted(number for spelling in first[0] for number in words.at(spelling)) \
                if len(first[0]) > 1 else words.at(next(iter(first[0])))
            for number in numbers:
                if not rest or _follows(sequence, 1, words.list, number + 1):
                    found = words.starts()[number]
                    return found if before is None or found < before else None
            return None
        first_at = first_position(text, self.needs)
        if first_at is not None and (first_at < 0 or (before is not None and self.anchored and first_at >= before)):
            return None
        match = self.pattern.search(text)
        if match is None or (before is not None and match.start() >= before):
            return None
        return match.start()


class PhraseIndex:
    """Phrase lists compiled for speed: each rule is searched only if its key word is in the text.

    A text is split into its words once; a rule whose key (see :func:`key_words`) is a whole
    word is a candidate only when the text has that word, one whose key is any other literal
    only when the text contains it, and a ``re:`` rule always. The lists are read in their
    order; of a list's candidates whose conditions hold, the rule whose phrase starts first in
    the text decides (ties: the first listed). A candidate's expression is searched only when
    the text holds its required words in order (:class:`Phrase`), and not at all when it could
    only start after the best match found so far in its list.
    """

    def __init__(self, lists: Sequence[Sequence[Rule]]):
        self.lists = tuple(tuple(rule for rule in rules if rule.phrase) for rules in lists)
        # Every rule by one number, list after list: sorted numbers visit the lists in order.
        self.rules: tuple[Rule, ...] = tuple(rule for rules in self.lists for rule in rules)
        self.list_of: tuple[int, ...] = tuple(li for li, rules in enumerate(self.lists) for _ in rules)
        self.phrases: tuple[Phrase, ...] = tuple(Phrase(rule.phrase) for rule in self.rules)
        by_word: dict[str, list[int]] = {}
        by_literal: list[tuple[tuple[str, ...], int]] = []
        always: list[int] = []
        for number, rule in enumerate(self.rules):
            found = key_words(rule.phrase)
            if found is None:
                always.append(number)
                continue
            keys, whole = found
            if whole:
                for key in keys:
                    by_word.setdefault(key, []).append(number)
            else:
                by_literal.append((keys, number))
        self.by_word = {word: tuple(numbers) for word, numbers in by_word.items()}
        self.by_literal = tuple(by_literal)
        self.always = tuple(always)
        # The whole words each rule requires: a text without one of them is not searched.
        self.words = tuple(_required_words(rule.phrase) for rule in self.rules)

    def candidates(self, text: str, words: Words | None = None) -> list[int]:
        """The numbers of the rules worth searching, in order."""
        words_set = (words or Words(text)).set
        found = set(self.always)
        by_word = self.by_word
        for word in words_set:
            numbers = by_word.get(word)
            if numbers is not None:
                found.update(numbers)
        for keys, number in self.by_literal:
            for key in keys:
                if key in text:
                    found.add(number)
                    break
        required = self.words
        kept = []
        for number in found:
            single, multiple = required[number]
            if single <= words_set and (not multiple or all(not words_set.isdisjoint(group) for group in multiple)):
                kept.append(number)
        kept.sort()
        return kept

    def first(self, text: str, status: str | None, key: str | None, command: str | None,
              skipped: Callable[[int], bool] = lambda li: False) -> tuple[int, Rule] | None:
        """The first list (not ``skipped``) with a rule that matches, and the rule of that list
        whose match starts first in ``text`` and whose conditions hold."""
        rules, phrases, list_of = self.rules, self.phrases, self.list_of
        words = Words(text)
        current, best, best_start = -1, -1, -1
        for number in self.candidates(text, words):
            li = list_of[number]
            if li != current:
                if best >= 0:
                    return current, rules[best]
                current = li
                skip = skipped(li)
            if skip:
                continue
            rule = rules[number]
            if not rule.applies(status, key, command):
                continue
            found = phrases[number].start(text, best_start if best >= 0 else None, words)
            if found is not None:
                best, best_start = number, found
        return (current, rules[best]) if best >= 0 else None
