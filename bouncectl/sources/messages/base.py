"""What every decoder shares: the finding it returns, the bounce it reads, and the small readers
of SMTP replies, transcripts and notice entries that most mail systems need.

A decoder is a module with ``NAME``, ``recognise(bounce) -> bool`` and
``decode(bounce) -> list[Finding] | None`` (``None``: not its notice after all).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr
from functools import cached_property

from bouncectl.addresses import normalize

# A local part does not begin with a quote mark: notices quote addresses ('x@example.org',
# `x@example.org'), and the mark is the notice's, not the address's. The local part's runs are
# possessive: a run ends where its characters do, and the character after a shorter run would be
# one of them, never the dot or "@" that must follow; so giving characters back never makes a
# match, and a word that is not an address fails at once.
ADDRESS = re.compile(
    r"(?<![\w.+=/-])(?!['`])([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]++(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]++)*+"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63})(?![\w-])"
)
# The look-behind of each comes after its first character (what it looks at is the character before
# that one): a pattern that starts with a character class is tried only where that class is.
ENHANCED_STATUS = re.compile(r"([245](?<![\d.][245])\.\d{1,3}\.\d{1,3})(?!\d|\.\d)")
REPLY_CODE = re.compile(
    r"([245](?<![\w.#:/-][245])[0-5]\d)(?:[ -]+(?:['\"]?#?([245]\.\d{1,3}\.\d{1,3})(?!\d|\.\d))?|$)",
    re.MULTILINE,
)

# The SMTP command a failure answered, as notices word it: (pattern, command).
# The first that matches decides; ``None`` takes the command from the named group.
COMMAND_CONTEXTS: tuple[tuple[re.Pattern, str | None], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE | re.MULTILINE), command)
    for pattern, command in (
        (r"in reply to (?P<c>rcpt to|mail from|end of data|data|helo|ehlo)\b", None),  # Postfix
        (r"after (?P<c>rcpt to|mail from|end of data|data|initial connection|helo|ehlo|rcpt|mail)\b", None),  # Exim
        (r"did not like our (?P<c>rcpt to|mail from|final data|data|helo|ehlo)", None),  # DragonFly
        (r"refused\s+to\s+talk\s+to\s+me|my\s+name\s+was\s+rejected|^\s*220[ -]", "CONN"),  # the greeting
        (r">>> (?P<c>rcpt to|mail from|helo|ehlo)[^\n]*\n\s*<<< [45]", None),  # Sendmail's transcript
        # A refusal after DATA is DATA's, even one that names a recipient (pipelined RCPT replies): the
        # command is the last one the transcript shows sent (Sisimai: lib/Sisimai/Lhost/Sendmail.pm).
        (r">>> data[^\n]*\n\s*<<< [45]", "DATA"),
        (r"\[(?P<c>rcpt_to|mail_from|data|connect)\]", None),  # qmail-style remote text
        (r"smtp command[\s:-]*(?P<c>data|rcpt|mail|helo|ehlo)", None),
        (r"progress was (?P<c>rcpt to|mail from|data|helo|ehlo)", None),
        (r"smtp:(?P<c>rcpt|mail|data|helo|ehlo)\b", None),
        # qmail-remote.c's "does not like recipient", and the command itself. Not the words of a refusal
        # ("Recipient address rejected", "rejected address"): a server may say them after DATA too, and
        # Sisimai reads no command from them (lib/Sisimai/SMTP/Command.pm, lib/Sisimai/RFC3464.pm).
        (r"does not like recipient|rcpt to:<", "RCPT"),
        (r"sender address rejected|does not like sender", "MAIL"),
    )
)
COMMAND_NAMES = (("rcpt", "RCPT"), ("mail", "MAIL"), ("end of data", "DATA"), ("final data", "DATA"),
                 ("data", "DATA"), ("initial connection", "CONN"), ("connect", "CONN"), ("helo", "CONN"),
                 ("ehlo", "CONN"), ("starttls", "STARTTLS"), ("auth", "CONN"), ("quit", "DATA"))
REMOTE_HOST = re.compile(
    r"(?:host|talking to|server|by|connecting to|remote host)\s*:?\s+\[?"
    r"([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,63})\b",
    re.IGNORECASE,
)
# Lines that explain nothing.
DECORATION = re.compile(r"^[\s\-=*#_|~]*$|^\s*-{3,}.*-{3,}\s*$")


class IndexedMessage(Message):
    """A :class:`email.message.Message` whose header look-ups go through an index by name.

    ``Message.get`` and ``get_all`` read every header of the message, lower-casing each name,
    at every call; the parser itself asks a part for its content type many times, and the
    decoders each ask for a few headers (``Received``, ``X-Mailer``, ...). The index is built on
    the first look-up and rebuilt when the header list changes: a new list or another length
    (every method that adds or deletes headers), or :meth:`replace_header`, the one method
    that changes a header in place. The values are still given by the policy, as before.
    """

    _index: tuple[list, int, dict[str, list[tuple[str, str]]], dict[str, str]] | None = None
    _content_type: tuple[list, int, str, str] | None = None

    def _lookup(self) -> tuple[dict[str, list[tuple[str, str]]], dict[str, str]]:
        """The headers by lower-cased name, and the first values already given by name."""
        headers = self._headers  # type: ignore[attr-defined]
        index = self._index
        if index is None or index[0] is not headers or index[1] != len(headers):
            index = self._build_index(headers)
        return index[2], index[3]

    def _build_index(self, headers: list) -> tuple[list, int, dict[str, list[tuple[str, str]]], dict[str, str]]:
        by_name: dict[str, list[tuple[str, str]]] = {}
        for name, value in headers:
            key = name.lower()
            found = by_name.get(key)
            if found is None:
                by_name[key] = [(name, value)]
            else:
                found.append((name, value))
        # The list itself is kept, so a new list can never be taken for it.
        index = self._index = (headers, len(headers), by_name, {})
        return index

    def get(self, name, failobj=None):
        # The index's test inline (the most frequent call of a bounce's reading).
        headers = self._headers
        index = self._index
        if index is None or index[0] is not headers or index[1] != len(headers):
            index = self._build_index(headers)
        key = name.lower()
        given = index[3]
        value = given.get(key)
        if value is not None:
            return value
        found = index[2].get(key)
        if not found:
            return failobj
        value = self.policy.header_fetch_parse(*found[0])
        # compat32 gives a plain text value as it is (the same object each time): kept. Any other
        # value (a Header for 8-bit bytes) is made anew at each call, as before.
        if self.policy is compat32 and value is found[0][1]:
            given[key] = value
        return value

    def raw_value(self, name: str) -> str | None:
        """The first value of the header ``name`` as the parser keeps it: 8-bit bytes as surrogates
        (where :meth:`get` gives compat32's Header, which has put U+FFFD in their place)."""
        found = self._lookup()[0].get(name.lower())
        return found[0][1] if found else None

    def get_all(self, name, failobj=None):
        found = self._lookup()[0].get(name.lower())
        if not found:
            return failobj
        fetch = self.policy.header_fetch_parse
        return [fetch(key, value) for key, value in found]

    def __contains__(self, name) -> bool:
        return name.lower() in self._lookup()[0]

    def replace_header(self, _name, _value) -> None:
        self._index = self._content_type = None
        super().replace_header(_name, _value)
        self._index = self._content_type = None

    def get_content_type(self) -> str:
        """``Message.get_content_type``, worked out once for each state of the headers (the parser
        asks each part for it several times). Its Content-Type is looked for among the headers
        without building the index of names: most parts are asked for no other header."""
        headers = self._headers  # type: ignore[attr-defined]
        default = self._default_type  # type: ignore[attr-defined]
        cached = self._content_type
        if cached is not None and cached[0] is headers and cached[1] == len(headers) and cached[2] == default:
            return cached[3]
        for name, raw in headers:
            if name.lower() == "content-type":
                value = self.policy.header_fetch_parse(name, raw)
                break
        else:
            value = None
        if value is None:
            ctype = default
        else:  # as Message.get_content_type reads a value
            ctype = str(value).partition(";")[0].strip().lower()
            if ctype.count("/") != 1:
                ctype = "text/plain"
        self._content_type = (headers, len(headers), default, ctype)
        return ctype


@dataclass
class Finding:
    """One recipient result of one message, before classification."""

    recipient: str
    kind: str  # bounce, deferred, delivered, complaint, unsubscribe, vacation
    smtp_code: int | None = None
    enhanced_status: str | None = None
    diagnostic: str | None = None
    command: str | None = None  # CONN, STARTTLS, MAIL, RCPT, DATA
    host: str | None = None
    date: str | None = None
    feedback_type: str | None = None
    provider_type: str | None = None  # a provider's own hard/soft verdict (an SES notification's)
    email_id: str | None = None  # where the notification itself says which email it was
    message_id: str | None = None
    diagnostic_type: str | None = None  # the Diagnostic-Code's type: SMTP, X-Unix, X-Postfix, ...
    decoder_reason: str | None = None  # a reason the mail system's own documented wording states
    reason_origin: str | None = None  # where that wording is documented
    decoder: str | None = None  # the decoder that read the notice
    action: str | None = None  # the DSN's Action field as written (failed, delayed, expired, ...)


@dataclass
class Bounce:
    """One message as the decoders see it."""

    msg: Message
    subject: str
    sender: str  # the address of From
    sender_name: str  # the display name of From
    text: str  # the human-readable notice, without the returned message
    rest: str | None  # what follows the notice in its text (a copy of the returned message)
    original: Message | None  # the returned message's headers
    reports: list[Message]  # the message/delivery-status parts
    generic: Callable[[], list[Finding]]  # what the generic RFC 3464 and text readers find
    has_dsn: bool = False  # RFC 3464 recipient fields were found (in a report part or in the text)
    _generic: list[Finding] | None = field(default=None, repr=False)
    _lower: str | None = field(default=None, repr=False)
    _headers: dict[str, str] = field(default_factory=dict, repr=False)
    _received: list[str] | None = field(default=None, repr=False)
    _names: list[str] | None = field(default=None, repr=False)
    _lines: list[str] | None = field(default=None, repr=False)

    def header(self, name: str) -> str:
        """A header's first value, or "" (each read once: every decoder asks for some; the message
        finds a header by its index of names, without reading the others)."""
        key = name.lower()
        value = self._headers.get(key)
        if value is None:
            found = self.msg.get(key)
            value = self._headers[key] = "" if found is None else str(found)
        return value

    @property
    def received(self) -> list[str]:
        """The values of the Received headers, in order, as text (read once: several decoders look
        for their mail system's host or program in them). Not to be changed."""
        if self._received is None:
            self._received = [str(value) for value in self.msg.get_all("Received", [])]
        return self._received

    @property
    def header_names(self) -> list[str]:
        """The names of the message's headers, lower-cased, in order (read once). Not to be changed."""
        if self._names is None:
            self._names = [name.lower() for name in self.msg]
        return self._names

    @property
    def lines(self) -> list[str]:
        """The lines of the notice (split once: most decoders read it line by line). Not to be changed."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def findings(self) -> list[Finding]:
        """The generic readers' findings (read once)."""
        if self._generic is None:
            self._generic = self.generic()
        return self._generic

    @property
    def lower(self) -> str:
        """The notice in lower case (read once), for the decoders' quick checks."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @cached_property
    def sender_local(self) -> str:
        return self.sender.partition("@")[0].lower()

    @cached_property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2].lower()


def from_address(value: str) -> tuple[str, str]:
    name, address = parseaddr(value)
    return name, normalize(address)


# --------------------------------------------------------------------------
# SMTP replies.
# --------------------------------------------------------------------------


def reply_code(text: str) -> tuple[int | None, str | None]:
    """The reply code of a failure (with the enhanced status next to it, if any).

    A transcript holds the 2xx replies of the commands that passed: the result is the first
    4xx or 5xx reply; a 2xx code counts only when no failure code is there.
    """
    first = passed = None
    for match in REPLY_CODE.finditer(text or ""):
        code = int(match.group(1))
        if code < 400:
            if passed is None:
                passed = (code, match.group(2))
            continue
        if match.group(2):
            return code, match.group(2)
        if first is None:
            first = code
    if first is not None:
        return first, None
    return passed if passed is not None else (None, None)


# Words each of :data:`COMMAND_CONTEXTS` needs (in the same order): a pattern is tried only when
# one of its words is in the text.
COMMAND_WORDS: tuple[tuple[str, ...], ...] = (
    ("in reply to",), ("after ",), ("did not like our",), ("refused", "my", "220"), (">>>",), (">>>",),
    ("[",), ("smtp command",), ("progress was",), ("smtp:",),
    ("does not like recipient", "rcpt to:<"),
    ("sender address rejected", "does not like sender"),
)


_COMMAND_TESTS = tuple((pattern, command, words) for (pattern, command), words in zip(COMMAND_CONTEXTS, COMMAND_WORDS))


def command_in(text: str) -> str | None:
    low = (text or "").lower()
    for pattern, command, words in _COMMAND_TESTS:
        for word in words:
            if word in low:
                break
        else:
            continue
        found = pattern.search(text)
        if found:
            if command:
                return command
            return command_name(found.group("c"))
    return None


def command_name(word: str) -> str | None:
    """CONN, MAIL, RCPT or DATA for an SMTP command as a notice words it."""
    word = word.strip().lower().replace("_", " ")
    return next((name for prefix, name in COMMAND_NAMES if word.startswith(prefix)), None)


def host_name(value: str) -> str | None:
    value = (value or "").strip().strip("[]").split(" ")[0].rstrip(".").lower()
    return value if value and re.search(r"[a-z]", value) and "." in value else None


def host_in(text: str) -> str | None:
    match = REMOTE_HOST.search(text or "")
    return host_name(match.group(1)) if match else None


def squeeze(text: str, limit: int = 1000) -> str:
    lines = [line.strip() for line in text.splitlines() if not DECORATION.match(line)]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()[:limit]


MULTILINE_REPLY = re.compile(r"^\s*([245]\d\d)([- ])(?:([245]\.\d{1,3}\.\d{1,3})\s*)?(.*)$")


def join_reply(lines: list[str]) -> str:
    """A multi-line SMTP reply (``550-5.1.1 a`` / ``550 5.1.1 b``) as one line: ``550 5.1.1 a b``.

    Lines that do not repeat the code (a wrapped notice) are joined as they are.
    """
    head: str | None = None
    parts: list[str] = []
    for line in lines:
        found = MULTILINE_REPLY.match(line)
        if found and (head is None or head.startswith(found.group(1))):
            if head is None:
                head = found.group(1) + (" " + found.group(3) if found.group(3) else "")
            parts.append(found.group(4).strip())
        elif line.strip():
            parts.append(line.strip())
    text = " ".join(part for part in parts if part)
    return f"{head} {text}".strip() if head else text


# --------------------------------------------------------------------------
# SMTP transcripts.
# --------------------------------------------------------------------------


@dataclass
class Exchange:
    """One command of a transcript and the reply it got."""

    command: str  # as sent: RCPT, MAIL, DATA, EHLO, ... ("CONN" for the greeting)
    argument: str
    reply: list[str] = field(default_factory=list)

    @property
    def code(self) -> int | None:
        found = MULTILINE_REPLY.match(self.reply[0]) if self.reply else None
        return int(found.group(1)) if found else None

    @property
    def text(self) -> str:
        """The first whole reply (a pipelined session may hold the replies of later commands)."""
        lines = []
        for line in self.reply:
            lines.append(line)
            found = MULTILINE_REPLY.match(line)
            if found and found.group(2) == " ":
                break
        return join_reply(lines)


TRANSCRIPT_SENT = re.compile(r"^\s*(?:>>>|Out:|->|SMTP>)\s?(.*)$", re.IGNORECASE)
TRANSCRIPT_GOT = re.compile(r"^\s*(?:<<<|In:|<-|SMTP<)\s?(.*)$", re.IGNORECASE)


def transcript(text: str, *, sent: re.Pattern = TRANSCRIPT_SENT, got: re.Pattern = TRANSCRIPT_GOT) -> list[Exchange]:
    """The commands of an SMTP transcript (Sendmail's ``>>>``/``<<<``, ``Out:``/``In:``), in order."""
    exchanges: list[Exchange] = []
    for line in text.splitlines():
        out = sent.match(line)
        if out:
            words = out.group(1).strip().split(None, 1)
            if not words:
                continue
            verb = words[0].upper()
            argument = words[1] if len(words) > 1 else ""
            if verb in ("RCPT", "MAIL") and ":" in argument:
                argument = argument.split(":", 1)[1].strip()
            exchanges.append(Exchange(verb, argument))
            continue
        reply = got.match(line)
        if reply:
            if not exchanges:
                exchanges.append(Exchange("CONN", ""))
            exchanges[-1].reply.append(reply.group(1))
    return exchanges


def failed_exchange(exchanges: list[Exchange]) -> Exchange | None:
    """The first command a 4xx or 5xx reply refused (a 2xx reply is a step that passed)."""
    return next((e for e in exchanges if e.code is not None and e.code >= 400), None)


SMTP_COMMAND_OF_VERB = {"RCPT": "RCPT", "MAIL": "MAIL", "DATA": "DATA", "EHLO": "CONN", "HELO": "CONN",
                        "CONN": "CONN", "STARTTLS": "STARTTLS", "AUTH": "CONN", "QUIT": "DATA", "BDAT": "DATA"}


# --------------------------------------------------------------------------
# Notices that list each recipient followed by its error lines.
# --------------------------------------------------------------------------


def address_in(text: str) -> str | None:
    found = ADDRESS.search(text or "")
    return normalize(found.group(1)) if found else None


def entries(lines: list[str], heading: re.Pattern, *, stop: re.Pattern | None = None,
            continuation: Callable[[str], bool] | None = None) -> list[tuple[str, list[str]]]:
    """``(address, lines)`` for every recipient entry of a notice.

    ``heading`` matches the line that starts an entry (its group ``a`` holding the address, or
    its group ``o`` where it names the address the sender gave, which ``a`` was rewritten from,
    and optionally its group ``t`` the first text of the error); the lines after it belong to
    it until the next heading, a ``stop`` line, or (with ``continuation``) a line that is not
    a continuation.
    """
    found: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in lines:
        if stop is not None and stop.search(line):
            current = None
            if found:
                break
            continue
        head = heading.match(line)
        if head:
            groups = head.groupdict()
            address = normalize(groups.get("o") or head.group("a"))
            text = groups.get("t")
            current = [text.strip()] if text and text.strip() else []
            found.append((address, current))
            continue
        if current is None:
            continue
        if continuation is not None and not continuation(line):
            current = None
            continue
        current.append(line.strip())
    return found


def finding_of(address: str, text: str, kind: str = "bounce", **facts) -> Finding:
    """A finding read from one entry's text: reply code, status, command and host found in it."""
    code, code_status = reply_code(text)
    status = facts.pop("enhanced_status", None) or code_status
    if status is None:
        found = ENHANCED_STATUS.search(text)
        status = found.group(1) if found else None
    return Finding(
        recipient=address,
        kind=kind,
        smtp_code=facts.pop("smtp_code", None) or code,
        enhanced_status=status,
        diagnostic=squeeze(text) or None,
        command=facts.pop("command", None) or command_in(text),
        host=facts.pop("host", None) or host_in(text),
        **facts,
    )


def first_reason(text: str, table: tuple[tuple[re.Pattern, str], ...]) -> str | None:
    """The reason of the first pattern of ``table`` found in ``text``."""
    for pattern, reason in table:
        if pattern.search(text or ""):
            return reason
    return None


def reasons(*rows: tuple[str, str]) -> tuple[tuple[re.Pattern, str], ...]:
    """A table of ``(pattern, reason)`` rows, compiled case-insensitively."""
    return tuple((re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in rows)


def refine(findings: list[Finding], read: dict[str, Finding], *, prefer_text: bool = False) -> list[Finding]:
    """Complete each generic finding with what a decoder read of the same recipient.

    The decoder's facts fill what the generic reading left empty; its diagnostic replaces the
    generic one when it holds it (a Diagnostic-Code cut short) or when ``prefer_text``.
    """
    for finding in findings:
        own = read.get(finding.recipient)
        if own is None and len(read) == 1 and len(findings) == 1:
            own = next(iter(read.values()))
        if own is None:
            continue
        if own.diagnostic and (prefer_text or not finding.diagnostic or says_more(own.diagnostic, finding.diagnostic)):
            finding.diagnostic = own.diagnostic
            finding.smtp_code = own.smtp_code or finding.smtp_code
            if own.enhanced_status and (not finding.enhanced_status or finding.enhanced_status.endswith(".0.0")):
                finding.enhanced_status = own.enhanced_status
        finding.smtp_code = finding.smtp_code or own.smtp_code
        finding.enhanced_status = finding.enhanced_status or own.enhanced_status
        finding.command = own.command or finding.command
        finding.host = finding.host or own.host
        finding.diagnostic_type = finding.diagnostic_type or own.diagnostic_type
        finding.decoder_reason = own.decoder_reason or finding.decoder_reason
        finding.reason_origin = own.reason_origin or finding.reason_origin
        finding.action = finding.action or own.action
    return findings


_NOT_WORDS = re.compile(r"[^a-z0-9]+")


def _words(text: str) -> str:
    low = text.lower()
    if "@" in low:  # no address without one
        low = ADDRESS.sub(" ", low)
    return _NOT_WORDS.sub(" ", low).strip()


def says_more(longer: str, shorter: str) -> bool:
    """True when ``longer`` says all that ``shorter`` says, and more."""
    a, b = _words(longer), _words(shorter)
    if not b:
        return True
    if len(a) <= len(b):
        return False
    # A Diagnostic-Code cut short: its words start the fuller reply (after its code and status).
    b_words = b.split()
    a_words = a.split()
    core = [w for w in b_words if not re.fullmatch(r"\d+", w)][:12]
    joined = " ".join(a_words)
    return bool(core) and " ".join(core) in joined
