"""The decoders, in the order they are asked: each mail system's own first, most specific
before most general; the generic readers in :mod:`bouncectl.sources.messages.reader` come
after all of them (RFC 3464 reports, then the plain-text notice)."""

from __future__ import annotations

from bouncectl.sources.messages import (
    amazonses,
    apachejames,
    biglobe,
    courier,
    domino,
    dragonfly,
    exchange,
    exim,
    gmail,
    googlegroups,
    imailserver,
    interscan,
    kddi,
    mailfoundry,
    messagingserver,
    mfilter,
    mimecast,
    opensmtpd,
    postfix,
    qmail,
    sendmail,
    x_mailers,
    yahoo,
    zoho,
)

DECODERS = (
    amazonses,
    kddi,
    biglobe,
    googlegroups,
    zoho,
    mimecast,
    mfilter,
    interscan,
    mailfoundry,
    apachejames,
    postfix,
    exim,
    qmail,
    sendmail,
    exchange,
    gmail,
    yahoo,
    opensmtpd,
    dragonfly,
    courier,
    domino,
    imailserver,
    messagingserver,
    x_mailers,
)
