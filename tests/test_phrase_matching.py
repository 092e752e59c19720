"""The indexed, pre-checked phrase matching decides as plain matching does, rule by rule.

The reason lists are matched through :class:`~bouncectl.bounces.rules.PhraseIndex` (a word
index, the required words in order before an expression runs, a candidate passed over when it
could only start after the best match so far) and the provider tables through
:class:`~bouncectl.bounces.rules.Phrase` (each of a rule's phrases on its own). Here each is
compared with the plainest reading of the same lists: every rule's expression compiled and
searched, one after the other.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import in_tuning_half
from hypothesis import given, settings
from hypothesis import strategies as st

from bouncectl.bounces import providers, reasons
from bouncectl.bounces.classify import _NOISE, _SPACES
from bouncectl.bounces.providers.base import _alternatives
from bouncectl.bounces.rules import (
    GAP_WORDS,
    Phrase,
    PhraseIndex,
    Rule,
    _required_words,
    compile_phrase,
    first_position,
    required_literals,
    rules,
)
from bouncectl.usecases.explaining import explain

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai"

# (status, status key, refused command): rules with conditions on them are tried under each.
FACTS = [(None, None, None), ("5.1.1", "X.1.1", "RCPT"), ("5.7.1", "X.7.1", "DATA"), ("4.2.2", "X.2.2", "MAIL"),
         ("5.0.0", "X.0.0", "CONN"), ("5.2.2", "X.2.2", None)]
# Lists skipped as a content list is before DATA: every third one.
SKIPPED = [lambda li: False, lambda li: li % 3 == 0]

PLAIN: dict[str, re.Pattern] = {}


def plain_first(lists, text, status, key, command, skipped):
    """The first list (not skipped) where a rule matches, and its rule that matches first in the text
    (ties: the first listed): every rule's expression searched, one by one."""
    for li, listed in enumerate(lists):
        if skipped(li):
            continue
        best = None
        for rule in listed:
            if not rule.phrase or not rule.applies(status, key, command):
                continue
            pattern = PLAIN.get(rule.phrase)
            if pattern is None:
                pattern = PLAIN[rule.phrase] = re.compile(compile_phrase(rule.phrase))
            found = pattern.search(text)
            if found and (best is None or found.start() < best[0]):
                best = (found.start(), rule)
        if best is not None:
            return li, best[1]
    return None


def plain_provider(provider, text, status, key, command):
    """The first rule of a provider's table that holds: each rule's phrases as one expression."""
    for rule in provider.rules:
        if not rule.applies(status, key, command):
            continue
        if not rule.phrase:
            return rule
        pattern = PLAIN.get("provider " + rule.phrase)
        if pattern is None:
            pattern = PLAIN["provider " + rule.phrase] = re.compile(_alternatives(rule.phrase))
        if pattern.search(text):
            return rule
    return None


def _spellings(token: str) -> list[str]:
    """Ways a text may write one token of a phrase (and one way it does not quite)."""
    if token.startswith("[") and token.endswith("]") and len(token) > 2:
        return [*_spellings(token[1:-1]), ""]
    if token == "...":
        return ["one two", "", " ".join(["w"] * (GAP_WORDS + 1))]
    if token.endswith("*") and len(token) > 1:
        stem = token[:-1]
        return [stem, stem + "ed", stem.upper()]
    return token.split("|")


def writings(phrase: str) -> list[str]:
    """Texts that say a phrase, and texts that nearly do."""
    if phrase.startswith("re:"):
        return []
    tokens = phrase.split()
    options = [_spellings(token) for token in tokens]
    texts = []
    for choice in range(3):
        words = [spellings[min(choice, len(spellings) - 1)] for spellings in options]
        plain = " ".join(word for word in words if word)
        texts += [plain, ": ".join(word for word in words if word), "550 5.1.1 <> " + plain + ".",
                  "".join(words), " ".join(reversed(words))]
    return texts


def all_texts() -> list[str]:
    lists = reasons.INDEX.lists
    texts = []
    for listed in lists:
        for index, rule in enumerate(listed):
            own = writings(rule.phrase)
            texts += own[:5]
            # Two phrases of one list in one text: the one that starts first decides.
            after = listed[index + 1] if index + 1 < len(listed) else listed[0]
            other = writings(after.phrase)
            if own and other:
                texts += [other[0] + " ; " + own[0], own[0] + " and " + other[0]]
    return list(dict.fromkeys(texts))


TEXTS = all_texts()


def test_the_index_decides_as_plain_matching():
    index = reasons.INDEX
    decided = set()
    for text in TEXTS:
        plain = plain_first(index.lists, text, None, None, None, SKIPPED[0])
        assert index.first(text, None, None, None) == plain, text
        if plain:
            decided.add(plain[1].phrase)
    # The texts exercise most rules.
    assert len(decided) > 0.5 * len(index.rules)


@pytest.mark.parametrize(("status", "key", "command"), FACTS[1:])
@pytest.mark.parametrize("skipped", SKIPPED)
def test_the_index_decides_as_plain_matching_under_conditions(status, key, command, skipped):
    # The rules with conditions on the status or the command, and lists skipped: every text that
    # names a word of such a rule, and a share of the others.
    index = reasons.INDEX
    conditional = {word for rule in index.rules if rule.statuses or rule.commands
                   for word in re.findall(r"\w+", rule.phrase)}
    for number, text in enumerate(TEXTS):
        if number % 6 and not conditional & set(re.findall(r"\w+", text)):
            continue
        assert index.first(text, status, key, command, skipped) == \
            plain_first(index.lists, text, status, key, command, skipped), text


def test_lists_in_order_and_in_a_list_the_first_match_with_ties_to_the_first_listed():
    listed = [rules("userunknown", ("test", "user unknown", "unknown", "no such user", "user")),
              rules("mailboxfull", ("test", "mailbox full"))]
    index = PhraseIndex(listed)
    assert index.first("mailbox full: user unknown", None, None, None) == (0, listed[0][0])  # the list order first
    assert index.first("mailbox full", None, None, None) == (1, listed[1][0])
    assert index.first("user unknown", None, None, None) == (0, listed[0][0])  # a tie with "user": the first listed
    assert index.first("unknown: no such user", None, None, None) == (0, listed[0][1])
    assert index.first("no such user unknown", None, None, None) == (0, listed[0][2])  # a later rule, first in the text
    assert index.first("no such user unknown", None, None, None, lambda li: li == 0) is None
    # A tie with a later rule that may start before its first required word: still the first listed.
    tied = [rules("userunknown", ("test", "user unknown", "[the] user"))]
    assert PhraseIndex(tied).first("user unknown", None, None, None) == (0, tied[0][0])
    # A prefix word matches the words it starts.
    prefixed = [rules("suspend", ("test", "mailaddress is administrativ* disabled", "throttl*"))]
    assert PhraseIndex(prefixed).first("throttling", None, None, None) == (0, prefixed[0][1])
    # ... also when another word follows it.
    text = "the mailaddress is administratively disabled"
    assert PhraseIndex(prefixed).first(text, None, None, None) == (0, prefixed[0][0])
    assert re.search(compile_phrase("security polic* ... signature"), "security policy requires a signature")


def test_conditions_and_skipped_lists_are_kept():
    listed = [(Rule("userunknown", "user unknown", "test", frozenset({"X.1.1"})),),
              (Rule("rejected", "user unknown", "test", commands=frozenset({"MAIL"})),)]
    index = PhraseIndex(listed)
    assert index.first("user unknown", "5.1.1", "X.1.1", None) == (0, listed[0][0])
    assert index.first("user unknown", "5.2.2", "X.2.2", "MAIL") == (1, listed[1][0])
    assert index.first("user unknown", "5.2.2", "X.2.2", "RCPT") is None


@pytest.mark.skipif(not (CORPUS / "manifest.jsonl").exists(), reason="the shared corpus is absent")
def test_the_index_decides_as_plain_matching_on_the_tuning_half_of_the_corpus():
    # The diagnostics the classifier reads in the tuning half only (the measuring half is never
    # looked at one by one), as it reads them.
    with open(CORPUS / "manifest.jsonl", encoding="utf-8") as stream:
        names = {json.loads(line)["file"] for line in stream if line.strip()}
    tuning = [str(CORPUS / "eml" / name) for name in sorted(names) if in_tuning_half(name)]
    texts = [_SPACES.sub(" ", _NOISE.sub(" ", row["diagnostic"])).strip().lower()
             for row in explain(tuning) if row["diagnostic"]]
    texts = list(dict.fromkeys(texts))
    assert len(texts) > 100
    index = reasons.INDEX
    for text in texts:
        for status, key, command in FACTS[:3]:
            assert index.first(text, status, key, command) == plain_first(index.lists, text, status, key, command,
                                                                         SKIPPED[0]), text


WORDS = sorted({word for rule in reasons.INDEX.rules for token in rule.phrase.split() if token != "..."
                for word in token.strip("[]*").split("|") if word and not rule.phrase.startswith("re:")})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", ": ", "<a@b.c>", "-", "5.1.1", "x", "ed"])),
                max_size=14))
def test_random_word_salads_are_decided_as_plain_matching(pieces):
    text = " ".join(pieces)
    index = reasons.INDEX
    for status, key, command in FACTS[:2]:
        assert index.first(text, status, key, command) == plain_first(index.lists, text, status, key, command,
                                                                     SKIPPED[0])


@pytest.mark.parametrize(("status", "key", "command"), FACTS[:4])
def test_provider_tables_decide_as_plain_matching(status, key, command):
    texts = []
    for provider in providers.PROVIDERS:
        for rule in provider.rules:
            for part in (rule.phrase.split("|") if not rule.phrase.startswith("re:") else []):
                texts += writings(part)[:3]
    texts += TEXTS[::40]
    for provider in providers.PROVIDERS:
        for text in texts:
            assert provider.match(text, status, key, command) == plain_provider(provider, text, status, key,
                                                                                command), (provider.name, text)


@pytest.mark.parametrize(("before", "after"), [("", ""), ("550 ", "."), ("mailbox user ", " unknown full"),
                                               ("x", "ed")])
def test_a_match_holds_the_required_words_in_order(before, after):
    # What the pre-checks pass over can never match: a text where an expression matches holds the
    # phrase's required literals in order, and its whole words among the text's words.
    phrases = [rule.phrase for rule in reasons.INDEX.rules if not rule.phrase.startswith("re:")]
    phrases += [part for provider in providers.PROVIDERS for rule in provider.rules
                if rule.phrase and not rule.phrase.startswith("re:") for part in rule.phrase.split("|")]
    matched = 0
    for phrase in dict.fromkeys(phrases):
        pattern = re.compile(compile_phrase(phrase))
        for text in writings(phrase)[:6]:
            text = before + text + after
            found = pattern.search(text)
            if not found:
                assert Phrase(phrase).start(text) is None
                continue
            matched += 1
            first = first_position(text, required_literals(phrase))
            assert first is not None and first >= 0, (phrase, text)
            if Phrase(phrase).anchored:
                assert first <= found.start(), (phrase, text)
            single, multiple = _required_words(phrase)
            words = set(re.findall(r"\w+", text))
            assert single <= words and all(words & group for group in multiple), (phrase, text)
            assert Phrase(phrase).start(text) == found.start()
            assert Phrase(phrase).start(text, found.start()) is None
            assert Phrase(phrase).start(text, found.start() + 1) == found.start()
    assert matched > len(phrases) // 2


def test_first_position():
    assert first_position("user jdoe unknown", (("user",), ("unknown",))) == 0
    assert first_position("unknown user", (("user",), ("unknown",))) == -1
    assert first_position("the account is disabled", (("mailbox", "account"), ("disabl",))) == 4
    # A word of several spellings: the first start counts for where the match may begin, the
    # earliest end for where the next word may be.
    assert first_position("the mailbox and an account box", (("account", "box"), ("box",))) == 8
    assert first_position("account box", (("account", "box"), ("box",))) == 0
    assert first_position("box account", (("account", "box"), ("box",))) == -1
    assert first_position("anything", None) is None


SIMPLE = sorted({rule.phrase for rule in reasons.INDEX.rules if Phrase(rule.phrase).sequence is not None})
SEPARATORS = [" ", "  ", ": ", "-", "_", ".", "", " <> ", "\n", "é", "1", "'"]


def test_most_phrases_are_matched_on_words():
    assert len(SIMPLE) > 0.6 * len(reasons.INDEX.rules)
    assert Phrase("user ... unknown").sequence == ((frozenset({"user"}), False), (frozenset({"unknown"}), True))
    for phrase in ("re:user", "[the] user", "disabl*", "ptr-record", "user 5.1.1"):
        assert Phrase(phrase).sequence is None, phrase


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SIMPLE), st.lists(st.tuples(st.integers(0, 9), st.sampled_from(SEPARATORS)), max_size=12))
def test_a_phrase_of_words_starts_where_its_expression_does(phrase, pieces):
    # Texts made of the phrase's own words (in any order, any number of times), other words and
    # separators of every kind, including none and word characters.
    spellings = [spelling for token in phrase.split() if token != "..." for spelling in token.split("|")]
    fillers = ["w", "x", "user", "a_b", "üñ"]
    text = "".join((spellings + fillers)[number % (len(spellings) + len(fillers))] + separator
                   for number, separator in pieces)
    for candidate in (text, text + " " + " ".join(spellings), " ".join(spellings).upper(), "".join(spellings)):
        found = re.search(compile_phrase(phrase), candidate)
        assert Phrase(phrase).start(candidate) == (found.start() if found else None), (phrase, candidate)


def test_a_gap_allows_up_to_its_number_of_words():
    phrase = Phrase("user ... unknown")
    filler = " ".join(["w"] * GAP_WORDS)
    assert phrase.start("a user " + filler + " unknown") == 2
    assert phrase.start("a user " + filler + " w unknown") is None
    assert phrase.start("user user " + filler + " unknown") == 5  # the first "user" is one word too far
    assert phrase.start("user user " + filler[2:] + " unknown") == 0
    assert Phrase("user unknown").start("user_unknown user  unknown") == 13
