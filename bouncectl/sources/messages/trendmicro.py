"""Trend Micro's notification (InterScan Messaging Security, TREND VISION ONE Email and
Collaboration Security): ``From: ... ("InterScan Notification")``, the subject ``Mail could not
be delivered`` (on Japanese servers ``メッセージを配信できません。`` or ``メール配信に失敗しました``).

Its text says ``Unable to deliver message to <address>`` (``(and other recipients in the same
domain). Please check if address is correct.``): the address was not accepted. Where it quotes
the session, the English notice writes ``Sent <<< COMMAND`` and ``Received >>> REPLY`` (see
:mod:`bouncectl.sources.messages.interscan`); the Japanese one labels the lines in Japanese and
points its arrows the other way, ``LABEL >>> COMMAND`` and ``LABEL <<< REPLY``.
"""

from __future__ import annotations

import re

from bouncectl.sources.messages import interscan
from bouncectl.sources.messages.base import (
    ADDRESS,
    SMTP_COMMAND_OF_VERB,
    Bounce,
    Finding,
    failed_exchange,
    finding_of,
    normalize,
    refine,
    transcript,
)

NAME = "trendmicro"

SUBJECTS = ("mail could not be delivered", "メッセージを配信できません。", "メール配信に失敗しました")
UNABLE = re.compile(r"unable to deliver (?:the )?message to <(?P<a>[^<>\s]+@[^<>\s]+)>[^\n]*", re.IGNORECASE)
# The Japanese notice's session lines: a label, then the arrow (``>>>`` sent, ``<<<`` received).
SENT = re.compile(r"^\s*(?!(?:sent|received)\b)\S+\s+>>>\s?(.*)$", re.IGNORECASE)
GOT = re.compile(r"^\s*(?!(?:sent|received)\b)\S+\s+<<<\s?(.*)$", re.IGNORECASE)
ORIGIN = "Trend Micro InterScan notification text ('Unable to deliver message to <address> ... Please check if " \
         "address is correct')"


def recognise(bounce: Bounce) -> bool:
    return ("interscan notification" in bounce.sender_name.lower()
            or bounce.subject.strip().lower() in SUBJECTS)


def decode(bounce: Bounce) -> list[Finding] | None:
    read: dict[str, Finding] = {}
    unable: set[str] = set()  # the addresses its own sentence names
    for found in UNABLE.finditer(bounce.text):
        address = normalize(found.group("a"))
        unable.add(address)
        read.setdefault(address, finding_of(address, found.group(0)))
    for sent, got in ((interscan.SENT, interscan.GOT), (SENT, GOT)):
        failed = failed_exchange(transcript(bounce.text, sent=sent, got=got))
        named = (ADDRESS.search(failed.argument) or ADDRESS.search(failed.text)) if failed else None
        if failed and named:
            address = normalize(named.group(1))
            read[address] = finding_of(address, failed.text, command=SMTP_COMMAND_OF_VERB.get(failed.command),
                                       diagnostic_type="SMTP")
    for finding in read.values():
        if finding.recipient in unable:
            finding.decoder_reason, finding.reason_origin = "userunknown", ORIGIN
    findings = bounce.findings()
    if not findings or (not bounce.has_dsn and read):
        return list(read.values()) or findings or None
    return refine(findings, read, prefer_text=True)

