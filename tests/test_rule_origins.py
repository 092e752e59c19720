"""Every classification rule names its origin, and no rule is one corpus sample's sentence.

A rule (a phrase, a provider's code, a status or reply-code mapping, a class
default) must name where it comes from: a mail system's source or
documentation, a provider's documentation, a standard, or at least two corpus
samples (``"corpus: 2+ samples"``). Run over the shared corpus, a rule that
decides exactly one sample must cite an origin other than the corpus (it would
otherwise be that sample's sentence, memorised), and a rule citing only the
corpus must really decide two samples or more. There is no exception list.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bouncectl.bounces import RULES, providers, reasons, rule_of, status
from bouncectl.bounces.rules import compile_phrase
from bouncectl.usecases.explaining import explain

ROOT = Path(__file__).resolve().parents[1]
EML = ROOT.parent / "shared" / "corpus" / "sisimai" / "eml"

SPEC_REASONS = {
    "userunknown", "hostunknown", "hasmoved", "notaccept", "authfailure", "badreputation", "blocked",
    "contenterror", "exceedlimit", "expired", "failedstarttls", "filtered", "mailboxfull", "mailererror",
    "mesgtoobig", "networkerror", "norelaying", "notcompliantrfc", "policyviolation", "rejected", "requireptr",
    "securityerror", "spamdetected", "speeding", "suppressed", "suspend", "syntaxerror", "systemerror",
    "systemfull", "toomanyconn", "virusdetected", "onhold", "undefined",
}


def _corpus_only(origin: str) -> bool:
    return origin.strip().lower().startswith("corpus")


def test_every_rule_names_an_origin_and_a_known_reason():
    every = providers.all_rules() + reasons.all_rules() + tuple(status.STATUS_TABLE.values()) \
        + tuple(status.REPLY_CODES.values()) + status.DEFAULTS
    assert len(every) > 300
    for rule in every:
        assert rule.origin.strip(), rule
        assert rule.reason in SPEC_REASONS, rule
        # The verdict's rule text is the rule's name, then "; " and how it was resolved.
        assert "; " not in rule.name, rule.name
        assert rule_of(rule.name) == rule or RULES[rule.name].origin == rule.origin


def test_every_phrase_compiles():
    for plist in reasons.ORDER:
        for rule in plist.rules:
            re.compile(compile_phrase(rule.phrase))
    for provider in providers.PROVIDERS:
        for index in range(len(provider.rules)):
            provider.pattern(index)


def test_the_phrase_lists_and_provider_tables_are_large_and_ordered():
    phrases = [rule for plist in reasons.ORDER for rule in plist.rules]
    assert len(phrases) > 300
    assert len({plist.reason for plist in reasons.ORDER}) >= 28
    assert len(providers.PROVIDERS) >= 12
    # Each list holds one reason's wordings only.
    for plist in reasons.ORDER:
        assert {rule.reason for rule in plist.rules} == {plist.reason}


@pytest.fixture(scope="module")
def decided() -> Counter:
    """How many corpus results each rule decided (the rule's name: count)."""
    counts: Counter = Counter()
    unknown = []
    for path in sorted(EML.glob("*.eml")):
        for row in explain([str(path)]):
            if row["event"] not in ("bounce", "deferred") or not row["rule"]:
                continue
            rule = rule_of(row["rule"])
            if rule is None:
                unknown.append((path.name, row["rule"]))
                continue
            counts[rule.name] += 1
    assert not unknown, f"results decided by no known rule: {unknown[:5]}"
    return counts


@pytest.mark.skipif(not EML.is_dir(), reason="the shared corpus is absent")
def test_no_rule_that_decides_one_sample_cites_only_the_corpus(decided):
    assert sum(decided.values()) > 300
    memorised = [name for name, count in decided.items() if count == 1 and _corpus_only(rule_of(name).origin)]
    assert memorised == []


@pytest.mark.skipif(not EML.is_dir(), reason="the shared corpus is absent")
def test_a_rule_that_cites_the_corpus_decides_two_samples_or_more(decided):
    for rule in RULES.values():
        if _corpus_only(rule.origin):
            assert decided[rule.name] >= 2, rule.name
