"""The reader's faster forms of its patterns and checks find what the plain ones find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bouncectl.bounces.classify import _NOISE, _NOISE_CODES
from bouncectl.sources.messages import base, reader

# The patterns as first written: a look-behind before the first character.
PLAIN_STATUS = re.compile(r"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d)")
PLAIN_REPLY = re.compile(
    r"(?<![\w.#:/-])([245][0-5]\d)(?:[ -]+(?:['\"]?#?([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d))?|$)", re.MULTILINE
)
CODES = st.text(alphabet="245013.9 -#:/'\"\nab٣_", max_size=40)


def _all(pattern: re.Pattern, text: str) -> list:
    return [(found.span(), found.groups()) for found in pattern.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(CODES)
def test_the_status_and_reply_code_patterns_match_as_the_plain_ones(text):
    for fast, plain in ((base.ENHANCED_STATUS, PLAIN_STATUS), (base.REPLY_CODE, PLAIN_REPLY)):
        assert _all(fast, text) == _all(plain, text)
        for pos in range(len(text)):
            found, expected = fast.search(text, pos), plain.search(text, pos)
            assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
        found, expected = fast.match(text), plain.match(text)
        assert (found and found.groups()) == (expected and expected.groups())


def test_the_status_patterns_on_examples():
    assert base.ENHANCED_STATUS.search("550 5.1.1 user unknown").group(1) == "5.1.1"
    assert base.ENHANCED_STATUS.search("version 15.1.1 and 5.1.10.2") is None
    assert base.REPLY_CODE.search("host said: 550-5.1.1 no").groups() == ("550", "5.1.1")
    assert base.REPLY_CODE.search("id#550 x") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="has not yet been delivered warning message only will retried THISĸſK \n", max_size=60))
def test_a_delay_notice_is_found_as_the_pattern_finds_it(text):
    assert reader._says_delayed(text) == bool(reader.DELAY_NOTICE.search(text))
    for words in reader.DELAY_WORDS:
        for spelled in (words, words.upper(), words.replace("s", "ſ"), " x " + words.title() + "."):
            assert reader._says_delayed(text + spelled) == bool(reader.DELAY_NOTICE.search(text + spelled))


def _plain_strip(text: str) -> str:
    kept = []
    for line in text.splitlines():
        if base.ADDRESS.search(line) and not base.ADDRESS.sub("", line).strip(" \t<>\"':;,.()[]*"):
            continue
        kept.append(line)
    return "\n".join(kept)


def _plain_words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", base.ADDRESS.sub(" ", text.lower())).strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["<a@example.org>", "b@example.net", "user unknown", " ", "\n", "\r\n", ":", "@",
                                 "550 5.1.1", "x@", "\u2028"]), max_size=10))
def test_address_lines_and_words_are_read_as_before(pieces):
    text = "".join(pieces)
    assert reader._strip_address_lines(text) == _plain_strip(text)
    assert base._words(text) == _plain_words(text)


PLAIN_NOISE = re.compile(r"[\w.+=-]+@[\w.-]+|(?<=\s)[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b|(?<=\s)[245]\d\d-(?=\S)")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab.+=-@ 5501.\n_é", max_size=40))
def test_the_classifier_removes_the_same_noise(text):
    assert _NOISE.sub(" ", text) == PLAIN_NOISE.sub(" ", text)
    if "@" not in text:
        assert _NOISE_CODES.sub(" ", text) == PLAIN_NOISE.sub(" ", text)
