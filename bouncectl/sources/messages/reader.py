"""Bounce messages: single ``.eml`` files, mbox files and maildir folders.

Each message is read with the standard :mod:`email` package and analysed. The decoders of
:mod:`bouncectl.sources.messages.registry` (one module per mail system: Postfix, Exim,
qmail, Sendmail, Exchange, Gmail, ...) are asked first; each recognises its own notice and
reads, per recipient, the whole diagnostic, the refused command, the status, the diagnostic
type, the remote host and, where its mail system's documented wording says it, a reason.
The generic readers below come after them (and complete what a decoder reads):

- RFC 3464 delivery status notifications (``message/delivery-status`` or
  ``message/global-delivery-status`` parts, or the same fields written inline
  in a text part) give one result per recipient block, completed by what the
  human-readable part says of that recipient;
- ARF feedback reports (RFC 5965), Microsoft's feedback-loop reports and
  one-click unsubscribe mails give a complaint (or an unsubscribe);
- RFC 3834 auto-replies (vacation, out of office) give no event at all;
- any other message that looks like a bounce (a mailer-daemon sender, a null
  return path, a bounce subject, ...) is read as text: each line of the notice
  is given to the failed address it follows, and each address's lines give its
  reply code, enhanced status, the refused SMTP command and the remote host.
  Where the notice names no address, flufl.bounce's detectors are asked, then
  the bounce's ``X-Failed-Recipients`` header and the returned message's ``To``.

The reason of each failure is decided by :mod:`bouncectl.bounces`, with the
remote host (or the recipient's domain) and the refused command as hints.

mbox files are split on their ``From`` separator lines while streaming (gzip
and stdin included), so a large mailbox is never held in memory; maildir
folders are read with :class:`mailbox.Maildir`, in the order of their file
names; a plain folder is read file by file, in name order.
"""

from __future__ import annotations

import base64
import binascii
import email
import io
import json
import logging
import mailbox
import quopri
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.errors import FirstHeaderLineIsContinuationDefect, MessageError, MissingHeaderBodySeparatorDefect
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.policy import compat32
from email.utils import parseaddr as _email_parseaddr
from functools import cached_property, lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from flufl.bounce import all_failures

from bouncectl.addresses import looks_like_address as _looks_like_address
from bouncectl.addresses import normalize
from bouncectl.bounces import Verdict, classify, combine, provider_of
from bouncectl.errors import InputError
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import boundaries, ses
from bouncectl.sources.format import Records
from bouncectl.sources.jsonrecords import RecordError
from bouncectl.sources.messages import localagents, registry
from bouncectl.sources.messages.base import (
    ADDRESS,
    ENHANCED_STATUS,
    REPLY_CODE,
    Bounce,
    Finding,
    IndexedMessage,
    join_reply,
    says_more,
)
from bouncectl.sources.messages.base import command_in as _command
from bouncectl.sources.messages.base import host_in as _host_in
from bouncectl.sources.messages.base import host_name as _host
from bouncectl.sources.messages.base import reply_code as _reply_code
from bouncectl.sources.messages.base import squeeze as _squeeze
from bouncectl.sources.messages.sniffing import COPIED_HEADER, utf16
from bouncectl.sources.source import Source, decode
from bouncectl.timeparse import parse_timestamp

# --------------------------------------------------------------------------
# What bounces, auto-replies and notices look like (data).
# --------------------------------------------------------------------------

# Local parts and display names of the senders of bounces.
BOUNCE_SENDERS = re.compile(
    r"^(mailer-?daemon|mail-daemon|postmaster|post_master|mail-?delivery|mailadmin|mail-admin"
    r"|double-bounce|bounces?)$",
    re.IGNORECASE,
)
# Courier's notices come from "Courier mail server at HOST" <@> (courier/module.dsn).
BOUNCE_SENDER_NAMES = re.compile(r"mail delivery (sub)?system|mailer[- ]daemon|postmaster|delivery status"
                                 r"|courier mail server at ", re.IGNORECASE)
# Senders that only ever send bounces: an auto-reply marker does not make their mail a vacation reply.
DAEMON_SENDERS = re.compile(r"^(mailer-?daemon|mail-daemon)$", re.IGNORECASE)
DAEMON_SENDER_NAMES = re.compile(r"mail delivery (sub)?system|mailer[- ]daemon", re.IGNORECASE)
BOUNCE_SUBJECTS = re.compile(
    r"undeliver|not delivered|non[- ]?deliver|delivery (status )?(notification|failure|failed|problem|report|error)"
    r"|delivery has failed|failed delivery|failure notice|returned mail|returned to sender|return(ed)? message"
    r"|mail system error|could not (be )?(sent|delivered)|couldn'?t be delivered|error sending|message not delivered"
    r"|delivery delayed|delayed mail|warning: message .* delayed|unable to deliver|mail failure|bounce"
    r"|nicht zustellbar|unzustellbar|no entregado|non remis|non recapitabile|niet bezorgd|loop alert"
    r"|not a member|are not member|not member article",
    re.IGNORECASE,
)
# What a notice says when a message returned with it failed (for senders and subjects that do not tell).
FAILURE_PHRASES = re.compile(
    r"could not be (delivered|sent)|couldn'?t be delivered|undeliverable|delivery (has |to .* )?failed|was not delivered"
    r"|permanent (error|failure)|did not reach|unable to deliver|returned mail|送信できませんでした|配信できませんでした"
    # Sendmail's savemail.c ("The following addresses had permanent fatal errors"), McAfee Email Gateway's
    # notice ("The following addresses had delivery problems").
    r"|had permanent fatal errors|had delivery problems"
    r"|届きませんでした|送信できません",
    re.IGNORECASE,
)

# Auto-replies: RFC 3834 and the common non-standard markers.
AUTO_REPLY_HEADERS: tuple[tuple[str, re.Pattern], ...] = (
    ("Auto-Submitted", re.compile(r"^\s*auto-replied", re.IGNORECASE)),
    ("X-Autoreply", re.compile(r".")),
    ("X-Autorespond", re.compile(r".")),
    ("X-Auto-Reply", re.compile(r".")),
    ("X-Mail-Autoreply", re.compile(r".")),
    ("Precedence", re.compile(r"^\s*auto[_-]reply", re.IGNORECASE)),
    ("X-Precedence", re.compile(r"^\s*auto[_-]reply", re.IGNORECASE)),
)
# After any tags a filter or a reply put before them ("[SPAM] ", "***SPAM*** ", "Re: "). The localized
# words are those of Outlook's and Exchange's automatic replies ("Automatische Antwort:", "Risposta
# automatica:", "Autosvar:", ...).
_TAG = r"\[[^\]\n]{1,40}\]|\*{1,5}[^*\n]{1,40}\*{1,5}"  # "[SPAM]", "***SPAM***"
AUTO_REPLY_SUBJECTS = re.compile(
    rf"^\s*(?:(?:{_TAG}|(?:re|aw|sv|vs|antw|fw|fwd|wg)\s*:)\s*)*"
    r"(auto(matic)?[ -]?(reply|response|respons|antwort)|out of (the )?office|away from|on vacation|vacation"
    r"|abwesenheit|absence|r[ée]ponse automatique|respuesta autom[áa]tica|自動応答|自动回复"
    r"|automatische antwort|risposta automatica|resposta autom[áa]tica|automatisch antwoord|autosvar"
    r"|automatisk svar|automaattinen vastaus|odpowied[źz] automatyczna|automatick[áa] odpov[ěe]ď"
    r"|автоматический ответ|otomatik yan[ıi]t)",
    re.IGNORECASE,
)

# A tag a spam filter or a mail gateway puts before a subject: SpamAssassin's rewrite_header Subject
# ("*****SPAM*****", its sample local.cf), amavis's subject tags ("***SPAM***", "***UNCHECKED***"), and the
# bracketed tags of filters and gateways ("[SPAM]", "[EXTERNAL]", "[SUSPICIOUS MESSAGE]"). The decoders read
# a notice's subject without them, so a tagged notice is known as well as an untagged one.
FILTER_TAG = re.compile(rf"\s*(?:{_TAG}|\{{[^}}\n]{{1,40}}\}})\s*")
FILTER_WORDS = re.compile(
    r"spam|junk|bulk|suspect|suspicious|unchecked|external|\bext\b|warning|caution|phish|virus|infected",
    re.IGNORECASE)


def untagged_subject(subject: str) -> str:
    """``subject`` without the filter tags before it (:data:`FILTER_TAG` with :data:`FILTER_WORDS` inside)."""
    while True:
        tag = FILTER_TAG.match(subject)
        if tag is None or not FILTER_WORDS.search(tag.group()) or not subject[tag.end():].strip():
            return subject
        subject = subject[tag.end():]


# Lines after which a notice returns (a copy of) the original message.
ORIGINAL_MARKERS = re.compile(
    r"^\s*[-=*_ ]*("
    r"this is a copy of the (original )?message|below this line is a copy of the message"
    r"|(the )?(original|returned|undelivered|rejected|unsent) (message|mail|e-?mail)( headers?)?"
    r"( (follows|is following|below|as follows))?"
    r"|(the )?headers? of (the|your) (original )?message( is following| follows)?|message headers follow"
    r"|original message header|copy of (your|the) (original )?message|unsent message below|bounced e-?mail"
    r"|included is (a copy of )?the (original )?message( header)?|the message you sent|text of the (original )?message"
    r")[-=*_ .:]*\s*$",
    re.IGNORECASE,
)
ECHO_HEADER = re.compile(r"^(to|cc|from|subject|date|reply-to|sender):", re.IGNORECASE)
# RFC 3464 fields, when a notice writes them in its text.
DSN_FIELD = re.compile(
    r"^[ \t]*(reporting-mta|arrival-date|final-recipient|original-recipient|action|status|diagnostic-code|remote-mta"
    r"|last-attempt-date|x-actual-recipient|will-retry-until|received-from-mta|x-postfix-sender):",
    re.IGNORECASE,
)

# An address in these places is not a failed recipient: the sender, an echoed
# header of the original message, a contact for help.
NOT_A_RECIPIENT = re.compile(
    r"(mail from:?|envelope-from|sender( address)?|from:|return-path:?|reply-to:?|contact|send mail to)\s*<?\s*$"
    r"|^\s*(to|cc|from|sender|reply-to|date|subject|message-id|references|in-reply-to)\s*:",
    re.IGNORECASE,
)
# A notice that writes a report's recipient fields in its text (some indent them).
INLINE_RECIPIENT = re.compile(r"^[ \t]*(final-recipient|original-recipient):", re.IGNORECASE | re.MULTILINE)
ACTIONS = {"failed": "bounce", "delayed": "deferred", "delivered": "delivered", "relayed": "delivered",
           "expanded": "delivered"}
# A message larger than this is not read (a bounce returns at most a copy of one message).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
DELAY_SUBJECT = re.compile(r"delay|warning", re.IGNORECASE)
# The words of delay notices: Exim's warning ("has not yet been delivered", "Delivery attempts will
# continue for": its default text, src/deliver.c), Sendmail's banner ("THIS IS A WARNING MESSAGE
# ONLY", sendmail/savemail.c) and Postfix's delay template ("It will be retried until it is ... old",
# bounce/bounce_template.c).
DELAY_WORDS = ("has not yet been delivered", "delivery attempts will continue", "this is a warning message only",
               "will be retried")
DELAY_NOTICE = re.compile("|".join(re.escape(words) for words in DELAY_WORDS), re.IGNORECASE)


def _says_delayed(text: str) -> bool:
    """``DELAY_NOTICE.search(text)``; for a text in ASCII, where ignoring case is lower-casing, by
    looking for the lower-cased words (a whole notice is long, and the expression slow)."""
    if text.isascii():
        low = text.lower()
        return any(words in low for words in DELAY_WORDS)
    return DELAY_NOTICE.search(text) is not None

# --------------------------------------------------------------------------
# What one message says.
# --------------------------------------------------------------------------


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    looks_like_bounce: bool = False
    date: str | None = None
    original: Message | None = None  # the headers of the returned message


def _header_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str) and "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(str(value))))
    except (ValueError, LookupError, MessageError):
        return str(value)


@lru_cache(maxsize=4096)
def looks_like_address(text: str) -> bool:
    """:func:`bouncectl.addresses.looks_like_address`, once per text (a message names each address
    in several places: headers, report fields, the notice)."""
    return _looks_like_address(text)


@lru_cache(maxsize=1024)
def parseaddr(value: str) -> tuple[str, str]:
    """``email.utils.parseaddr``, read once per header text (a message's From is read several times)."""
    return _email_parseaddr(value)


def _address(value: object) -> str:
    return normalize(parseaddr(_header_text(value))[1])


def _addresses(msg: Message | None, *names: str) -> list[str]:
    if msg is None:
        return []
    values = [_header_text(v) for name in names for v in msg.get_all(name, [])]
    found = [normalize(address) for value in values for address in ADDRESS.findall(value)]
    return [a for a in dict.fromkeys(found) if looks_like_address(a)]


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):  # a multipart's payload is its parts
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or ""
    if b"\x1b$" in payload and charset.startswith("iso-2022"):
        pass  # 7-bit text, but in the escapes of the charset it names (RFC 1468): read in it
    elif b"\x1b$" in payload and (charset in ("", "us-ascii", "utf-8", "ascii") or payload.isascii()):
        # Japanese notices often send ISO-2022-JP unlabelled or mislabelled (Shift_JIS, say): its
        # escapes tell (RFC 1468), and 7-bit text is in no 8-bit charset.
        charset = "iso-2022-jp"
    elif payload.isascii():
        return payload.decode("ascii")
    return _text_in(payload, charset)


# Labels that say nothing of 8-bit text: the WHATWG Encoding Standard reads ISO-8859-1 and US-ASCII
# as windows-1252 (what the senders that write them use).
WINDOWS_1252_LABELS = frozenset({"", "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1"})
# Tried, strictly, when the label is missing, wrong or unknown: UTF-8, then the multi-byte Japanese
# codings (their byte pairs rarely decode text in another coding), then windows-1252, which reads
# nearly any bytes (a Cyrillic text without its label stays unreadable).
GUESSED_CHARSETS = ("utf-8", "cp932", "euc-jp")


def _text_in(payload: bytes, charset: str) -> str:
    """A part's 8-bit text, in its declared charset if it decodes in it, else in the first that does."""
    if charset and charset not in WINDOWS_1252_LABELS and charset not in ("utf-8", "utf8"):
        try:
            return payload.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
    latin = charset not in ("", "us-ascii", "ascii", "utf-8", "utf8") and charset in WINDOWS_1252_LABELS
    for guess in GUESSED_CHARSETS[:1] if latin else GUESSED_CHARSETS:
        try:
            text = payload.decode(guess)
        except UnicodeDecodeError:
            continue
        # Half-width katakana (one byte each in Shift_JIS) and user-defined characters are what
        # single-byte text read as Shift_JIS gives, never what a notice writes.
        if guess == "utf-8" or not NOT_JAPANESE.search(text):
            return text
    return payload.decode("cp1252", errors="replace")


NOT_JAPANESE = re.compile("[\uff61-\uff9f\ue000-\uf8ff]")


class _TextOfHtml(HTMLParser):
    """The text of an HTML notice as a browser lays it out (HTML's rendering of text, CSS
    ``white-space: normal``): a run of white space in the source, line breaks included, is one
    space, except inside ``pre``; a line break is ``br`` or a block's start or end; the contents of
    ``head``, ``style`` and ``script`` are no text."""

    BLOCKS = frozenset({"p", "div", "tr", "li", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4",
                        "h5", "h6", "hr", "dl", "dt", "dd", "address", "center", "body"})
    HIDDEN = frozenset({"head", "style", "script", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.pre = 0
        self.hidden = 0

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self.chunks.append(data)
            return
        data = _HTML_SPACE.sub(" ", data)
        if not self.chunks or self.chunks[-1].endswith("\n"):
            data = data.lstrip(" ")  # a line does not start with the space its source's indent became
        if data:
            self.chunks.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "br" or tag in self.BLOCKS:
            self.chunks.append("\n")
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br" or tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.chunks.append("\n")
            if tag == "pre":
                self.pre = max(0, self.pre - 1)


_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def _html_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    # Each line without the space the collapsing left at its end.
    return "\n".join(line.rstrip(" ") for line in "".join(parser.chunks).split("\n"))


def _walk_outer(msg: Message) -> Iterator[Message]:
    """The parts of ``msg``, not descending into attached messages (listed once per message)."""
    parts = msg.__dict__.get("_outer_parts")
    if parts is None:
        parts = msg.__dict__["_outer_parts"] = list(_outer_parts(msg))
    return iter(parts)


def _outer_parts(msg: Message) -> Iterator[Message]:
    yield msg
    if msg.is_multipart() and _maintype(msg) != "message":
        for part in msg.get_payload():
            if isinstance(part, Message):
                yield from _outer_parts(part)


def _ctype(part: Message) -> str:
    """``_ctype(part)``, read once per part."""
    ctype = part.__dict__.get("_ctype")
    if ctype is None:
        ctype = part.__dict__["_ctype"] = part.get_content_type()
    return ctype


def _maintype(part: Message) -> str:
    return _ctype(part).split("/")[0]


def _notice_text(msg: Message) -> str:
    """The human-readable text of a message: its text parts, not the returned message."""
    texts, htmls = [], []
    for part in _walk_outer(msg):
        if part.is_multipart():
            continue
        maintype, ctype = _maintype(part), _ctype(part)
        if ctype in ("text/plain", "text/enriched") or maintype == "multipart":  # a broken multipart is text
            texts.append(_unsigned(_part_text(part)))
        elif ctype == "text/html":
            htmls.append(part)
        elif part is msg and maintype != "message":
            texts.append(_part_text(part))
    # The HTML parts are read only when the notice has no plain text.
    return _unquote("\n".join(texts) if texts else "\n".join(_html_text(_part_text(part)) for part in htmls))


# RFC 3676 4.3's signature separator is "-- " on a line of its own. A mail gateway signs the mail it lets
# through below one (MailScanner's "This message has been scanned for viruses and dangerous content by
# MailScanner, and is believed to be clean."): words of no failure, and never the notice's own.
SIGNATURE_LINES = 15  # at most this many lines after the separator, else it is no signature


def _unsigned(text: str) -> str:
    """A text part without the signature at its end (after the last separator, a few lines at most)."""
    at = max(text.rfind("\n-- \n"), text.rfind("\n-- \r\n"))  # its lines end as the part's do
    if at == -1 or text.count("\n", at + 5) > SIGNATURE_LINES:
        return text
    return text[: at + 1]


def _unquote(text: str) -> str:
    """A notice quoted in a forwarded mail (``> `` on most lines), unquoted once."""
    if ">" not in text:
        return text
    lines = text.splitlines()
    filled = [line for line in lines if line.strip()]
    if not filled or sum(line.startswith(">") for line in filled) < 0.6 * len(filled):
        return text
    return "\n".join(line.removeprefix(">").removeprefix(" ") if line.startswith(">") else line for line in lines)


def _split_notice(text: str) -> tuple[str, str | None]:
    """The notice, and what follows it when it returns a copy of the original message."""
    lines = text.splitlines()
    # Lower-casing keeps the line breaks: the lines of the lower-cased text are the same lines.
    for index, (line, low) in enumerate(zip(lines, text.lower().splitlines())):
        # Every marker names a message, a mail, a header or a copy: other lines are not tried.
        if ("mess" in low or "mail" in low or "header" in low or "copy" in low) and ORIGINAL_MARKERS.match(line):
            return "\n".join(lines[:index]), "\n".join(lines[index + 1 :])
        if ":" in line[:40] and COPIED_HEADER.match(line) and _copy_starts(lines, index):
            return "\n".join(lines[:index]), "\n".join(lines[index:])
    return text, None


def _copy_starts(lines: list[str], index: int) -> bool:
    """True when ``lines[index:]`` start a copied header block (not an echo of To, Subject, ...)."""
    count, strong = 0, False
    for line in lines[index : index + 12]:
        if not line.strip():
            break
        if line[:1] in " \t":
            continue
        if not COPIED_HEADER.match(line):
            break
        count += 1
        strong = strong or not ECHO_HEADER.match(line)
    return count >= 3 and strong


def _original_message(msg: Message, rest: str | None) -> Message | None:
    """The headers of the message that bounced, where the bounce returns them (read once per message):
    from a part that holds them, else (with ``rest``) from the text that follows the notice."""
    if "_original" not in msg.__dict__:
        msg.__dict__["_original"] = _original_part(msg)
    found = msg.__dict__["_original"]
    if found is not None or rest is None:
        return found
    if "_original_rest" not in msg.__dict__:
        msg.__dict__["_original_rest"] = _original_in_text(rest)
    return msg.__dict__["_original_rest"]


def _original_part(msg: Message) -> Message | None:
    """The headers of the message that bounced, from a part that returns them."""
    for part in _walk_outer(msg):
        if part is msg:
            continue
        ctype = _ctype(part)
        if ctype in ("message/rfc822", "message/global", "message/partial"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
            if isinstance(payload, str):
                return HeaderParser(IndexedMessage, policy=compat32).parsestr(payload.lstrip())
        if ctype in ("text/rfc822-headers", "text/global-headers", "message/rfc822-headers"):
            return HeaderParser(IndexedMessage, policy=compat32).parsestr(_part_text(part).lstrip())
    return None


def _original_in_text(rest: str) -> Message | None:
    """The headers of the message that bounced, from the copy that follows a notice in its text."""
    lines = rest.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if COPIED_HEADER.match(stripped) or stripped.startswith("From "):
            return _headers_of(_unindent(lines[index:]))
    return None


_FIELD_NAME = re.compile(r"^[\w-]+:")


def _unindent(lines: list[str]) -> Iterator[str]:
    """Header lines of a copy that may be indented as a whole; folded lines stay folded."""
    first = True
    for line in lines:
        stripped = line.strip()
        if not first and stripped and (line[:1] in " \t" and not _FIELD_NAME.match(stripped)):
            yield " " + stripped
        else:
            yield stripped
        first = False


# A line the parser reads as part of a header block (the test of :mod:`email.feedparser`): the
# block ends at the first line that is not one.
_HEADER_LINE = re.compile(r"^(From |[\041-\071\073-\176]*:|[\t ])")


def _headers_of(lines: Iterable[str]) -> Message:
    """The header block that starts ``lines``, parsed: the lines after it are not read (only the
    headers of a returned or forwarded message are looked at)."""
    block = []
    for line in lines:
        if not _HEADER_LINE.match(line):
            break
        block.append(line)
    return HeaderParser(IndexedMessage, policy=compat32).parsestr("\n".join(block))


# --------------------------------------------------------------------------
# The notice: what it says of each failed address.
# --------------------------------------------------------------------------


def _strip_address_lines(text: str) -> str:
    """``text`` without the lines that hold nothing but an address."""
    if "@" not in text:  # no address at all
        return "\n".join(text.splitlines())
    kept = []
    for line in text.splitlines():
        if "@" in line and ADDRESS.search(line) and not ADDRESS.sub("", line).strip(" \t<>\"':;,.()[]*"):
            continue
        kept.append(line)
    return "\n".join(kept)


def _has_code(text: str) -> bool:
    return bool(REPLY_CODE.search(text) or ENHANCED_STATUS.search(text))


_WORD = re.compile(r"[^\W\d_]{3,}")


def _says_something(text: str) -> bool:
    return bool(_WORD.search(_strip_address_lines(text)))


@dataclass
class Notice:
    """A bounce's text, cut into what is said of each failed address, in order."""

    order: list[str]
    lines_of: dict[str, list[str]]
    preamble: str  # the lines before the first address

    def text_of(self, address: str) -> str:
        """The lines about ``address``, with the shared preamble when they say too little."""
        own = "\n".join(self.lines_of.get(address, []))
        if not _says_something(self.preamble):
            return own
        if not _says_something(own) or (not _has_code(own) and _has_code(self.preamble)):
            return self.preamble + "\n" + own
        return own


def _read_notice(text: str, excluded: set[str], failed: list[str], known: list[str] | None = None) -> Notice:
    """Give each line of a notice to the failed address named last.

    The sender's addresses (``excluded``) are skipped, unless nothing else is
    named and no header says who failed (an anonymised sample may reuse one
    address for both). ``known`` are the recipients the report itself names
    (its Final-Recipient fields): a line that names one of them is about it.
    """
    known_set = set(failed) | set(known or ())
    notice = _assign_lines(text, excluded - known_set, known_set)
    if not notice.order and excluded and not failed:
        notice = _assign_lines(text, {a for a in excluded if BOUNCE_SENDERS.match(a.partition("@")[0])}, known_set)
    return notice


# What may stand before an address that heads a recipient's lines: nothing but punctuation, or
# words that introduce a recipient. Anywhere else in a line, an address is quoted by the error
# text (an alias, the sender, a contact) and does not start a new recipient.
HEADING_LEAD = re.compile(r"^[\s<>\"'()\[\]:;,.*#=+|-]*$")
RECIPIENT_INTRO = re.compile(
    r"(rcpt to|recipient|recipients|address(es)?|addressee|mailbox|failed|delivery to|delivered to|message to"
    r"|addressed to|sent to|deliver(ing)? (your message )?to|not be delivered to)[\s:<>\"'(\[]*$",
    re.IGNORECASE,
)


# Sendmail's own line about one recipient: ``550 5.1.1 <a@example.com>... User unknown``.
SENDMAIL_LINE = re.compile(r"^\s*[245]\d\d(?:[ -][245]\.\d{1,3}\.\d{1,3})?\s*<?$")
# Sendmail's line about a host, ``550 example.org (smtp)... 550 Host unknown``, which comes before the
# lines of the recipients at that host (lhost-v5sendmail-01, -04 and -05 of the shared corpus: the host's
# line, then each recipient's own ``554 <a@example.org>... 550 Host unknown``): it ends the lines of the
# recipient named before it, whose failure it is not.
SENDMAIL_HOST_LINE = re.compile(r"^\s*[245]\d\d [^\s<>@]+ \([\w-]+\)\.\.\. ")


def _assign_lines(text: str, excluded: set[str], known: set[str] = frozenset()) -> Notice:  # type: ignore[assignment]
    order: list[str] = []
    lines_of: dict[str, list[str]] = {}
    preamble: list[str] = []
    current = None
    for line in text.splitlines():
        if current is not None and SENDMAIL_HOST_LINE.match(line):
            current = None
        for match in ADDRESS.finditer(line) if "@" in line else ():
            address = normalize(match.group(1))
            before = line[: match.start()]
            # The report's own recipients are recipients wherever the notice names them (``To: ...``).
            if address in excluded or (address not in known and NOT_A_RECIPIENT.search(before)):
                continue
            heading = address in known or address in lines_of or current is None \
                or bool(HEADING_LEAD.match(before)) or bool(RECIPIENT_INTRO.search(before)) \
                or bool(SENDMAIL_LINE.match(before) and line[match.end():].lstrip(">").startswith("..."))
            if not heading:
                continue
            if address not in lines_of:
                order.append(address)
                lines_of[address] = []
            current = address
            break
        if current is None:
            preamble.append(line)
        else:
            lines_of[current].append(line)
    return Notice(order, lines_of, "\n".join(preamble))


def _sender_addresses(msg: Message, original: Message | None) -> set[str]:
    """The sender's own addresses, which a notice names without their having failed."""
    excluded = set(_addresses(msg, "From", "Return-Path", "Sender", "To", "Cc", "Delivered-To", "Envelope-To"))
    excluded.update(_addresses(original, "From", "Return-Path", "Sender", "Reply-To"))
    return excluded


def _text_findings(msg: Message, notice: Notice, failed: list[str], original: Message | None,
                   kind: str) -> list[Finding]:
    order = notice.order or failed or _flufl_addresses(msg) or _addresses(original, "To", "Cc")
    findings = []
    for address in order:
        text = notice.text_of(address) if address in notice.lines_of else notice.preamble
        code, code_status = _reply_code(text)
        status = ENHANCED_STATUS.search(text)
        findings.append(
            Finding(
                recipient=address,
                kind=kind,
                smtp_code=code,
                enhanced_status=code_status or (status.group(1) if status else None),
                diagnostic=_squeeze(_strip_address_lines(text)) or None,
                command=_command(text),
                host=_host_in(text),
            )
        )
    return _without_passed(findings)


def _passed(finding: Finding) -> bool:
    """True for a recipient whose lines hold only a 2xx reply (a transcript's accepted RCPT)."""
    code, status = finding.smtp_code, finding.enhanced_status
    return code is not None and code < 300 and (status is None or status.startswith("2."))


def _without_passed(findings: list[Finding]) -> list[Finding]:
    """The findings of a notice without the recipients the remote server accepted, where others failed."""
    if len(findings) < 2 or not any(f.smtp_code is not None and f.smtp_code >= 400 for f in findings):
        return findings
    return [finding for finding in findings if not _passed(finding)]


def _flufl_addresses(msg: Message) -> list[str]:
    """Failed addresses found by flufl.bounce's detectors (sorted: it returns sets, without reasons).

    Some of its detectors fail on a message without a plain From header; it
    logs each failure with a traceback before raising, so its logger is muted
    while it runs.
    """
    logger = logging.getLogger("flufl.bounce")
    muted, logger.disabled = logger.disabled, True
    try:
        temporary, permanent = all_failures(msg)
    except (ValueError, TypeError, AttributeError, LookupError, MessageError):
        return []
    finally:
        logger.disabled = muted
    found = set()
    for raw in set(temporary) | set(permanent):
        address = _clean_recipient(raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))
        if looks_like_address(address):
            found.add(address)
    return sorted(found)


# --------------------------------------------------------------------------
# RFC 3464 delivery status notifications.
# --------------------------------------------------------------------------


def _dsn_blocks(part: Message) -> list[Message]:
    own = _own_fields(part)
    return [own, *_payload_blocks(part)] if own is not None else _payload_blocks(part)


def _own_fields(part: Message) -> Message | None:
    """A report part written without the blank line after its own header: its fields, which the
    parser took for the part's headers, as a block (``None`` when the part has no recipient field)."""
    if RECIPIENT_FIELDS[0] not in part and RECIPIENT_FIELDS[1] not in part:
        return None
    block = IndexedMessage()
    for name, value in part.raw_items():
        if not name.lower().startswith(("content-", "mime-")):
            block[name] = value
    return block


def _payload_blocks(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list) and all(isinstance(p, Message) for p in payload):
        blocks = [p for p in payload if isinstance(p, Message)]
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if encoding in ("base64", "quoted-printable"):
            # The parser read the encoded text as field blocks: it is decoded, then read.
            return _field_blocks(_decoded_blocks(blocks, encoding))
        if not any(RECIPIENT_FIELDS[0] in block or RECIPIENT_FIELDS[1] in block for block in blocks):
            source = "\n".join(_block_source(block) for block in blocks)
            if INLINE_RECIPIENT.search(source):  # fields indented as a whole: not read as fields
                return _field_blocks(textwrap.dedent(source))
        return blocks
    return _field_blocks(_part_text(part))


def _block_source(block: Message) -> str:
    """The lines a field block was parsed from: its fields as written (folded lines kept), then
    the lines the parser did not take for fields, right after them when no blank line came between.
    Indented lines that start the block are kept by the parser only in its defects (as continuation
    lines of no field): they come first."""
    lead = "".join(str(defect) for defect in block.defects if isinstance(defect, FirstHeaderLineIsContinuationDefect))
    head = lead + "".join(f"{name}: {value}\n" for name, value in block.raw_items())
    body = block.get_payload()
    if not isinstance(body, str) or not body:
        return head
    joined = any(isinstance(defect, MissingHeaderBodySeparatorDefect) for defect in block.defects)
    return head + ("" if joined else "\n") + body + ("" if body.endswith("\n") else "\n")


def _decoded_blocks(blocks: list[Message], encoding: str) -> str:
    """The text of a report part sent base64 or quoted-printable, whose encoded lines the parser
    took for field blocks (it reads a delivery-status part as blocks whatever its encoding)."""
    encoded = "\n".join(_block_source(block) for block in blocks).encode("utf-8", "surrogateescape")
    if encoding == "base64":
        try:
            data = base64.b64decode(encoded)
        except binascii.Error:
            return encoded.decode("ascii", "replace")
    else:
        data = quopri.decodestring(encoded)
    return decode(data)


def _field_blocks(text: str) -> list[Message]:
    """Blocks of ``Name: value`` fields separated by blank lines."""
    blocks: list[list[str]] = [[]]
    if text[:1] in (" ", "\t"):  # indented as a whole (the folded lines further)
        text = textwrap.dedent(text)
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    parser = HeaderParser(IndexedMessage, policy=compat32)
    return [parser.parsestr("\n".join(block) + "\n\n") for block in blocks if block]


SPACES = re.compile(r"\s+")


def _value(block: Message, name: str) -> str:
    """A field's value, unfolded (each value unfolded once: a report is read field by field, some
    fields many times)."""
    values = block.__dict__.get("_values")
    if values is None:
        values = block.__dict__["_values"] = {}
    name = name.lower()
    text = values.get(name)
    if text is None:
        # As the parser keeps it: 8-bit bytes (a remote's reply in Latin-1, say) read by _raw_text.
        found = block.raw_value(name) if isinstance(block, IndexedMessage) else block.get(name)
        if found is None:
            text = ""
        elif isinstance(found, str) and found.isascii() and "\x1b" not in found:
            text = SPACES.sub(" ", found).strip()
        else:
            text = SPACES.sub(" ", _raw_text(found)).strip()
        values[name] = text
    return text


def _raw_text(value: object) -> str:
    """A header value as text: 8-bit bytes read as UTF-8 (else Latin-1), ISO-2022-JP escapes decoded.

    The parser keeps a header's 8-bit bytes as surrogates; a report's fields read from a part's decoded
    text (see :func:`_field_blocks`) hold text already, whose characters are written back as UTF-8."""
    text = str(value or "")
    try:
        data = text.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogateescape")
    if b"\x1b$" in data or b"\x1b(" in data:
        try:
            return data.decode("iso-2022-jp")
        except UnicodeDecodeError:
            pass
    return decode(data)


_FIELD_TYPE = re.compile(r"[\w.-]+")
_FIELD_TYPE_SPACED = re.compile(r"\s*[\w.-]+\s*")


def _typed_value(block: Message, name: str) -> str:
    """A ``type; value`` field's value (``rfc822; a@example.com`` -> ``a@example.com``)."""
    value = _value(block, name)
    kind, sep, rest = value.partition(";")
    if sep and _FIELD_TYPE_SPACED.fullmatch(kind):
        return rest.strip()
    return value


@lru_cache(maxsize=4096)
def _clean_recipient(value: str) -> str:
    """The address a recipient field (or text) names, in its normal form (read once per text)."""
    value = value.strip().strip("<>\"' ")
    found = ADDRESS.search(value)
    return normalize(found.group(1)) if found else normalize(value)


def _block_recipient(block: Message) -> str | None:
    """The recipient a DSN block is about: its Original-Recipient when that is an address (the
    Final-Recipient may be a rewritten, cluster-local one), else its Final-Recipient."""
    for name in ("Original-Recipient", "Final-Recipient", "X-Actual-Recipient"):
        address = _clean_recipient(_typed_value(block, name))
        if looks_like_address(address):
            return address
    return None


def _block_addresses(block: Message) -> list[str]:
    found = (_clean_recipient(_typed_value(block, name))
             for name in ("Original-Recipient", "Final-Recipient", "X-Actual-Recipient"))
    return [a for a in dict.fromkeys(found) if looks_like_address(a)]


def _typed_kind(block: Message, name: str) -> str | None:
    """The type of a ``type; value`` field (``X-Unix; ...`` -> ``X-Unix``)."""
    kind, sep, _ = _value(block, name).partition(";")
    kind = kind.strip()
    return kind if sep and _FIELD_TYPE.fullmatch(kind) else None


def _inline_fields(text: str) -> str:
    """The DSN fields a notice writes in its text, with their folded continuation lines."""
    kept: list[str] = []
    indent: int | None = None  # how far the field being read is indented (None: no field)
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        depth = len(line) - len(stripped)
        if ":" in line and DSN_FIELD.match(line):
            kept.append(stripped)
            indent = depth
        elif indent is not None and stripped and depth > indent:
            kept.append(" " + stripped)  # a folded line of that field
        else:
            indent = None
            if not stripped:
                kept.append("")
    return "\n".join(kept)


RECIPIENT_FIELDS = ("final-recipient", "original-recipient")


def _recipient_groups(block: Message) -> list[Message]:
    """A block that holds several recipients without a blank line between them, cut at each."""
    items = block.items()
    if sum(name.lower() == "final-recipient" for name, _ in items) < 2:
        return [block]
    groups: list[list[tuple[str, str]]] = [[]]
    for name, value in items:
        lower = name.lower()
        seen = {n.lower() for n, _ in groups[-1]}
        repeated = lower in seen or (lower == "original-recipient" and "final-recipient" in seen)
        if lower in RECIPIENT_FIELDS and repeated:
            groups.append([])
        groups[-1].append((name, value))
    out: list[Message] = []
    for group in groups:
        piece = IndexedMessage()
        for name, value in group:
            piece[name] = value
        out.append(piece)
    return out


def _full_reply(own: str, diagnostic: str) -> str | None:
    """The whole reply of the remote server, where the notice's text holds more of it than the
    Diagnostic-Code (a field cut at its first line): its lines with the same reply code, joined."""
    code, _ = _reply_code(diagnostic)
    if code is None or not own:
        return None
    lines = [re.sub(r"^\s*(<<<|In:)\s*", "", line) for line in own.splitlines()]
    reply: list[str] = []
    for line in lines:
        found = re.match(rf"\s*{code}([ -])", line)
        if reply and not found:
            break
        if found:
            reply.append(line)
            if found.group(1) == " ":
                break  # the last line of a multi-line reply
    if len(reply) < 2:
        return None
    full = join_reply(reply)
    return full if says_more(full, diagnostic) else None


def _dsn_findings(blocks: list[Message], notice: Notice, fallback: list[str]) -> list[Finding]:
    """One finding per recipient block; ``fallback``: who failed, when a block names no address."""
    findings: list[Finding] = []
    message_date = None
    for block in blocks:
        recipient = _typed_value(block, "Final-Recipient") or _typed_value(block, "X-Actual-Recipient")
        original = _typed_value(block, "Original-Recipient")
        if not recipient and not original:
            message_date = message_date or _value(block, "Arrival-Date") or None
            if not _value(block, "Action") and not _value(block, "Status"):
                continue  # the per-message block
        address = _block_recipient(block) or _clean_recipient(recipient or original)
        if not looks_like_address(address) and len(fallback) == 1:
            address = fallback[0]
        status_text = _value(block, "Status")
        status_match = ENHANCED_STATUS.search(status_text)
        status = status_match.group(1) if status_match else None
        status_note = status_text[status_match.end() :].strip(" ()") if status_match else ""
        own = "\n".join(line for a in _block_addresses(block) or [address] for line in notice.lines_of.get(a, []))
        diagnostic = _diagnostic_code(block)
        if diagnostic.lower() in ("smtp;", "smtp"):
            diagnostic = ""
        if not diagnostic:
            diagnostic = _squeeze(_strip_address_lines(own)) or status_note
        else:
            diagnostic = _full_reply(own, diagnostic) or diagnostic
            if status_note and status_note.lower() not in diagnostic.lower():
                diagnostic = f"{diagnostic} ({status_note})"
        kind = ACTIONS.get(_value(block, "Action").lower().split(" ")[0], "bounce")
        if kind == "bounce" and status and status.startswith("2."):
            kind = "delivered"
        code, code_status = _reply_code(diagnostic)
        findings.append(
            Finding(
                recipient=address,
                kind=kind,
                smtp_code=code,
                enhanced_status=_pick_status(status, code_status or _status_in(diagnostic), code),
                diagnostic=diagnostic or None,
                command=_command(diagnostic) or _command(own),
                host=_host(_typed_value(block, "Remote-MTA")) or _host_in(diagnostic) or _host_in(own),
                date=_value(block, "Last-Attempt-Date") or message_date,
                diagnostic_type=_typed_kind(block, "Diagnostic-Code"),
                action=_value(block, "Action").lower().split(" ")[0] or None,
            )
        )
    return findings


CONTINUED_REPLY = re.compile(r"^\s*([245]\d\d)-")


def _diagnostic_code(block: Message) -> str:
    """The Diagnostic-Code's value; a multi-line SMTP reply folded into it (``550-5.1.1 a`` /
    `` 550 5.1.1 b``) joined as one reply (``550 5.1.1 a b``)."""
    value = _typed_value(block, "Diagnostic-Code")
    raw = block.get("Diagnostic-Code")
    if not isinstance(raw, str) or "\n" not in raw or "-" not in raw:
        return value
    kind, sep, rest = raw.partition(";")
    lines = (rest if sep and _FIELD_TYPE_SPACED.fullmatch(kind) else raw).splitlines()
    if not _multiline_reply(lines):
        return value
    return SPACES.sub(" ", join_reply(lines)).strip()


def _multiline_reply(lines: list[str]) -> bool:
    """Whether ``lines`` hold a multi-line SMTP reply: a line ``550-...`` and a later line of the
    same code (RFC 5321 4.2.1). A field folded where its text happens to read ``550-'5.7.1 ...``
    (a relay's own words, then the reply it quotes) is no such reply: it is only unfolded."""
    for at, line in enumerate(lines):
        found = CONTINUED_REPLY.match(line)
        if found:
            same_code = re.compile(rf"^\s*{found.group(1)}[- ]")
            return any(same_code.match(later) for later in lines[at + 1 :])
    return False


def _vague(status: str) -> bool:
    """X.0.0: only the class of the failure is known (RFC 3463 3.1)."""
    return status.endswith(".0.0")


def _status_in(text: str) -> str | None:
    """The first enhanced status of ``text`` that says more than its class, else the last vague one
    (X.0.0, or 4.4.7, which says only that the message waited too long): Sisimai reads the status of
    a diagnostic so (lib/Sisimai/SMTP/Status.pm ``find``)."""
    vague = None
    for found in ENHANCED_STATUS.finditer(text or ""):
        status = found.group(1)
        if _vague(status) or status == "4.4.7":
            vague = status
            continue
        return status
    return vague


def _pick_status(field_status: str | None, text_status: str | None, reply: int | None) -> str | None:
    """The status of a DSN recipient: its Status field, unless the diagnostic's own status says more.

    As Sisimai chooses between them (lib/Sisimai/SMTP/Status.pm ``prefer``, called by
    lib/Sisimai/Fact.pm with the status and the reply code found in the diagnostic): where the two
    differ in class, the one of the reply code's class; the field where it says more than its class
    and the text does not; the text where the field is vague (X.0.0, or X.Y.0 / X.0.Z against a text
    with no zero), where it is 4.4.7 (the delivery time ran out, whatever the failure was) or a
    5.3.Z of the reporting mail system, or where a 5.1.1 or 5.1.3 field meets a more precise text
    (a 5.1.1 against a text with no zero; a 5.1.3 against a 5.7.Z policy refusal).
    """
    if not field_status or not text_status:
        return field_status or text_status
    field_class, text_class = field_status[0], text_status[0]
    reply_class = str(reply)[0] if reply else None
    if reply_class and field_class != text_class:
        if reply_class == field_class:
            return field_status
        if reply_class == text_class:
            return text_status
    if field_status == text_status:
        return field_status
    if _vague(field_status):
        return field_status if _vague(text_status) else text_status
    if ".0" in field_status and ".0" not in text_status:
        return text_status
    if _vague(text_status):
        return field_status
    if field_status == "4.4.7" or field_status.startswith("5.3."):
        return text_status
    if field_status == "5.1.1":
        return field_status if ".0" in text_status else text_status
    if field_status == "5.1.3" and text_status.startswith("5.7."):
        return text_status
    return field_status


# --------------------------------------------------------------------------
# Complaints, unsubscribes and auto-replies.
# --------------------------------------------------------------------------


def _feedback_findings(msg: Message) -> list[Finding] | None:
    """The findings of a complaint or unsubscribe report; ``None`` when ``msg`` is not one."""
    report = _feedback_part(msg)
    original = _original_message(msg, None)
    if report is not None:
        blocks = _dsn_blocks(report)
        fields = blocks[0] if blocks else Message()
        feedback_type = _value(fields, "Feedback-Type").lower() or "abuse"
        recipients = [_clean_recipient(v) for name in ("Original-Rcpt-To", "Removal-Recipient")
                      for v in fields.get_all(name, [])]
        recipients = [a for a in dict.fromkeys(recipients) if looks_like_address(a)]
        # No Original-Rcpt-To (it is optional): whom the returned message was for, else the
        # complainant who sent the report.
        recipients = (recipients or _addresses(original, "To", "Cc")
                      or _addresses(original, "Delivered-To", "X-Original-To", "Envelope-To")
                      or _received_for(original) or _addresses(msg, "From"))
        date = _value(fields, "Arrival-Date") or _value(fields, "Received-Date") or None
        kind = "unsubscribe" if feedback_type == "opt-out" else "complaint"
        return [Finding(a, kind, date=date, feedback_type=feedback_type) for a in recipients]
    if original is not None and original.get("X-HmXmrOriginalRecipient"):  # Microsoft's JMRP
        address = _clean_recipient(_header_text(original.get("X-HmXmrOriginalRecipient")))
        return [Finding(address, "complaint", feedback_type="abuse")]
    if str(msg.get("X-Apple-Unsubscribe", "")).strip().lower() == "true":  # Apple Mail's unsubscribe button
        return [Finding(_address(msg.get("From")), "unsubscribe", feedback_type="opt-out")]
    return None


FEEDBACK_TYPE_FIELD = re.compile(r"^feedback-type:", re.IGNORECASE | re.MULTILINE)


def _feedback_part(msg: Message) -> Message | None:
    """The ``message/feedback-report`` part of a report; where it has none, the part of a
    ``multipart/report`` sent as ``text/plain`` or ``application/octet-stream`` that holds the
    report's Feedback-Type field (RFC 5965 3.1: the second part of the report)."""
    found = next((p for p in _walk_outer(msg) if _ctype(p) == "message/feedback-report"), None)
    if found is not None or _ctype(msg) != "multipart/report":
        return found
    payload = msg.get_payload()
    second = payload[1] if isinstance(payload, list) and len(payload) > 1 else None
    if isinstance(second, Message) and _ctype(second) in ("text/plain", "application/octet-stream") \
            and FEEDBACK_TYPE_FIELD.search(_part_text(second)):
        return second
    return None


RECEIVED_FOR = re.compile(r"\bfor\s+<?([^\s<>;]+@[^\s<>;]+)>?", re.IGNORECASE)


def _received_for(msg: Message | None) -> list[str]:
    """The addresses the ``Received`` fields of ``msg`` say it was for."""
    if msg is None:
        return []
    found = (RECEIVED_FOR.search(str(value)) for value in msg.get_all("Received", []))
    return [a for a in dict.fromkeys(normalize(f.group(1)) for f in found if f) if looks_like_address(a)]


def _is_auto_reply(msg: Message) -> bool:
    for name, pattern in AUTO_REPLY_HEADERS:
        value = msg.get(name)
        if value is not None and pattern.search(str(value)):
            return True
    return bool(AUTO_REPLY_SUBJECTS.search(_header_text(msg.get("Subject"))))


def _from_mail_daemon(msg: Message) -> bool:
    name, sender = parseaddr(_header_text(msg.get("From")))
    if DAEMON_SENDERS.match(sender.partition("@")[0]) or DAEMON_SENDER_NAMES.search(name):
        return True
    return msg.get("X-Failed-Recipients") is not None or _ctype(msg) == "multipart/report"


def _says_it_failed(text: str) -> bool:
    """Whether a notice's text says a delivery failed: its words, or an SMTP reply or status of a failure.

    A null return path alone (RFC 5321 4.5.5) is no bounce: RFC 3834 asks auto-replies to use one too,
    and an out-of-office reply that no marker names must not give its colleagues' addresses as bounced."""
    if FAILURE_PHRASES.search(text) or FAILURE_REPLY_LINE.search(text):
        return True
    return any(found.group(1)[0] in "45" for found in ENHANCED_STATUS.finditer(text))


# A line that starts with a failure reply: its code, then a status, a word or an address ("550 5.1.1 ...",
# "550 User unknown", "554 <a@b>..."), not the digits of a telephone number ("555-0123").
FAILURE_REPLY_LINE = re.compile(r"^\s*[45][0-5]\d[ -](?:[245]\.\d{1,3}\.\d{1,3}|[A-Za-z<'\"(])", re.MULTILINE)


def _looks_like_bounce(msg: Message, text: str) -> bool:
    name, sender = parseaddr(_header_text(msg.get("From")))
    if BOUNCE_SENDERS.match(sender.partition("@")[0]) or BOUNCE_SENDER_NAMES.search(name):
        return True
    if msg.get("X-Failed-Recipients") or _ctype(msg) == "multipart/report":
        return True
    if msg.get("Return-Path") is not None and _address(msg.get("Return-Path")) == "" and _says_it_failed(text):
        return True
    if BOUNCE_SUBJECTS.search(_header_text(msg.get("Subject"))):
        return True
    # A message returned with a notice that says it failed.
    returned = any(_ctype(p) in ("message/rfc822", "text/rfc822-headers") for p in _walk_outer(msg))
    if not returned:
        return False
    if FAILURE_PHRASES.search(text):
        return True
    # A delivery report forwarded as an attachment.
    attached = _original_message(msg, None)
    return attached is not None and _ctype(attached) == "multipart/report"


SES_EVENTS = {"bounce": "bounce", "deferred": "deferred", "delivered": "delivered", "complaint": "complaint",
              "unsubscribe": "unsubscribe"}


_JSON_START = re.compile(r"^[ \t]*\{", re.MULTILINE)
BANNER_CHARS = 4096  # where a notification sent by email may start, after a gateway's banner


def _ses_findings(text: str, options: ImportOptions) -> list[Finding] | None:
    """An Amazon SES notification sent by email (an SNS email subscription), read by the SES importer."""
    # From the first line that opens an object, within the first lines: a mail gateway may have put a
    # banner above it (as it may add a footer below, which the decoding leaves after the object).
    start = _JSON_START.search(text, 0, BANNER_CHARS)
    if start is None:
        return None
    body = text[start.end() - 1:].strip()
    if not ses.sniff(body[:65536].encode("utf-8", "replace"), None):
        return None
    # Mail may have folded the long lines, inside strings too: unfold them (JSON needs no line breaks).
    body = re.sub(r"\r?\n ?", "", body)
    try:
        record, _ = json.JSONDecoder(strict=False).raw_decode(body)
        # The SES importer's own record reader (a private name of that module: see its owner).
        events = list(ses.convert(record, options, 1)) if isinstance(record, dict) else []
    except (ValueError, RecordError):
        return None
    return [
        Finding(event.recipient, SES_EVENTS[event.event], smtp_code=event.smtp_code,
                enhanced_status=event.enhanced_status, diagnostic=event.diagnostic, date=event.timestamp,
                provider_type=event.provider_type, email_id=event.email_id, message_id=event.message_id)
        for event in events if isinstance(event, Event) and event.event in SES_EVENTS
    ]


def _attached_bounce(original: Message | None) -> Message | None:
    """A whole bounce attached to a message (forwarded as ``message/rfc822`` by a person): a report,
    or a message from a mailer-daemon or postmaster; a message returned by a bounce is neither."""
    if original is None:
        return None
    return original if _ctype(original) == "multipart/report" or _from_bounce_sender(original) else None


def _from_bounce_sender(msg: Message) -> bool:
    name, sender = parseaddr(_header_text(msg.get("From")))
    return bool(BOUNCE_SENDERS.match(sender.partition("@")[0]) or BOUNCE_SENDER_NAMES.search(name))


def _forwarded_bounce(rest: str | None) -> Message | None:
    """A whole bounce pasted below a notice (a forwarded bounce), if that is what follows it."""
    if not rest:
        return None
    lines = rest.lstrip("\n").splitlines()
    if lines and lines[0].startswith("From "):
        lines = lines[1:]
    # Its headers tell; the whole of it is parsed only when it is a bounce.
    head = _headers_of(lines)
    if _ctype(head) == "multipart/report" or _looks_like_bounce(head, ""):
        return email.message_from_string("\n".join(lines), IndexedMessage, policy=compat32)
    return None


# --------------------------------------------------------------------------
# One message.
# --------------------------------------------------------------------------


def analyse(msg: Message, options: ImportOptions | None = None, depth: int = 0) -> Analysis:
    """Everything one message says about its recipients (nothing classified yet).

    The decoders of :mod:`bouncectl.sources.messages.registry` are asked in order; the first
    that recognises the notice and reads a recipient decides. The generic readers (ARF,
    RFC 3834, RFC 3464 and the plain-text notice) come last.
    """
    analysis = Analysis(date=_header_text(msg.get("Date")) or None)
    feedback = _feedback_findings(msg)
    if feedback is not None:
        analysis.findings = _named(feedback, "arf")
        analysis.original = _original_message(msg, None)
        return analysis
    full_text = _notice_text(msg)
    notification = _ses_findings(full_text, options or ImportOptions())
    if notification is not None:
        analysis.findings = _named(notification, "amazonses")
        return analysis
    text, rest = _split_notice(full_text)
    analysis.original = _original_message(msg, rest)
    if _is_auto_reply(msg) and not _from_mail_daemon(msg):
        sender = _address(msg.get("From")) or _address(msg.get("Reply-To"))
        subject = _header_text(msg.get("Subject")) or None
        analysis.findings = [Finding(sender, "vacation", diagnostic=subject, decoder="rfc3834")]
        return analysis
    reports = _report_parts(msg)
    blocks = [block for part in reports for block in _dsn_blocks(part)]
    if not blocks and INLINE_RECIPIENT.search(text):
        blocks = _field_blocks(_inline_fields(text))
    blocks = [piece for block in blocks for piece in _recipient_groups(block)]
    analysis.looks_like_bounce = bool(blocks) or _looks_like_bounce(msg, text)
    if not analysis.looks_like_bounce:
        return analysis
    name, sender = parseaddr(_header_text(msg.get("From")))
    bounce = Bounce(msg=msg, subject=untagged_subject(_header_text(msg.get("Subject"))), sender=normalize(sender),
                    sender_name=name,
                    text=text, rest=rest, original=analysis.original, reports=reports, has_dsn=bool(blocks),
                    generic=lambda: _generic_findings(msg, text, rest, blocks, analysis.original, options, depth))
    for decoder in registry.candidates(bounce):
        if decoder.recognise(bounce):
            found = decoder.decode(bounce)
            if found:
                analysis.findings = _named(_delays(found, text), decoder.NAME)
                return analysis
    analysis.findings = _named(bounce.findings(), "rfc3464" if blocks else "notice")
    return analysis


REPORT_TYPES = ("message/delivery-status", "message/global-delivery-status")


def _report_parts(msg: Message) -> list[Message]:
    """The delivery-status parts of ``msg``; where it has none, a part of a ``multipart/report``
    sent as ``application/octet-stream`` that holds the report's recipient fields (some gateways
    relabel the parts they do not know)."""
    reports = [p for p in _walk_outer(msg) if _ctype(p) in REPORT_TYPES]
    if reports or _ctype(msg) != "multipart/report":
        return reports
    return [p for p in _walk_outer(msg) if _ctype(p) == "application/octet-stream"
            and INLINE_RECIPIENT.search(_part_text(p))]


def _delays(findings: list[Finding], text: str) -> list[Finding]:
    """A decoder's failures in a notice that warns of a delay, read as the generic reader reads them:
    in a notice with the words of a delay notice (:data:`DELAY_WORDS`), a recipient without a DSN
    Action (where there is one, the report's own word decides) is a deferral."""
    if any(f.kind == "bounce" and not f.action for f in findings) and _says_delayed(text):
        for finding in findings:
            if finding.kind == "bounce" and not finding.action:
                finding.kind = "deferred"
    return findings


def _named(findings: list[Finding], name: str) -> list[Finding]:
    for finding in findings:
        finding.decoder = finding.decoder or name
        if finding.kind in ("bounce", "deferred") and finding.decoder_reason in (None, "mailererror"):
            _local_agent(finding)
    return findings


def _local_agent(finding: Finding) -> None:
    """The reason a local delivery agent's own error line states (:mod:`localagents`), over an MTA's
    bare "the delivery program failed" (Postfix's ``Command died with status``): the agent's words
    say why it failed ("maildrop: maildir over quota." is a full mailbox)."""
    stated = localagents.reason_of(finding.diagnostic, finding.command)
    if stated is not None:
        finding.decoder_reason, finding.reason_origin = stated


def _generic_findings(msg: Message, text: str, rest: str | None, blocks: list[Message], original: Message | None,
                      options: ImportOptions | None, depth: int) -> list[Finding]:
    """What the generic readers find: RFC 3464 recipient blocks, else the notice's text."""
    # (A field has its colon: a line without one is not matched.)
    prose = "\n".join(line for line in text.splitlines() if ":" not in line or not DSN_FIELD.match(line))
    failed = _addresses(msg, "X-Failed-Recipients")
    known = [a for a in (_block_recipient(block) for block in blocks) if a]
    notice = _read_notice(prose, _sender_addresses(msg, original), failed, known)
    if blocks:
        findings = _dsn_findings(blocks, notice, failed or _addresses(original, "To", "Cc"))
        if findings:
            return findings
    forwarded = (_forwarded_bounce(rest) or _attached_bounce(original)) if depth < 2 else None
    if forwarded is not None and (not notice.order or _ctype(forwarded) == "multipart/report"):
        inner = analyse(forwarded, options, depth + 1)
        if inner.findings:
            return inner.findings
    delayed = bool(DELAY_SUBJECT.search(_header_text(msg.get("Subject")))
                   or _says_delayed(text))
    return _text_findings(msg, notice, failed, original, "deferred" if delayed else "bounce")


def classify_finding(finding: Finding) -> Verdict:
    """The reason of one finding: non-bounces by their kind, failures by the classifier."""
    if finding.kind in ("complaint", "unsubscribe"):
        return Verdict("feedback", None, f"feedback report ({finding.feedback_type or 'abuse'})")
    if finding.kind == "vacation":
        return Verdict("vacation", None, "auto-reply (RFC 3834)")
    if finding.kind == "delivered":
        return Verdict("delivered", None, "DSN action delivered")
    # The provider hint: the remote host when it is a known provider's, else the recipient's domain.
    host = finding.host if provider_of(finding.host) else finding.recipient.rpartition("@")[2] or finding.host
    action = finding.action or ("delayed" if finding.kind == "deferred" else None)
    verdict = classify(finding.smtp_code, finding.enhanced_status, finding.diagnostic, host=host,
                       command=finding.command, diagnostic_type=finding.diagnostic_type,
                       decoder_reason=finding.decoder_reason, action=action, recipient=finding.recipient,
                       decoder_origin=finding.reason_origin)
    return combine(verdict, finding.provider_type)


# --------------------------------------------------------------------------
# Reading files: one message, an mbox, a maildir or a folder.
# --------------------------------------------------------------------------


def iter_messages(source: Source) -> Iterator[tuple[int, bytes | None, str | None]]:
    """``(message number, bytes, mbox From_ line or None)`` for every message in ``source``.

    The bytes are ``None`` for a message larger than :data:`MAX_MESSAGE_BYTES`.
    """
    if source.is_dir:
        yield from _folder_messages(source.path)  # type: ignore[arg-type]
        return
    with source.open_binary() as raw:
        stream, first = _lines_of(raw, source.name)
        if not first.startswith(b"From "):
            data = first + _read_at_most(stream, MAX_MESSAGE_BYTES)
            if stream.read(1):
                yield 1, None, None
            elif data.strip():
                yield 1, data, None
            return
        number, separator, size, blank_before = 0, first, 0, True
        lines: list[bytes] = []
        for line in stream:
            if line.startswith(b"From ") and (blank_before or MBOX_SEPARATOR.match(line)):
                number += 1
                yield number, b"".join(lines) if size <= MAX_MESSAGE_BYTES else None, separator.decode("latin-1")
                separator, lines, size, blank_before = line, [], 0, False
                continue
            blank_before = not line.strip()
            size += len(line)
            if size <= MAX_MESSAGE_BYTES:
                lines.append(line[1:] if line.startswith(b">From ") else line)
        yield number + 1, b"".join(lines) if size <= MAX_MESSAGE_BYTES else None, separator.decode("latin-1")


# An mbox separator line as mail systems write it: ``From SENDER Tue Dec  1 10:00:00 2026`` (the
# date as C's asctime gives it, a time zone sometimes after the time). It starts a message even
# where the writer left no blank line before it; any other "From " line does only after a blank line.
MBOX_SEPARATOR = re.compile(
    rb"From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2}"
    rb" +\d{1,2}:\d\d(?::\d\d)?(?: +[A-Z]{3,4}| +[+-]\d{4})? +\d{4}\s*$"
)


def _lines_of(raw: BinaryIO, name: str) -> tuple[BinaryIO, bytes]:
    """The stream to read a file's messages from, and its first line: a file in UTF-16 re-read as
    UTF-8, one whose lines end in bare carriage returns (old Mac mail files) re-read with line feeds
    (the email parser reads a bare CR as a line end too; the mbox separators are found by lines)."""
    first = raw.readline()
    encoding = utf16(first)
    if encoding:
        stream = io.BytesIO(_from_utf16(_whole(first, raw, name, "in UTF-16"), encoding, name))
        return _lines_of(stream, name)
    if b"\r" in first.rstrip(b"\r\n"):  # a bare CR inside the first line: the file's line ends
        stream = io.BytesIO(_bare_cr_to_lf(_whole(first, raw, name, "with bare CR line ends")))
        return stream, stream.readline()
    return raw, first


def _whole(first: bytes, raw: BinaryIO, name: str, what: str) -> bytes:
    """The whole of a file that is re-read in memory (up to :data:`MAX_MESSAGE_BYTES`)."""
    data = first + _read_at_most(raw, MAX_MESSAGE_BYTES - len(first))
    if raw.read(1):
        raise InputError(name, f"a file {what} larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB is not read",
                         hint="save it as UTF-8 with LF or CRLF line ends and read it again")
    return data


def _bare_cr_to_lf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _from_utf16(data: bytes, encoding: str, name: str) -> bytes:
    """A file written in UTF-16 (by some Windows tools), as UTF-8; one that does not decode is refused."""
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"looks like UTF-16 text but is not valid UTF-16 (at byte {exc.start})", line=1,
                         hint="save the message as UTF-8 (or as it was received) and read it again") from None


def _read_at_most(stream: BinaryIO, limit: int, chunk: int = 64 * 1024) -> bytes:
    """Up to ``limit`` bytes (a chunk more at most), read in chunks: ``read(limit)`` would set aside
    ``limit`` bytes for every message, however small."""
    parts: list[bytes] = []
    size = 0
    while size < limit:
        piece = stream.read(min(chunk, limit - size))
        if not piece:
            break
        parts.append(piece)
        size += len(piece)
    return b"".join(parts)


def _folder_messages(path: Path) -> Iterator[tuple[int, bytes | None, str | None]]:
    if (path / "cur").is_dir() or (path / "new").is_dir():
        box = mailbox.Maildir(str(path), factory=None, create=False)
        for number, key in enumerate(sorted(box.keys()), start=1):
            yield number, box.get_bytes(key), None
        return
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    for number, file in enumerate(files, start=1):
        yield number, file.read_bytes() if file.stat().st_size <= MAX_MESSAGE_BYTES else None, None


def _from_line_date(separator: str | None) -> str | None:
    parts = (separator or "").split(None, 2)
    return parts[2].strip() if len(parts) == 3 else None


def _received_date(msg: Message) -> str | None:
    for value in msg.get_all("Received", []):
        when = str(value).rpartition(";")[2].strip()
        if when:
            return when
    return None


def _timestamp(*candidates: str | None) -> str | None:
    """The first candidate that reads as a date, in canonical form."""
    for candidate in candidates:
        if candidate:
            found = _one_timestamp(candidate)
            if found:
                return found
    return None


@lru_cache(maxsize=4096)
def _one_timestamp(candidate: str) -> str | None:
    """One date in canonical form (the messages of one mailbox share a few dates)."""
    try:
        return parse_timestamp(SPACES.sub(" ", candidate).strip())
    except ValueError:
        return None


def _message_id(value: str) -> str | None:
    """A Message-ID in its usual ``<...>`` form (as the other importers store it)."""
    value = value.strip()
    if not value:
        return None
    return value if value.startswith("<") else f"<{value.strip('<>')}>"


@dataclass
class Result:
    """One classified recipient result of one message."""

    number: int
    finding: Finding
    verdict: Verdict
    email_id: str | None
    message_id: str | None
    dates: MessageDates = field(repr=False)

    @property
    def timestamp(self) -> str | None:
        """The result's own date, else the message's (read when asked for: ``explain`` never asks)."""
        return _timestamp(self.finding.date) or self.dates.fallback


class MessageDates:
    """The dates a message's results fall back on, in order: its Date, its latest Received, its
    mbox separator's, the returned message's Date (the first that reads as a date counts)."""

    def __init__(self, msg: Message, date: str | None, separator: str | None, original: Message | None):
        self._msg, self._date, self._separator, self._original = msg, date, separator, original

    @cached_property
    def fallback(self) -> str | None:
        original = self._original
        return _timestamp(self._date, _received_date(self._msg), _from_line_date(self._separator),
                          _header_text(original.get("Date")) if original is not None else None)


def results(source: Source, options: ImportOptions) -> Iterator[Result | Reject]:
    """Every recipient result of every message in ``source``, classified, in order."""
    boundaries.install()  # the email parser matches MIME boundaries without compiling each one
    for number, data, separator in iter_messages(source):
        if data is None:
            yield Reject(number, f"message {number}: larger than {MAX_MESSAGE_BYTES // (1024 * 1024)} MB, not read")
            continue
        # Blank lines before the headers (a copy saved by hand, an mbox separator then a blank line):
        # the parser would read no header at all.
        if data[:1] in (b"\n", b"\r"):
            data = data.lstrip(b"\r\n")
        try:
            msg = BytesParser(IndexedMessage, policy=compat32).parsebytes(data)
            analysis = analyse(msg, options)
        except RecursionError:
            yield Reject(number, f"message {number}: nested too deeply (MIME parts within parts), not read",
                         decode(data[:2000]))
            continue
        except (ValueError, LookupError, TypeError, AttributeError, MessageError) as exc:
            yield Reject(number, f"message {number}: cannot read the message: {exc}", decode(data[:2000]))
            continue
        if not analysis.findings:
            if analysis.looks_like_bounce:
                yield Reject(number, f"message {number}: looks like a bounce but names no failed recipient",
                             decode(data[:2000]))
            continue
        original = analysis.original
        email_id, message_id = options.email_id, None
        if original is not None:
            email_id = _header_text(original.get(options.email_id_header)).strip() or email_id
            message_id = _message_id(_header_text(original.get("Message-ID")))
        dates = MessageDates(msg, analysis.date, separator, original)
        for finding in analysis.findings:
            yield Result(number, finding, classify_finding(finding), finding.email_id or email_id,
                         finding.message_id or message_id, dates)


EVENT_OF_KIND = {"bounce": "bounce", "deferred": "deferred", "delivered": "delivered", "complaint": "complaint",
                 "unsubscribe": "unsubscribe"}


def parse(source: Source, options: ImportOptions) -> Records:
    for item in results(source, options):
        if isinstance(item, Reject):
            yield item
            continue
        finding, verdict = item.finding, item.verdict
        event = EVENT_OF_KIND.get(finding.kind)
        if event is None:  # an auto-reply: never a bounce
            continue
        if not looks_like_address(finding.recipient):
            yield Reject(item.number, f"message {item.number}: no usable recipient address ({finding.recipient[:80]!r})")
            continue
        if item.timestamp is None:
            yield Reject(item.number, f"message {item.number}: no date in the message")
            continue
        failure = event in ("bounce", "deferred")
        yield Event(
            recipient=finding.recipient,
            event=event,
            timestamp=item.timestamp,
            email_id=item.email_id,
            bounce_type=verdict.bounce_type if event == "bounce" else None,
            reason=verdict.reason if failure else None,
            rule=verdict.rule if failure else None,
            smtp_code=finding.smtp_code,
            enhanced_status=finding.enhanced_status,
            diagnostic=finding.diagnostic,
            message_id=item.message_id,
            provider_type=finding.provider_type,
            line=item.number,
        )
