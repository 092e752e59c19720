"""The decoders, in the order they are asked: each mail system's own first, most specific
before most general; the generic readers in :mod:`bouncectl.sources.messages.reader` come
after all of them (RFC 3464 reports, then the plain-text notice).

:func:`candidates` gives, in that order, the decoders worth asking of one bounce: :data:`NEEDS`
says, for the decoders that recognise their notice only by a header of their mail system or by
words of its notice, what a bounce cannot lack for them to recognise it; it is read from facts
taken once per bounce (its header names, its notice in lower case), and a decoder whose needs
the bounce does not meet is not asked.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

from bouncectl.sources.messages import (
    activehunter,
    amavis,
    amazonses,
    amazonworkmail,
    aol,
    apachejames,
    barracuda,
    bigfoot,
    biglobe,
    chasquid,
    citadel,
    courier,
    deutschetelekom,
    domino,
    dragonfly,
    einsundeins,
    exchange,
    exchange2003,
    exim,
    facebook,
    fml,
    gmail,
    gmx,
    googlegroups,
    googleworkspace,
    haraka,
    hmailserver,
    imailserver,
    interscan,
    kddi,
    mailfoundry,
    mailmarshal,
    mailru,
    mcafee,
    messagelabs,
    messagingserver,
    mfilter,
    mimecast,
    mxlogic,
    notes,
    opensmtpd,
    outlook,
    postfix,
    powermta,
    qmail,
    receivingses,
    sendgrid,
    sendmail,
    smail,
    smartermail,
    surfcontrol,
    trendmicro,
    verizon,
    x_mailers,
    yahoo,
    yandex,
    zoho,
)

DECODERS = (
    amazonworkmail,
    amazonses,
    kddi,
    biglobe,
    googlegroups,
    zoho,
    mimecast,
    mfilter,
    trendmicro,
    interscan,
    mailfoundry,
    apachejames,
    fml,
    mailmarshal,
    verizon,
    outlook,
    receivingses,
    messagelabs,
    einsundeins,
    gmx,
    mxlogic,
    facebook,
    powermta,
    sendgrid,
    aol,
    deutschetelekom,
    smail,
    mailru,
    barracuda,
    amavis,
    activehunter,
    mcafee,
    surfcontrol,
    yandex,
    postfix,
    chasquid,
    citadel,
    smartermail,
    haraka,
    exim,
    qmail,
    bigfoot,
    sendmail,
    exchange2003,
    exchange,
    googleworkspace,
    gmail,
    yahoo,
    opensmtpd,
    dragonfly,
    courier,
    notes,
    domino,
    hmailserver,
    imailserver,
    messagingserver,
    x_mailers,
)

_MAIL_DELIVERY_SOFTWARE = "created automatically by mail delivery software"  # Exim's opening

# What each decoder's ``recognise`` cannot be true without: (headers, words). At least one of the
# headers (by name) must be there, and at least one of the words (lower-cased) in the notice; an
# empty tuple needs nothing. Each entry restates a test its decoder's ``recognise`` makes first
# (tests/test_decoders.py checks them on every sample).
NEEDS: dict[ModuleType, tuple[tuple[str, ...], tuple[str, ...]]] = {
    activehunter: (("X-AHMailID",), ()),
    amazonworkmail: (("X-SES-Outgoing",), ()),
    aol: (("X-AOL-IP",), ()),
    fml: (("X-MLServer",), ()),
    gmx: (("X-GMX-Antispam", "X-UI-Out-Filterresults"), (_MAIL_DELIVERY_SOFTWARE,)),
    mcafee: (("X-NAI-Header",), (mcafee.PROBLEMS,)),
    messagelabs: (("X-Msg-Ref",), ()),
    mxlogic: (mxlogic.HEADERS, (_MAIL_DELIVERY_SOFTWARE,)),
    receivingses: (("X-SES-Outgoing",), (receivingses.START,)),
    surfcontrol: (("X-SEF-Processed",), ()),
    yandex: (yandex.HEADERS, ()),
    mimecast: ((), (mimecast.BODY,)),
    smartermail: ((), (smartermail.HEADLINE,)),
    citadel: ((), (citadel.OPENING,)),
    bigfoot: ((), ("transcript of session follows",)),
    yahoo: ((), ("sorry, we were unable to deliver your message",)),
    smail: ((), ("failed addresses follow:",)),
    deutschetelekom: ((), ("failed addresses follow:",)),  # it asks smail's recognise
    hmailserver: ((), (hmailserver.HEADLINE,)),
    chasquid: ((), (chasquid.DETAILS,)),
    mailfoundry: ((), ("delivery failed for the following reason",)),
    mailmarshal: ((), ("could not be delivered because of",)),
    einsundeins: ((), (_MAIL_DELIVERY_SOFTWARE,)),
    mailru: ((), (_MAIL_DELIVERY_SOFTWARE,)),
    sendgrid: ((), (sendgrid.START,)),
    powermta: ((), (powermta.START,)),
    domino: ((), ("was not delivered to:", "failure reasons", "domino")),
    messagingserver: ((), ("this report relates to a message you sent with the following header fields",
                           "recipient address:")),
    x_mailers: ((), ("it responded as follows:", "technical details:", "the following addresses had delivery errors",
                     "the following recipients returned permanent errors:",
                     "unable to deliver message to the following address")),
}

def _needs_of(decoder: ModuleType) -> tuple[frozenset[str] | None, tuple[str, ...] | None]:
    """A decoder's needs as :func:`candidates` tests them: header names lower-cased, words; None for none."""
    headers, words = NEEDS.get(decoder, ((), ()))
    return frozenset(name.lower() for name in headers) or None, words or None


# The decoders in order, each with its needs.
_ASKED: tuple[tuple[ModuleType, frozenset[str] | None, tuple[str, ...] | None], ...] = tuple(
    (decoder, *_needs_of(decoder)) for decoder in DECODERS
)


def candidates(bounce) -> Iterator[ModuleType]:
    """The decoders worth asking of ``bounce``, in order (those whose :data:`NEEDS` it meets)."""
    names: set[str] | None = None
    for decoder, headers, words in _ASKED:
        if headers is not None:
            if names is None:
                names = set(bounce.header_names)
            if names.isdisjoint(headers):
                continue
        if words is not None:
            low = bounce.lower
            for word in words:
                if word in low:
                    break
            else:
                continue
        yield decoder
