"""What a bounce says does not depend on how its bytes are carried.

The same notice arrives with CRLF or LF line ends, its text parts in base64 or quoted-printable
(Exchange and Gmail encode their notices; relays re-encode them), parsed and written out
again by a mail store, its report's fields folded at another width, or not at all, with
their names in another case, the returned message cut to its headers, the indented text of
a notice (the remote's reply as a mail system quotes it) wrapped at another width, its subject
tagged by a filter, relayed through more hops, its trailing spaces stripped, and a mail gateway's banner
put above its text or its signature below. Each such copy of a real bounce must give the same rows as the original:
the same recipients, reasons, types and statuses, in the same order.

The copies are made of the tuning half of the shared corpus (see
``benchmarks/corpus_accuracy.py``): the measuring half stays unread when the rules change.
No expected result is used, only the original's own rows.
"""

from __future__ import annotations

import base64
import email
import hashlib
import quopri
import re
import textwrap
from collections.abc import Callable
from email.policy import compat32
from pathlib import Path

import pytest

from bouncectl.usecases.explaining import explain

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai" / "eml"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")


def _tuning(name: str) -> bool:
    # The split of benchmarks/corpus_accuracy.py's half_of: an even first byte of the name's SHA-256.
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0


def _crlf(data: bytes) -> bytes | None:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _reencoded(encoding: str) -> Callable[[bytes], bytes | None]:
    def transform(data: bytes) -> bytes | None:
        msg = email.message_from_bytes(data, policy=compat32)
        changed = False
        for part in msg.walk():
            if part.is_multipart() or part.get_content_type() != "text/plain":
                continue
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                continue
            encoded = base64.encodebytes(payload) if encoding == "base64" else quopri.encodestring(payload)
            del part["Content-Transfer-Encoding"]
            part.set_payload(encoded.decode("ascii"))
            part["Content-Transfer-Encoding"] = encoding
            changed = True
        return msg.as_bytes() if changed else None

    return transform


def _written_again(data: bytes) -> bytes | None:
    return email.message_from_bytes(data, policy=compat32).as_bytes()


# The fields of a delivery status report (RFC 3464 2.2, 2.3): mail systems fold them where they like,
# or not at all, and write their names in any case (RFC 5322 2.2.3, 1.2.2: names are case-insensitive).
_REPORT_FIELD = re.compile(
    rb"(?im)^(final-recipient|original-recipient|x-actual-recipient|diagnostic-code|status|action"
    rb"|remote-mta|reporting-mta|last-attempt-date):[ \t]*(.*(?:\r?\n[ \t]+.*)*)")


def _words(value: bytes) -> list[bytes]:
    return [word for word in re.split(rb"\s+", value.strip()) if word]


def _refolded(width: int, indent: bytes) -> Callable[[bytes], bytes | None]:
    def refold(found: re.Match[bytes]) -> bytes:
        name, words = found.group(1), _words(found.group(2))
        eol = b"\r\n" if b"\r\n" in found.group(0) else b"\n"
        lines: list[bytes] = []
        for word in words:
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += b" " + word
            else:
                lines.append(word)
        return name + b": " + (eol + indent).join(lines)

    return lambda data: _REPORT_FIELD.sub(refold, data)


def _unfolded(data: bytes) -> bytes | None:
    return _REPORT_FIELD.sub(lambda found: found.group(1) + b": " + b" ".join(_words(found.group(2))), data)


def _lower_case_names(data: bytes) -> bytes | None:
    return _REPORT_FIELD.sub(lambda found: found.group(1).lower() + found.group(0)[len(found.group(1)):], data)


def _headers_only(data: bytes) -> bytes | None:
    """The returned message cut to its headers (RFC 3462's text/rfc822-headers), as many mail systems return it."""
    msg = email.message_from_bytes(data, policy=compat32)
    changed = False
    for part in msg.walk():
        if part.get_content_type() != "message/rfc822" or not part.is_multipart():
            continue
        returned = part.get_payload()[0]
        for name in ("Content-Type", "Content-Transfer-Encoding", "Content-Disposition"):
            del part[name]
        part["Content-Type"] = "text/rfc822-headers"
        part.set_payload("".join(f"{name}: {value}\n" for name, value in returned.items()))
        changed = True
    try:
        return msg.as_bytes() if changed else None
    except UnicodeEncodeError:  # an 8-bit header compat32 cannot write again: no copy
        return None


_INDENTED = re.compile(r"^([ ]+)(\S.*)$")


def _rewrapped(width: int) -> Callable[[bytes], bytes | None]:
    """Each indented paragraph of a plain notice (the remote's reply, as Postfix and Exim quote it) wrapped
    at another width: mail systems wrap it where they like."""

    def rewrap(body: str) -> str:
        out: list[str] = []
        run: list[str] = []
        indent = ""

        def flush() -> None:
            words = " ".join(line.strip() for line in run)
            out.extend(indent + line for line in textwrap.wrap(words, width=width, break_long_words=False,
                                                                break_on_hyphens=False))
            run.clear()

        for line in body.split("\n"):
            found = _INDENTED.match(line)
            # A transcript keeps its lines, and a separator ("----- Transcript of session follows -----") its own.
            if found and not found.group(2).startswith((">>>", "<<<", "-", "=")):
                if run and found.group(1) != indent:
                    flush()
                indent = found.group(1)
                run.append(line)
            else:
                flush()
                out.append(line)
        flush()
        return "\n".join(out)

    def transform(data: bytes) -> bytes | None:
        msg = email.message_from_bytes(data, policy=compat32)
        for part in msg.walk():
            plain = not part.is_multipart() and part.get_content_type() == "text/plain"
            if plain and part.get("Content-Transfer-Encoding", "7bit").lower() in ("7bit", "8bit"):
                body = part.get_payload()
                if isinstance(body, str) and body.isascii():
                    part.set_payload(rewrap(body))
        try:
            return msg.as_bytes()
        except UnicodeEncodeError:
            return None

    return transform


def _head_and_body(data: bytes) -> tuple[bytes, bytes]:
    ends = [at for at in (data.find(b"\n\n"), data.find(b"\r\n\r\n")) if at != -1]
    at = min(ends) if ends else len(data)
    return data[:at], data[at:]


def _tagged_subject(data: bytes) -> bytes | None:
    """The subject tagged by a spam filter on the way ("[SPAM] Undelivered Mail Returned to Sender")."""
    head, body = _head_and_body(data)
    return re.sub(rb"(?im)^subject:[ \t]*", b"Subject: [SPAM] ", head, count=1) + body


def _relayed_further(data: bytes) -> bytes | None:
    """Two more hops on the way to the sender's mailbox: their Received fields on top."""
    eol = b"\r\n" if b"\r\n" in data[:400] else b"\n"
    hops = (b"Received: from relay.example.net (relay.example.net [198.51.100.7])" + eol
            + b"\tby mx.example.org with ESMTP id 4Xz; Tue, 1 Dec 2026 10:00:00 +0000" + eol
            + b"Received: from gw.example.net (gw.example.net [198.51.100.8])" + eol
            + b"\tby relay.example.net with ESMTPS id 9Ab; Tue, 1 Dec 2026 09:59:59 +0000" + eol)
    if data.startswith(b"From ") and b"\n" in data:  # after an mbox separator line
        at = data.index(b"\n") + 1
        return data[:at] + hops + data[at:]
    return hops + data


def _trailing_spaces_stripped(data: bytes) -> bytes | None:
    return re.sub(rb"[ \t]+(?=\r?\n)", b"", data)


def _first_notice_part(msg: email.message.Message) -> email.message.Message | None:
    """The first text/plain part that is not a delivery report's field block, sent as it is (not encoded)."""
    inside = set()
    for part in msg.walk():
        if id(part) in inside:
            continue
        if part.get_content_type() in ("message/delivery-status", "message/rfc822", "text/rfc822-headers"):
            inside.update(id(sub) for sub in part.walk() if sub is not part)
            continue
        if part.is_multipart() or part.get_content_type() != "text/plain":
            continue
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        return part if isinstance(part.get_payload(), str) and encoding not in ("base64", "quoted-printable") else None
    return None


def _gateway_text(banner: str = "", signature: str = "") -> Callable[[bytes], bytes | None]:
    """What a mail gateway adds to the mail it lets through: a banner above the text, a signature below."""
    def transform(data: bytes) -> bytes | None:
        msg = email.message_from_bytes(data, policy=compat32)
        part = _first_notice_part(msg)
        if part is None:
            return None
        part.set_payload(banner + part.get_payload() + signature)
        try:
            return msg.as_bytes()
        except UnicodeEncodeError:  # a part of 8-bit text the generator cannot write back unencoded
            return None

    return transform


# An external-sender banner (its words are each organisation's own), and MailScanner's signature of a
# message it found clean (below RFC 3676's "-- " separator).
BANNER = "CAUTION: This email originated from outside of the organization. Do not click links or open attachments.\n\n"
SIGNATURE = ("\n-- \nThis message has been scanned for viruses and\ndangerous content by MailScanner, and is\n"
             "believed to be clean.\n")


# Each transform and the fewest messages of the tuning half it must change to say something.
TRANSFORMS: dict[str, tuple[Callable[[bytes], bytes | None], int]] = {
    "crlf": (_crlf, 100),
    "base64 text": (_reencoded("base64"), 100),
    "quoted-printable text": (_reencoded("quoted-printable"), 100),
    "parsed and written again": (_written_again, 100),
    "report fields folded at 40 columns, tab-indented": (_refolded(40, b"\t"), 60),
    "report fields folded at 60 columns, space-indented": (_refolded(60, b" "), 40),
    "report fields unfolded": (_unfolded, 30),
    "report field names in lower case": (_lower_case_names, 100),
    "the returned message as its headers only": (_headers_only, 90),
    "indented notice text wrapped at 40 columns": (_rewrapped(40), 60),
    "indented notice text wrapped at 100 columns": (_rewrapped(100), 40),
    "the subject tagged by a filter": (_tagged_subject, 150),
    "relayed through two more hops": (_relayed_further, 150),
    "trailing spaces stripped": (_trailing_spaces_stripped, 40),
    "a gateway's banner above the notice": (_gateway_text(banner=BANNER), 60),
    "a gateway's signature below the notice": (_gateway_text(signature=SIGNATURE), 60),
}


def _rows(path: Path) -> list[tuple]:
    return [(row["recipient"], row["event"], row["reason"], row["bounce_type"], row["enhanced_status"])
            for row in explain([str(path)])]


@pytest.fixture(scope="module")
def originals() -> dict[str, tuple[bytes, list[tuple]]]:
    files = sorted(path for path in CORPUS.glob("*.eml") if _tuning(path.name))
    return {path.name: (path.read_bytes(), _rows(path)) for path in files}


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
def test_the_same_bounce_carried_otherwise_reads_the_same(name, originals, tmp_path):
    transform, fewest = TRANSFORMS[name]
    copies = differing = 0
    changed = []
    for file, (data, rows) in originals.items():
        copy = transform(data)
        if copy is None or copy == data:
            continue
        copies += 1
        path = tmp_path / file
        path.write_bytes(copy)
        got = _rows(path)
        if got != rows:
            differing += 1
            changed.append(f"{file}: {rows[:2]} -> {got[:2]}")
    assert copies >= fewest  # the transform changed enough messages to say something
    assert not changed, f"{differing} of {copies} read otherwise:\n" + "\n".join(changed)
