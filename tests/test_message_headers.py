"""Reading a message's headers faster gives the same headers: the indexed message and the
header blocks parsed on their own."""

from __future__ import annotations

import email
from email.errors import HeaderParseError
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32

from hypothesis import given, settings
from hypothesis import strategies as st

from bouncectl.sources.messages.base import IndexedMessage
from bouncectl.sources.messages.reader import _headers_of

TEXT = (
    "From: Mail Delivery System <MAILER-DAEMON@example.org>\n"
    "To: a@example.net\n"
    "Received: from a by b; Mon, 1 Dec 2026 10:00:00 +0000\n"
    "received: from c\n by d; Mon, 1 Dec 2026 09:00:00 +0000\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n boundary=\"b1\"\n"
    "X-Empty:\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain\n\nThe mail system\n"
    "--b1\n"
    "Content-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
    "Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n"
    "--b1--\n"
)
NAMES = ["From", "from", "FROM", "received", "Received", "Subject", "content-type", "X-Empty", "Missing", "To",
         "Final-Recipient", "Status"]


def _same(plain: Message, indexed: Message) -> None:
    for name in NAMES:
        assert indexed.get(name) == plain.get(name), name
        assert indexed.get(name, "none") == plain.get(name, "none"), name
        assert indexed[name] == plain[name], name
        assert indexed.get_all(name) == plain.get_all(name), name
        assert indexed.get_all(name, []) == plain.get_all(name, []), name
        assert (name in indexed) == (name in plain), name
    assert indexed.items() == plain.items()
    assert indexed.get_content_type() == plain.get_content_type()
    assert indexed.get_content_maintype() == plain.get_content_maintype()
    assert indexed.get_params() == plain.get_params()
    assert indexed.get_boundary() == plain.get_boundary()


def _both(text: str = TEXT) -> tuple[Message, Message]:
    return (email.message_from_string(text, policy=compat32),
            email.message_from_string(text, IndexedMessage, policy=compat32))


def test_a_parsed_message_reads_its_headers_as_a_plain_one():
    plain, indexed = _both()
    _same(plain, indexed)
    for part_plain, part_indexed in zip(plain.walk(), indexed.walk()):
        assert isinstance(part_indexed, IndexedMessage)
        _same(part_plain, part_indexed)


# Every way a message's headers change, applied to both.
CHANGES = {
    "add": lambda m: m.__setitem__("Received", "from e"),
    "delete": lambda m: m.__delitem__("received"),
    "replace": lambda m: m.replace_header("Subject", "Other"),
    "replace type": lambda m: m.replace_header("Content-Type", "text/plain"),
    "add header": lambda m: m.add_header("X-Empty", "value", name="x"),
    "set type": lambda m: m.set_type("text/html"),
    "set param": lambda m: m.set_param("charset", "utf-8"),
    "delete param": lambda m: m.del_param("boundary"),
    "set boundary": lambda m: m.set_boundary("b2"),
    "default type": lambda m: m.set_default_type("message/rfc822"),
    "delete type": lambda m: m.__delitem__("Content-Type"),
    "set raw": lambda m: m.set_raw("Content-Type", "message/rfc822"),
}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(CHANGES)), max_size=8))
def test_after_any_change_the_headers_read_as_a_plain_message_s(changes):
    plain, indexed = _both()
    _same(plain, indexed)
    for change in changes:
        for message in (plain, indexed):
            try:
                CHANGES[change](message)
            except (KeyError, HeaderParseError):  # a header that is gone: both raise
                pass
        _same(plain, indexed)


def test_an_empty_indexed_message():
    message = IndexedMessage()
    assert message.get("x") is None and message.get_all("x") is None and "x" not in message
    assert message.get_content_type() == "text/plain"
    message["X"] = "1"
    assert message.get("x") == "1" and message.get_all("X") == ["1"] and "x" in message


def test_a_header_block_parsed_on_its_own_gives_the_headers_of_the_whole():
    texts = [
        TEXT,
        "From x@example.org Mon Dec  1 10:00:00 2026\nFrom: a@example.org\nSubject: s\n folded\n\nbody\nX: y\n",
        "Subject: no blank line\nnot a header line\nX-After: 1\n",
        "not a header\nSubject: s\n",
        "Subject: s\n\tfolded with a tab\nTo: b@example.org\n\n\n",
        "",
    ]
    for text in texts:
        whole = HeaderParser(policy=compat32).parsestr(text)
        alone = _headers_of(text.split("\n"))
        assert alone.items() == whole.items(), text
        assert alone.get_unixfrom() == whole.get_unixfrom(), text
