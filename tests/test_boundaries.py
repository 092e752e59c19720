"""MIME boundaries: the parser's boundary lines matched by string tests, as its pattern matches them."""

from __future__ import annotations

import email
import itertools
import re
from email.policy import compat32

from hypothesis import given
from hypothesis import strategies as st

from bouncectl.sources import boundaries

SEPARATORS = ["--b1", "----=_Part_000001_0000000.000000000000", "--(a)[b]*+?.^$|\\", "--x y\tz", "--é=_ü"]
PIECES = ["", "--", "-", " ", "\t", "  \t", "\r\n", "\r", "\n", "\n\n", "\r\r", "\r\n\n", "x", "--x", "-- \r\n"]


def _groups(found):
    return None if found is None else tuple(found.group(name) for name in ("sep", "end", "ws", "linesep"))


def _both(separator: str, line: str):
    pattern = boundaries.PREFIX + re.escape(separator) + boundaries.SUFFIX
    return _groups(re.compile(pattern).match(line)), _groups(boundaries.BoundaryLine(separator).match(line))


def test_every_line_shape_matches_as_the_pattern_does():
    for separator in SEPARATORS:
        for a, b, c in itertools.product(PIECES, repeat=3):
            for line in (separator + a + b + c, a + separator + b + c, separator[:-1] + a + b):
                expected, got = _both(separator, line)
                assert got == expected, (separator, line)


@given(st.text(alphabet="-=_ab \t\r\n.", max_size=12), st.text(alphabet="-ab \t\r\n", max_size=8))
def test_random_lines_match_as_the_pattern_does(boundary, rest):
    separator = "--" + boundary
    expected, got = _both(separator, separator + rest)
    assert got == expected


def test_other_patterns_are_compiled_as_before():
    assert isinstance(boundaries.compile_pattern(r"(\r\n|\r|\n)\Z"), re.Pattern)
    odd = boundaries.PREFIX + "a(" + boundaries.SUFFIX  # not an escaped boundary: a real pattern's error
    try:
        boundaries.compile_pattern(odd)
    except re.error:
        pass
    else:
        raise AssertionError("an unescaped pattern was taken for a boundary")


def test_installed_the_parser_reads_multipart_messages_the_same():
    text = ("From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/report; boundary=\"(x).y\"\n\n"
            "preamble\n--(x).y\nContent-Type: text/plain\n\nfirst part\n--(x).y \t\n"
            "Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: multipart/mixed; boundary=in\n\n"
            "--in\n\ninner text\n--in--\n--(x).y--\nepilogue\n")
    before = email.message_from_string(text, policy=compat32)
    assert boundaries.install()
    assert boundaries.install()  # once
    after = email.message_from_string(text, policy=compat32)
    assert after.as_string() == before.as_string()
    assert [p.get_content_type() for p in after.walk()] == [p.get_content_type() for p in before.walk()]
    assert after.preamble == before.preamble and after.epilogue == before.epilogue
    assert not after.defects and len(after.get_payload()) == 2
