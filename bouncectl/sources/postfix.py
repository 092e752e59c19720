"""Postfix mail logs (syslog, classic or RFC 3339 timestamps; gzip is fine).

Read line by line. Only delivery status lines make events:

- ``status=sent`` -> ``delivered``; ``status=deferred`` -> ``deferred``
  (provider says soft); ``status=bounced`` -> ``bounce``: Postfix returned the
  message, its permanent verdict, so the provider's verdict is hard (the
  classifier still names the reason from ``dsn=`` and the reply);
- a ``status=sent`` hand-off to a local content filter or a second Postfix
  instance (a relay on the loopback, ``127.0.0.1[127.0.0.1]:10024``,
  ``localhost``, ``[::1]``, replying ``queued as NEWID``) is not a delivery: the
  message goes on under the new queue id, whose own lines give its outcome (so
  one message is counted once, and one that later expires shows as expired);
- ``status=expired`` (a queue file given up after deferrals, logged with
  ``from=``) -> a soft ``bounce`` with reason ``expired`` for each recipient of
  that queue file whose last status was ``deferred``.

``dsn=`` is the enhanced status; the reply code and text come from the
``said:`` part of the parenthesised text (the whole text when the remote
server said nothing, e.g. a connection timeout). The queue id is joined to
the ``message-id=`` of its ``cleanup`` line (``Event.message_id``). Every
other line is skipped without being counted as an error.

Classic syslog timestamps have no year: the year is the one that puts the
line at or before the file's modification time (so a log spanning New Year
is read right). Times without a zone are taken in ``options.tz`` (UTC unless
given). The email id is ``options.email_id``: a mail log does not know it.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import cast

from bouncectl.bounces import decide, reply_code, status_in
from bouncectl.model import Event, ImportOptions, Reject
from bouncectl.sources import jsonrecords as jr
from bouncectl.sources.format import Format, Records
from bouncectl.sources.source import CappedLines, Source, decode, overlong_reject_text
from bouncectl.timeparse import parse_timestamp, plausible, zone

# Queue files remembered at once (for message-id joins and expiries); the
# oldest are forgotten first, so memory stays bounded on any log.
MAX_QUEUE_IDS = 200_000

_CLASSIC = r"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?"
_ISO = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"
_LINE = re.compile(
    rf"^(?P<time>{_CLASSIC}|{_ISO})\s+(?P<host>\S+)\s+(?P<prog>postfix[\w.-]*/[\w./-]+)(?:\[\d+\])?:\s+"
    r"(?P<qid>[0-9A-Za-z]{5,}):\s+(?P<rest>.*)$"
)
_SYSLOG_START = re.compile(rf"^(?:{_CLASSIC}|{_ISO})\s+\S+\s+\S+")
_POSTFIX_PROG = re.compile(r"\spostfix[\w.-]*/[\w./-]+\[\d+\]:\s")
_MESSAGE_ID = re.compile(r"^message-id=(\S*)")
_TO = re.compile(r"^to=<([^>]*)>")
_STATUS = re.compile(r"\bstatus=(sent|bounced|deferred|expired)\b(?:,? ?\((.*)\))?")
_DSN = re.compile(r"\bdsn=(\d\.\d{1,3}\.\d{1,3})\b")
_FIELD = re.compile(r"\b(orig_to|relay|delay|delays|conn_use)=(<[^>]*>|[^,\s]+)")
_QUEUED_AS = re.compile(r"\bqueued as ([0-9A-Za-z]{5,})\)?\s*$")
_LOOPBACK = re.compile(r"^(?:localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|\[127\.\d+\.\d+\.\d+\])(?:\[[^\]]*\])?(?::\d+)?$")
_SAID = re.compile(r"\bsaid:\s+(.*?)(?:\s+\(in reply to [^)]*\))?$")
_MONTHS = {
    m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)
}


def sniff(head: bytes, source: Source) -> bool:
    text = decode(head)
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    if not lines or not _SYSLOG_START.match(lines[0]):
        return False
    return any(_POSTFIX_PROG.search(line) for line in lines)


@dataclass(slots=True)
class _Queued:
    message_id: str | None = None
    deferred: dict[str, int] = field(default_factory=dict)  # recipient -> line of its last deferral


class _Clock:
    """Turns syslog timestamps into canonical UTC text."""

    def __init__(self, reference: datetime, tz: tzinfo):
        self.reference = reference
        self.tz = tz

    def parse(self, stamp: str) -> str:
        if stamp[:1].isdigit():
            return parse_timestamp(stamp, self.tz)
        month = _MONTHS.get(stamp[:3])
        if month is None:
            raise ValueError(f"unknown month in {stamp!r}")
        day = int(stamp[4:6])
        hour, minute, second = (int(part) for part in stamp[7:15].split(":"))
        fraction = stamp[15:]
        micro = int((fraction[1:] + "000000")[:6]) if fraction.startswith(".") else 0
        limit = self.reference + timedelta(days=1)
        for year in (self.reference.year, self.reference.year - 1, self.reference.year - 4):
            try:
                moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=self.tz)
            except ValueError:  # 29 February in a common year
                continue
            if moment <= limit:
                return plausible(moment)
        raise ValueError(f"impossible date {stamp!r}")


def parse(source: Source, options: ImportOptions) -> Records:
    tz = zone(options.tz)
    # Syslog lines name no year: the year is the one that puts the line on or before the file's
    # time, and never after the clock (a file time in the future does not date lines in the future).
    reference = datetime.now(tz)
    if source.path is not None and not source.is_dir:
        reference = min(reference, datetime.fromtimestamp(source.path.stat().st_mtime, tz))
    clock = _Clock(reference, tz)
    queue: OrderedDict[str, _Queued] = OrderedDict()
    with source.open_binary() as raw:
        stream = raw if hasattr(raw, "peek") else io.BufferedReader(cast(io.RawIOBase, raw))
        capped = CappedLines(stream)
        for data in capped:
            number = capped.number
            if capped.overlong():
                yield Reject(number, overlong_reject_text())
                continue
            if b"postfix" not in data:
                continue
            match = _LINE.match(decode(data).rstrip("\r\n"))
            if not match:
                continue
            yield from _line(match, number, queue, clock, options)


def _state(queue: OrderedDict[str, _Queued], qid: str) -> _Queued:
    state = queue.get(qid)
    if state is None:
        state = queue[qid] = _Queued()
        if len(queue) > MAX_QUEUE_IDS:
            queue.popitem(last=False)
    return state


def _line(match: re.Match, number: int, queue, clock: _Clock, options: ImportOptions):
    qid, rest = match.group("qid"), match.group("rest")
    if rest == "removed":
        queue.pop(qid, None)
        return
    found = _MESSAGE_ID.match(rest)
    if found:
        _state(queue, qid).message_id = jr.message_id(found.group(1))
        return
    status = _STATUS.search(rest)
    if not status:
        return
    word, text = status.group(1), (status.group(2) or "").strip() or None
    try:
        when = clock.parse(match.group("time"))
    except ValueError as exc:
        yield Reject(number, str(exc), match.group(0)[: jr.REJECT_RAW])
        return
    state = _state(queue, qid)
    if word == "expired":
        yield from _expired(state, qid, when, text, match.group("prog"), number, options)
        return
    to = _TO.match(rest)
    if not to:
        return
    try:
        recipient = jr.address(to.group(1), "to")
    except jr.RecordError as exc:
        yield Reject(number, str(exc), match.group(0)[: jr.REJECT_RAW])
        return
    handed_to = _handed_on(word, text, rest)
    if handed_to is not None:
        # Not a delivery: the message goes on as another queue file of this or the next instance.
        _state(queue, handed_to).message_id = _state(queue, handed_to).message_id or state.message_id
        state.deferred.pop(recipient, None)
        return
    said = _SAID.search(text) if text else None
    diagnostic = said.group(1) if said else text
    dsn = _DSN.search(rest)
    fields = {name: value.strip("<>") for name, value in _FIELD.findall(rest)}
    raw = {"queue_id": qid, "program": match.group("prog"), **fields}
    if text != diagnostic or word == "sent":
        raw["text"] = text
    event = Event(
        recipient=recipient,
        event={"sent": "delivered", "bounced": "bounce", "deferred": "deferred"}[word],
        timestamp=when,
        email_id=options.email_id,
        message_id=state.message_id,
        line=number,
        raw=jr.raw_json(raw),
    )
    if word != "sent":
        event.smtp_code = reply_code(diagnostic) if said else None
        event.enhanced_status = dsn.group(1) if dsn else status_in(diagnostic)
        event.diagnostic = diagnostic
        # status=bounced: Postfix returned the message, its permanent verdict.
        event.provider_type = "soft" if word == "deferred" else "hard"
        event.remote_host = _relay_host(fields.get("relay"))
    if word == "deferred":
        state.deferred[recipient] = number
    else:
        state.deferred.pop(recipient, None)
    yield event


def _expired(state: _Queued, qid: str, when: str, text: str | None, program: str, number: int, options: ImportOptions):
    """A queue file given up: a soft bounce, reason ``expired``, for each recipient last deferred."""
    verdict = decide("bounce", reason="expired", rule="postfix status=expired", provider_type="soft")
    for recipient in state.deferred:
        yield Event(
            recipient=recipient,
            event="bounce",
            timestamp=when,
            email_id=options.email_id,
            provider_type="soft",
            reason=verdict.reason,
            bounce_type=verdict.bounce_type,
            rule=verdict.rule,
            diagnostic=text,
            message_id=state.message_id,
            line=number,
            raw=jr.raw_json({"queue_id": qid, "program": program, "status": "expired"}),
        )
    state.deferred.clear()


def _handed_on(word: str, text: str | None, rest: str) -> str | None:
    """The new queue id of a hand-off to a local content filter or instance (``None``: not one)."""
    if word != "sent" or not text:
        return None
    queued = _QUEUED_AS.search(text)
    relay = re.search(r"\brelay=([^,\s]+)", rest)
    if queued is None or relay is None or not _LOOPBACK.match(relay.group(1)):
        return None
    return queued.group(1)


def _relay_host(relay: str | None) -> str | None:
    """The host name of Postfix's ``relay=mx.example.org[192.0.2.1]:25`` (none for ``relay=none``)."""
    host = (relay or "").split("[", 1)[0].strip().lower()
    return host if host and host != "none" else None


FORMAT = Format(
    name="postfix",
    description="Postfix mail log: status=sent|bounced|deferred|expired lines",
    sniff=sniff,
    parse=parse,
)
